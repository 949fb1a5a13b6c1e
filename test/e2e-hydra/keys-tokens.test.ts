// JSON Web Key Sets and the token admin commands against real Hydra, and beside Hydra's own
// CLI: both run with the same arguments through a recording proxy in front of the same
// server, and must send the same requests and leave the same state.
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { repoRoot, run } from "../support/cli.ts";
import { tempDir } from "../support/runtime.ts";
import { admin, clientCredentialsGrant, createClient, hydractl, instances, isV1, skipWithoutHydra } from "./support/hydra.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/keys/${name}`, import.meta.url).href);
const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

if (instances.length === 0) test("keys and tokens against real Hydra", { skip: skipWithoutHydra }, () => {});

for (const hydra of instances) {
  const e = ["--endpoint", hydra.adminEndpoint];
  const v1 = isV1(hydra);
  describe(`keys and tokens against Hydra ${hydra.name}`, () => {
    test("an imported PEM key appears in get jwks with its kid, alg and use; the private key is not printed", async () => {
      const set = unique("imp");
      const imported = await hydractl([...(v1 ? ["keys", "import"] : ["import", "jwk"]), set, fixture("ec-pkcs8.pem"), "--alg", "ES384", "--use", "enc", ...e, "--format", "json"]);
      assert.equal(imported.code, 0, imported.stderr);
      const printed = JSON.parse(imported.stdout);
      assert.ok(!("d" in printed.keys[0]));
      const got = await hydractl(["get", "jwks", set, ...e, "--format", "json"]);
      assert.equal(got.code, 0, got.stderr);
      const [stored] = JSON.parse(got.stdout).keys;
      assert.deepEqual([stored.kid, stored.alg, stored.use, stored.crv, typeof stored.d], [printed.keys[0].kid, "ES384", "enc", "P-384", "string"]);
      const table = await hydractl(["get", "jwks", set, ...e]);
      assert.match(table.stdout, new RegExp(`^SET ID +${set}\\nKEY ID +${stored.kid}\\nALGORITHM +ES384\\nUSE +enc\\n$`));
    });

    test("create, get --public, delete; deleting a set that is not there fails", async () => {
      const set = unique("gen");
      const created = await hydractl(["create", "jwks", set, "k1", "--alg", v1 ? "ES512" : "ES256", ...e, "--format", "json"]);
      assert.equal(created.code, 0, created.stderr);
      const pub = JSON.parse((await hydractl(["keys", "get", set, "--public", ...e, "--format", "json"])).stdout);
      assert.ok(pub.keys.length >= 1 && pub.keys.every((key: Record<string, unknown>) => !("d" in key)));
      const deleted = await hydractl(["delete", "jwks", set, ...e]);
      assert.equal(deleted.stdout, `ID  ${set}\n`);
      const again = await hydractl(["delete", "jwks", set, ...e]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, new RegExp(`^Error: no JSON Web Key Set "${set}"\\n`));
    });

    test("create: every algorithm each generation generates", async () => {
      for (const alg of v1 ? ["RS256", "ES512", "HS256", "HS512"] : ["RS384", "PS256", "PS384", "PS512", "ES384", "ES512", "EdDSA"]) {
        const set = unique(`alg-${alg}`);
        const created = await hydractl(["create", "jwks", set, "--alg", alg, ...e, "--format", "json"]);
        assert.equal(created.code, 0, `${alg}: ${created.stderr}`);
        // Hydra v1.8 leaves "alg" out of its ES512 keys.
        const keys = JSON.parse(created.stdout).keys as { alg?: string }[];
        assert.ok(keys.length > 0 && keys.every((key) => key.alg === alg || (v1 && key.alg === undefined)), alg);
        await hydractl(["delete", "jwks", set, ...e]);
      }
    });

    test("a key the server made, printed by get, imports into another set (v1.8's have \"x5c\": null and no dp, dq, qi)", async () => {
      const [made, copy] = [unique("made"), unique("copy")];
      assert.equal((await hydractl(["create", "jwks", made, "--alg", "RS256", ...e])).code, 0);
      const got = await hydractl(["get", "jwks", made, ...e, "--format", "json"]);
      const key = (JSON.parse(got.stdout).keys as Record<string, unknown>[]).find((member) => "d" in member)!;
      const dir = tempDir();
      const file = dir.write("key.json", JSON.stringify(key));
      const imported = await hydractl([...(v1 ? ["keys", "import"] : ["import", "jwk"]), copy, file, ...e]);
      assert.equal(imported.code, 0, imported.stderr);
      const stored = JSON.parse((await hydractl(["get", "jwks", copy, ...e, "--format", "json"])).stdout).keys as Record<string, unknown>[];
      assert.deepEqual(stored.filter((member) => "d" in member).map((member) => [member.n, member.d]), [[key.n, key.d]]);
      for (const set of [made, copy]) await hydractl(["delete", "jwks", set, ...e]);
      dir.remove();
    });

    test("a token is introspected active, then inactive once the client's access tokens are deleted", async () => {
      const id = unique("tok");
      await createClient(hydra, ["--id", id, "--secret", "a-secret-for-tokens", "-g", "client_credentials", "-a", "read"]);
      const grant = await clientCredentialsGrant(hydra, id, "a-secret-for-tokens", "basic");
      assert.equal(grant.status, 200);
      const token = grant.body.access_token as string;
      const active = await hydractl(["introspect", "token", "-", ...e, "--format", "json"], { stdin: token });
      assert.equal(active.code, 0, active.stderr);
      assert.deepEqual([JSON.parse(active.stdout).active, JSON.parse(active.stdout).client_id], [true, id]);
      const scoped = await hydractl(["token", "introspect", "--scope", "write", ...e, "--format", "jsonpath=active", "--", token]);
      assert.equal(scoped.stdout, "false\n");
      const deleted = await hydractl(v1 ? ["token", "delete", "--client-id", id, ...e] : ["delete", "access-tokens", id, ...e]);
      assert.equal(deleted.code, 0, deleted.stderr);
      const inactive = await hydractl(["introspect", "token", ...e, "--", token]);
      assert.equal(inactive.code, 0, inactive.stderr);
      assert.match(inactive.stdout, /^ACTIVE +false\n/);
    });

    test("token flush: v1.8 flushes, v2 points to hydra janitor", async () => {
      const result = await hydractl(["token", "flush", ...e]);
      if (v1) assert.deepEqual([result.code, result.stdout], [0, "Successfully flushed inactive access tokens\n"]);
      else assert.match(result.stderr, /no token flush endpoint .*hydra janitor --tokens/);
    });
  });
}

