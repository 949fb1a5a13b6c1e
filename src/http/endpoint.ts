import { encodeBase64 } from "../base64.ts";
import { percentDecoded } from "../chars.ts";
import { hideInErrors } from "../errors.ts";

/** Where an API lives: a base URL, or a unix socket with the paths resolved onto it. */
export interface Endpoint {
  /** Where paths are resolved; always ends with `/`. For a unix socket, `http://localhost/`. */
  baseUrl: URL;
  /** Set when the endpoint is `unix:///path/to/socket`. */
  unixSocket?: string;
  /** How to name the endpoint in messages. */
  display: string;
}

/** Whether a URL's host name names this machine's loopback address as written (`[::1]` in brackets). */
export function isLoopbackName(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/** Joins an API path such as `/clients` onto the endpoint, keeping any path prefix it has. */
export function resolvePath(endpoint: Endpoint, path: string): URL {
  let start = 0;
  while (path[start] === "/") start++;
  return new URL(path.slice(start), endpoint.baseUrl);
}

/** The URL without its user and password: for where they must not go (a browser, a shown command). */
export function withoutUserinfo(url: string | URL): URL {
  const bare = new URL(url);
  bare.username = "";
  bare.password = "";
  return bare;
}

/**
 * A URL's credentials (`http://user:password@host`), which the request carries as Basic
 * authentication: hidden as written, decoded, and as that header's base64 of
 * `user:password`, since a server may quote any of them. A user name alone
 * (`http://TOKEN@host`) is the credential then.
 */
export function hideUrlCredentials(url: URL): void {
  const [user, password] = [percentDecoded(url.username), percentDecoded(url.password)];
  for (const secret of url.password ? [url.password, password] : [url.username, user]) hideInErrors(secret);
  hideInErrors(encodeBase64(new TextEncoder().encode(`${user}:${password}`)));
}
