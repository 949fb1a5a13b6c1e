// The client lifecycle against real Hydra v2.3.0 (in memory), hydractl beside Hydra's own
// CLI in the same run:
//   - get, list and create, one process each (target: ≤ 0.4× Hydra's CLI);
//   - importing 1,000 clients with secrets: `hydra import client`, which sends one request
//     at a time, against `hydractl import client` (target: ≥ 2× faster), beside the floor:
//     the same bodies sent in parallel by a bare client, which is what the server allows.
// Each import gets its own IDs and is checked to leave the same 1,000 clients behind.
// Usage: scripts/bench-clients [runs] [clients]   (defaults 10 and 1000)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binary, measureAll, repoRoot, report } from "./measure.ts";

const runs = Number(process.argv[2] ?? 10);
const count = Number(process.argv[3] ?? 1000);
const hydraCli = `${repoRoot}.cache/hydra/bin/hydra-v2.3.0`;
const work = mkdtempSync(join(tmpdir(), "hydractl-bench-clients-"));
const runDir = join(work, "run");

function sh(command: string[], env: Record<string, string> = {}): string {
  const result = Bun.spawnSync(command, { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} failed: ${result.stderr.toString()}`);
  return result.stdout.toString();
}

function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const { port } = server;
  server.stop(true);
  return port!;
}

sh([`${repoRoot}scripts/hydra-server`, "build", "v2.3.0"]);
const [publicPort, adminPort] = [freePort(), freePort()];
const serverEnv = { HYDRA_RUN_DIR: runDir, HYDRA_PUBLIC_PORT: String(publicPort), HYDRA_ADMIN_PORT: String(adminPort) };
sh([`${repoRoot}scripts/hydra-server`, "start", "v2.3.0"], serverEnv);
const endpoint = `http://127.0.0.1:${adminPort}`;

try {
  const e = ["--endpoint", endpoint];
  sh([binary, "create", "client", ...e, "--id", "bench-get", "--name", "bench"]);
  for (let i = 0; i < 20; i++) sh([binary, "create", "client", ...e, "--id", `bench-list-${i}`]);

  for (const [label, args] of [
    ["get client", ["get", "client", "bench-get", ...e]],
    ["list clients", ["list", "clients", "--page-size", "20", ...e]],
    ["create client", ["create", "client", "--name", "bench", ...e]],
  ] as const) {
    const [ours, theirs] = measureAll([
      { label: "hydractl", command: [binary, ...args] },
      { label: "hydra-v2.3.0", command: [hydraCli, ...args] },
    ], runs);
    report({ title: `${label}, against real Hydra v2.3.0`, hydractl: ours!, hydras: [theirs!], floors: [], target: { ratio: 0.4, against: [theirs!] } }, runs);
  }

  const file = (prefix: string) => {
    const path = join(work, `${prefix}.json`);
    const clients = Array.from({ length: count }, (_, i) => ({
      client_id: `${prefix}-${i}`,
      client_secret: `secret-${prefix}-${i}-0123456789abcdef`,
      grant_types: ["client_credentials"],
      response_types: ["token"],
      scope: "core",
    }));
    writeFileSync(path, JSON.stringify(clients));
    return { path, clients };
  };

  const timed = async (label: string, work: () => Promise<void> | void) => {
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    console.log(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(6)} s`);
    return seconds;
  };

  /** How many clients with this prefix the server holds, read through its admin API. */
  const stored = async (prefix: string) => {
    let total = 0;
    let url: string | undefined = `${endpoint}/admin/clients?page_size=1000`;
    while (url) {
      const response: Response = await fetch(url);
      total += ((await response.json()) as { client_id: string }[]).filter((client) => client.client_id.startsWith(`${prefix}-`)).length;
      const next = /<([^>]*)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
      url = next ? new URL(next, endpoint).href : undefined;
    }
    return total;
  };

  console.log(`\nimporting ${count} clients with secrets into Hydra v2.3.0 (target: hydractl ≥ 2× faster than Hydra's CLI; the floor is the server's own limit)`);
  const hydraFile = file("hydra");
  const hydraSeconds = await timed("hydra-v2.3.0 import client (one at a time)", () => void sh([hydraCli, "import", "client", hydraFile.path, ...e]));
  const results: [string, number][] = [];
  for (const concurrency of [4, 8, 16]) {
    const ours = file(`hydractl-c${concurrency}`);
    results.push([`c${concurrency}`, await timed(`hydractl import client --concurrency ${concurrency}`, () => void sh([binary, "import", "client", ours.path, ...e, "--concurrency", String(concurrency), "-q"]))]);
  }
  const floorFile = file("floor");
  const floorSeconds = await timed("floor: the same POSTs, 16 at a time", async () => {
    let next = 0;
    const worker = async () => {
      while (next < floorFile.clients.length) {
        const body = JSON.stringify(floorFile.clients[next++]);
        const response = await fetch(`${endpoint}/admin/clients`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        if (response.status !== 201) throw new Error(`floor: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  });
  for (const prefix of ["hydra", "hydractl-c4", "hydractl-c8", "hydractl-c16", "floor"]) {
    const held = await stored(prefix);
    if (held !== count) throw new Error(`${prefix}: the server holds ${held} of ${count} clients`);
  }
  console.log(`every import left the same ${count} clients behind`);
  for (const [label, seconds] of results) {
    console.log(`hydractl ${label}: ${(hydraSeconds / seconds).toFixed(2)}× faster than Hydra's CLI, ${(seconds / floorSeconds).toFixed(2)}× the floor`);
  }
} finally {
  Bun.spawnSync([`${repoRoot}scripts/hydra-server`, "stop"], { env: { ...process.env, ...serverEnv } });
  rmSync(work, { recursive: true, force: true });
}
