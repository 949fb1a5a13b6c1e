// The variables that name a proxy. Bun's and Deno's own fetch obey them too, each reading
// NO_PROXY its own way (Deno: no host:port, no `*`, no spaces; Bun: not `.0.0.1` for an
// address), so a request hydractl sends direct went through the proxy all the same. Each
// runtime takes them out of its environment once its fetch is made, keeping their values
// for hydractl, which applies them itself (src/http/proxy.ts); a browser started later
// gets them back.

const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

/** Their values, once taken out of the process's environment. */
let taken: Record<string, string> | undefined;

export function takeProxyVariables(read: (name: string) => string | undefined, remove: (name: string) => void): void {
  if (taken) return;
  const values: Record<string, string> = {};
  for (const name of PROXY_VARIABLES) {
    const value = read(name);
    if (value === undefined) continue;
    values[name] = value;
    remove(name);
  }
  taken = values;
}

/** A variable as hydractl reads it: a proxy variable taken out of the environment, as it was. */
export function withProxyVariables(name: string, read: (name: string) => string | undefined): string | undefined {
  return taken && PROXY_VARIABLES.includes(name) ? taken[name] : read(name);
}

/** The proxy variables taken, for a browser's environment. */
export function takenProxyVariables(): Record<string, string> {
  return taken ?? {};
}
