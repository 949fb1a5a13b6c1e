// `perform authorization-code` in the compiled binary against the local OpenID provider,
// beside Ory Hydra's own CLIs starting the same local client in the same run
// (hydra-v2.3.0 `perform authorization-code`, hydra-v1.8.5 `token user`):
//   - --https, start to the first TLS handshake completing (the benchmark connects until one
//     does), from the second run on, when hydractl's certificate is in its cache. Target
//     ≤ 0.25× hydra-v2.3.0, which makes a new RSA key at every start. Floors: a bare
//     Bun-compiled TLS listener reading the same certificate (scripts/bench/floor/listener.ts),
//     first after reading the provider's discovery document as hydractl must, then without;
//     and the job hand-written for this one command (floor/local-client.ts: the look for
//     ~/.hydra.yaml, Ctrl+C, discovery through oauth4webapi within a time limit, the notice);
//   - --https on a first run (an empty cache: hydractl makes its certificate and keeps it),
//     beside a floor that reads the same discovery document, runs hydractl's certificate
//     code, writes the certificate and key to a file only the user can read, and listens
//     over TLS (floor/https.ts); and the same floor keeping the file as hydractl does, in a
//     new folder only the user can open, written beside and renamed over;
//   - plain http, start to listening (a TCP connect succeeds), beside the same two floors
//     without TLS;
//   - a whole scripted flow through hydractl (authorization redirect, login, consent,
//     callback, token exchange, ID token checks incl. JWKS) against the same flow with no
//     hydractl in between, and against one round trip to the provider's token endpoint.
// Peak memory is the process's VmHWM once it answers (the median over runs).
// Usage: scripts/bench-perform [runs]   (default 10)
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { spawnCli } from "../../test/support/cli.ts";
import { startProvider } from "../../test/support/provider.ts";
import { tempDir } from "../../test/support/runtime.ts";
import { authorize } from "../../test/support/user-agent.ts";
import { binary, compileFloor, hydraBinary, hydraLabel, type Measurement, median, report, rotation } from "./measure.ts";

const runs = Number(process.argv[2] ?? 10);
const [v2, v1] = [hydraBinary("v2.3.0"), hydraBinary("v1.8.5")];
const provider = await startProvider();
const home = tempDir();
const cacheDir = `${home.path}/cache`;
const env = { PATH: process.env.PATH ?? "", HOME: home.path, XDG_CACHE_HOME: cacheDir, OAUTH2_CLIENT_SECRET: "demo-secret" };
/** PORT is replaced with a free port at each start. */
const common = ["--client-id", "demo", "--no-open", "-p", "PORT"];
const hydractl = [binary, "perform", "authorization-code", "-e", provider.issuer, "--scope", "openid,offline_access", "--prompt", "consent", ...common];

interface Startup {
  label: string;
  /** PORT is replaced with a free port. */
  command: string[];
  tls: boolean;
  /** Run before every start (an emptied cache for the first-run probe). */
  before?: () => void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a TCP connection, or a TLS handshake, to 127.0.0.1:port completes now. */
function answers(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    const socket = tls
      ? tlsConnect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false }, () => done(true))
      : tcpConnect({ host: "127.0.0.1", port }, () => done(true));
    socket.on("error", () => done(false));
  });
}