interface Recorded {
  method: string;
  path: string;
  body: string;
  status: number;
}

/** A proxy in front of Hydra's admin port that records every request and its answer's status. */
async function recordingProxy(target: URL): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const record: Recorded = { method: incoming.method!, path: incoming.url!, body: body.toString(), status: 0 };
      requests.push(record);
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } }, (answer) => {
        record.status = answer.statusCode ?? 0;
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** What a request asked for, whichever admin prefix it used; hydractl's probe of v2's /admin paths on v1.8 (answered 404) is left out. */
function asked(requests: Recorded[], v1: boolean): string[] {
  return requests
    .filter((r) => !(v1 && r.path.startsWith("/admin/") && r.status === 404))
    .map((r) => {
      // Field order carries no meaning in JSON or in a form.
      let body = r.body;
      if (body.startsWith("{")) body = JSON.stringify(JSON.parse(body), Object.keys(JSON.parse(body)).sort());
      else if (body) body = [...new URLSearchParams(body)].sort().map(([k, v]) => `${k}=${v}`).join("&");
      return `${r.method} ${r.path.replace(/^\/admin/, "")} ${body}`.trim();
    });
}

for (const hydra of instances.filter((h) => !h.adminSocket)) {
  const v1 = isV1(hydra);
  const hydraCli = `${repoRoot}.cache/hydra/bin/hydra-${hydra.version}`;
  describe(`beside hydra-${hydra.version}'s own CLI, against Hydra ${hydra.name}`, () => {
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    before(async () => {
      proxy = await recordingProxy(new URL(hydra.adminEndpoint));
    });
    after(() => proxy.close());

    /**
     * Runs Hydra's CLI, then hydractl (each on its own set); returns what each sent, the set's
     * name replaced by SET, and what each printed. The proxy's URL goes in `--endpoint`, or in
     * the environment variable `endpointVariable` names.
     */
    async function both(
      args: (set: string) => string[],
      sets: [string, string] = [unique("theirs"), unique("ours")],
      endpointVariable?: string,
    ): Promise<{ theirs: string[]; ours: string[]; sets: [string, string]; printed: { theirs: string; ours: string } }> {
      proxy.requests.length = 0;
      // The endpoint goes before a "--" that ends the flags.
      const line = (set: string) => {
        const words = args(set);
        if (endpointVariable) return words;
        const end = words.includes("--") ? words.indexOf("--") : words.length;
        return [...words.slice(0, end), "--endpoint", proxy.url, ...words.slice(end)];
      };
      const env = endpointVariable ? { [endpointVariable]: proxy.url } : {};
      const hydraRun = await run(line(sets[0]), { binary: hydraCli, env, timeoutMs: 30_000 });
      assert.equal(hydraRun.code, 0, `hydra: ${hydraRun.stderr}`);
      const theirs = asked(proxy.requests.splice(0), v1).map((line) => line.replaceAll(sets[0], "SET"));
      const ours = await hydractl(line(sets[1]), { env });
      assert.equal(ours.code, 0, `hydractl: ${ours.stderr}`);
      const printed = { theirs: hydraRun.stdout, ours: ours.stdout };
      return { theirs, ours: asked(proxy.requests.splice(0), v1).map((line) => line.replaceAll(sets[1], "SET")), sets, printed };
    }

    test("create, get and delete send what Hydra's CLI sends, and leave the same sets", async () => {
      const create = await both((set) => (v1 ? ["keys", "create", set, "k1", "-a", "RS256"] : ["create", "jwk", set, "k1", "--alg", "RS256"]));
      assert.deepEqual(create.ours, create.theirs);
      for (const set of create.sets) {
        const stored = await admin(hydra, "GET", `/keys/${set}`);
        assert.deepEqual((stored.body.keys as Record<string, unknown>[]).map((k) => [k.alg, k.use, String(k.kid).replace(/^(private|public):/, "")]).sort().at(0), ["RS256", "sig", "k1"]);
      }
      const get = await both((set) => (v1 ? ["keys", "get", set] : ["get", "jwk", set]), create.sets);
      assert.deepEqual(get.ours, get.theirs);
      // hydractl reads a set before deleting it, to report one that is not there (Hydra deletes it silently).
      const deleted = await both((set) => (v1 ? ["keys", "delete", set] : ["delete", "jwk", set]), create.sets);
      assert.deepEqual(deleted.ours.filter((line) => !line.startsWith("GET ")), deleted.theirs);
      for (const set of create.sets) assert.equal((await admin(hydra, "GET", `/keys/${set}`)).status, 404);
    });

    test("introspect and delete the access tokens as Hydra's CLI does", async () => {
      const id = unique("diff");
      await createClient(hydra, ["--id", id, "--secret", "a-secret-for-tokens", "-g", "client_credentials"]);
      const token = (await clientCredentialsGrant(hydra, id, "a-secret-for-tokens", "basic")).body.access_token as string;
      // A token may start with "-": after "--" neither CLI takes it for a flag.
      const introspected = await both(() => (v1 ? ["token", "introspect", "--scope", "a,b", "--", token] : ["introspect", "token", "--scope", "a,b", "--", token]));
      assert.deepEqual(introspected.ours, introspected.theirs);
      const deleted = await both(() => (v1 ? ["token", "delete", "--client-id", id] : ["delete", "access-tokens", id]));
      assert.deepEqual(deleted.ours, deleted.theirs);
      assert.equal((await admin(hydra, "POST", "/oauth2/introspect", { token })).body.active, false);
    });

    if (v1) {
      test("token delete finds the server through HYDRA_URL, as v1.8's did", async () => {
        const id = unique("env");
        await createClient(hydra, ["--id", id, "--secret", "a-secret-for-tokens", "-g", "client_credentials"]);
        const token = (await clientCredentialsGrant(hydra, id, "a-secret-for-tokens", "basic")).body.access_token as string;
        const deleted = await both(() => ["token", "delete", "--client-id", id], undefined, "HYDRA_URL");
        assert.equal(deleted.printed.ours, deleted.printed.theirs);
        assert.deepEqual(deleted.ours, deleted.theirs);
        assert.equal((await admin(hydra, "POST", "/oauth2/introspect", { token })).body.active, false);
      });
    }

    if (!v1) {
      test("-q prints what Hydra v2's -q prints: the new key's ID, the set, whether a token is active, the client", async () => {
        /** Both CLIs, each on its own set if given; their stdout with the set's name replaced by SET. */
        const quiet = async (args: (set: string) => string[], sets: [string, string] = ["", ""]) => {
          const outputs: string[] = [];
          for (const [index, set] of sets.entries()) {
            const words = args(set);
            const end = words.includes("--") ? words.indexOf("--") : words.length;
            const line = [...words.slice(0, end), "-q", "--endpoint", proxy.url, ...words.slice(end)];
            const result = index === 0 ? await run(line, { binary: hydraCli, timeoutMs: 30_000 }) : await hydractl(line);
            assert.equal(result.code, 0, `${index === 0 ? "hydra" : "hydractl"} ${line.join(" ")}: ${result.stderr}`);
            outputs.push(set ? result.stdout.replaceAll(set, "SET") : result.stdout);
          }
          assert.equal(outputs[1], outputs[0], args("SET").join(" "));
          return outputs[1];
        };
        const sets: [string, string] = [unique("theirs"), unique("ours")];
        assert.equal(await quiet((set) => ["create", "jwk", set, "k1", "--alg", "RS256"], sets), "k1\n");
        assert.equal(await quiet((set) => ["get", "jwk", set], sets), "SET\n");
        assert.equal(await quiet((set) => ["delete", "jwk", set], sets), "SET\n");
        const id = unique("quiet");
        await createClient(hydra, ["--id", id, "--secret", "a-secret-for-tokens", "-g", "client_credentials"]);
        const token = (await clientCredentialsGrant(hydra, id, "a-secret-for-tokens", "basic")).body.access_token as string;
        assert.equal(await quiet(() => ["introspect", "token", "--", token]), "true\n");
        assert.equal(await quiet(() => ["delete", "access-tokens", id]), `${id}\n`);
      });
    }

    if (v1) {
      test("token flush sends what Hydra's CLI sends", async () => {
        const flushed = await both(() => ["token", "flush", "--min-age", "1h"]);
        const strip = (lines: string[]) => lines.map((line) => line.replace(/"notAfter":"[^"]*"/, '"notAfter":"…"'));
        assert.deepEqual(strip(flushed.ours), strip(flushed.theirs));
      });
    }
  });
}
