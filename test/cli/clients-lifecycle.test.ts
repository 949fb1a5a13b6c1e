// get, list, update, patch, delete and import as a user runs them (a process, from the
// sources on this runtime), against the fake admin API of Hydra v2.3.0 and v1.8.5, which
// checks every request against Hydra's own API documents.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { interruptWhen, run, spawnCli, waitUntil } from "../support/cli.ts";
import { type Client, fakeHydra, serveFakeHydra } from "../support/fake-hydra.ts";
import { serveLocal, serveSlowly, tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

const seed = (n: number, extra: Client = {}): Client[] =>
  Array.from({ length: n }, (_, i) => ({ client_id: `c${i + 1}`, client_name: `client ${i + 1}`, client_secret: "a-secret-never-shown-0123", ...extra }));

/** A server that answers every request with the one client "c1" and this Link header, for `body`. */
async function withLinkedPage(link: string, body: (url: string) => Promise<void>) {
  const server = await serveLocal(() => Response.json([{ client_id: "c1" }], { headers: { Link: link } }));
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

async function withFake(version: "v2" | "v1.8.5", clients: Client[], body: (url: string, fake: Awaited<ReturnType<typeof serveFakeHydra>>["fake"]) => Promise<void>) {
  const server = await serveFakeHydra({ version, clients });
  try {
    await body(server.url, server.fake);
    assert.deepEqual(server.fake.violations, []);
  } finally {
    await server.close();
  }
}

for (const version of ["v2", "v1.8.5"] as const) {
  describe(`against Hydra ${version}'s admin API`, () => {
    test("get: v1.8's word order prints tab-indented JSON, v2's a table; several IDs, an unknown one", async () => {
      await withFake(version, seed(2), async (url) => {
        const legacy = await run(["clients", "get", "c1", "-e", url]);
        assert.equal(legacy.code, 0, legacy.stderr);
        assert.equal(JSON.parse(legacy.stdout).client_id, "c1");
        assert.match(legacy.stdout, /^\{\n\t"/);
        assert.doesNotMatch(legacy.stdout, /a-secret-never-shown/);
        const two = await run(["get", "client", "c1", "c2", "-e", url]);
        assert.match(two.stdout, /^CLIENT ID +CLIENT SECRET +GRANT TYPES.*\nc1 .*\nc2 /);
        const json = JSON.parse((await run(["get", "oauth2-clients", "c1", "c2", "-e", url, "--format", "json"])).stdout);
        assert.deepEqual(json.map((client: Client) => client.client_id), ["c1", "c2"]);
        const missing = await run(["get", "client", "c1", "nope", "-e", url]);
        assert.equal(missing.code, 1);
        assert.equal(missing.stderr, 'Error: no client "nope"\n');
        assert.equal(missing.stdout, "");
      });
    });

    test("list: one page in each generation's view; --all streams every page; filters", async () => {
      const owned = { client_id: "owned", owner: "team-a", client_name: "mine", redirect_uris: ["http://x/1", "http://x/2"], grant_types: ["implicit", "authorization_code"] };
      await withFake(version, [...seed(5), owned], async (url, fake) => {
        const legacy = await run(["clients", "list", "-e", url, "--limit", "2", "--page", "2"]);
        assert.equal(legacy.code, 0, legacy.stderr);
        assert.match(legacy.stdout, /^\| CLIENT ID \| +NAME +\|/);
        assert.deepEqual([...legacy.stdout.matchAll(/^\| (c\d) /gm)].map((m) => m[1]), ["c3", "c4"]);
        // Page 0 is the first, as Hydra v1.8 shows it.
        const [zero, one] = await Promise.all(["0", "1"].map((page) => run(["clients", "list", "-e", url, "--limit", "2", "--page", page])));
        assert.deepEqual([zero!.code, zero!.stdout], [0, one!.stdout]);
        // As Hydra v1.8 prints lists: joined by bare commas, each redirect URI after the first on a row below.
        const lists = (await run(["clients", "list", "-e", url, "--limit", "2", "--page", "3"])).stdout;
        assert.match(lists, /\n\| owned +\| mine +\| +\| [^|]+\| http:\/\/x\/1 +\| implicit,authorization_code +\| [^|]+\|\n\| +\| +\| +\| +\| http:\/\/x\/2 +\| +\| +\|\n$/);
        // v1.8's --page in v2's word order: v1.8's page of 20.
        fake.requests.length = 0;
        assert.equal((await run(["list", "clients", "-e", url, "--page", "2"])).code, 0);
        const asked = fake.requests.find((request) => request.method === "GET")!.query;
        assert.equal(asked.get("page_size") ?? asked.get("limit"), "20");
        const v2 = await run(["list", "clients", "-e", url, "--page-size", "2"]);
        assert.equal(v2.code, 0, v2.stderr);
        assert.match(v2.stdout, /\nIS LAST PAGE     false\n$/);
        assert.equal(v2.stderr, version === "v2" ? "" : "note: the server is Hydra v1.8, which pages by offset and gives no page token: the next page is --limit 2 --page 2\n");
        const page = JSON.parse((await run(["list", "clients", "-e", url, "--page-size", "4", "--format", "json"])).stdout);
        assert.equal(page.items.length, 4);
        assert.equal(page.is_last_page, false);
        const all = await run(["list", "clients", "-e", url, "--all", "--page-size", "2", "--format", "json"]);
        assert.equal(all.code, 0, all.stderr);
        assert.deepEqual(JSON.parse(all.stdout).map((client: Client) => client.client_id).sort(), ["c1", "c2", "c3", "c4", "c5", "owned"]);
        assert.ok(fake.requests.filter((request) => request.method === "GET").length >= 4, "--all followed the pages");
        const lines = (await run(["list", "clients", "-e", url, "--all", "--page-size", "2", "--format", "jsonpath=$.client_id"])).stdout;
        assert.equal(lines.split("\n").filter(Boolean).length, 6);
        // With --all a path applies to each client: one line a client, null where a client has
        // no such field, as Hydra v2 prints a path that matches nothing; a pointer leaves it out.
        const firsts = await run(["list", "clients", "-e", url, "--all", "--page-size", "2", "--format", "jsonpath=redirect_uris.0"]);
        assert.deepEqual([firsts.code, firsts.stdout], [0, 'null\nnull\nnull\nnull\nnull\n"http://x/1"\n'], firsts.stderr);
        const pointers = await run(["list", "clients", "-e", url, "--all", "--format", "jsonpointer=/redirect_uris/1"]);
        assert.deepEqual([pointers.code, pointers.stdout], [0, '"http://x/2"\n'], pointers.stderr);
        // Each generation's columns, tab-separated since widths cannot be known ahead.
        const v2Columns = await run(["list", "clients", "-e", url, "--all", "--page-size", "2"]);
        assert.match(v2Columns.stdout, /^CLIENT ID\tCLIENT SECRET\tGRANT TYPES\t/);
        const v18Columns = await run(["clients", "list", "-e", url, "--all", "--limit", "2"]);
        assert.match(v18Columns.stdout, /^CLIENT ID\tNAME\tRESPONSE TYPES\tSCOPE\tREDIRECT URIS\tGRANT TYPES\tTOKEN ENDPOINT AUTH METHOD\n/);
        // A client a line, its redirect URIs joined as v2's columns join them.
        assert.match(v18Columns.stdout, /\nowned\tmine\t[^\n]*\thttp:\/\/x\/1, http:\/\/x\/2\timplicit,authorization_code\t[^\n]*\n/);
        const nowhere = await run(["list", "clients", "-e", url, "--all", "--format", "jsonpath=$.nothing_here"]);
        assert.deepEqual([nowhere.code, nowhere.stdout], [2, ""]);
        assert.match(nowhere.stderr, /^Error: --format jsonpath "\$\.nothing_here" matches nothing in the result\n/);
        // Written as Hydra v2 reads paths, a field a client lacks is null, as Hydra v2 prints it.
        const optional = await run(["get", "client", "owned", "-e", url, "--format", "jsonpath=jwks_uri"]);
        assert.deepEqual([optional.code, optional.stdout, optional.stderr], [0, "null\n", ""]);
        const owned = JSON.parse((await run(["list", "clients", "-e", url, "--owner", "team-a", "--format", "json"])).stdout);
        assert.deepEqual(owned.items.map((client: Client) => client.client_id), ["owned"]);
        const mixed = await run(["list", "clients", "-e", url, "--limit", "2", "--page-token", "x"]);
        assert.equal(mixed.code, 2);
      });
    });

    test("update: the whole client goes by PUT; a chosen secret is never printed; the ID cannot change", async () => {
      await withFake(version, seed(1), async (url, fake) => {
        const result = await run(["clients", "update", "c1", "-e", url, "-n", "renamed", "-g", "client_credentials", "--secret", "-"], {
          stdin: "a-new-secret-chosen-here-0123",
        });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, "c1 OAuth 2.0 Client updated\n");
        const put = fake.requests.find((request) => request.method === "PUT")!;
        assert.deepEqual((put.body as Client).grant_types, ["client_credentials"]);
        assert.equal(fake.clients.get("c1")!.client_name, "renamed");
        const v2 = await run(["update", "client", "c1", "-e", url, "-n", "again", "--format", "json"]);
        assert.equal(v2.code, 0, v2.stderr);
        assert.equal(JSON.parse(v2.stdout).client_name, "again");
        const moved = await run(["update", "client", "c1", "-e", url, "--file", dir.write(`moved-${version}.json`, '{"client_id":"other"}')]);
        assert.equal(moved.code, 2);
        assert.match(moved.stderr, /has ID "other", not "c1"/);
        const missing = await run(["update", "client", "nope", "-e", url, "-n", "x"]);
        assert.equal(missing.code, 1);
        assert.equal(missing.stderr, 'Error: no client "nope"\n');
      });
    });

    test("patch: JSON Patch on v2; v1.8 has none, and says so in one line", async () => {
      await withFake(version, seed(1, { redirect_uris: ["https://a.example/cb"] }), async (url, fake) => {
        const result = await run(["patch", "client", "c1", "-e", url, "--add", "/redirect_uris/-", "https://b.example/cb", "--replace", "/client_name", "new name"]);
        if (version === "v1.8.5") {
          assert.equal(result.code, 1);
          assert.match(result.stderr, /^Error: .* cannot patch clients \(Hydra v1\.8 has no PATCH\); use update, which replaces the whole client\n$/);
          return;
        }
        assert.equal(result.code, 0, result.stderr);
        const patch = fake.requests.find((request) => request.method === "PATCH")!.body;
        assert.deepEqual(patch, [
          { op: "add", path: "/redirect_uris/-", value: "https://b.example/cb" },
          { op: "replace", path: "/client_name", value: "new name" },
        ]);
        assert.deepEqual(fake.clients.get("c1")!.redirect_uris, ["https://a.example/cb", "https://b.example/cb"]);
        const file = dir.write("patch.json", '[{"op":"remove","path":"/redirect_uris/0"}]');
        assert.equal((await run(["clients", "patch", "c1", "-e", url, "--file", file])).code, 0);
        assert.deepEqual(fake.clients.get("c1")!.redirect_uris, ["https://b.example/cb"]);
        // The operations go in the order they were written, which JSON Patch applies them in.
        const ordered = await run(["patch", "client", "c1", "-e", url, "--remove", "/redirect_uris/0", "--add", "/redirect_uris/0", "https://c.example/cb", "--replace", "/client_name", "n", "--remove", "/owner"]);
        assert.equal(ordered.code, 0, ordered.stderr);
        const sent = fake.requests.filter((request) => request.method === "PATCH").at(-1)!.body as { op: string }[];
        assert.deepEqual(sent.map((operation) => operation.op), ["remove", "add", "replace", "remove"]);
        assert.deepEqual(fake.clients.get("c1")!.redirect_uris, ["https://c.example/cb"]);
        // A secret the patch sets was chosen by the user: not printed back in a table, in JSON as the server answers.
        const chosen = await run(["patch", "client", "c1", "-e", url, "--add", "/client_secret", "chosen-in-a-patch-0123456789"]);
        assert.equal(chosen.code, 0, chosen.stderr);
        assert.doesNotMatch(chosen.stdout, /chosen-in-a-patch/);
        const chosenJson = await run(["patch", "client", "c1", "-e", url, "--replace", "/client_secret", "chosen-in-a-patch-0123456789", "--format", "json"]);
        assert.equal(chosenJson.code, 0, chosenJson.stderr);
        assert.equal(JSON.parse(chosenJson.stdout).client_secret, "chosen-in-a-patch-0123456789");
        const renamed = await run(["patch", "client", "c1", "-e", url, "--replace", "/client_id", "other"]);
        assert.deepEqual([renamed.code, renamed.stderr.split("\n")[0]], [2, "Error: a client's ID cannot change: leave /client_id out of the patch"]);
        for (const [operation, message] of [
          ['{"op":"add","path":"/contacts/-"}', 'operation 0 (add) needs a "value"'],
          ['{"op":"move","path":"/client_name"}', 'operation 0 (move) needs "from" as a JSON pointer starting with /'],
          ['{"op":"remove","path":"client_name"}', 'operation 0 (remove) needs "path" as a JSON pointer starting with /'],
        ] as const) {
          const refused = await run(["clients", "patch", "c1", "-e", url, "--file", "-"], { stdin: `[${operation}]` });
          assert.deepEqual([refused.code, refused.stderr], [1, `Error: the patch file -: ${message}\n`], operation);
        }
        const bad = await run(["clients", "patch", "c1", "-e", url, "--file", dir.write("bad-patch.json", '{"op":"remove"}')]);
        assert.equal(bad.code, 1);
        assert.match(bad.stderr, /must hold a JSON array of operations/);
        // Hydra refuses every test, move and copy with a 500 that names no cause: refused here first.
        const before = fake.requests.length;
        const tested = await run(["clients", "patch", "c1", "-e", url, "--file", "-"], { stdin: '[{"op":"test","path":"/client_name","value":"n"}]' });
        assert.deepEqual([tested.code, tested.stderr], [1, "Error: the patch file -: operation 0 (test): Hydra applies only add, remove, replace to a client, and refuses the whole patch otherwise\n"]);
        assert.equal(fake.requests.length, before);
        // A patch that does not apply gets Hydra's 500, and where to look.
        const missing = await run(["patch", "client", "c1", "-e", url, "--remove", "/nope"]);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /^Error: .*500.*; Hydra answers so when the patch does not apply to the client as it is .*'hydractl get client c1 --format json'\n$/);
      });
    });

    test("delete: every ID is tried, one line each, exit 1 when any failed", async () => {
      await withFake(version, seed(3), async (url, fake) => {
        const legacy = await run(["clients", "delete", "c1", "nope", "c2", "-e", url]);
        if (version === "v1.8.5") {
          // v1.8 deletes an unknown ID without complaint, so there is nothing to report.
          assert.equal(legacy.code, 0, legacy.stderr);
          assert.equal(legacy.stdout, "OAuth 2.0 Client c1 deleted\nOAuth 2.0 Client nope deleted\nOAuth 2.0 Client c2 deleted\n");
        } else {
          assert.equal(legacy.code, 1);
          assert.equal(legacy.stdout, "OAuth 2.0 Client c1 deleted\nOAuth 2.0 Client c2 deleted\n");
          assert.equal(legacy.stderr, 'Error: no client "nope"\nError: 1 of 3 clients not deleted; 2 deleted\n');
        }
        assert.deepEqual([...fake.clients.keys()], ["c3"]);
        const v2 = await run(["delete", "client", "c3", "-e", url]);
        assert.equal(v2.code, 0, v2.stderr);
        // One ID is a row, as Hydra v2 prints it (and delete jwks).
        assert.equal(v2.stdout, "ID  c3\n");
        if (version === "v2") {
          // So is one deleted among IDs that failed: Hydra v2 counts what it deleted. (Hydra
          // v1.8 deletes an unknown ID without complaint.)
          fake.clients.set("c5", { client_id: "c5" });
          const oneOfTwo = await run(["delete", "client", "c5", "nope", "-e", url, "--format", "json"]);
          assert.deepEqual([oneOfTwo.code, oneOfTwo.stdout], [1, '"c5"\n']);
          // One ID that fails is the command's one error line: a count of one adds nothing.
          const one = await run(["delete", "client", "nope", "-e", url]);
          assert.deepEqual([one.code, one.stderr], [1, 'Error: no client "nope"\n']);
        }
        // A --format path that matches nothing is known only once the client is gone: the error says so, exit 1.
        fake.clients.set("c4", { client_id: "c4" });
        const path = await run(["delete", "client", "c4", "-e", url, "--format", "jsonpath=$.foo"]);
        assert.equal(path.code, 1);
        assert.equal(path.stderr, 'Error: --format jsonpath "$.foo" matches nothing in the result: 1 of 1 clients deleted (c4)\n');
        assert.ok(!fake.clients.has("c4"));
        // Any --format holds in v1.8's word order too: its line per deletion is the default's.
        fake.clients.set("c5", { client_id: "c5" });
        fake.clients.set("c6", { client_id: "c6" });
        const json = await run(["clients", "delete", "c5", "c6", "-e", url, "--format", "json"]);
        assert.deepEqual([json.code, json.stdout], [0, '["c5","c6"]\n'], json.stderr);
        // An ID named twice is deleted once, not reported missing the second time.
        fake.clients.set("c7", { client_id: "c7" });
        fake.clients.set("c8", { client_id: "c8" });
        const twice = await run(["delete", "client", "c7", "c8", "c7", "-e", url, "--format", "json"]);
        assert.deepEqual([twice.code, twice.stdout, twice.stderr], [0, '["c7","c8"]\n', ""]);
      });
    });

    test("-q prints the IDs alone, in either spelling, whatever --format says; a generated secret it drops is named", async () => {
      await withFake(version, seed(3), async (url) => {
        const ids = async (args: string[], stdin?: string) => {
          const result = await run([...args, "-e", url, "-q"], { stdin });
          assert.equal(result.code, 0, result.stderr);
          return result;
        };
        const created = await ids(["create", "client", "--id", "q1", "--format", "json"]);
        assert.equal(created.stdout, "q1\n");
        // Hydra showed a secret once, and -q leaves it out: said, without the secret.
        assert.equal(created.stderr, "warning: -q prints IDs only: the secret Hydra generated for client q1 is not shown\n");
        const chosen = await ids(["clients", "create", "--id", "q2", "--secret", "-"], "a-chosen-secret-0123456789");
        assert.deepEqual([chosen.stdout, chosen.stderr], ["q2\n", ""]);
        assert.equal((await ids(["get", "client", "c1", "q1"])).stdout, "c1\nq1\n");
        assert.equal((await ids(["clients", "list"])).stdout, "c1\nc2\nc3\nq1\nq2\n");
        assert.equal((await ids(["list", "clients", "--all", "--page-size", "2"])).stdout, "c1\nc2\nc3\nq1\nq2\n");
        assert.equal((await ids(["update", "client", "c2", "--name", "renamed"])).stdout, "c2\n");
        const imported = await ids(["import", "client"], JSON.stringify([{ client_id: "q3", token_endpoint_auth_method: "none" }]));
        assert.deepEqual([imported.stdout, imported.stderr], ["q3\n", ""]);
        assert.equal((await ids(["clients", "delete", "q1", "q2"])).stdout, "q1\nq2\n");
        assert.equal((await ids(["delete", "client", "q3"])).stdout, "q3\n");
      });
    });

    test("import: files and stdin checked before anything is sent; a line per client; --skip-existing", async () => {
      await withFake(version, seed(1), async (url, fake) => {
        const good = dir.write(`good-${version}.json`, JSON.stringify([{ client_id: "i1" }, { client_id: "i2", client_secret: "chosen-by-the-file-0123" }]));
        const bad = dir.write(`bad-${version}.json`, JSON.stringify([{ client_id: "i3" }, { client_id: "i4", redirect_uris: ["not a url"] }]));
        const refused = await run(["clients", "import", good, bad, "-e", url]);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /bad-.*\.json\[1\]: "redirect_uris" holds "not a url", not an absolute URL\n$/);
        // Bytes that are not UTF-8 would come out as U+FFFD, another client ID: refused whole.
        const latin1 = dir.write(`latin1-${version}.json`, "");
        writeFileSync(latin1, new Uint8Array([...new TextEncoder().encode('{"client_id":"caf'), 0xe9, ...new TextEncoder().encode('"}')]));
        const notUtf8 = await run(["clients", "import", good, latin1, "-e", url]);
        assert.deepEqual([notUtf8.code, notUtf8.stderr], [1, `Error: the client file ${latin1} is not UTF-8 text\n`]);
        // Every bad client is found in one run: the first one's problem, then where the others are.
        const many = await run(["clients", "import", "-", "-e", url], {
          stdin: JSON.stringify([{ client_id: "ok" }, { client_id: "team/app" }, { grant_types: "x" }, { client_id: "ok" }]),
        });
        assert.equal(many.code, 1);
        assert.equal(many.stderr.split("\n").length, 2, many.stderr);
        assert.match(many.stderr, /^Error: stdin\[1\]: "client_id" is "team\/app": .*once created; 2 more bad: stdin\[2\], stdin\[3\]\n$/);
        assert.equal(fake.requests.length, 0, "nothing is sent when any file is bad");
        // An empty list is nothing to do, as for Hydra v2's CLI: exit 0, said on stderr.
        const empty = await run(["import", "client", "-", "-e", url], { stdin: "[]" });
        assert.deepEqual([empty.code, empty.stdout, empty.stderr], [0, "", "nothing to import: the files hold no clients\n"]);
        // JSON and YAML print the empty list, as Hydra v2 does: `… | jq length` reads 0, not nothing.
        for (const [format, shown] of [["json", "[]\n"], ["yaml", "[]\n"]] as const) {
          const listed = await run(["import", "client", "-", "-e", url, "--format", format], { stdin: "[]" });
          assert.deepEqual([listed.code, listed.stdout], [0, shown], format);
        }
        assert.equal(fake.requests.length, 0);

        const imported = await run(["clients", "import", good, "-", "-e", url], { stdin: '{"client_id":"i5"}' });
        assert.equal(imported.code, 0, imported.stderr);
        assert.match(imported.stdout, new RegExp(`Imported OAuth 2.0 Client i1:${fake.generatedSecret} from: .*good-.*\\.json\\[0\\]\\n`));
        assert.match(imported.stdout, /Imported OAuth 2.0 Client i2 from: .*\[1\]\n/);
        assert.match(imported.stdout, /Imported OAuth 2.0 Client i5:\S+ from: stdin\n/);
        assert.doesNotMatch(imported.stdout, /chosen-by-the-file/);
        // In JSON, as Hydra v2 prints it, the file's secret too; -q's IDs leave a generated one out, said.
        const chosenJson = await run(["import", "client", "-", "-e", url, "--format", "json"], { stdin: '[{"client_id":"chosen-1","client_secret":"chosen-by-the-file-too"},{"client_id":"chosen-2"}]' });
        assert.equal(chosenJson.code, 0, chosenJson.stderr);
        assert.deepEqual(JSON.parse(chosenJson.stdout).map((client: { client_secret?: string }) => client.client_secret), ["chosen-by-the-file-too", fake.generatedSecret]);
        const chosenQuiet = await run(["import", "client", "-", "-e", url, "-q"], { stdin: '[{"client_id":"chosen-3","client_secret":"chosen-by-the-file-too"},{"client_id":"chosen-4"}]' });
        assert.deepEqual([chosenQuiet.code, chosenQuiet.stdout], [0, "chosen-3\nchosen-4\n"]);
        assert.match(chosenQuiet.stderr, /the secret Hydra generated for client chosen-4 is not shown/);
        assert.doesNotMatch(chosenQuiet.stderr, /chosen-3/);

        const again = await run(["import", "client", good, "-e", url, "--concurrency", "1"]);
        assert.equal(again.code, 1);
        // A 409 is about the client's ID: each failure's line names it beside its place.
        assert.match(again.stderr, /^Error: .*409.* \(.*good-.*\.json\[0\], client "i1"\)\n/);
        assert.match(again.stderr, /0 of 2 clients created; not created: .*\[0\], .*\[1\] \(run again with --skip-existing to finish\)\n$/);
        // A client Hydra refused as it is would be refused again: the advice is to fix it first.
        const refused400 = await run(["import", "client", "-", "-e", url], { stdin: '[{"client_id":"i1"},{"client_id":"fragment","redirect_uris":["https://a.example/cb#x"]}]' });
        assert.equal(refused400.code, 1);
        assert.match(refused400.stderr, /\(fix them, then run again with --skip-existing to finish\)\n$/);
        const finished = await run(["import", "client", good, dir.write(`more-${version}.json`, '{"client_id":"i6"}'), "-e", url, "--skip-existing"]);
        assert.equal(finished.code, 0, finished.stderr);
        // Hydra v2's view: the table of the clients created, once all are done (one: two columns).
        assert.match(finished.stdout, new RegExp(`^CLIENT ID +i6\nCLIENT SECRET +${fake.generatedSecret}\n`));
        assert.match(finished.stderr, /^1 of 3 clients created, 2 skipped as existing\n$/m);
        assert.ok(fake.clients.has("i6"));

        // One client created is printed as itself, as Hydra v2 prints it, so a path into it works.
        const secret = await run(["import", "client", "-", "-e", url, "--format", "jsonpath=client_secret"], { stdin: '[{"client_id":"i7"}]' });
        assert.deepEqual([secret.code, secret.stdout], [0, `"${fake.generatedSecret}"\n`], secret.stderr);
        const json = await run(["import", "client", "-", "-e", url, "--format", "json"], { stdin: '[{"client_id":"i8"}]' });
        assert.equal(JSON.parse(json.stdout).client_id, "i8");
        // A path that matches nothing: the client exists and its secret is lost, which the error says (exit 1, not 2).
        const lost = await run(["import", "client", "-", "-e", url, "--format", "jsonpath=$.nothing_here"], { stdin: '[{"client_id":"i9"}]' });
        assert.equal(lost.code, 1);
        assert.match(lost.stderr, /^Error: --format jsonpath "\$\.nothing_here" matches nothing in the result: 1 of 1 clients created; created but not shown, with any secret Hydra generated for them: i9\n$/);
        // Nothing created and a path: the failure alone is said, not a path into nothing.
        const failed = await run(["import", "client", "-", "-e", url, "--format", "jsonpath=client_id"], { stdin: '[{"client_id":"i9"}]' });
        assert.equal(failed.code, 1);
        assert.equal(failed.stdout, "");
        assert.doesNotMatch(failed.stderr, /matches nothing/);
      });
    });
  });
}

test("a route Hydra v2 says it does not have (an endpoint ending in /admin) is no missing client: a delete does not pass for done", async () => {
  // Hydra v2's router, in JSON since hydractl asks for JSON: `error` an object, not a string.
  const router = await serveLocal(
    () => Response.json({ error: { code: 404, message: "Not Found", reason: "The requested route does not exist. Make sure you are using the right path, domain, and port." } }, { status: 404 }),
  );
  try {
    const { url } = router;
    const doubled = await run(["delete", "client", "c1", "-e", `${url}/admin`]);
    assert.deepEqual([doubled.code, doubled.stdout], [1, ""]);
    assert.equal(doubled.stderr, `Error: ${url}/admin has no route for DELETE /admin/admin/clients/c1 (the server says so); give Hydra's admin URL without /admin, which hydractl adds\n`);
    const prefixed = await run(["get", "jwks", "s1", "-e", `${url}/hydra`]);
    assert.equal(prefixed.stderr, `Error: ${url}/hydra has no route for GET /hydra/admin/keys/s1 (the server says so); is it Hydra's admin API, and its path right?\n`);
  } finally {
    await router.close();
  }
});

test("a 401 names --access-token and, after what was asked in the words of other failures, the path as sent; a server that is not Hydra's admin API is named", async () => {
  const locked = await serveLocal(() => Response.json({ error: "request_unauthorized", error_description: "no token" }, { status: 401 }));
  const html = await serveLocal(() => new Response("<html>not here</html>", { status: 404, headers: { "Content-Type": "text/html" } }));
  try {
    const denied = await run(["get", "client", "c1", "-e", `${locked.url}/gate`]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /^Error: reading client "c1" \(GET \/gate\/admin\/clients\/c1\) failed: 401 Unauthorized: no token; if the admin API needs a token, give it with --access-token or OAUTH2_ACCESS_TOKEN\n$/);
    const withToken = await run(["get", "client", "c1", "-e", locked.url, "--access-token", "t"]);
    assert.match(withToken.stderr, /check the token given with --access-token or OAUTH2_ACCESS_TOKEN\n$/);
    const other = await run(["clients", "list", "-e", html.url]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /serves neither \/admin\/clients nor \/clients; is it Hydra's admin API\?\n$/);
  } finally {
    await locked.close();
    await html.close();
  }
});

test("list --all: Ctrl+C ends after the page under way, the JSON array closed, and says how many were listed", async () => {
  const fake = fakeHydra({ clients: seed(300) });
  const server = await serveSlowly(fake.handler, 30);
  try {
    const cli = spawnCli(["list", "clients", "--all", "--page-size", "10", "--format", "json", "-e", server.url]);
    const { code, stdout, stderr } = await interruptWhen(cli, () => fake.requests.length >= 3, "listing clients");
    assert.equal(code, 130, stderr);
    const listed = (JSON.parse(stdout) as unknown[]).length;
    assert.ok(listed < 300, "the listing stopped");
    assert.equal(stderr, `Interrupted: finishing the page under way (Ctrl+C again to quit at once)\nError: interrupted: ${listed} clients listed, the pages after them not read\n`);
  } finally {
    await server.close();
  }
});

test("import: Ctrl+C takes no new client, shows every one already sent, and says where to go on", async () => {
  const fake = fakeHydra();
  // A server that takes a while, as a real one does under load: Ctrl+C lands mid-import.
  const server = await serveSlowly(fake.handler, 30);
  try {
    const file = dir.write("many.json", JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ client_id: `m${i}`, token_endpoint_auth_method: "none" }))));
    const cli = spawnCli(["import", "client", file, "-e", server.url, "--concurrency", "4"]);
    const { code, stdout, stderr } = await interruptWhen(cli, () => fake.clients.size >= 8, "creating clients");
    const created = fake.clients.size;
    assert.ok(created < 500, "the import stopped");
    assert.equal(code, 130, stderr);
    // Every client the server made has its row in Hydra v2's table: none was created unseen.
    assert.equal(stdout.split("\n").filter((line) => /^m\d+ /.test(line)).length, created);
    assert.match(stderr, /^Interrupted: waiting for the clients already sent \(Ctrl\+C again to quit at once\)\n/);
    assert.match(
      stderr,
      new RegExp(`\\nError: interrupted: ${created} of 500 clients created; not attempted: ${500 - created}, from [^\\n]*many\\.json\\[${created}\\] on \\(run again with --skip-existing to finish\\)\\n$`),
    );
  } finally {
    await server.close();
  }
});

