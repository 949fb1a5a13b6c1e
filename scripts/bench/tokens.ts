// The token commands in the compiled binary beside Hydra v2.3.0's own CLI, in one run
// against real Hydra v2.3.0 (started here on free ports, in memory, stopped at the end):
//   - perform client-credentials (hydractl asks for the discovery document first, so it
//     makes two requests where Hydra's CLI makes one);
//   - introspect token through the admin API.
// Target: hydractl ≤ 0.4× Hydra's CLI. curl sending the same request is the floor: what the
// server itself takes. Usage: scripts/bench-tokens [runs]   (default 20)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { binary, measureAll, report, repoRoot } from "./measure.ts";

const runs = Number(process.argv[2] ?? 20);
const server = `${repoRoot}scripts/hydra-server`;
const hydra = new TextDecoder().decode(Bun.spawnSync([server, "build", "v2.3.0"], { stderr: "inherit" }).stdout).trim();
const port = () => {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
};

/**
 * One real Hydra v2.3.0 with this bcrypt cost: checking the client secret is the server's
 * work, the same for both CLIs. At the default cost (10) it dominates every grant; at the
 * least cost Hydra accepts (4) what the CLIs themselves cost shows. Both are printed.
 */
async function benchAt(cost: string | undefined): Promise<void> {
  const runDir = mkdtempSync(`${tmpdir()}/hydractl-bench-tokens-`);
  const [publicPort, adminPort] = [port(), port()];
  const env = { ...process.env, HYDRA_RUN_DIR: runDir, HYDRA_PUBLIC_PORT: String(publicPort), HYDRA_ADMIN_PORT: String(adminPort), ...(cost ? { OAUTH2_HASHERS_BCRYPT_COST: cost } : {}) };
  const started = Bun.spawnSync([server, "start", "v2.3.0"], { env, stdout: "ignore", stderr: "inherit" });
  if (started.exitCode !== 0) throw new Error("Hydra v2.3.0 did not start");
  const setting = `Hydra v2.3.0 with bcrypt cost ${cost ?? "10 (the default)"}`;
  try {
    const publicUrl = `http://127.0.0.1:${publicPort}`;
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const created = await fetch(`${adminUrl}/admin/clients`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_types: ["client_credentials"], scope: "read", token_endpoint_auth_method: "client_secret_basic" }),
    });
    const client = (await created.json()) as { client_id: string; client_secret: string };
    // The same command line for both (hydractl warns on stderr about the secret; measure() ignores it).
    const grant = ["perform", "client-credentials", "-e", publicUrl, "--scope", "read", "--client-id", client.client_id, "--client-secret", client.client_secret];
    // The floor: what the server takes for the same grant, with no CLI around it.
    const auth = `${client.client_id}:${client.client_secret}`;
    const [ours, theirs, curl] = measureAll([
      { label: "hydractl", command: [binary, ...grant] },
      { label: "hydra-v2.3.0", command: [hydra, ...grant] },
      { label: "floor: curl POST /oauth2/token", command: ["curl", "-sSf", "-o", "/dev/null", "-u", auth, "-d", "grant_type=client_credentials", "-d", "scope=read", `${publicUrl}/oauth2/token`] },
    ], runs);
    report({ title: `perform client-credentials, ${setting}`, hydractl: ours!, hydras: [theirs!], floors: [curl!], target: { ratio: 0.4, against: [theirs!] } }, runs);

    const token = Bun.spawnSync([binary, ...grant, "-q"]).stdout.toString().trim();
    const introspect = ["introspect", "token", "-e", adminUrl, "--", token];
    const introspectFloor = ["curl", "-sSf", "-o", "/dev/null", "-d", `token=${token}`, `${adminUrl}/admin/oauth2/introspect`];
    const [mine, hydras, floor] = measureAll([
      { label: "hydractl", command: [binary, ...introspect] },
      { label: "hydra-v2.3.0", command: [hydra, ...introspect] },
      { label: "floor: curl POST /admin/oauth2/introspect", command: introspectFloor },
    ], runs);
    report({ title: `introspect token, ${setting}`, hydractl: mine!, hydras: [hydras!], floors: [floor!], target: { ratio: 0.4, against: [hydras!] } }, runs);
  } finally {
    Bun.spawnSync([server, "stop"], { env, stdout: "ignore", stderr: "ignore" });
    rmSync(runDir, { recursive: true, force: true });
  }
}

await benchAt("4");
await benchAt(undefined);
