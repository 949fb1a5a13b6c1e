/**
 * The proxy for a URL under the usual HTTP_PROXY / HTTPS_PROXY / NO_PROXY conventions
 * (lower-case names win, as with curl). NO_PROXY holds host names, domain suffixes
 * (`example.com` and `.example.com` both cover subdomains), `host:port`, IP addresses,
 * or `*`. Hydra's own CLI ignores proxies; users behind corporate proxies asked for this.
 */
export function proxyFor(url: URL, env: (name: string) => string | undefined): string | undefined {
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") return undefined;
  const proxy = env(`${scheme}_proxy`) || env(`${scheme.toUpperCase()}_PROXY`);
  if (!proxy) return undefined;
  const noProxy = env("no_proxy") ?? env("NO_PROXY") ?? "";
  return noProxy.split(/[\s,]+/).some((entry) => matches(url, entry.toLowerCase())) ? undefined : proxy;
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