test("import: a second Ctrl+C quits at once, naming the clients created, those under way and where the rest begins", async () => {
  const fake = fakeHydra();
  // Once 8 clients exist the server holds every further request unanswered, and Ctrl+C comes
  // once one is held: there are clients under way at the first Ctrl+C, and still at the
  // second, however late either comes.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let holding = 0;
  const server = await serveSlowly(async (request) => {
    if (fake.clients.size >= 8) {
      holding++;
      await held;
    }
    return await fake.handler(request);
  }, 50);
  try {
    const file = dir.write("quit.json", JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ client_id: `q${i}`, token_endpoint_auth_method: "none" }))));
    const cli = spawnCli(["import", "client", file, "-e", server.url, "--concurrency", "4"]);
    await waitUntil(cli, () => holding > 0, "creating clients");
    cli.interrupt();
    // Two signals sent at once may arrive as one: the second goes once the first is taken.
    await waitUntil(cli, () => cli.stderr().includes("Ctrl+C again"), "the first Ctrl+C taken");
    // Beyond the moment in which the same signal again counts as sent twice by one sender.
    await new Promise((resolve) => setTimeout(resolve, 250));
    cli.interrupt();
    const { code, stdout, stderr } = await cli.exited;
    assert.equal(code, 130, stderr);
    assert.equal(stdout, "", "Hydra v2's table comes at the end, which quitting never reaches");
    const said = /\nError: quit at once: (\d+) of 500 clients created; not shown, with any secret Hydra generated for them: ([^;]+)(?:; under way, perhaps created: ([^;]+))?; not attempted: (\d+), from [^\n]*quit\.json\[(\d+)\] on\n$/.exec(stderr);
    assert.ok(said, stderr);
    const [, count, ids, underWay, notAttempted, next] = said;
    const named = ids!.split(", ");
    assert.equal(named.length, Number(count));
    for (const id of named) assert.ok(fake.clients.has(id), `${id} was created`);
    // Those under way are named by their place in the file.
    const sentUnanswered = underWay ? underWay.split(", ") : [];
    for (const place of sentUnanswered) assert.match(place, /quit\.json\[\d+\]$/);
    assert.equal(Number(count) + sentUnanswered.length + Number(notAttempted), 500);
    assert.equal(Number(next), 500 - Number(notAttempted));
  } finally {
    release();
    await server.close();
  }
});

