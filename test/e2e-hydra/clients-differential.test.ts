// hydractl beside Hydra's own CLI: for every client command both have, the real `hydra`
// binary of the server's version and hydractl run with the same arguments against the same
// real server, through a recording proxy; the requests that reached Hydra's routes and the
// clients they left behind must agree. The README lists each deliberate difference.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { repoRoot, run } from "../support/cli.ts";
import { tempDir } from "../support/runtime.ts";
import { hydractl, instances, isV1, readClient, skipWithoutHydra } from "./support/hydra.ts";

interface Recorded {
  method: string;
  path: string;
  query: string;
  body: unknown;
  status: number;
}

/** Forwards to the admin API on TCP and records each request with the status Hydra gave it. */
async function recordingProxy(target: string): Promise<{ url: string; log: Recorded[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const log: Recorded[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(incoming.url ?? "/", "http://proxy");
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host } },
        (answer) => {
          log.push({ method: incoming.method!, path: url.pathname, query: url.search, body: text ? JSON.parse(text) : undefined, status: answer.statusCode ?? 0 });
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, log, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The requests as method, path and query. On v1.8, hydractl first asks for /admin and gets
 * Go's plain 404 (a deliberate difference, listed in the README): those probes are left out.
 */
const shape = (log: Recorded[], v1: boolean) =>
  log.filter((entry) => !(v1 && entry.status === 404 && entry.path.startsWith("/admin/"))).map(({ method, path, query }) => `${method} ${path}${withoutEmpty(query)}`);

/** Hydra v2's CLI sends an empty page_token on the first page; hydractl leaves it out. Both mean the same. */
function withoutEmpty(query: string): string {
  const params = [...new URLSearchParams(query)].filter(([, value]) => value !== "");
  return params.length ? `?${new URLSearchParams(params)}` : "";
}

/**
 * What a client is, apart from what tells two runs apart (ID, time stamps, secret) and
 * one deliberate difference: Hydra v2's CLI sends its flag default request_object_signing_alg
 * RS256 where hydractl, like v1.8's CLI, leaves the field to the server (see the README).
 */
function state(client: Record<string, unknown>): Record<string, unknown> {
  const { client_id: _id, created_at: _c, updated_at: _u, client_secret: _s, registration_access_token: _r, registration_client_uri: _rc, request_object_signing_alg: _a, ...rest } = client;
  // Hydra stores an empty list and a missing one alike, and an unset flag and false, but shows them as [], null or false.
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, (Array.isArray(value) && value.length === 0) || value === false ? null : value]));
}

const tcp = instances.filter((hydra) => !hydra.adminSocket);
const dir = tempDir();
after(() => dir.remove());

