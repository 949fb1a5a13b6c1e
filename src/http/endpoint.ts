import { UsageError } from "../errors.ts";

export interface Endpoint {
  /** Where paths are resolved; always ends with `/`. For a unix socket, `http://localhost/`. */
  baseUrl: URL;
  /** Set when the endpoint is `unix:///path/to/socket`. */
  unixSocket?: string;
  /** How to name the endpoint in messages. */
  display: string;
}

/** Reads an `--endpoint`-style value: an absolute http(s) URL, or `unix:///path/to/socket`. */
export function parseEndpoint(value: string, flag: string): Endpoint {
  if (value.startsWith("unix:")) {
    const path = value.replace(/^unix:(\/\/)?/, "");
    if (!path.startsWith("/")) {
      throw new UsageError(`invalid --${flag} "${value}": a unix socket is written unix:///absolute/path`);
    }
    return { baseUrl: new URL("http://localhost/"), unixSocket: path, display: value };
  }
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new UsageError(`invalid --${flag} "${value}": expected an http(s) URL such as http://127.0.0.1:4445`);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return { baseUrl: url, display: url.href.replace(/\/$/, "") };
}

/** Reads an absolute http(s) URL; `name` is how the user wrote it (a flag or a variable). */
export function parseHttpUrl(value: string, name: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`invalid ${name} "${value}": expected an absolute http(s) URL`);
  }
  return url;
}

/** Joins an API path such as `/clients` onto the endpoint, keeping any path prefix it has. */
export function resolvePath(endpoint: Endpoint, path: string): URL {
  return new URL(path.replace(/^\/+/, ""), endpoint.baseUrl);
}