test("import: once a request cannot reach the server, no new client is sent, and the rest are named as not attempted", async () => {
  const file = dir.write("unreachable.json", JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ client_id: `u${i}` }))));
  const gone = await serveLocal(() => new Response());
  await gone.close();
  const { code, stderr } = await run(["import", "client", file, "-e", gone.url, "--concurrency", "2"]);
  assert.equal(code, 1, stderr);
  const summary = stderr.trim().split("\n").at(-1)!;
  // The requests already under way fail too, each said on its own line; none after them is sent.
  assert.match(summary, /^Error: 0 of 100 clients created; not created: \S+\[0\], \S+\[1\]; not attempted: 98, from \S+\[2\] on, as \S+\[[01]\] did not reach the server \(run again with --skip-existing to finish\)$/);
  assert.equal(stderr.match(/connection refused/g)?.length, 2);
});

test("import: once a request gets no answer in time (a server that hangs), no new client is sent: each one it created would hold a secret no one saw", async () => {
  const file = dir.write("hung.json", JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ client_id: `h${i}` }))));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const hung = await serveLocal(async () => {
    await held;
    return new Response("late", { status: 503 });
  });
  try {
    const { code, stderr } = await run(["import", "client", file, "-e", hung.url, "--concurrency", "2", "--fail-after", "1s"]);
    assert.equal(code, 1, stderr);
    const summary = stderr.trim().split("\n").at(-1)!;
    assert.match(summary, /^Error: 0 of 20 clients created; perhaps created, to check before importing them again \(a secret Hydra generated for one was never shown\): \S+\[[01]\], \S+\[[01]\]; not attempted: 18, from \S+\[2\] on, as \S+\[[01]\] got no answer in time \(run again with --skip-existing to finish\)$/);
  } finally {
    release();
    await hung.close();
  }
});