for (const hydra of tcp) {
  const hydraCli = `${repoRoot}.cache/hydra/bin/hydra-${hydra.version}`;
  const skip = skipWithoutHydra || (existsSync(hydraCli) ? false : `${hydraCli} is not built`);
  describe(`hydractl beside ${hydra.version}'s own CLI (${hydra.name})`, { skip }, () => {
    const v1 = isV1(hydra);
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    before(async () => void (proxy = await recordingProxy(hydra.adminEndpoint)));
    after(async () => await proxy?.close());

    /** Runs one tool with `args` (`{id}` stands for the tool's own client ID); returns its requests. */
    async function side(tool: "hydra" | "hydractl", args: string[], id: string, stdin?: string): Promise<{ requests: Recorded[]; stdout: string }> {
      const start = proxy.log.length;
      const line = [...args.map((arg) => arg.replaceAll("{id}", id)), "--endpoint", proxy.url];
      const result = tool === "hydra" ? await run(line, { binary: hydraCli, stdin, env: { ORY_SDK_URL: proxy.url } }) : await hydractl(line, { stdin });
      assert.equal(result.code, 0, `${tool} ${line.join(" ")}: ${result.stderr}`);
      return { requests: proxy.log.slice(start), stdout: result.stdout };
    }

    /** Both tools, the same arguments; the requests must have the same shape and leave the same client. */
    async function compare(args: string[], ids: [string, string], options: { stdin?: string; state?: boolean } = {}) {
      const theirs = await side("hydra", args, ids[0], options.stdin);
      const ours = await side("hydractl", args, ids[1], options.stdin);
      const normalize = (requests: Recorded[], id: string) => shape(requests, v1).map((line) => line.replaceAll(id, "{id}"));
      assert.deepEqual(normalize(ours.requests, ids[1]), normalize(theirs.requests, ids[0]), args.join(" "));
      if (options.state !== false) assert.deepEqual(state(await readClient(hydra, ids[1])), state(await readClient(hydra, ids[0])), args.join(" "));
      return { theirs, ours };
    }

    const tag = hydra.version.replaceAll(".", "");
    const ids = (name: string): [string, string] => [`diff-${tag}-${name}-hydra`, `diff-${tag}-${name}-hydractl`];
    // Each generation's own spelling: v1.8's flags and word order, or v2's.
    const create = v1
      ? ["clients", "create", "--id", "{id}", "-n", "diff", "-c", "https://app.example/cb", "-g", "authorization_code,refresh_token", "-r", "code", "-a", "openid,offline", "--audience", "https://api.example", "--secret", "a-secret-of-some-length"]
      : ["create", "client", "--id", "{id}", "--name", "diff", "--redirect-uri", "https://app.example/cb", "--grant-type", "authorization_code,refresh_token", "--response-type", "code", "--scope", "openid,offline", "--audience", "https://api.example", "--secret", "a-secret-of-some-length", "--owner", "diff-owner"];

    test("create: the same route and the same client", async () => {
      await compare(create, ids("c"));
    });

    test("flags before the command's words: the same route and the same client", async () => {
      // As an alias or a wrapper that puts its flags first would call them.
      const words = v1 ? ["clients", "create"] : ["create", "client"];
      const named = v1 ? ["-n", "first"] : ["--name", "first"];
      await compare(["--id", "{id}", ...named, ...words, "--secret", "a-secret-of-some-length"], ids("flags-first"));
    });

    // Hydra v1.8's create has no --file.
    if (!v1) {
      test("create --file with --id: the same route and the same client, named by --id", async () => {
        const file = dir.write(`file-id-${tag}.json`, JSON.stringify({ client_id: "the-file-s-own", client_name: "from a file", grant_types: ["client_credentials"], response_types: ["token"], scope: "core" }));
        await compare(["create", "client", "--file", file, "--id", "{id}"], ids("file-id"));
      });
    }

    test("get: the same request", async () => {
      const [theirs, ours] = ids("c");
      const args = v1 ? ["clients", "get"] : ["get", "client"];
      const a = await side("hydra", [...args, theirs], theirs);
      const b = await side("hydractl", [...args, ours], ours);
      assert.deepEqual(shape(b.requests, v1).map((line) => line.replace(ours, "{id}")), shape(a.requests, v1).map((line) => line.replace(theirs, "{id}")));
      if (v1) assert.equal(JSON.parse(b.stdout).client_id, ours);
    });

    test("list: the same query for one page, with the page size given and by default", async () => {
      for (const args of v1 ? [["clients", "list", "--limit", "2", "--page", "2"], ["clients", "list", "--page", "2"]] : [["list", "clients", "--page-size", "2"], ["list", "clients"]]) {
        const a = await side("hydra", args, "");
        const b = await side("hydractl", args, "");
        assert.deepEqual(shape(b.requests, v1), shape(a.requests, v1), args.join(" "));
      }
    });

    // Hydra v2's table separates its columns with tabs, hydractl's with spaces (see the README).
    if (v1) {
      test("list: the same table, byte for byte, with cells long enough to wrap and several redirect URIs", async () => {
        const [, ours] = ids("wrap");
        await side("hydractl", ["clients", "create", "--id", "{id}", "-n", "a name with several words that wraps", "-a", "openid,offline_access,profile,email,address", "-c", "http://a/1,http://b/2,https://app.example/a/long/callback/path"], ours);
        const args = ["clients", "list", "--limit", "500"];
        const [a, b] = [await side("hydra", args, ""), await side("hydractl", args, "")];
        assert.match(b.stdout, /\| a name with several words that \|/);
        assert.equal(b.stdout, a.stdout);
      });
    }

    test("update: the same route and the same client", async () => {
      for (const id of ids("u")) await side("hydractl", create, id);
      const update = v1
        ? ["clients", "update", "{id}", "-n", "updated", "-g", "client_credentials", "-r", "token", "-a", "core"]
        : ["update", "client", "{id}", "--name", "updated", "--grant-type", "client_credentials", "--response-type", "token", "--scope", "core"];
      await compare(update, ids("u"));
    });

    test("import: the same routes and the same clients", async () => {
      const [theirs, ours] = ids("i");
      // v1.8 reads one client a file, v2 an array of them; hydractl reads either.
      const client = (id: string) => ({ client_id: id, client_name: "imported", grant_types: ["client_credentials"], response_types: ["token"], scope: "core" });
      const file = (id: string) => dir.write(`${id}.json`, JSON.stringify(v1 ? client(id) : [client(id)]));
      const args = v1 ? ["clients", "import"] : ["import", "client"];
      const a = await side("hydra", [...args, file(theirs)], theirs);
      const b = await side("hydractl", [...args, file(ours)], ours);
      assert.deepEqual(shape(b.requests, v1).map((line) => line.replace(ours, "{id}")), shape(a.requests, v1).map((line) => line.replace(theirs, "{id}")));
      assert.deepEqual(state(await readClient(hydra, ours)), state(await readClient(hydra, theirs)));
      if (!v1) {
        // Hydra v2's table, its cells apart from the ID and the generated secret; spaces pad where it puts tabs.
        const cells = (stdout: string, id: string) =>
          stdout.replaceAll(id, "{id}").replace(/^(CLIENT SECRET\s+)\S+/m, "$1{secret}").split("\n").map((line) => line.trim().split(/\s+/).join(" "));
        assert.deepEqual(cells(b.stdout, ours), cells(a.stdout, theirs));
      }
    });

    test("create to a full disk: both create the client; Hydra's CLI exits 0 without a word, hydractl 1 naming it", async () => {
      const [theirs, ours] = ids("f");
      const line = (id: string) => [...create.map((arg) => arg.replaceAll("{id}", id)), "--endpoint", proxy.url];
      const a = await run(line(theirs), { binary: hydraCli, stdout: "full", env: { ORY_SDK_URL: proxy.url } });
      const b = await hydractl(line(ours), { stdout: "full" });
      assert.deepEqual([a.code, a.stderr], [0, ""]);
      assert.equal(b.code, 1);
      // After the warning that --secret on the command line draws.
      assert.equal(b.stderr.split("\n").at(-2), `Error: client ${ours} was created, but the output could not be written: no space left on device`);
      assert.deepEqual(state(await readClient(hydra, ours)), state(await readClient(hydra, theirs)));
    });

    // Hydra v1.8's CLI has no -q.
    if (!v1) {
      test("-q and --format jsonpath/jsonpointer print what Hydra v2 prints", async () => {
        const [theirs, ours] = ids("q");
        const same = async (args: string[]) => {
          const a = await side("hydra", args, theirs);
          const b = await side("hydractl", args, ours);
          assert.equal(b.stdout.replaceAll(ours, "{id}"), a.stdout.replaceAll(theirs, "{id}"), args.join(" "));
          return b.stdout.replaceAll(ours, "{id}");
        };
        const quiet = (args: string[]) => same([...args, "-q"]);
        assert.equal(await quiet(create), "{id}\n");
        assert.equal(await quiet(["get", "client", "{id}"]), "{id}\n");
        assert.equal(await same(["get", "client", "{id}", "--format", "jsonpath=client_name"]), '"diff"\n');
        assert.equal(await same(["get", "client", "{id}", "--format", "jsonpath=redirect_uris"]), '[\n  "https://app.example/cb"\n]\n');
        // gjson's multipaths, as Hydra v2's CLI builds and prints them (keys sorted, `_` for a path's last part that is not a name).
        assert.equal(await same(["get", "client", "{id}", "--format", "jsonpath={grant_types.#,client_name}"]), '{\n  "_": 2,\n  "client_name": "diff"\n}\n');
        assert.equal(await same(["get", "client", "{id}", "--format", "jsonpath=[client_name,redirect_uris.0]"]), '[\n  "diff",\n  "https://app.example/cb"\n]\n');
        await same(["list", "clients", "--page-size", "3", "--format", "jsonpath=items.#.{client_name,scope}"]);
        assert.equal(await same(["get", "client", "{id}", "--format", "jsonpointer=/grant_types/1"]), '"refresh_token"\n');
        assert.equal(await same(["get", "client", "{id}", "--format", "jsonpointer=/client_id"]), '"{id}"\n');
        assert.equal(await quiet(["update", "client", "{id}", "--name", "quiet", "--secret", "another-secret-of-length"]), "{id}\n");
        // A secret chosen, read back as tutorials read it (`--format json | jq -r .client_secret`).
        assert.equal(await same(["update", "client", "{id}", "--name", "chosen", "--secret", "a-chosen-secret-of-length", "--format", "jsonpath=client_secret"]), '"a-chosen-secret-of-length"\n');
        assert.equal(await quiet(["delete", "client", "{id}"]), "{id}\n");
      });
    }

    test("delete: the same request, and both clients gone", async () => {
      const [theirs, ours] = ids("c");
      const args = v1 ? ["clients", "delete"] : ["delete", "client"];
      const a = await side("hydra", [...args, theirs], theirs);
      const b = await side("hydractl", [...args, ours], ours);
      assert.deepEqual(shape(b.requests, v1).map((line) => line.replace(ours, "{id}")), shape(a.requests, v1).map((line) => line.replace(theirs, "{id}")));
      for (const id of [theirs, ours]) await assert.rejects(readClient(hydra, id));
    });
  });
}
