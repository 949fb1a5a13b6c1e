import { ConfigError } from "../errors.ts";
import { hideUrlCredentials } from "./endpoint.ts";

/**
 * The proxy for a URL under the usual HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY
 * conventions (lower-case names win, and ALL_PROXY serves a scheme without its own, as with
 * curl; Bun's fetch would go through ALL_PROXY by itself, unchecked and unnamed in errors). NO_PROXY holds host names, domain suffixes
 * (`example.com` and `.example.com` both cover subdomains), `host:port`, IP addresses,
 * or `*`. Hydra's own CLI ignores proxies; users behind corporate proxies asked for this.
 */
export function proxyFor(url: URL, env: (name: string) => string | undefined): string | undefined {
  return proxyOf(url, env)?.url;
}

/** The proxy a request to `url` goes through, if any, and the variable that names it (see proxyFor). */
export function proxyOf(url: URL, env: (name: string) => string | undefined): { variable: string; url: string } | undefined {
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") return undefined;
  const variable = proxyVariable(scheme, env);
  if (!variable) return undefined;
  const noProxy = env("no_proxy") ?? env("NO_PROXY") ?? "";
  if (noProxy.split(/[\s,]+/).some((entry) => matches(url, entry.toLowerCase()))) return undefined;
  return { variable, url: proxyUrl(variable, env(variable)!) };
}

/** The variable that names the proxy for `scheme`, if one is set. */
function proxyVariable(scheme: "http" | "https", env: (name: string) => string | undefined): string | undefined {
  for (const name of [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, "all_proxy", "ALL_PROXY"]) if (env(name)) return name;
  return undefined;
}

/**
 * The proxy as fetch takes it: `host:port` is http://host:port, as curl reads it. The value
 * is not quoted back in an error: a proxy URL may carry a password.
 */
function proxyUrl(name: string, value: string): string {
  const written = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const url = URL.canParse(written) ? new URL(written) : undefined;
  if (!url || !url.hostname) throw new ConfigError(`${name} is not a proxy URL: expected http://host:port or https://host:port`);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${name} names a ${url.protocol}// proxy; hydractl goes through http:// and https:// proxies only`);
  }
  // A proxy that quotes the request back (a 407 or 502 page) must not show its own credentials.
  if (url.username || url.password) hideUrlCredentials(url);
  return written;
}

function matches(url: URL, entry: string): boolean {
  if (!entry) return false;
  if (entry === "*") return true;
  const [host, port] = splitPort(entry);
  const urlPort = url.port || (url.protocol === "https:" ? "443" : "80");
  if (port && port !== urlPort) return false;
  const urlHost = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const domain = host.replace(/^\*?\./, "");
  return urlHost === domain || urlHost.endsWith(`.${domain}`);
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (which has no port). */
function splitPort(entry: string): [string, string | undefined] {
  if (entry.startsWith("[")) {
    const end = entry.indexOf("]");
    return [entry.slice(1, end), entry.slice(end + 2) || undefined];
  }
  const parts = entry.split(":");
  return parts.length === 2 ? [parts[0]!, parts[1]] : [entry, undefined];
}