test("Ctrl+C ends the retries of a server that answers 503: import and list --all give their account at once", async () => {
  const busy = await serveLocal(() => new Response("busy", { status: 503 }));
  try {
    const file = dir.write("busy.json", JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ client_id: `b${i}` }))));
    // v1.8's word order retries for a minute by default.
    const importing = spawnCli(["clients", "import", file, "-e", busy.url, "--concurrency", "2"]);
    const started = Date.now();
    const imported = await interruptWhen(importing, () => importing.stderr().includes("(Ctrl+C stops)"), "retrying");
    assert.ok(Date.now() - started < 20_000, "not the minute of retries");
    assert.equal(imported.code, 130, imported.stderr);
    // Both requests under way met the same 503: said once.
    assert.equal(imported.stderr.match(/answered 503; retrying/g)?.length, 1, imported.stderr);
    assert.match(imported.stderr, /\nError: interrupted: 0 of 10 clients created; not created: \S+\[0\], \S+\[1\]; not attempted: 8, from \S+\[2\] on \(run again with --skip-existing to finish\)\n$/);

    const listing = spawnCli(["clients", "list", "--all", "--format", "json", "-e", busy.url]);
    const listed = await interruptWhen(listing, () => listing.stderr().includes("(Ctrl+C stops)"), "retrying");
    assert.equal(listed.code, 130, listed.stderr);
    assert.equal(listed.stdout, "", "no page came, so no array was opened");
    assert.match(listed.stderr, /\nError: interrupted: 0 clients listed, the pages after them not read; the page under way failed: .*503.*\n$/);
  } finally {
    await busy.close();
  }
});

