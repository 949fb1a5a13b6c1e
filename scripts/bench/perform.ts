// `perform authorization-code` in the compiled binary, against the local oidc-provider:
//   - start to listening: from spawn until the start-up lines reach stderr (they are
//     written once the port is bound), plain and with --https (target ≤ 60 ms), beside a
//     floor: hydractl's certificate code (selfsigned) and a TLS listener in a bare
//     Bun-compiled program (scripts/bench/floor/https.ts);
//   - a whole scripted flow through hydractl (authorization redirect, login, consent,
//     callback, token exchange, ID token checks incl. JWKS) against the same flow with no
//     hydractl in between, and against one round trip to the provider's token endpoint.
// Usage: scripts/bench-perform [runs]   (default 10)
import { spawnCli } from "../../test/support/cli.ts";
import { startProvider } from "../../test/support/provider.ts";
import { authorize } from "../../test/support/user-agent.ts";
import { binary, compileFloor } from "./measure.ts";

const runs = Number(process.argv[2] ?? 10);
const provider = await startProvider();
const env = { PATH: process.env.PATH ?? "", HOME: "/nonexistent", OAUTH2_CLIENT_SECRET: "demo-secret" };
const baseArgs = ["perform", "authorization-code", "-e", provider.issuer, "--client-id", "demo", "--no-open", "-p", "0", "--scope", "openid,offline_access", "--prompt", "consent"];

interface Started {
  base: string;
  listeningMs: number;
  exited: Promise<number | null>;
  stop(): void;
}

async function startHydractl(extra: string[] = [], program = binary): Promise<Started> {
  const started = performance.now();
  // The floor program ignores its arguments, so both get the same command line.
  const spawned = spawnCli([...baseArgs, ...extra], { binary: program, env, timeoutMs: 120_000 });
  const base = (await spawned.home).slice(0, -1);
  return { base, listeningMs: performance.now() - started, exited: spawned.exited.then((result) => result.code), stop: spawned.interrupt };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function startupMs(extra: string[], program = binary): Promise<number> {
  const times: number[] = [];
  // Two warm-up runs fill the page cache and are not counted.
  for (let i = 0; i < runs + 2; i++) {
    const run = await startHydractl(extra, program);
    if (i >= 2) times.push(run.listeningMs);
    run.stop();
    await run.exited;
  }
  return median(times);
}

const stopAt = (callback: string) => (url: URL) => url.href.startsWith(callback);

/** The provider's part of a flow for the demo client, up to the code. */
async function codeFromProvider(redirectUri: string, challenge: string) {
  const url = new URL(`${provider.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: "demo", redirect_uri: redirectUri, response_type: "code", scope: "openid offline_access", prompt: "consent",
    state: crypto.randomUUID(), nonce: crypto.randomUUID(), code_challenge: challenge, code_challenge_method: "S256",
  }).toString();
  const result = await authorize(url.href, { stopAt: stopAt(redirectUri) });
  if (!("url" in result)) throw new Error("expected a redirect to the callback");
  return result.url.searchParams.get("code")!;
}

async function tokenRoundTrip(code: string, redirectUri: string, verifier: string): Promise<void> {
  const response = await fetch(`${provider.issuer}/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${btoa("demo:demo-secret")}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
  await response.json();
}

async function pkce(): Promise<[string, string]> {
  const verifier = crypto.randomUUID() + crypto.randomUUID();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return [verifier, btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")];
}

try {
  const plain = await startupMs([]);
  const https = await startupMs(["--https"]);
  const httpsFloor = await startupMs([], compileFloor("https"));

  const viaHydractl: number[] = [];
  const direct: number[] = [];
  const token: number[] = [];
  const redirectUri = "http://127.0.0.1:45999/callback";
  for (let i = 0; i < runs + 2; i++) {
    const run = await startHydractl();
    let started = performance.now();
    const first = await fetch(`${run.base}/perform-flow`, { redirect: "manual" });
    await first.body?.cancel();
    const result = await authorize(first.headers.get("location")!, { stopAt: stopAt(`${run.base}/callback`) });
    if (!("url" in result)) throw new Error("expected a redirect to the callback");
    const page = await fetch(result.url);
    await page.text();
    if (page.status !== 200 || (await run.exited) !== 0) throw new Error(`the flow through hydractl failed (${page.status})`);
    const flowMs = performance.now() - started;

    const [verifier, challenge] = await pkce();
    started = performance.now();
    const code = await codeFromProvider(redirectUri, challenge);
    const tokenStarted = performance.now();
    await tokenRoundTrip(code, redirectUri, verifier);
    const ended = performance.now();
    if (i >= 2) {
      viaHydractl.push(flowMs);
      direct.push(ended - started);
      token.push(ended - tokenStarted);
    }
  }

  const rows: [string, number, string][] = [
    ["start to listening", plain, ""],
    ["floor: selfsigned + TLS listener", httpsFloor, ""],
    [
      "start to listening --https",
      https,
      `${(https / plain).toFixed(2)}× plain, ${(https / httpsFloor).toFixed(2)}× floor; target ≤ 60 ms: ${https <= 60 ? "met" : "MISSED"}`,
    ],
    ["token endpoint round trip", median(token), ""],
    ["whole flow, no hydractl", median(direct), `${(median(direct) / median(token)).toFixed(2)}× token round trip`],
    ["whole flow through hydractl", median(viaHydractl), `${(median(viaHydractl) / median(token)).toFixed(2)}× token round trip, ${(median(viaHydractl) / median(direct)).toFixed(2)}× no hydractl`],
  ];
  console.log(`perform authorization-code, compiled binary, median of ${runs} runs`);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, ms, note] of rows) console.log(`${label.padEnd(width)}  ${ms.toFixed(1).padStart(7)} ms  ${note}`.trimEnd());
} finally {
  await provider.close();
}
