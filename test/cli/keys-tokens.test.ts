// The JSON Web Key and token commands as a user runs them (a process, from the sources),
// against a fake of Hydra v2.3.0's and v1.8.5's admin API that checks every request and
// answer against Hydra's own API documents.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { interruptWhen, run, spawnCli } from "../support/cli.ts";
import { type FakeKeys, type FakeKeysOptions, fakeHydraKeys, serveFakeHydraKeys } from "../support/fake-hydra-keys.ts";
import { serveLocal, serveSlowly, tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/keys/${name}`, import.meta.url).href);
const key = (kid: string, extra: Record<string, unknown> = {}) => ({ kty: "RSA", n: "AQAB", e: "AQAB", kid, alg: "RS256", use: "sig", ...extra });

async function withFake(options: FakeKeysOptions, body: (url: string, fake: FakeKeys) => Promise<void>) {
  const server = await serveFakeHydraKeys(options);
  try {
    await body(server.url, server.fake);
    assert.deepEqual(server.fake.violations, []);
  } finally {
    await server.close();
  }
}

describe("JSON Web Key Sets, Hydra v2", () => {
  test("create: a table of the new key; --public and --format json print the set without private members", async () => {
    await withFake({}, async (url, fake) => {
      const table = await run(["create", "jwks", "s1", "k1", "--alg", "ES256", "-e", url]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^SET ID +KEY ID +ALGORITHM +USE\ns1 +k1 +ES256 +sig\n$/);
      assert.deepEqual(fake.requests[0]!.body, { alg: "ES256", use: "sig", kid: "k1" });
      const json = JSON.parse((await run(["create", "jwk", "s1", "--public", "--use", "enc", "-e", url, "--format", "json"])).stdout);
      assert.equal(json.set, "s1");
      assert.equal(json.keys.length, 1);
      assert.equal(json.keys[0].use, "enc");
      assert.ok(!("d" in json.keys[0]));
      const bad = await run(["create", "jwks", "s1", "--alg", "HS384", "-e", url]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^Error: invalid value "HS384" for --alg: expected one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS512\n/);
      // Every algorithm Hydra v2 generates, as its own CLI passes them on.
      for (const alg of ["RS384", "PS256", "PS512", "ES384"]) {
        const made = await run(["create", "jwks", "s1", "--alg", alg, "-e", url, "--format", "json"]);
        assert.deepEqual([made.code, JSON.parse(made.stdout).keys[0].alg], [0, alg], made.stderr);
      }
      const shared = await run(["create", "jwks", "s1", "--alg", "HS256", "-e", url]);
      assert.equal(shared.code, 1);
      assert.match(shared.stderr, /^Error: http:\/\/127\.0\.0\.1:\d+ is Hydra v2, which generates RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA keys, not HS256 \(Hydra v1\.8 did\)\n$/);
    });
  });

  test("get: every key under its own set; one key is still a set under --format json", async () => {
    await withFake({ sets: { a: [key("a1", { d: "private" })], b: [key("b1"), key("b2")] } }, async (url) => {
      const one = await run(["get", "jwks", "a", "-e", url]);
      assert.equal(one.code, 0, one.stderr);
      assert.match(one.stdout, /^SET ID +a\nKEY ID +a1\nALGORITHM +RS256\nUSE +sig\n$/);
      // --format table is that same view, as Hydra v2 prints it.
      assert.equal((await run(["get", "jwks", "a", "-e", url, "--format", "table"])).stdout, one.stdout);
      assert.deepEqual(JSON.parse((await run(["get", "jwks", "a", "-e", url, "--format", "json"])).stdout), { set: "a", keys: [key("a1", { d: "private" })] });
      assert.deepEqual(JSON.parse((await run(["get", "jwks", "a", "--public", "-e", url, "--format", "json"])).stdout), { set: "a", keys: [key("a1")] });
      const two = await run(["get", "jwk", "a", "b", "-e", url]);
      assert.match(two.stdout, /^SET ID +KEY ID +ALGORITHM +USE\na +a1 .*\nb +b1 .*\nb +b2 .*\n$/);
      const sets = JSON.parse((await run(["get", "jwk", "a", "b", "-e", url, "--format", "json"])).stdout);
      assert.deepEqual(sets.map((set: { set: string }) => set.set), ["a", "b"]);
      assert.equal((await run(["get", "jwks", "b", "-e", url, "--format", "jsonpath=$.keys[*].kid"])).stdout, '[\n  "b1",\n  "b2"\n]\n');
      // -q as Hydra v2 prints it: several keys by their IDs, set after set; one key by its set.
      assert.equal((await run(["get", "jwks", "a", "b", "-e", url, "-q"])).stdout, "a1\nb1\nb2\n");
      assert.equal((await run(["get", "jwks", "a", "-e", url, "-q"])).stdout, "a\n");
      const missing = await run(["get", "jwks", "nope", "-e", url]);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, 'Error: no JSON Web Key Set "nope"\n');
    });
  });

  test("delete: an unknown set is an error, and is not deleted; the others are", async () => {
    await withFake({ sets: { a: [key("a1")] } }, async (url, fake) => {
      const result = await run(["delete", "jwks", "nope", "a", "-e", url]);
      assert.equal(result.code, 1);
      // One set deleted is a row, as Hydra v2 prints it, however many were given.
      assert.equal(result.stdout, "ID  a\n");
      assert.equal(result.stderr, 'Error: no JSON Web Key Set "nope"\nError: 1 of 2 JSON Web Key Sets not deleted; 1 deleted\n');
      assert.deepEqual(fake.requests.filter((r) => r.method === "DELETE").map((r) => r.path), ["/admin/keys/a"]);
      assert.equal(fake.sets.has("a"), false);
    });
  });

  test("create and import: output that cannot be written says the keys were made, so that they are not made again", async () => {
    await withFake({}, async (url, fake) => {
      const created = await run(["create", "jwks", "s", "k1", "--alg", "ES256", "-e", url], { stdout: "full" });
      assert.deepEqual([created.code, created.stderr], [1, "Error: a key was created in JSON Web Key Set s, but the output could not be written: no space left on device\n"]);
      assert.equal(fake.sets.get("s")?.length, 1);
      const imported = await run(["import", "jwk", "s", fixture("ec-spki.pem"), "--alg", "ES384", "-e", url], { stdout: "full" });
      assert.deepEqual([imported.code, imported.stderr], [1, "Error: 1 of 1 keys was imported into JSON Web Key Set s, but the output could not be written: no space left on device\n"]);
      assert.equal(fake.sets.get("s")?.length, 2);
    });
  });

  test("delete: output that cannot be written ends the run after that set, naming what was deleted", async () => {
    await withFake({ sets: { a: [key("a1")], b: [key("b1")] } }, async (url, fake) => {
      const result = await run(["keys", "delete", "a", "b", "-e", url], { stdout: "full" });
      assert.deepEqual([result.code, result.stderr], [1, "Error: the output could not be written (no space left on device): 1 of 2 JSON Web Key Sets deleted (a); not attempted: b\n"]);
      assert.deepEqual([fake.sets.has("a"), fake.sets.has("b")], [false, true]);
    });
  });

  test("delete: Ctrl+C ends after the set under way, and names the sets not attempted", async () => {
    const names = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const fake = fakeHydraKeys({ sets: Object.fromEntries(names.map((name) => [name, [key(`${name}-k`)]])) });
    const server = await serveSlowly(fake.handler, 30);
    try {
      const cli = spawnCli(["delete", "jwks", ...names, "-e", server.url]);
      const { code, stdout, stderr } = await interruptWhen(cli, () => fake.sets.size <= 97, "deleting sets");
      const deleted = 100 - fake.sets.size;
      assert.equal(code, 130, stderr);
      assert.deepEqual(stdout.trim().split("\n").slice(1), names.slice(0, deleted));
      const rest = names.slice(deleted).join(", ");
      assert.equal(stderr, `Interrupted: finishing the deletion under way (Ctrl+C again to quit at once)\nError: interrupted: ${deleted} of 100 JSON Web Key Sets deleted; not attempted: ${rest}\n`);
    } finally {
      await server.close();
    }
  });

  test("import: Ctrl+C ends after the key under way, and names the keys not attempted", async () => {
    const files: string[] = [];
    for (let i = 0; i < 30; i++) {
      const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
      files.push(dir.write(`interrupted-${i}.json`, JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: `k${i}`, alg: "ES256", use: "sig" })));
    }
    const fake = fakeHydraKeys({});
    const server = await serveSlowly(fake.handler, 30);
    try {
      const cli = spawnCli(["import", "jwk", "s", ...files, "-e", server.url]);
      const { code, stdout, stderr } = await interruptWhen(cli, () => (fake.sets.get("s")?.length ?? 0) >= 3, "importing keys");
      const imported = fake.sets.get("s")!.length;
      assert.equal(code, 130, stderr);
      // Hydra v2's table of the keys imported, then what was not attempted.
      assert.equal(stdout.trim().split("\n").length, 1 + imported);
      const rest = Array.from({ length: 30 - imported }, (_, i) => `k${imported + i}`).join(", ");
      assert.equal(stderr, `Interrupted: finishing the key import under way (Ctrl+C again to quit at once)\nError: interrupted: ${imported} of 30 keys imported into JSON Web Key Set s; not attempted: ${rest}\n`);
    } finally {
      await server.close();
    }
  });

  test("import: the same key given twice (one file named twice, or in two layouts) is imported once, with a notice", async () => {
    await withFake({}, async (url, fake) => {
      const result = await run(["import", "jwk", "s", fixture("rsa-pkcs1.pem"), fixture("rsa-pkcs1.pem"), fixture("rsa-pkcs8.pem"), "--alg", "RS256", "-e", url]);
      assert.equal(result.code, 0, result.stderr);
      const file = fixture("rsa-pkcs1.pem");
      assert.equal(result.stderr, `${file} holds the same key as ${file}; it is imported once\n${fixture("rsa-pkcs8.pem")} holds the same key as ${file}; it is imported once\n`);
      assert.equal(fake.sets.get("s")?.length, 1);
    });
  });

  test("import: PEM with --alg goes key by key, private keys are stored but never printed", async () => {
    await withFake({ sets: { s: [key("old")] } }, async (url, fake) => {
      const result = await run(["import", "jwk", "s", fixture("rsa-pkcs1.pem"), fixture("ec-spki.pem"), "--alg", "ES384", "-e", url, "--format", "json"]);
      assert.equal(result.code, 2, "one --alg cannot fit an RSA and an EC key");
      assert.match(result.stderr, /rsa-pkcs1\.pem holds an RSA key, which cannot be used with ES384 .*; choose another --alg\n/);
      assert.equal(fake.requests.length, 0, "nothing sent");
      const ok = await run(["import", "jwk", "s", fixture("rsa-pkcs1.pem"), "--alg", "RS256", "--use", "enc", "-e", url, "--format", "json"]);
      assert.equal(ok.code, 0, ok.stderr);
      // Hydra stores it as given, as Hydra's CLI sends it; the mismatch is said.
      assert.match(ok.stderr, /rsa-pkcs1\.pem: the key is for encryption \(use "enc"\), but RS256 signs\n/);
      const printed = JSON.parse(ok.stdout);
      assert.equal(printed.keys.length, 1);
      assert.ok(!("d" in printed.keys[0]), "the private key is not printed");
      const put = fake.requests.find((r) => r.method === "PUT")!;
      assert.match(put.path, /^\/admin\/keys\/s\/[0-9a-f-]{36}$/);
      const stored = fake.sets.get("s")!;
      assert.deepEqual(stored.map((k) => [k.alg, k.use, "d" in k]), [["RS256", "sig", false], ["RS256", "enc", true]]);
      // Without --use, a key is for what its algorithm does: RSA-OAEP encrypts.
      const oaep = await run(["import", "jwk", "s", fixture("rsa-pkcs1.pem"), "--alg", "RSA-OAEP", "-e", url, "--format", "json"]);
      assert.equal(oaep.code, 0, oaep.stderr);
      assert.doesNotMatch(oaep.stderr, /the key is for/);
      assert.deepEqual(fake.sets.get("s")!.slice(2).map((k) => [k.alg, k.use]), [["RSA-OAEP", "enc"]]);
    });
  });

  test("import: a private key is hidden where a server quotes the request back, in each word order", async () => {
    const d = (jwk: string) => JSON.parse(jwk).d as string;
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const jwk = JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), alg: "ES256" });
    const file = dir.write("echoed.json", jwk);
    // A gateway that answers 400 with the request it got, before Hydra v2 (a key at a time) and
    // before v1.8 (no /admin routes; the set read first, with a private key, is put back whole).
    for (const v18 of [false, true]) {
      const server = await serveLocal(async (request) => {
        if (v18 && new URL(request.url).pathname.startsWith("/admin/")) return new Response("404 page not found", { status: 404 });
        if (request.method === "GET") return Response.json({ keys: [key("private:old", { d: "0ldPr1vateMemberOfTheSet" })] });
        return new Response(`could not store: ${await request.text()}`, { status: 400 });
      });
      try {
        for (const words of [["import", "jwk", "s", file, "-e", server.url], ["keys", "import", "s", file, "--endpoint", server.url]]) {
          const result = await run(words);
          assert.equal(result.code, 1, result.stderr);
          assert.match(result.stderr, /could not store/);
          assert.ok(!result.stderr.includes(d(jwk)), result.stderr);
          assert.ok(!result.stderr.includes("0ldPr1vateMemberOfTheSet"), result.stderr);
          assert.match(result.stderr, /"d":"\[secret\]/);
          if (v18) assert.match(result.stderr, /"kid":"private:old".*"d":"\[secret\]/);
        }
      } finally {
        await server.close();
      }
    }
  });

  test("import: a key whose ID the set holds replaces it in v2's word order, and is refused in v1.8's", async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const file = dir.write("same-kid.json", JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: "old", alg: "ES256" }));
    await withFake({ sets: { s: [key("old")] } }, async (url, fake) => {
      const legacy = await run(["keys", "import", "s", file, "-e", url]);
      assert.equal(legacy.code, 1);
      assert.equal(legacy.stderr, 'Error: key "old" is in set "s" already, and keys import replaces no key (import jwk does); nothing was imported\n');
      assert.deepEqual(fake.requests.map((r) => r.method), ["GET"]);
      assert.equal(fake.sets.get("s")![0]!.kty, "RSA");
      const v2 = await run(["import", "jwk", "s", file, "-e", url]);
      assert.equal(v2.code, 0, v2.stderr);
      assert.match(v2.stderr, /^key "old" replaces the key with that ID in set "s"\n/);
      assert.equal(fake.sets.get("s")![0]!.kty, "EC");
    });
  });

  test("import: bad input is one line and sends nothing", async () => {
    await withFake({}, async (url, fake) => {
      const jwk = dir.write("nokind.json", JSON.stringify({ kty: "EC", crv: "P-256", x: "AA", y: "AA" }));
      const cases: [string[], number, RegExp][] = [
        [[fixture("rsa-spki.pem")], 2, /^Error: .*rsa-spki\.pem is PEM or DER, which names no algorithm: give one with --alg\n/],
        [[fixture("rsa-spki.pem"), "--alg", "RS1"], 2, /^Error: invalid value "RS1" for --alg/],
        [[dir.write("bad.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), "--alg", "RS256"], 1, /^Error: .*bad\.pem: the PEM "PUBLIC KEY" block is not a valid spki key/],
        [[jwk, "--alg", "ES256"], 1, /^Error: .*nokind\.json does not hold a valid EC P-256 public key/],
        [["/nonexistent.pem"], 2, /^Error: the key file \/nonexistent\.pem does not exist\nSee 'hydractl import jwk --help' for usage\.\n$/],
      ];
      for (const [args, code, stderr] of cases) {
        const result = await run(["import", "jwk", "s", ...args, "-e", url]);
        assert.equal(result.code, code, result.stderr);
        assert.match(result.stderr, stderr);
        assert.equal(result.stderr.split("\n").filter((line) => line.startsWith("Error")).length, 1);
      }
      assert.equal(fake.requests.length, 0);
    });
  });
});

describe("JSON Web Key Sets, Hydra v1.8", () => {
  const version = "v1.8.5" as const;
  test("keys create prints tab-indented JSON; an algorithm v1.8 cannot generate is said so", async () => {
    await withFake({ version }, async (url) => {
      const result = await run(["keys", "create", "s", "k", "-a", "ES512", "-u", "enc", "--endpoint", url]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^\{\n\t"keys": \[/);
      assert.deepEqual(JSON.parse(result.stdout).keys.map((k: { kid: string }) => k.kid), ["private:k", "public:k"]);
      const refused = await run(["keys", "create", "s", "-a", "EdDSA", "--endpoint", url]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^Error: http:\/\/127\.0\.0\.1:\d+ is Hydra v1\.8, which generates RS256, ES512, HS256, HS512 keys only, not EdDSA\n$/);
      const shared = await run(["keys", "create", "hs", "-a", "HS256", "--endpoint", url]);
      assert.equal(shared.code, 0, shared.stderr);
      assert.deepEqual(JSON.parse(shared.stdout).keys.map((k: { kty: string }) => k.kty), ["oct"]);
    });
  });

  test("keys get and delete speak v1.8; keys import reads the set and puts it back whole, with the new key", async () => {
    await withFake({ version, sets: { s: [key("private:old", { d: "x" })] } }, async (url, fake) => {
      const got = await run(["keys", "get", "s", "--endpoint", url]);
      assert.equal(got.code, 0, got.stderr);
      assert.deepEqual(JSON.parse(got.stdout), { keys: [key("private:old", { d: "x" })] });
      const imported = await run(["keys", "import", "s", fixture("ed25519-pkcs8.pem"), "--alg", "EdDSA", "--endpoint", url]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal(imported.stdout, `Successfully loaded key from file: ${fixture("ed25519-pkcs8.pem")}\nJSON Web Key Set successfully imported!\n`);
      assert.deepEqual(fake.requests.slice(-2).map((r) => `${r.method} ${r.path}`), ["GET /keys/s", "PUT /keys/s"]);
      const kids = fake.sets.get("s")!.map((k) => k.kid as string);
      assert.equal(kids[0], "private:old");
      assert.match(kids[1]!, /^private:[0-9a-f-]{36}$/);
      const deleted = await run(["keys", "delete", "s", "--endpoint", url]);
      assert.equal(deleted.stdout, "JSON Web Key Set deleted: s\n");
    });
  });

  test("keys import takes PEM without --alg, as Hydra v1.8's example does: the usual algorithm for the key, said", async () => {
    await withFake({ version }, async (url, fake) => {
      const imported = await run(["keys", "import", "pem", fixture("rsa-pkcs8.pem"), fixture("ec-spki.pem"), "--endpoint", url]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal(
        imported.stderr,
        `${fixture("rsa-pkcs8.pem")} names no algorithm: imported as RS256, the usual one for an RSA key (--alg names another)\n` +
          `${fixture("ec-spki.pem")} names no algorithm: imported as ES384, the usual one for an EC P-384 key (--alg names another)\n`,
      );
      assert.deepEqual(fake.sets.get("pem")!.map((k) => [k.alg, k.use]), [["RS256", "sig"], ["ES384", "sig"]]);
      // Keys to encrypt with get the usual algorithm for that; Ed25519 has none.
      const enc = await run(["keys", "import", "enc", fixture("rsa-pkcs8.pem"), fixture("ec-spki.pem"), "--use", "enc", "--endpoint", url]);
      assert.equal(enc.code, 0, enc.stderr);
      assert.equal(
        enc.stderr,
        `${fixture("rsa-pkcs8.pem")} names no algorithm: imported as RSA-OAEP, the usual one for an RSA key that encrypts (--alg names another)\n` +
          `${fixture("ec-spki.pem")} names no algorithm: imported as ECDH-ES, the usual one for an EC P-384 key that encrypts (--alg names another)\n`,
      );
      assert.deepEqual(fake.sets.get("enc")!.map((k) => [k.alg, k.use]), [["RSA-OAEP", "enc"], ["ECDH-ES", "enc"]]);
      // Keys alike in one set are one notice, however many.
      const alike: Record<string, unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
        // Without alg, which some runtimes' exports carry.
        const { alg: _alg, ...jwk } = await crypto.subtle.exportKey("jwk", pair.publicKey);
        alike.push({ ...jwk, kid: `alike-${i}` });
      }
      const set = dir.write("alike.json", JSON.stringify({ keys: alike }));
      const many = await run(["keys", "import", "many", set, "--endpoint", url]);
      assert.equal(many.code, 0, many.stderr);
      assert.match(many.stderr, /^\S+alike\.json \(key 1\) and 2 more keys name no algorithm: imported as ES256, the usual one for an EC P-256 key \(--alg names another\)\n$/);
      const ed = await run(["keys", "import", "enc", fixture("ed25519-pkcs8.pem"), "--use", "enc", "--endpoint", url]);
      assert.equal(ed.code, 2, ed.stderr);
      assert.match(ed.stderr, /ed25519-pkcs8\.pem is PEM or DER, which names no algorithm: give one with --alg\n/);
    });
  });
});

for (const version of ["v2", "v1.8.5"] as const) {
  describe(`tokens, Hydra ${version}`, () => {
    const tokens = { "tok-1": { client_id: "app", scope: "read write" } };
    test("introspect: active and inactive both exit 0; --scope is sent; the token may come from stdin", async () => {
      await withFake({ version, tokens }, async (url, fake) => {
        const active = await run(["introspect", "token", "tok-1", "-e", url]);
        assert.equal(active.code, 0, active.stderr);
        assert.match(active.stdout, /^ACTIVE +true\nSUBJECT +app\nCLIENT ID +app\nSCOPE +read write\nEXPIRY +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC\nTOKEN USE/);
        const stdin = await run(["token", "introspect", "-", "--scope", "read,admin", "-e", url], { stdin: "tok-1\n" });
        assert.equal(stdin.code, 0, stdin.stderr);
        assert.deepEqual(JSON.parse(stdin.stdout), { active: false });
        assert.match(stdin.stdout, /^\{\n\t"active": false\n\}\n$/);
        assert.deepEqual(fake.requests.at(-1)!.body, { token: "tok-1", scope: "read admin" });
        // Hydra v1.8's no-op --client-id and --client-secret: taken, said to do nothing, never sent.
        const legacy = await run(["token", "introspect", "tok-1", "-e", url, "--client-id", "app", "--client-secret", "not-sent-0123"]);
        assert.equal(legacy.code, 0, legacy.stderr);
        assert.equal(legacy.stderr, "note: --client-id and --client-secret have no effect (nor had they in Hydra v1.8): introspection goes through the admin API\n");
        assert.deepEqual(fake.requests.at(-1)!.body, { token: "tok-1" });
        const sent = fake.requests.length;
        const empty = await run(["introspect", "token", "-", "-e", url], { stdin: "\n" });
        assert.equal(empty.code, 1);
        assert.equal(empty.stderr, "Error: no token on stdin\n");
        // Read as every token command reads one: the same refusals, the spaces around it dropped.
        const blank = await run(["introspect", "token", "   ", "-e", url]);
        assert.deepEqual([blank.code, blank.stderr.split("\n")[0]], [2, "Error: the token is empty"]);
        const lines = await run(["introspect", "token", "-", "-e", url], { stdin: "tok-1\ntok-2\n" });
        assert.deepEqual([lines.code, lines.stderr], [1, "Error: token on stdin spans several lines; give one\n"]);
        assert.equal(fake.requests.length, sent, "nothing sent");
        assert.equal((await run(["introspect", "token", "-", "-e", url], { stdin: "  tok-1 \n" })).code, 0);
        assert.deepEqual(fake.requests.at(-1)!.body, { token: "tok-1" });
      });
    });

    test("delete access-tokens / token delete --client-id: the client's tokens stop being active", async () => {
      await withFake({ version, tokens }, async (url, fake) => {
        const v2 = await run(["delete", "access-tokens", "app", "-e", url]);
        assert.equal(v2.code, 0, v2.stderr);
        assert.equal(v2.stdout, "ID  app\n");
        assert.equal(fake.tokens.size, 0);
        const legacy = await run(["token", "delete", "-e", url], { env: { OAUTH2_CLIENT_ID: "app" } });
        assert.equal(legacy.stdout, "Successfully deleted access tokens for client app\n");
        assert.equal(fake.requests.at(-1)!.query.get("client_id"), "app");
        // Hydra v1.8's token delete read the admin URL from HYDRA_URL; HYDRA_ADMIN_URL, when set, comes first.
        const fromHydraUrl = await run(["token", "delete", "--client-id", "app"], { env: { HYDRA_URL: url } });
        assert.equal(fromHydraUrl.stdout, "Successfully deleted access tokens for client app\n", fromHydraUrl.stderr);
        const sent = fake.requests.length;
        const adminFirst = await run(["delete", "access-tokens", "app", "--fail-after", "0s"], { env: { HYDRA_ADMIN_URL: url, HYDRA_URL: "http://127.0.0.1:1" } });
        assert.equal(adminFirst.code, 0, adminFirst.stderr);
        assert.ok(fake.requests.length > sent);
        const both = await run(["token", "delete", "app", "--client-id", "other", "-e", url]);
        assert.equal(both.code, 2);
        const none = await run(["delete", "access-tokens", "-e", url]);
        assert.equal(none.code, 2);
        assert.match(none.stderr, /^Error: missing argument CLIENT_ID/);
        // v2's spelling takes its client from the command line only: an OAUTH2_CLIENT_ID left
        // set for the token grants (or an unset variable in the argument's place) deletes nothing.
        const sentBefore = fake.requests.length;
        const fromEnv = await run(["delete", "access-tokens", "-e", url], { env: { OAUTH2_CLIENT_ID: "app" } });
        assert.equal(fromEnv.code, 2);
        assert.equal(fromEnv.stderr.split("\n")[0], "Error: missing argument CLIENT_ID");
        assert.equal(fake.requests.length, sentBefore);
        const byFlag = await run(["delete", "access-tokens", "--client-id", "app", "-e", url], { env: { OAUTH2_CLIENT_ID: "other" } });
        assert.equal(byFlag.code, 0, byFlag.stderr);
        assert.equal(fake.requests.at(-1)!.query.get("client_id"), "app");
      });
    });

    test("token flush: v1.8 flushes; v2 says to use hydra janitor", async () => {
      await withFake({ version }, async (url, fake) => {
        const result = await run(["token", "flush", "--min-age", "720h", "-e", url]);
        if (version === "v2") {
          assert.equal(result.code, 1);
          assert.match(result.stderr, /^Error: http:\/\/127\.0\.0\.1:\d+ has no token flush endpoint .*`hydra janitor --tokens`\n$/);
          // A server with the route under neither path (Hydra's public port, say) is no admin API: said so, not that v2 removed it.
          const publicPort = await serveLocal(() => new Response("404 page not found\n", { status: 404, headers: { "Content-Type": "text/plain" } }));
          try {
            const wrongPort = await run(["token", "flush", "-e", publicPort.url]);
            assert.equal(wrongPort.stderr, `Error: ${publicPort.url} serves neither /admin/oauth2/flush nor /oauth2/flush; is it Hydra's admin API?\n`);
          } finally {
            await publicPort.close();
          }
          return;
        }
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, "Successfully flushed inactive access tokens\n");
        const notAfter = Date.parse((fake.requests.at(-1)!.body as { notAfter: string }).notAfter);
        assert.ok(Math.abs(Date.now() - 720 * 3_600_000 - notAfter) < 3_600_000);
      });
    });
  });
}