test("delete: Ctrl+C ends after the deletion under way, and names the IDs not attempted", async () => {
  const fake = fakeHydra({ clients: seed(200) });
  const server = await serveSlowly(fake.handler, 30);
  try {
    const ids = Array.from({ length: 200 }, (_, i) => `c${i + 1}`);
    const cli = spawnCli(["delete", "client", ...ids, "-e", server.url]);
    const { code, stdout, stderr } = await interruptWhen(cli, () => fake.clients.size <= 195, "deleting clients");
    const deleted = 200 - fake.clients.size;
    assert.equal(code, 130, stderr);
    // Hydra v2's view of what was deleted, then what was not attempted.
    assert.deepEqual(stdout.trim().split("\n").slice(1), ids.slice(0, deleted));
    const rest = ids.slice(deleted).join(", ");
    assert.equal(stderr, `Interrupted: finishing the deletion under way (Ctrl+C again to quit at once)\nError: interrupted: ${deleted} of 200 clients deleted; not attempted: ${rest}\n`);
  } finally {
    await server.close();
  }
});

// The first signal stops the run after the deletion under way; a second quits at once. A
// SIGTERM is named as itself, and its exit code is 143, where Ctrl+C's is 130.
for (const [signal, notice, exitCode] of [
  ["SIGINT", "Interrupted: finishing the deletion under way (Ctrl+C again to quit at once)\n", 130],
  ["SIGTERM", "Interrupted (SIGTERM): finishing the deletion under way (SIGTERM again to quit at once)\n", 143],
] as const) {
  test(`delete: a second ${signal} quits at once, exit ${exitCode}, naming what was deleted, the deletion under way and the IDs not attempted`, async () => {
    const fake = fakeHydra({ clients: seed(20) });
    // Each DELETE is held 400 ms once it has arrived: the signals come while the third is
    // under way, whatever the pace of the runtime.
    let arrived = 0;
    const server = await serveLocal(async (request) => {
      arrived++;
      await new Promise((resolve) => setTimeout(resolve, 400));
      return await fake.handler(request);
    });
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `c${i + 1}`);
      const cli = spawnCli(["delete", "client", ...ids, "-e", server.url]);
      await waitUntil(cli, () => arrived >= 3, "deleting clients");
      cli.interrupt(signal);
      await waitUntil(cli, () => cli.stderr().includes("again to quit"), `the first ${signal} taken`);
      assert.equal(cli.stderr(), notice);
      await new Promise((resolve) => setTimeout(resolve, 250));
      cli.interrupt(signal);
      const { code, stderr } = await cli.exited;
      assert.equal(code, exitCode, stderr);
      const said = /\nError: quit at once: (\d+) of 20 clients deleted \(([^)]+)\); (c\d+) under way, perhaps deleted; not attempted: ([^\n]+)\n$/.exec(stderr);
      assert.ok(said, stderr);
      const [, count, deleted, underWay, rest] = said;
      assert.deepEqual(deleted!.split(", "), ids.slice(0, Number(count)));
      assert.equal(underWay, ids[Number(count)]);
      assert.equal(rest, ids.slice(Number(count) + 1).join(", "));
    } finally {
      await server.close();
    }
  });
}