/** Start to answering, and the peak memory and page faults by then. */
async function startOnce({ label, command, tls }: Startup): Promise<[number, number, number]> {
  const port = String(await freePort());
  const started = performance.now();
  const child = Bun.spawn(
    command.map((arg) => (arg === "PORT" ? port : arg)),
    { env, stdin: "ignore", stdout: "ignore", stderr: "pipe" },
  );
  try {
    while (!(await answers(Number(port), tls))) {
      if (performance.now() - started > 60_000) throw new Error(`${label} did not answer within a minute`);
      if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode}): ${await new Response(child.stderr).text()}`);
      await Bun.sleep(1);
    }
    const elapsed = performance.now() - started;
    const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
    // minflt, the 10th field of stat (proc(5)), counted after the name in parentheses, which may hold spaces.
    const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
    const faults = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]);
    return [elapsed, peakKiB / 1024, faults];
  } finally {
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await child.exited;
    clearTimeout(timer);
  }
}

/** Round after round, from copy after copy of each program, as measureAll does. */
async function measureStartups(startups: Startup[]): Promise<Measurement[]> {
  const programs = rotation(startups.map(({ command }) => command));
  try {
    const times = startups.map((): number[] => []);
    const peaks = startups.map((): number[] => []);
    const faults = startups.map((): number[] => []);
    for (let round = 0; round < runs + programs.copies; round++) {
      for (const [index, startup] of startups.entries()) {
        startup.before?.();
        const [ms, peak, faulted] = await startOnce({ ...startup, command: programs.command(index, round) });
        if (round >= programs.copies) {
          times[index]!.push(ms);
          peaks[index]!.push(peak);
          faults[index]!.push(faulted);
        }
      }
    }
    return startups.map(({ label }, index) => ({ label, medianMs: median(times[index]!), peakRssMiB: median(peaks[index]!), faults: median(faults[index]!) }));
  } finally {
    programs.remove();
  }
}

const hydraStartups = (extra: string[]): Startup[] => [
  { label: `${hydraLabel(v2)} perform authorization-code ${extra.join(" ")}`.trimEnd(), command: [v2, "perform", "authorization-code", "-e", provider.issuer, ...common, "--client-secret", "demo-secret", ...extra], tls: extra.includes("--https") },
  { label: `${hydraLabel(v1)} token user ${extra.join(" ")}`.trimEnd(), command: [v1, "token", "user", "--endpoint", provider.issuer, ...common, "--client-secret", "demo-secret", ...extra], tls: extra.includes("--https") },
];

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

/** A whole flow through hydractl, and the same flow with no hydractl in between. */
async function flows(): Promise<{ viaHydractl: number; direct: number; token: number }> {
  const viaHydractl: number[] = [];
  const direct: number[] = [];
  const token: number[] = [];
  const redirectUri = "http://127.0.0.1:45999/callback";
  for (let i = 0; i < runs + 2; i++) {
    const [program, ...args] = hydractl.map((arg) => (arg === "PORT" ? "0" : arg));
    const spawned = spawnCli(args, { binary: program, env, timeoutMs: 120_000 });
    const base = (await spawned.home).slice(0, -1);
    let started = performance.now();
    const first = await fetch(`${base}/perform-flow`, { redirect: "manual" });
    await first.body?.cancel();
    const result = await authorize(first.headers.get("location")!, { stopAt: stopAt(`${base}/callback`) });
    if (!("url" in result)) throw new Error("expected a redirect to the callback");
    const page = await fetch(result.url);
    await page.text();
    if (page.status !== 200 || (await spawned.exited).code !== 0) throw new Error(`the flow through hydractl failed (${page.status})`);
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
  return { viaHydractl: median(viaHydractl), direct: median(direct), token: median(token) };
}

try {
  const listener = compileFloor("listener");
  const httpsFloor = compileFloor("https");
  const localClient = compileFloor("local-client");
  const pemFile = `${cacheDir}/hydractl/https-localhost.pem`;
  // The first run puts the certificate in the cache; every run after it is a second run.
  await startOnce({ label: "hydractl --https", command: [...hydractl, "--https"], tls: true });

  const [https, ...httpsRows] = await measureStartups([
    { label: "hydractl --https, certificate cached", command: [...hydractl, "--https"], tls: true },
    ...hydraStartups(["--https"]),
    { label: "floor: discovery, then Bun TLS listener", command: [listener, "PORT", pemFile, provider.issuer], tls: true },
    { label: "floor: Bun TLS listener, certificate from a file", command: [listener, "PORT", pemFile], tls: true },
    { label: "floor: the same job, hand-written", command: [localClient, "PORT", pemFile, provider.issuer], tls: true },
  ]);
  report({ title: "perform --https: start to first TLS handshake, from the second run", hydractl: https!, hydras: httpsRows.slice(0, 2), floors: httpsRows.slice(2), target: { ratio: 0.25, against: [httpsRows[0]!] } }, runs);

  const emptyCache = () => rmSync(cacheDir, { recursive: true, force: true });
  const floorCache = `${home.path}/floor-cache`;
  const [firstRun, ...firstRows] = await measureStartups([
    { label: "hydractl --https, empty cache", command: [...hydractl, "--https"], tls: true, before: emptyCache },
    ...hydraStartups(["--https"]),
    { label: "floor: discovery, then selfsigned, kept, + Bun TLS listener", command: [httpsFloor, "PORT", provider.issuer, `${home.path}/floor-https.pem`], tls: true },
    {
      label: "floor: the same, kept as hydractl keeps it (node:fs)",
      command: [httpsFloor, "PORT", provider.issuer, `${floorCache}/floor-https.pem`, "private"],
      tls: true,
      before: () => rmSync(floorCache, { recursive: true, force: true }),
    },
  ]);
  report({ title: "perform --https: start to first TLS handshake, first run", hydractl: firstRun!, hydras: firstRows.slice(0, 2), floors: firstRows.slice(2) }, runs);

  const [plain, ...plainRows] = await measureStartups([
    { label: "hydractl", command: hydractl, tls: false },
    ...hydraStartups([]),
    { label: "floor: discovery, then Bun listener", command: [listener, "PORT", "", provider.issuer], tls: false },
    { label: "floor: Bun listener", command: [listener, "PORT"], tls: false },
  ]);
  report({ title: "perform: start to listening", hydractl: plain!, hydras: plainRows.slice(0, 2), floors: plainRows.slice(2) }, runs);

  const flow = await flows();
  console.log(`\nperform: a whole flow (median of ${runs} runs)`);
  const rows: [string, number, string][] = [
    ["token endpoint round trip", flow.token, ""],
    ["whole flow, no hydractl", flow.direct, `${(flow.direct / flow.token).toFixed(2)}× token round trip`],
    ["whole flow through hydractl", flow.viaHydractl, `${(flow.viaHydractl / flow.token).toFixed(2)}× token round trip, ${(flow.viaHydractl / flow.direct).toFixed(2)}× no hydractl`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, ms, note] of rows) console.log(`  ${label.padEnd(width)}  ${ms.toFixed(1).padStart(7)} ms  ${note}`.trimEnd());
} finally {
  await provider.close();
  home.remove();
}
