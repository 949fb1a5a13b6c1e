// The client lifecycle (get, list, update, patch, delete, import) with the compiled binary
// against each real Hydra scripts/e2e-hydra started, in both word orders, every result read
// back through Hydra's own admin API.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { tempDir } from "../support/runtime.ts";
import { admin, clientCredentialsGrant, createClient, hydractl, instances, isV1, readClient, skipWithoutHydra } from "./support/hydra.ts";

const dir = tempDir();
after(() => dir.remove());

for (const hydra of instances) {
  describe(`client lifecycle against Hydra ${hydra.name}`, { skip: skipWithoutHydra }, () => {
    const e = ["--endpoint", hydra.adminEndpoint];
    const prefix = `life-${hydra.name.replace(/[^a-z0-9]+/gi, "-")}`;
    const owner = `${prefix}-owner`;

    test("get: one client or several, in each word order's output", async () => {
      await createClient(hydra, ["--id", `${prefix}-a`, "-n", "a", "--owner", owner]);
      await createClient(hydra, ["--id", `${prefix}-b`, "-n", "b", "--owner", owner]);
      const legacy = await hydractl(["clients", "get", `${prefix}-a`, ...e]);
      assert.equal(legacy.code, 0, legacy.stderr);
      assert.equal(JSON.parse(legacy.stdout).client_name, "a");
      assert.match(legacy.stdout, /^\{\n\t"/);
      const v2 = await hydractl(["get", "client", `${prefix}-a`, `${prefix}-b`, ...e]);
      assert.equal(v2.code, 0, v2.stderr);
      assert.match(v2.stdout, new RegExp(`^CLIENT ID +CLIENT SECRET .*\\n${prefix}-a +.*\\n${prefix}-b `));
      const both = JSON.parse((await hydractl(["get", "oauth2-client", `${prefix}-a`, `${prefix}-b`, ...e, "--format", "json"])).stdout);
      assert.deepEqual(both.map((client: { client_id: string }) => client.client_id), [`${prefix}-a`, `${prefix}-b`]);
      const missing = await hydractl(["get", "client", `${prefix}-nope`, ...e]);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, `Error: no client "${prefix}-nope"\n`);
      // Hydra v2's router answers /admin/admin/… in JSON: a route it lacks, not a client.
      if (!isV1(hydra) && !hydra.adminEndpoint.startsWith("unix:")) {
        const doubled = await hydractl(["delete", "client", `${prefix}-a`, "--endpoint", `${hydra.adminEndpoint.replace(/\/$/, "")}/admin`]);
        assert.equal(doubled.code, 1);
        assert.match(doubled.stderr, /^Error: \S+\/admin has no route for DELETE \/admin\/admin\/clients\/\S+ \(the server says so\); give Hydra's admin URL without \/admin, which hydractl adds\n$/);
        assert.equal((await readClient(hydra, `${prefix}-a`)).client_id, `${prefix}-a`, "nothing deleted");
      }
    });

    test("list: --all follows every page; filters by owner", async () => {
      for (const n of [1, 2, 3]) await createClient(hydra, ["--id", `${prefix}-page-${n}`, "--owner", owner]);
      const all = await hydractl(["list", "clients", ...e, "--all", "--page-size", "2", "--owner", owner, "--format", "json"]);
      assert.equal(all.code, 0, all.stderr);
      const ids = (JSON.parse(all.stdout) as { client_id: string }[]).map((client) => client.client_id).sort();
      assert.deepEqual(ids, [`${prefix}-a`, `${prefix}-b`, `${prefix}-page-1`, `${prefix}-page-2`, `${prefix}-page-3`]);
      const legacy = await hydractl(["clients", "list", ...e, "--limit", "500"]);
      assert.equal(legacy.code, 0, legacy.stderr);
      assert.match(legacy.stdout, /^\| +CLIENT ID +\| +NAME +\|/);
      assert.match(legacy.stdout, new RegExp(`\\| ${prefix}-page-1 +\\|`));
      const v2 = await hydractl(["list", "clients", ...e, "--page-size", "1"]);
      assert.equal(v2.code, 0, v2.stderr);
      // A v1.8 server pages by offset: there is more, but no token to print.
      assert.match(v2.stdout, isV1(hydra) ? /\nNEXT PAGE TOKEN  \nIS LAST PAGE     false\n$/ : /\nNEXT PAGE TOKEN  \S+\nIS LAST PAGE     false\n$/);
      // …and how to go on is said.
      assert.equal(v2.stderr, isV1(hydra) ? "note: the server is Hydra v1.8, which pages by offset and gives no page token: the next page is --limit 1 --page 2\n" : "");
    });

    test("update replaces the client; patch changes fields (v2) or says v1.8 cannot", async () => {
      const updated = await hydractl(["clients", "update", `${prefix}-a`, ...e, "-n", "renamed", "-g", "client_credentials", "-r", "token", "--access-token-strategy", "jwt"]);
      assert.equal(updated.code, 0, updated.stderr);
      assert.equal(updated.stdout, `${prefix}-a OAuth 2.0 Client updated\n`);
      // v1.8 has no access_token_strategy, and drops it without a word: hydractl says so.
      assert.equal(updated.stderr, isV1(hydra) ? "warning: Hydra v1.8 has no access_token_strategy: the server did not keep it\n" : "");
      const read = await readClient(hydra, `${prefix}-a`);
      assert.equal(read.client_name, "renamed");
      assert.deepEqual(read.grant_types, ["client_credentials"]);
      const patched = await hydractl(["patch", "client", `${prefix}-a`, ...e, "--add", "/redirect_uris/-", "https://app.example/cb", "--replace", "/client_name", "patched"]);
      if (isV1(hydra)) {
        assert.equal(patched.code, 1);
        assert.match(patched.stderr, /cannot patch clients \(Hydra v1\.8 has no PATCH\); use update/);
      } else {
        assert.equal(patched.code, 0, patched.stderr);
        const after = await readClient(hydra, `${prefix}-a`);
        assert.equal(after.client_name, "patched");
        assert.deepEqual(after.redirect_uris, ["https://app.example/cb"]);
        // A patch that does not apply: Hydra's causeless 500, said with what it means.
        const missing = await hydractl(["patch", "client", `${prefix}-a`, ...e, "--remove", "/audience/5"]);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /500.*; Hydra answers so when the patch does not apply to the client as it is/);
      }
    });

    test("metadata's numbers beyond 2^53 go and come back digit for digit: create, get, update --file, YAML", async () => {
      const id = `${prefix}-big`;
      const metadata = '{"id":9007199254740993,"big":12345678901234567890}';
      const created = await hydractl(["clients", "create", ...e, "--id", id, "--metadata", metadata, "-g", "client_credentials", "-r", "token"]);
      assert.equal(created.code, 0, created.stderr);
      const got = await hydractl(["clients", "get", id, ...e, "--format", "json"]);
      assert.equal(got.code, 0, got.stderr);
      assert.match(got.stdout, /"metadata":\{"big":12345678901234567890,"id":9007199254740993\}|"metadata":\{"id":9007199254740993,"big":12345678901234567890\}/);
      // What Hydra stored, read as text by no JavaScript parser.
      if (!hydra.adminSocket) {
        const path = isV1(hydra) ? `/clients/${id}` : `/admin/clients/${id}`;
        const stored = await (await fetch(new URL(path, hydra.adminEndpoint))).text();
        assert.match(stored, /9007199254740993/);
        assert.match(stored, /12345678901234567890/);
      }
      // Its own JSON back through update --file changes nothing of it.
      const updated = await hydractl(["clients", "update", id, ...e, "--file", dir.write(`${id}.json`, got.stdout)]);
      assert.equal(updated.code, 0, updated.stderr);
      const yaml = await hydractl(["get", "client", id, ...e, "--format", "yaml"]);
      assert.match(yaml.stdout, /\n +id: 9007199254740993\n/);
      assert.match(yaml.stdout, /\n +big: 12345678901234567890\n/);
    });

    test("delete tries every ID, says which failed, exits 1", async () => {
      const result = await hydractl(["delete", "client", `${prefix}-page-1`, `${prefix}-nope`, `${prefix}-page-2`, ...e]);
      if (isV1(hydra)) {
        // v1.8 deletes an unknown ID without complaint, so there is nothing to report.
        assert.equal(result.code, 0, result.stderr);
      } else {
        assert.equal(result.code, 1);
        assert.equal(result.stdout, `ID\n${prefix}-page-1\n${prefix}-page-2\n`);
        assert.match(result.stderr, new RegExp(`^Error: no client "${prefix}-nope"\\nError: 1 of 3 clients not deleted; 2 deleted\\n$`));
      }
      for (const id of [`${prefix}-page-1`, `${prefix}-page-2`]) {
        const { status } = await admin(hydra, "GET", `/clients/${id}`);
        assert.ok(status === 404 || status === 401, `${id} still there: ${status}`);
      }
    });

    test("import: arrays and single clients, secrets shown once and usable, --skip-existing finishes a rerun", async () => {
      const file = dir.write(`${prefix}.json`, JSON.stringify([
        { client_id: `${prefix}-imp-1`, grant_types: ["client_credentials"], response_types: ["token"] },
        { client_id: `${prefix}-imp-2`, client_secret: "a-secret-chosen-by-the-file-0123456789", grant_types: ["client_credentials"] },
      ]));
      const single = dir.write(`${prefix}-single.json`, JSON.stringify({ client_id: `${prefix}-imp-3` }));
      const result = await hydractl(["clients", "import", file, single, ...e]);
      assert.equal(result.code, 0, result.stderr);
      const line = result.stdout.split("\n").find((text) => text.includes(`${prefix}-imp-1:`));
      assert.ok(line, result.stdout);
      const secret = /:(\S+) from: /.exec(line)![1]!;
      assert.doesNotMatch(result.stdout, /a-secret-chosen-by-the-file/);
      const token = await clientCredentialsGrant(hydra, `${prefix}-imp-1`, secret, "basic");
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.ok(token.body.access_token);
      const again = await hydractl(["import", "client", file, single, ...e]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /0 of 3 clients created; not created: .*run again with --skip-existing/);
      const skipped = await hydractl(["import", "client", file, single, ...e, "--skip-existing"]);
      assert.equal(skipped.code, 0, skipped.stderr);
      assert.match(skipped.stderr, /0 of 3 clients created, 3 skipped as existing/);
      const bad = dir.write(`${prefix}-bad.json`, JSON.stringify([{ client_id: `${prefix}-never` }, { redirect_uris: "not a list" }]));
      const refused = await hydractl(["import", "client", bad, ...e]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /-bad\.json\[1\]: "redirect_uris" must be a list of strings/);
      const { status } = await admin(hydra, "GET", `/clients/${prefix}-never`);
      assert.ok(status === 404 || status === 401, "nothing is sent when a file is bad");
    });
  });
}