test("list: a server that repeats a page is stopped before its clients show twice, not followed for ever; v1.8 is told it has no tokens", async () => {
  // A server that ignores the token: the first page again, under the same token, then under new ones.
  let answered = 0;
  const server = await serveLocal(() => {
    const token = answered++ === 0 ? "abc" : `abc${answered}`;
    return Response.json([{ client_id: "c1" }], { headers: { Link: `</admin/clients?page_size=1&page_token=${token}>; rel="next"` } });
  });
  try {
    const all = await run(["list", "clients", "-e", server.url, "--all", "--format", "jsonpath=$.client_id"]);
    assert.equal(all.code, 1, all.stderr);
    assert.equal(all.stdout, '"c1"\n');
    assert.equal(all.stderr, 'Error: listing clients: the server gave a page that starts with client "c1" a second time; stopped there\n');
    assert.equal(answered, 2);
  } finally {
    await server.close();
  }
  // The walk to a --page of Hydra v2, by tokens, too.
  await withLinkedPage('</admin/clients?page_size=1&page_token=abc>; rel="next"', async (url) => {
    const third = await run(["list", "clients", "-e", url, "--page", "3"]);
    assert.equal(third.code, 1, third.stderr);
    assert.equal(third.stdout, "");
    assert.equal(third.stderr, 'Error: listing clients: the server gave a page that starts with client "c1" a second time; stopped there\n');
  });
  await withFake("v1.8.5", seed(3), async (url) => {
    const tokened = await run(["list", "clients", "-e", url, "--page-token", "abc"]);
    assert.equal(tokened.code, 1);
    assert.equal(tokened.stderr, "Error: Hydra v1.8 pages by offset and has no page tokens: use --limit and --page\n");
    assert.equal(tokened.stdout, "");
  });
});

