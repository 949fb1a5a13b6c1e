/** Where an API lives: a base URL, or a unix socket with the paths resolved onto it. */
export interface Endpoint {
  /** Where paths are resolved; always ends with `/`. For a unix socket, `http://localhost/`. */
  baseUrl: URL;
  /** Set when the endpoint is `unix:///path/to/socket`. */
  unixSocket?: string;
  /** How to name the endpoint in messages. */
  display: string;
}

/** Joins an API path such as `/clients` onto the endpoint, keeping any path prefix it has. */
export function resolvePath(endpoint: Endpoint, path: string): URL {
  let start = 0;
  while (path[start] === "/") start++;
  return new URL(path.slice(start), endpoint.baseUrl);
}
