// Floor of bench-create's plain probe that does the job of `clients create`, hand-written
// for this one command: the flags the benchmark gives (Hydra v1.8's -n, -c, --endpoint),
// the endpoint from HYDRA_ADMIN_URL or ORY_SDK_URL when no flag names it, whether
// ~/.hydra.yaml is there to read, the same body, the POST under /admin (Hydra v2) tried
// first and the bare path (v1.8) on the plain-text 404 of a missing route, the 201 checked,
// and Hydra v1.8's two lines. What it leaves out is what a general CLI adds to that job:
// a kernel for every command, retries, time limits, proxies, errors that name their cause.
// Usage: create [--endpoint URL] [-n NAME] [-c CALLBACK]...
const args = process.argv.slice(2);
let endpoint = process.env.HYDRA_ADMIN_URL || process.env.ORY_SDK_URL;
const client: Record<string, unknown> = {};
const callbacks: string[] = [];
for (let at = 0; at < args.length; at += 2) {
  const [flag, value] = [args[at], args[at + 1]];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  if (flag === "--endpoint") endpoint = value;
  else if (flag === "-n" || flag === "--name") client.client_name = value;
  else if (flag === "-c" || flag === "--callbacks") callbacks.push(value);
  else throw new Error(`unknown flag ${flag}`);
}
if (!endpoint) throw new Error("no endpoint: give --endpoint or HYDRA_ADMIN_URL");
Object.assign(client, {
  redirect_uris: callbacks,
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  subject_type: "public",
});
const href = new URL(endpoint).href;
const base = href.endsWith("/") ? href.slice(0, -1) : href;
if (process.env.HOME && (await Bun.file(`${process.env.HOME}/.hydra.yaml`).exists())) {
  throw new Error("this floor reads no config file, and ~/.hydra.yaml exists: run the benchmark with HOME set to an empty folder");
}
const body = JSON.stringify(client);
const post = (path: string) => fetch(`${base}${path}`, { method: "POST", headers: { Accept: "application/json", "Content-Type": "application/json" }, body });
let response = await post("/admin/clients");
if (response.status === 404 && !response.headers.get("content-type")?.includes("json")) response = await post("/clients");
if (response.status !== 201) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
const created = (await response.json()) as { client_id: string; client_secret?: string };
console.log(`OAuth 2.0 Client ID: ${created.client_id}\nOAuth 2.0 Client Secret: ${created.client_secret}`);