// Both Hydras link a next page after the empty page of a server with no clients, and after
// that one, for ever (the fake links as they do): --all walked it until killed.
test("list --all: a Hydra with no clients ends the list at its empty first page, in both versions", async () => {
  for (const version of ["v2", "v1.8.5"] as const) {
    await withFake(version, [], async (url, fake) => {
      const all = await run(["list", "clients", "-e", url, "--all", "--format", "json"], { timeoutMs: 10_000 });
      assert.equal(all.code, 0, all.stderr);
      assert.equal(all.stdout, "[]\n");
      // The first page only (v1.8's after v2's /admin path it lacks).
      assert.deepEqual(fake.requests.filter((request) => request.status === 200).map((request) => request.query.get("page_token") ?? request.query.get("offset")), [version === "v2" ? null : "0"]);
      const page = await run(["list", "clients", "-e", url, "--format", "json"]);
      // Where Hydra v2's CLI prints the token of that next page and false.
      assert.deepEqual(JSON.parse(page.stdout), { items: [], next_page_token: "", is_last_page: true });
      // YAML's empty list too, not an empty document.
      const yaml = await run(["list", "clients", "-e", url, "--all", "--format", "yaml"]);
      assert.deepEqual([yaml.code, yaml.stdout], [0, "[]\n"]);
    });
  }
});

