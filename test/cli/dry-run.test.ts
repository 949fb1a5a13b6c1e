// --dry-run as a user meets it: the process prints curl command lines and sends nothing;
// those lines, run by sh and curl against a fake Hydra, leave it in the state the command
// itself leaves a twin of that fake in, with the same requests received.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, test } from "node:test";
import { shellQuote } from "../../src/shell.ts";
import { cleanEnv, run } from "../support/cli.ts";
import { type Client, type FakeHydra, serveFakeHydra } from "../support/fake-hydra.ts";
import { tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

const TOKEN = "admin-token-never-printed";
const SECRET = "chosen-secret-never-printed";
const seed = (): Client[] => [
  { client_id: "c1", client_name: "one", client_secret: "seeded-secret-0123" },
  { client_id: "c2", client_name: "two", client_secret: "seeded-secret-0123" },
  { client_id: "c3", client_name: "three", client_secret: "seeded-secret-0123" },
];

/** Runs a script with sh, as a user pastes it; async, as the fake answers from this process. */
function sh(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-ec", script], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** What a request changed or asked, without what differs from run to run (timestamps). */
/**
 * The clients and the requests, each in a fixed order: commands that send several requests
 * at once (import) reach the server in any order, and curl one after another.
 */
function stateOf(fake: FakeHydra) {
  const byJson = <T>(items: T[]) => items.map((item) => JSON.stringify(item)).sort().map((text) => JSON.parse(text) as T);
  const clients = byJson([...fake.clients.values()].map(({ created_at: _, updated_at: __, ...rest }) => rest));
  const requests = byJson(fake.requests.map((r) => ({ method: r.method, path: r.path, query: String(r.query), body: r.body, auth: r.headers.get("authorization"), tenant: r.headers.get("x-tenant") })));
  return { clients, requests };
}

/**
 * Runs `args` for real against one fake, and with --dry-run then sh against its twin;
 * `legacy` runs the dry run's output with the paths its notes give for Hydra v1.8.
 */
async function compare(version: "v2" | "v1.8.5", args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const [real, dry] = await Promise.all([serveFakeHydra({ version, clients: seed() }), serveFakeHydra({ version, clients: seed() })]);
  try {
    const env = { OAUTH2_ACCESS_TOKEN: TOKEN, ...options.env };
    const done = await run([...args, "-e", real.url], { stdin: options.stdin, env });
    assert.equal(done.code, 0, done.stderr);
    const shown = await run([...args, "-e", dry.url, "--dry-run"], { stdin: options.stdin, env });
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(dry.fake.requests.length, 0, "a dry run sent a request");
    assert.doesNotMatch(shown.stdout, new RegExp(`${TOKEN}|${SECRET}`));
    const script = version === "v2" ? shown.stdout : legacyScript(shown.stdout, dry.url);
    const pasted = await sh(script, { ...env, CLIENT_SECRET: SECRET });
    // curl's progress meter goes to stderr too; its errors start with "curl: (N)".
    assert.doesNotMatch(pasted.stderr, /curl: \(/);
    assert.equal(pasted.code, 0);
    // The real command first asks v1.8.5 for /admin and falls back; the script goes straight there.
    const realState = stateOf(real.fake);
    if (version !== "v2") realState.requests = realState.requests.filter((request) => !request.path.startsWith("/admin"));
    assert.deepEqual(stateOf(dry.fake), realState);
    assert.deepEqual(dry.fake.violations, []);
    return shown.stdout;
  } finally {
    await Promise.all([real.close(), dry.close()]);
  }
}

/** The dry run's lines with each URL replaced by the one its "Hydra v1.8" note gives. */
function legacyScript(text: string, base: string): string {
  const lines = text.trimEnd().split("\n");
  return lines
    .flatMap((line, index) => {
      if (line.startsWith("#")) return [];
      const note = /^# Hydra v1\.8 has no \/admin routes: there the path is (.*)$/.exec(lines[index + 1] ?? "");
      assert.ok(note, `no v1.8 note after: ${line}`);
      return [line.replace(/ '?http:\/\/127\.0\.0\.1:\d+\/admin[^ ']*'?/, ` ${shellQuote(`${base}${note[1]}`)}`)];
    })
    .join("\n");
}

for (const version of ["v2", "v1.8.5"] as const) {
  describe(`the printed curl commands do what the command does, against Hydra ${version}'s admin API`, () => {
    test("create: a chosen secret (from stdin) and the token are shown as variables", async () => {
      const text = await compare(version, ["clients", "create", "--id", "new", "-n", "it's new", "-c", "https://app.example/cb", "--secret", "-", "-H", "X-Tenant: blue"], {
        stdin: SECRET,
      });
      assert.match(text, /-H 'Authorization: Bearer '"\$OAUTH2_ACCESS_TOKEN"/);
      assert.match(text, /"client_secret":"'"\$CLIENT_SECRET"'"/);
    });

    test("update: the whole client, as PUT replaces it", async () => {
      await compare(version, ["update", "client", "c1", "-n", "renamed", "-g", "client_credentials", "-r", "token"]);
    });

    test("delete: one request per ID, each shown", async () => {
      const text = await compare(version, ["delete", "client", "c1", "c3"]);
      assert.equal(text.match(/^curl -X DELETE /gm)?.length, 2);
    });

    test("import: one request per client in the files", async () => {
      const file = dir.write(`import-${version}.json`, JSON.stringify([{ client_id: "i1", client_name: "imported" }, { client_id: "i2", scope: "openid" }]));
      const text = await compare(version, ["import", "client", file, "--concurrency", "2"]);
      assert.deepEqual([...text.matchAll(/"client_id":"(i\d)"/g)].map((match) => match[1]), ["i1", "i2"]);
    });

    test("import: each distinct secret its own variable, so that the lines do not give two clients one secret", async () => {
      const other = "another-chosen-secret-0123456789";
      const file = dir.write(`import-secrets-${version}.json`, JSON.stringify([{ client_id: "s1", client_secret: SECRET }, { client_id: "s2", client_secret: other }, { client_id: "s3", client_secret: SECRET }]));
      const text = await compare(version, ["import", "client", file, "--concurrency", "1"], { env: { CLIENT_SECRET_2: other } });
      assert.deepEqual([...text.matchAll(/"client_secret":"'"\$(\w+)"'"/g)].map((match) => match[1]), ["CLIENT_SECRET", "CLIENT_SECRET_2", "CLIENT_SECRET"]);
      assert.doesNotMatch(text, new RegExp(other));
    });

    test("get and list: the same requests", async () => {
      await compare(version, ["get", "client", "c1", "c2"]);
      await compare(version, ["clients", "list", "--limit", "2"]);
    });
  });
}

test("patch: the JSON Patch, quoted for the shell", async () => {
  await compare("v2", ["patch", "client", "c2", "--replace", "/client_name", "it's 'quoted'", "--add", "/redirect_uris/-", "https://b.example/cb"]);
});

test("a dry run checks everything first: bad input fails as it would, and nothing is printed", async () => {
  const result = await run(["clients", "create", "-e", "http://127.0.0.1:1", "--dry-run", "-c", "not-a-url"]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /-c|--callbacks/);
});

test("a unix socket, an unchecked certificate; list --all says only its first request can be shown", async () => {
  const result = await run(["list", "clients", "--all", "-e", "unix:///run/hydra admin.sock", "--skip-tls-verify", "--dry-run"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(
    result.stdout,
    "curl --unix-socket '/run/hydra admin.sock' -k 'http://localhost/admin/clients?page_size=100' -H 'Accept: application/json'\n" +
      "# Hydra v1.8 has no /admin routes: there the path is /clients?limit=100&offset=0\n",
  );
  assert.match(result.stderr, /only the first request is shown/);
});

test("keys: delete and import show one request per set and per key, a private key's members as variables", async () => {
  const deleted = await run(["delete", "jwks", "s1", "s2", "-e", "http://127.0.0.1:9", "--dry-run"]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(deleted.stdout.match(/^curl .*$/gm), ["curl -X DELETE http://127.0.0.1:9/admin/keys/s1 -H 'Accept: application/json'", "curl -X DELETE http://127.0.0.1:9/admin/keys/s2 -H 'Accept: application/json'"]);
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const files = ["a", "b"].map((kid) => dir.write(`key-${kid}.json`, JSON.stringify({ ...jwk, kid, alg: "ES256" })));
  const imported = await run(["import", "jwk", "s", ...files, "-e", "http://127.0.0.1:9", "--dry-run"]);
  assert.equal(imported.code, 0, imported.stderr);
  const lines = imported.stdout.match(/^curl .*$/gm) ?? [];
  assert.deepEqual(lines.map((line) => line.split(" ").slice(0, 4).join(" ")), ["curl -X PUT http://127.0.0.1:9/admin/keys/s/a", "curl -X PUT http://127.0.0.1:9/admin/keys/s/b"]);
  for (const line of lines) assert.match(line, /"d":"'"\$JWK_D"'"/);
  assert.ok(!imported.stdout.includes(jwk.d!), "the private key stays out of the output");
  // Hydra v1.8 takes no key alone, but the whole set: the note says so, not another path.
  assert.match(imported.stdout, /\n# Hydra v1\.8 has no \/admin routes and adds keys by replacing the set: there this is PUT \/keys\/s with the set as it is plus the new keys\n/);
});

test("token flush: the note says only Hydra v1.8 has the endpoint, at its path", async () => {
  const flushed = await run(["token", "flush", "-e", "http://127.0.0.1:9", "--dry-run"]);
  assert.equal(flushed.code, 0, flushed.stderr);
  assert.match(flushed.stdout, /^curl -X POST http:\/\/127\.0\.0\.1:9\/admin\/oauth2\/flush .*\n# only Hydra v1\.8 has this endpoint, and no \/admin routes: there the path is \/oauth2\/flush \(Hydra v2 flushes with hydra janitor --tokens\)\n$/);
});
