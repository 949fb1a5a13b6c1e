// The value parsers a command table names (`parse: endpoint`). Each checks one value and
// throws a UsageError that names it as the user wrote it (a flag, a variable, a config key).
import { decodeBase64 } from "../base64.ts";
import { isDigit, isDigits, isLetter, withoutTrailing } from "../chars.ts";
import { UsageError } from "../errors.ts";
import { parseJson } from "../http/body.ts";
import { type Endpoint, hideUrlCredentials } from "../http/endpoint.ts";
import type { Parser } from "./flags.ts";

export { parseDuration as duration } from "./duration.ts";
export { parseBearerToken as bearerToken, parseHeader as header } from "./headers.ts";
export { parseFormat as format } from "./output.ts";

/** An `--endpoint`-style value: an absolute http(s) URL, or `unix:///path/to/socket`. */
export const endpoint: Parser<Endpoint> = (value, name) => {
  // A URL's scheme is case-insensitive (RFC 3986 §3.1), as Go's url.Parse reads Hydra's.
  if (value.slice(0, 5).toLowerCase() === "unix:") {
    const path = value.replace(/^unix:(\/\/)?/i, "");
    if (!path.startsWith("/")) throw new UsageError(`invalid ${name} "${value}": a unix socket is written unix:///absolute/path`);
    return { baseUrl: new URL("http://localhost/"), unixSocket: path, display: value };
  }
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`invalid ${name} "${quoted(value)}": ${portOutOfRange(value) ?? "expected an http(s) URL such as http://127.0.0.1:4445"}`);
  }
  if (url.search || url.hash) throw new UsageError(`invalid ${name} "${value}": an endpoint has no query or fragment (${url.search ? "?" : "#"}…); give its base URL`);
  if (url.port === "0") throw new UsageError(`invalid ${name} "${value}": port 0 is no port a server listens on`);
  if (url.username || url.password) checkUserinfo(url, name);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return { baseUrl: url, display: withoutTrailing(url.href, "/") };
};

/**
 * An ID that the request puts in its URL's path: a client's, a key set's. `.` and `..`
 * cannot go there, escaped or not: URLs resolve them away, so `delete client ..` would
 * send DELETE /admin/ instead. Nor can `/`: Hydra's router reads an escaped one as a path
 * separator, so no such ID can be reached, and `../keys/x` would name a key set.
 */
export const pathSegment: Parser<string> = (value, name) => {
  const problem = unaddressable(value);
  if (problem) throw new UsageError(`invalid ${name} "${value}": ${problem}`);
  return value;
};

/** Why no request could name this ID in its URL's path (see pathSegment), or undefined. */
export function unaddressable(id: string): string | undefined {
  if (id === "." || id === "..") return "a URL path cannot carry . or .. as an ID";
  if (id.includes("/")) return `Hydra's admin API cannot name an ID holding "/" (its router splits the path there)`;
  return undefined;
}

/** An absolute http(s) URL. */
export const httpUrl: Parser<URL> = (value, name) => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`invalid ${name} "${quoted(value)}": ${portOutOfRange(value) ?? "expected an absolute http(s) URL"}`);
  }
  if (url.username || url.password) checkUserinfo(url, name);
  return url;
};

/**
 * A user and password in a URL go as Basic authentication, percent-decoded: one that does
 * not decode (`%zz`) would be left out of the request without a word. The value is not quoted.
 */
function checkUserinfo(url: URL, name: string): void {
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new UsageError(`invalid ${name}: the user or password in its URL is not validly percent-encoded (write a % as %25)`);
  }
  // Sent as Basic authentication, which a server may quote back in an error.
  hideUrlCredentials(url);
}

/** Why an http(s) URL that does not parse fails, where it is its port: above 65535. */
function portOutOfRange(value: string): string | undefined {
  const port = /^https?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i.exec(value)?.[1];
  return port !== undefined && Number(port) > 65535 ? `its port ${port} is above 65535, the highest there is` : undefined;
}

/**
 * A value that is no http(s) URL, as an error quotes it: what reads as a password before an
 * `@` (`admin:pw@host`, with a scheme or without) hidden, as in a URL. A value that does not
 * parse has no structure to trust, so all from the first `:` after the scheme to the last
 * `@` is hidden: a password may hold a space, a `/` or an `@` (a port and path before an `@`
 * in the path go too, which hides more than it must, never less).
 */
function quoted(value: string): string {
  const at = value.lastIndexOf("@");
  const colon = value.indexOf(":", /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0].length ?? 0);
  return colon >= 0 && colon < at ? `${value.slice(0, colon)}:[secret]${value.slice(at)}` : value;
}

/**
 * An absolute URL of any scheme, as a client's URIs are (`com.example.app:/cb` is a valid
 * redirect URI); `localhost:4446/cb`, which URL parsing would take for a scheme, is not.
 */
export const absoluteUrl: Parser<string> = (value, name) => {
  if (!isAbsoluteUrl(value)) throw new UsageError(`invalid ${name} "${value}": expected an absolute URL such as https://example.com/callback`);
  return value;
};

export function isAbsoluteUrl(value: string): boolean {
  return URL.canParse(value) && startsWithScheme(value);
}

/** RFC 3986's `scheme ":"` at the very start, and no digit after it (that is `host:port`). */
function startsWithScheme(value: string): boolean {
  const colon = value.indexOf(":");
  if (colon < 1 || !isLetter(value[0]) || isDigit(value[colon + 1])) return false;
  for (let at = 1; at < colon; at++) {
    const char = value[at]!;
    if (!isLetter(char) && !isDigit(char) && !"+.-".includes(char)) return false;
  }
  return true;
}

/** A whole number within [min, max]. */
export function integer(min: number, max: number, unit = "a whole number"): Parser<number> {
  return (value, name) => {
    // No regular expression: every `perform` parses its --port default with this.
    const digits = value.startsWith("-") ? value.slice(1) : value;
    const number = digits.length <= 16 && isDigits(digits) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max)) {
      throw new UsageError(`invalid value "${value}" for ${name}: expected ${unit} from ${min} to ${max}`);
    }
    return number;
  };
}

/** Any text but none: an empty value (an unset shell variable, say) would pass for one chosen. */
export const nonEmpty: Parser<string> = (value, name) => {
  if (value === "") throw new UsageError(`${name} is empty`);
  return value;
};

/** Any JSON value: a JSON Patch operation's value, a client's metadata. */
export const json: Parser<unknown> = (value, name) => {
  try {
    return parseJson(value);
  } catch (error) {
    throw new UsageError(`invalid ${name}: not JSON`, { cause: error });
  }
};

/** Base64 (standard or URL-safe, whitespace ignored) of `what`, such as an exported PGP key. */
export function base64(what: string): Parser<Uint8Array> {
  return (value, name) => {
    const compact = value.replace(/\s+/g, "");
    const wrong = () => new UsageError(`invalid ${name}: expected the base64 encoding of ${what}`);
    if (compact === "" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw wrong();
    try {
      return decodeBase64(compact);
    } catch {
      // The right letters in a length no encoding has (`abcde`), or padding in the wrong place.
      throw wrong();
    }
  };
}