test("list --all refuses a path written for the page (items.#.client_id), which would match no client; list of v1.8 filtered a page at a time says so", async () => {
  for (const format of ["jsonpath=items.#.client_id", "jsonpath=$.items[*].client_id", "jsonpointer=/items/0/client_id"]) {
    const refused = await run(["list", "clients", "-e", "http://127.0.0.1:1", "--all", "--format", format]);
    assert.deepEqual([refused.code, refused.stderr.split("\n")[0]], [2, "Error: with --all a --format path applies to each client, not to the page: leave out its items part (client_id, not items.#.client_id)"], format);
  }
  await withFake("v1.8.5", [...seed(3), ...seed(3, { owner: "team" }).map((client, n) => ({ ...client, client_id: `t${n}` }))], async (url) => {
    const page = await run(["clients", "list", "-e", url, "--owner", "team", "--limit", "2"]);
    assert.equal(page.code, 0, page.stderr);
    assert.equal(page.stderr, "note: Hydra v1.8 cannot filter by name or owner, so only this page was filtered, here; --all filters every client\n");
  });
});

test("list --all: a next page the server names with neither a token nor an offset is an error after the clients before it, not the end", async () => {
  for (const link of ['</admin/clients?page_size=1&cursor=2>; rel="next"', '<http://[bad>; rel="next"', '</clients?limit=1&offset=x>; rel="next"']) {
    await withLinkedPage(link, async (url) => {
      const all = await run(["list", "clients", "-e", url, "--all", "-q"]);
      assert.equal(all.code, 1, all.stderr);
      assert.equal(all.stdout, "c1\n");
      assert.equal(all.stderr, `Error: listing clients: the server names a next page with neither a page token nor an offset (<${link.slice(1, link.indexOf(">"))}>); stopped there\n`);
    });
  }
  // Hydra v1.8's next page by offset, pointing back.
  await withLinkedPage('</clients?limit=1&offset=0>; rel="next"', async (url) => {
    const all = await run(["clients", "list", "--endpoint", url, "--all", "-q"]);
    assert.equal(all.code, 1, all.stderr);
    assert.equal(all.stdout, "c1\n");
    assert.equal(all.stderr, "Error: listing clients: the server names the next page at offset 0, not after this page's (0); stopped there\n");
  });
});
