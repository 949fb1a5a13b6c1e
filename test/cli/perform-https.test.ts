// `perform authorization-code --https` as a user runs it, twice: the certificate is kept in
// the user's cache directory between runs; --https-cert/--https-key bring one's own.
import assert from "node:assert/strict";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { selfSignedCertificate } from "../../src/server/certificate.ts";
import { spawnCli } from "../support/cli.ts";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { tempDir } from "../support/runtime.ts";

const home = tempDir();
let provider: RunningProvider;
before(async () => void (provider = await startProvider()));
after(async () => {
  await provider?.close();
  home.remove();
});

const FINGERPRINT = /SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\n/;

function perform(args: string[], env: Record<string, string> = {}) {
  return spawnCli(["perform", "authorization-code", "-e", provider.issuer, "--client-id", "demo", "--no-open", "-p", "0", ...args], {
    env: { HOME: home.path, ...env },
  });
}

/** Starts perform, waits until it serves, stops it, and returns what it said on stderr. */
async function serveOnce(args: string[], env: Record<string, string> = {}): Promise<string> {
  const spawned = perform(args, env);
  assert.match(await spawned.home, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  spawned.interrupt();
  return (await spawned.exited).stderr;
}

/** GET over TLS, by HTTP/2 where the server offers it (Deno's does, and browsers take it), else HTTP/1.1. */
async function getOverTls(url: string): Promise<number> {
  const { connect } = await import("node:http2");
  const { request } = await import("node:https");
  return await new Promise<number>((resolve, reject) => {
    let settled = false;
    const session = connect(url, { rejectUnauthorized: false, ALPNProtocols: ["h2", "http/1.1"] });
    // No HTTP/2 on this server (Bun's): HTTP/1.1, as a browser falls back to.
    const http1 = () => {
      if (settled) return;
      settled = true;
      session.destroy();
      request(url, { rejectUnauthorized: false }, (answer) => resolve(answer.statusCode ?? 0)).on("error", reject).end();
    };
    session.on("error", http1);
    const stream = session.request({ ":path": new URL(url).pathname });
    stream.on("error", http1);
    stream.on("response", (headers) => {
      if (settled) return;
      settled = true;
      resolve(Number(headers[":status"]));
      session.close();
    });
    stream.end();
  });
}

test("--https: the home page answers a browser's request, over HTTP/2 where the runtime's server offers it", async () => {
  const spawned = perform(["--https"], { XDG_CACHE_HOME: `${home.path}/h2-cache` });
  try {
    assert.equal(await getOverTls(await spawned.home), 200);
  } finally {
    spawned.interrupt();
    await spawned.exited;
  }
});

test("--https twice: the same certificate from the cache directory, its key readable by the user only", async () => {
  const env = { XDG_CACHE_HOME: `${home.path}/xdg-cache` };
  const first = await serveOnce(["--https"], env);
  const second = await serveOnce(["--https"], env);
  const path = `${home.path}/xdg-cache/hydractl/https-localhost.pem`;
  assert.match(first, new RegExp(`Serving HTTPS with the self-signed certificate kept in ${path}, SHA-256 fingerprint`));
  assert.equal(FINGERPRINT.exec(second)?.[1], FINGERPRINT.exec(first)?.[1]);
  assert.doesNotMatch(second, /Renewing|unusable|Cannot keep/);
  if (process.platform !== "win32") assert.equal(statSync(path).mode & 0o777, 0o600);
});

test("a kept key others can read is made yours only again, with one notice, and still served", { skip: process.platform === "win32" && "Windows has no modes" }, async () => {
  const env = { XDG_CACHE_HOME: `${home.path}/loose-cache` };
  const first = FINGERPRINT.exec(await serveOnce(["--https"], env))?.[1];
  const path = `${home.path}/loose-cache/hydractl/https-localhost.pem`;
  chmodSync(path, 0o644);
  chmodSync(`${home.path}/loose-cache/hydractl`, 0o755);
  const second = await serveOnce(["--https"], env);
  assert.match(second, new RegExp(`\nThe key kept in ${path} was not yours only \\(0644 in a 0755 folder\\); made it 0600 in 0700; delete it for a new key if anyone may have copied it\n`));
  assert.equal(FINGERPRINT.exec(second)?.[1], first);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(`${home.path}/loose-cache/hydractl`).mode & 0o777, 0o700);
  assert.doesNotMatch(await serveOnce(["--https"], env), /not yours only/);
});

test("a kept certificate whose key was damaged: refused by the TLS library, replaced with a notice, served", async () => {
  const env = { XDG_CACHE_HOME: `${home.path}/damaged-cache` };
  const first = FINGERPRINT.exec(await serveOnce(["--https"], env))?.[1];
  const path = `${home.path}/damaged-cache/hydractl/https-localhost.pem`;
  const stranger = await selfSignedCertificate();
  writeFileSync(path, readFileSync(path, "utf8").replace(/-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/, stranger.key.trim()));
  const second = await serveOnce(["--https"], env);
  assert.match(second, /The TLS library refused the self-signed certificate kept in .*; making a new one\n/);
  assert.notEqual(FINGERPRINT.exec(second)?.[1], first);
  assert.equal(FINGERPRINT.exec(await serveOnce(["--https"], env))?.[1], FINGERPRINT.exec(second)?.[1]);
});

test("without XDG_CACHE_HOME the certificate is kept under ~/.cache", async () => {
  await serveOnce(["--https"]);
  assert.ok(statSync(`${home.path}/.cache/hydractl/https-localhost.pem`).isFile());
});

test("--https-cert and --https-key: served as given, fingerprint printed", async () => {
  const own = await selfSignedCertificate(["127.0.0.1"]);
  const stderr = await serveOnce(["--https-cert", home.write("own.crt", own.cert), "--https-key", home.write("own.key", own.key)]);
  assert.match(stderr, new RegExp(`Serving HTTPS with ${home.path}/own\\.crt, SHA-256 fingerprint ${own.fingerprint}\\n`));
  assert.doesNotMatch(stderr, /warning/);
});

test("a certificate file that is expired, unreadable or not its key's: one line naming the flag, exit 2", async () => {
  const expired = await selfSignedCertificate(["127.0.0.1"], new Date(Date.now() - 400 * 86_400_000));
  const other = await selfSignedCertificate();
  const cert = home.write("expired.crt", expired.cert);
  const key = home.write("expired.key", expired.key);
  const cases: [string[], RegExp][] = [
    [["--https-cert", cert, "--https-key", key], /^Error: --https-cert .*expired\.crt expired on \d{4}-\d\d-\d\dT/],
    [["--https-cert", cert, "--https-key", home.write("other.key", other.key)], /^Error: --https-key .*other\.key is not the key of the certificate$/],
    [["--https-cert", `${home.path}/absent.crt`, "--https-key", key], /^Error: --https-cert .*absent\.crt does not exist$/],
    [["--https-cert", cert], /^Error: --https-cert needs --https-key/],
    [["--https-key", key], /^Error: --https-key needs --https-cert/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr, stdout } = await perform(args).exited;
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.match(stderr.split("\n")[0]!, message);
    assert.doesNotMatch(stderr, /Home page/);
  }
});
