// `clients create` as a user runs it: a separate process (the sources on this test
// runner's runtime) against a fake Hydra that checks every body against Hydra's schema.
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { after, before, test } from "node:test";
import { interruptWhen, run, spawnCli } from "../support/cli.ts";
import { type FakeHydra, serveFakeHydra } from "../support/fake-hydra.ts";
import { serveLocal, serveUnix, tempDir, testCertificate } from "../support/runtime.ts";

let fake: FakeHydra;
let server: Awaited<ReturnType<typeof serveFakeHydra>>;
const dir = tempDir();

before(async () => {
  server = await serveFakeHydra();
  fake = server.fake;
});
after(async () => {
  await server?.close();
  dir.remove();
});

const create = (args: string[], options: Parameters<typeof run>[1] = {}) =>
  run(["clients", "create", "--endpoint", server.url, ...args], options);
const lastBody = () => fake.received.at(-1)!;

test("a generated secret is shown once, in v1.8's words", async () => {
  const result = await create(["--id", "generated", "-n", "my app", "-c", "http://localhost/cb", "-a", "core,foobar"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `OAuth 2.0 Client ID: generated\nOAuth 2.0 Client Secret: ${fake.generatedSecret}\n`);
  assert.equal(result.stderr, "");
  assert.deepEqual(lastBody(), {
    client_id: "generated",
    client_name: "my app",
    redirect_uris: ["http://localhost/cb"],
    scope: "core foobar",
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    subject_type: "public",
  });
});

test("--secret on the command line warns; it is not echoed in the tables a person reads, and is in the formats a script reads, as Hydra prints it", async () => {
  const result = await create(["--id", "chosen", "--secret", "s3cret-chosen"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "OAuth 2.0 Client ID: chosen\n");
  assert.match(result.stderr, /shell history; use --secret - to read it from stdin/);
  assert.equal(lastBody().client_secret, "s3cret-chosen");
  const table = await run(["create", "client", "--endpoint", server.url, "--id", "chosen-table", "--secret", "s3cret-chosen"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^CLIENT ID\s+chosen-table$/m);
  assert.doesNotMatch(table.stdout, /s3cret-chosen/);
  // A tutorial's `--format json | jq -r .client_secret`, and what it asks for by name.
  const json = await create(["--id", "chosen-json", "--secret", "s3cret-chosen", "--format", "json"]);
  assert.equal(JSON.parse(json.stdout).client_secret, "s3cret-chosen");
  const path = await create(["--id", "chosen-path", "--secret", "s3cret-chosen", "--format", "jsonpath=client_secret"]);
  assert.deepEqual([path.code, path.stdout], [0, '"s3cret-chosen"\n']);
  // The secret is no generated one, to be warned of when a path leaves it out.
  const id = await create(["--id", "chosen-id", "--secret", "s3cret-chosen", "--format", "jsonpath=client_id"]);
  assert.doesNotMatch(id.stderr, /secret Hydra generated/);
  assert.equal(id.stdout, '"chosen-id"\n');
});

test("metadata of any JSON goes as given, as Hydra stores any: a client whose metadata is not an object can be created, and restored from its own JSON", async () => {
  const flag = await run(["create", "client", "--endpoint", server.url, "--metadata", '[1,"a"]', "--format", "json"]);
  assert.equal(flag.code, 0, flag.stderr);
  assert.deepEqual(lastBody().metadata, [1, "a"]);
  const saved = dir.write("string-metadata.json", JSON.stringify({ ...JSON.parse(flag.stdout), client_id: "string-metadata", metadata: "text" }));
  const file = await create(["--file", saved]);
  assert.equal(file.code, 0, file.stderr);
  assert.equal(lastBody().metadata, "text");
});

test("--secret - reads stdin, without the warning", async () => {
  const result = await create(["--id", "from-stdin", "--secret", "-"], { stdin: "piped-secret\n" });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "OAuth 2.0 Client ID: from-stdin\n");
  assert.equal(result.stderr, "");
  assert.equal(lastBody().client_secret, "piped-secret");
});

test("Bun's BUN_CONFIG_VERBOSE_FETCH prints no request, so no token or chosen secret", async () => {
  // Bun's fetch would print each request as a curl command, Authorization header and body
  // included; hydractl's own --dry-run is the way to see requests, secrets left out.
  const env = { BUN_CONFIG_VERBOSE_FETCH: "curl", OAUTH2_ACCESS_TOKEN: "verbose-token" };
  const result = await create(["--id", "verbose", "--secret", "-"], { env, stdin: "verbose-secret\n" });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(lastBody().client_secret, "verbose-secret");
  assert.equal(fake.lastHeaders!.get("authorization"), "Bearer verbose-token");
  assert.equal(result.stderr, "");
});

test("a --format path is checked before the client is created; one that matches nothing says the client exists", async () => {
  const before = fake.requests.length;
  const cutShort = await create(["--id", "fmt-bad", "--format", "jsonpath=$.client_secret["]);
  assert.equal(cutShort.code, 2);
  assert.match(cutShort.stderr, /^Error: invalid --format "jsonpath=\$\.client_secret\[": an unclosed \[\n/);
  assert.equal(fake.requests.length, before);
  const nothing = await create(["--id", "fmt-nothing", "--format", "jsonpath=$.no_such_field"]);
  assert.equal(nothing.code, 1);
  assert.equal(nothing.stderr, 'Error: client fmt-nothing was created (and the secret Hydra generated for it is lost), but --format jsonpath "$.no_such_field" matches nothing in the result\n');
  // Written as Hydra v2 reads paths, one that matches nothing prints null, as Hydra v2 does; the secret it leaves out is said.
  const hydraPath = await create(["--id", "fmt-null", "--format", "jsonpath=no_such_field"]);
  assert.deepEqual([hydraPath.code, hydraPath.stdout], [0, "null\n"]);
  assert.match(hydraPath.stderr, /the secret Hydra generated for client fmt-null is not shown/);
  // A path that selects something else leaves the secret out: said, as -q says it.
  const other = await create(["--id", "fmt-other", "--format", "jsonpath=$.client_id"]);
  assert.deepEqual([other.code, other.stdout, other.stderr], [0, '"fmt-other"\n', "warning: --format jsonpath=$.client_id leaves it out: the secret Hydra generated for client fmt-other is not shown\n"]);
  const secret = await create(["--id", "fmt-secret", "--format", "jsonpointer=/client_secret"]);
  assert.deepEqual([secret.code, secret.stderr], [0, ""]);
});

test("a public client has no secret", async () => {
  const result = await create(["--id", "public", "--token-endpoint-auth-method", "none"]);
  assert.equal(result.stdout, "OAuth 2.0 Client ID: public\nThis OAuth 2.0 Client has no secret\n");
});

test("every output format prints the whole client", async () => {
  const json = JSON.parse((await create(["--id", "fmt-json", "--format", "json"])).stdout);
  assert.equal(json.client_id, "fmt-json");
  assert.equal(json.client_secret, fake.generatedSecret);
  assert.deepEqual(json.grant_types, ["authorization_code"]);
  const pretty = (await create(["--id", "fmt-pretty", "--format", "json-pretty"])).stdout;
  assert.match(pretty, /^\{\n {2}"client_id": "fmt-pretty",/);
  const yaml = (await create(["--id", "fmt-yaml", "--format", "yaml"])).stdout;
  assert.match(yaml, /^client_id: fmt-yaml$/m);
  assert.match(yaml, /^grant_types:\n {2}- authorization_code$/m);
  const table = (await create(["--id", "fmt-table", "--format", "table", "-a", "a,b"])).stdout.split("\n");
  // One client: Hydra v2's two columns, a field a row.
  assert.match(table[0]!, /^CLIENT ID +fmt-table$/);
  assert.match(table[1]!, new RegExp(`^CLIENT SECRET +${fake.generatedSecret}$`));
  assert.match(table[4]!, /^SCOPE +a b$/);
  assert.equal((await create(["--id", "fmt-path", "--format", "jsonpath=$.client_id"])).stdout, '"fmt-path"\n');
  assert.equal((await create(["--id", "fmt-ptr", "--format", "jsonpointer=/response_types/0"])).stdout, '"code"\n');
});

test("the endpoint comes from HYDRA_ADMIN_URL (v1.8), ORY_SDK_URL (v2), HYDRA_URL (v1.8's last resort) or the config file; none at all is named", async () => {
  const viaEnv = await run(["clients", "create", "--id", "via-env"], { env: { HYDRA_ADMIN_URL: server.url, ORY_SDK_URL: "http://127.0.0.1:1" } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const viaV2Env = await run(["create", "client", "--id", "via-v2-env"], { env: { ORY_SDK_URL: server.url } });
  assert.equal(viaV2Env.code, 0, viaV2Env.stderr);
  // In v2's word order ORY_SDK_URL wins, as in Hydra v2's CLI, which reads it alone: a
  // HYDRA_ADMIN_URL left from v1.8 does not send a v2 script to the old server.
  const v2First = await run(["create", "client", "--id", "v2-first"], { env: { HYDRA_ADMIN_URL: "http://127.0.0.1:1", ORY_SDK_URL: server.url } });
  assert.equal(v2First.code, 0, v2First.stderr);
  assert.equal(lastBody().client_id, "v2-first");
  // Hydra v1.8's admin commands fall back to HYDRA_URL; an admin variable wins over it.
  const viaPublicEnv = await run(["clients", "create", "--id", "via-hydra-url"], { env: { HYDRA_URL: server.url } });
  assert.equal(viaPublicEnv.code, 0, viaPublicEnv.stderr);
  // In v1.8's word order, HYDRA_URL wins over ORY_SDK_URL where they differ, as Hydra v1.8's
  // CLI reads it: a variable left from v2 does not send a v1.8 script to the new server.
  const v18First = await run(["clients", "create", "--id", "v18-first"], { env: { ORY_SDK_URL: "http://127.0.0.1:1", HYDRA_URL: server.url } });
  assert.equal(v18First.code, 0, v18First.stderr);
  assert.equal(v18First.stderr, "note: HYDRA_URL and ORY_SDK_URL name different servers; this word order is Hydra v1.8's, which reads HYDRA_URL where HYDRA_ADMIN_URL is unset\n");
  assert.equal(lastBody().client_id, "v18-first");
  // The same server, but for a trailing slash: nothing to say.
  const same = await run(["clients", "create", "--id", "v18-same"], { env: { ORY_SDK_URL: server.url, HYDRA_URL: `${server.url}/` } });
  assert.deepEqual([same.code, same.stderr], [0, ""]);
  const adminFirst = await run(["clients", "create", "--id", "admin-first"], { env: { HYDRA_ADMIN_URL: server.url, ORY_SDK_URL: "http://127.0.0.1:1", HYDRA_URL: "http://127.0.0.1:1" } });
  assert.equal(adminFirst.code, 0, adminFirst.stderr);
  // An empty --endpoint ("$URL" with URL unset) is none given, as in Hydra's CLIs: the environment is read.
  const emptyFlag = await run(["create", "client", "--id", "empty-flag", "--endpoint", ""], { env: { ORY_SDK_URL: server.url } });
  assert.equal(emptyFlag.code, 0, emptyFlag.stderr);
  assert.equal(lastBody().client_id, "empty-flag");
  const emptyAlone = await run(["clients", "create", "--id", "empty-alone", "-e="]);
  assert.deepEqual([emptyAlone.code, emptyAlone.stderr.split("\n")[0]], [2, "Error: missing --endpoint (or the HYDRA_ADMIN_URL or ORY_SDK_URL or HYDRA_URL environment variable)"]);
  const config = dir.write("hydra.yaml", `endpoint: ${server.url}\nfail-after: 2s\n`);
  const viaConfig = await run(["clients", "create", "--id", "via-config", "--config", config]);
  assert.equal(viaConfig.code, 0, viaConfig.stderr);
  const tagged = dir.write("tagged.yaml", `endpoint: !tag ${server.url}\n`);
  const refused = await run(["clients", "create", "--id", "via-tagged", "--config", tagged]);
  assert.deepEqual([refused.code, refused.stderr], [2, `Error: config file ${tagged} is not valid YAML: unknown scalar tag !<!tag> at line 1, column 11\n`]);
  const none = await run(["clients", "create"]);
  assert.equal(none.code, 2);
  assert.equal(none.stderr, "Error: missing --endpoint (or the HYDRA_ADMIN_URL or ORY_SDK_URL or HYDRA_URL environment variable)\nSee 'hydractl clients create --help' for usage.\n");
});

test("headers: -H, --access-token, OAUTH2_ACCESS_TOKEN, --fake-tls-termination", async () => {
  await create(["-H", "X-Tenant: a:b", "--access-token", "flag-token", "--fake-tls-termination"]);
  assert.equal(fake.lastHeaders!.get("x-tenant"), "a:b");
  assert.equal(fake.lastHeaders!.get("authorization"), "Bearer flag-token");
  assert.equal(fake.lastHeaders!.get("x-forwarded-proto"), "https");
  await create([], { env: { OAUTH2_ACCESS_TOKEN: "env-token" } });
  assert.equal(fake.lastHeaders!.get("authorization"), "Bearer env-token");
});

test("a header given twice with -H: its first value is sent, as Hydra's CLI sends it, with one warning", async () => {
  const result = await create(["-H", "X-Tenant: first", "-H", "x-tenant: second", "-H", "X-Other: kept"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(fake.lastHeaders!.get("x-tenant"), "first");
  assert.equal(fake.lastHeaders!.get("x-other"), "kept");
  assert.equal(result.stderr, "warning: -H x-tenant is given more than once; only its first value is sent, as Hydra's CLI sends it\n");
});

test("-H Authorization beside --access-token or OAUTH2_ACCESS_TOKEN: the header's value is sent, with a warning", async () => {
  const warning = (name: string) => `warning: -H ${name} replaces the ${name} header hydractl sends (the token or client credentials it was given); -H's value is sent\n`;
  const flag = await create(["-H", "authorization: Basic YTpi", "--access-token", "flag-token"]);
  assert.equal(flag.code, 0, flag.stderr);
  assert.equal(fake.lastHeaders!.get("authorization"), "Basic YTpi");
  assert.equal(flag.stderr, warning("authorization"));
  const env = await create(["-H", "Authorization: Bearer header-token"], { env: { OAUTH2_ACCESS_TOKEN: "env-token" } });
  assert.equal(fake.lastHeaders!.get("authorization"), "Bearer header-token");
  assert.equal(env.stderr, warning("Authorization"));
  // Without a token there is nothing to replace.
  const alone = await create(["-H", "Authorization: Bearer header-token"]);
  assert.equal(alone.stderr, "");
});

test("bad input is refused before anything is sent", async () => {
  const before = fake.received.length;
  const cases: [string[], RegExp][] = [
    [["-c", "localhost/cb"], /invalid -c "localhost\/cb": expected an absolute URL/],
    [["--redirect-uri", "localhost/cb"], /invalid --redirect-uri "localhost\/cb": expected an absolute URL/],
    [["--subject-type", "secret"], /invalid value "secret" for --subject-type: expected one of public, pairwise/],
    [["--token-endpoint-auth-method", "magic"], /--token-endpoint-auth-method: expected one of client_secret_basic, client_secret_post, private_key_jwt, none/],
    [["--metadata", "{nope"], /--metadata: not JSON/],
    [["--secret", ""], /--secret is empty/],
    // `--id "$ID"` with ID unset would otherwise create a client under a generated ID.
    [["--id", ""], /^Error: --id is empty \(leave it out for an ID Hydra generates\)$/],
    [["--nmae", "x"], /unknown flag: --nmae/],
    [["-n"], /flag needs a value: -n/],
    [["--fail-after", "soon"], /invalid duration "soon" for --fail-after/],
    [["--format", "xml"], /invalid --format "xml"/],
    [["--pgp-key", "%%%"], /invalid --pgp-key/],
    // Base64's letters in a length no encoding has, or padding where none can be.
    [["--pgp-key", "abcde"], /^Error: invalid --pgp-key: expected the base64 encoding of/],
    [["--pgp-key", "QUJD="], /^Error: invalid --pgp-key: expected the base64 encoding of/],
    [["--keybase", "no/such"], /invalid --keybase/],
    [["--pgp-key", "AAAA", "--keybase", "someone"], /use only one of --pgp-key, --keybase/],
    // No request could name such a client afterwards: get, update and delete refuse the ID.
    [["--id", "a/b"], /^Error: invalid --id "a\/b": Hydra's admin API cannot name an ID holding "\/" .*, so the client could not be read, changed or deleted once created$/],
    [["--id", ".."], /^Error: invalid --id "\.\.": a URL path cannot carry \. or \.\. as an ID, so the client/],
  ];
  for (const [args, message] of cases) {
    const result = await create(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr.split("\n")[0]!, message);
    assert.equal(result.stdout, "");
  }
  assert.equal(fake.received.length, before);
});

test("Hydra's refusals: 409 for an existing id, 400 for an invalid client", async () => {
  await create(["--id", "taken"]);
  const conflict = await create(["--id", "taken"]);
  assert.equal(conflict.code, 1);
  assert.equal(
    conflict.stderr,
    "Error: creating the client failed: 409 Conflict: Unable to insert or update resource because a resource with that value exists already\n",
  );
  const invalid = await create(["-c", "http://a/cb#fragment"]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /400 Bad Request: The value of one or more redirect_uris is invalid\. Redirect URIs must not contain fragments/);
});

test("an unreachable server is retried until --fail-after", async () => {
  const gone = await serveLocal(() => new Response());
  await gone.close();
  const result = await run(["clients", "create", "--endpoint", gone.url, "--fail-after", "1s"]);
  assert.equal(result.code, 1);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 2, result.stderr);
  const refused = `cannot connect to ${gone.url}/admin/clients: connection refused; is the server running, and is the port right?`;
  assert.equal(lines[0]!, `${refused} Retrying for up to 1s in all (Ctrl+C stops)`);
  assert.equal(lines[1]!, `Error: ${refused} (gave up after 1s; --fail-after sets how long to wait)`);
});

test("by default, v2's word order makes one attempt, as Hydra v2 does; v1.8's retries for a minute, as Hydra v1.8 does", async () => {
  const gone = await serveLocal(() => new Response());
  await gone.close();
  const refused = `cannot connect to ${gone.url}/admin/clients: connection refused; is the server running, and is the port right?`;
  const once = await run(["create", "client", "--endpoint", gone.url]);
  assert.equal(once.code, 1);
  assert.equal(once.stderr, `Error: ${refused} (one attempt, no retry; --fail-after sets how long to wait)\n`);
  const cli = spawnCli(["clients", "create", "--endpoint", gone.url]);
  const ended = await interruptWhen(cli, () => cli.stderr().includes("Retrying"), "the retry notice");
  assert.match(ended.stderr, /^[^\n]* Retrying for up to 60s in all \(Ctrl\+C stops\)\n/);
});

test("HTTPS: a self-signed server needs its certificate trusted (NODE_EXTRA_CA_CERTS) or --skip-tls-verify, which warns; NODE_TLS_REJECT_UNAUTHORIZED=0 is not obeyed", async () => {
  const certificate = await testCertificate();
  const secure = await serveLocal(fake.handler, certificate);
  try {
    // Node's switch for the check is not hydractl's: as with Hydra's CLI, only
    // --skip-tls-verify turns it off (Bun's fetch obeys NODE_TLS_REJECT_UNAUTHORIZED by default).
    for (const env of [{}, { NODE_TLS_REJECT_UNAUTHORIZED: "0" }]) {
      const refused = await run(["clients", "create", "--endpoint", secure.url], { env });
      assert.equal(refused.code, 1, JSON.stringify(env));
      assert.match(refused.stderr, /TLS handshake with https:\/\/127\.0\.0\.1:\d+\/admin\/clients failed \([^)]+\); NODE_EXTRA_CA_CERTS=FILE trusts the certificate authority in that PEM file; if you trust this server, --skip-tls-verify skips the certificate check\n/);
    }
    // What the error names works, on both runtimes, with the checks on.
    const trusted = await run(["clients", "create", "--endpoint", secure.url, "--id", "over-trusted-tls"], { env: { NODE_EXTRA_CA_CERTS: dir.write("ca.pem", certificate.cert) } });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal(trusted.stderr, "");
    const accepted = await run(["clients", "create", "--endpoint", secure.url, "--skip-tls-verify", "--id", "over-tls"]);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stdout, /^OAuth 2.0 Client ID: over-tls\n/);
    assert.match(accepted.stderr, /warning: --skip-tls-verify is set/);
  } finally {
    await secure.close();
  }
});

test("a unix socket endpoint", async () => {
  const socket = `${dir.path}/admin.sock`;
  const unix = await serveUnix(socket, fake.handler);
  try {
    const result = await run(["clients", "create", "--endpoint", `unix://${socket}`, "--id", "over-socket"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^OAuth 2.0 Client ID: over-socket\n/);
  } finally {
    await unix.close();
  }
});

test("an ID with a control character, which Hydra would create and echo in a Location header no HTTP client reads, is refused before anything is sent", async () => {
  const before = fake.requests.length;
  const given = await create(["--id", "esc\u001bid"]);
  assert.deepEqual([given.code, given.stderr.split("\n")[0]], [2, 'Error: invalid --id "esc\\x1bid": it holds a control character, which Hydra echoes in its answer\'s Location header, where no HTTP client reads it: the client would be created, and reported as not']);
  const file = dir.write("esc.json", JSON.stringify([{ client_id: "fine" }, { client_id: "del\u007fid" }]));
  const imported = await run(["import", "client", file, "--endpoint", server.url]);
  assert.equal(imported.code, 1);
  assert.match(imported.stderr, /esc\.json\[1\]: "client_id" is "del\\u007fid": it holds a control character/);
  // A tab is no such character: Hydra's header carries it, and the client is made.
  const tab = await create(["--id", "tab\tid"]);
  assert.equal(tab.code, 0, tab.stderr);
  assert.equal(fake.requests.length, before + 1, "only the tab's client was sent");
});

test("a grant or response type a typo away from a standard one is sent as given, with a warning that names the standard one", async () => {
  const result = await create(["--id", "typo", "-g", "client-credentials,refresh_token,urn:example:custom", "-r", "code id_tken"]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual([lastBody().grant_types, lastBody().response_types], [["client-credentials", "refresh_token", "urn:example:custom"], ["code id_tken"]]);
  assert.equal(
    result.stderr,
    'warning: grant type "client-credentials" is not a standard one; did you mean client_credentials?\nwarning: response type "id_tken" is not a standard one; did you mean id_token?\n',
  );
});

test("--file reads a client as JSON, from a file or stdin; client flags but --id and --secret are then ignored", async () => {
  const file = dir.write("client.json", JSON.stringify({ client_id: "from-file", grant_types: ["client_credentials"] }));
  const result = await create(["--file", file, "-n", "ignored"]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(lastBody(), { client_id: "from-file", grant_types: ["client_credentials"] });
  assert.match(result.stderr, /warning: --file is set, so --name is ignored/);
  const withSecret = dir.write("with-secret.json", JSON.stringify({ client_id: "file-secret", client_secret: "from-the-file-0123456789abcdef" }));
  const replaced = await create(["--file", withSecret, "--secret", "-"], { stdin: "from-stdin-0123456789abcdefghij\n" });
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal(lastBody().client_secret, "from-stdin-0123456789abcdefghij");
  assert.equal(replaced.stderr, `warning: --secret replaces the client_secret in --file ${withSecret}\n`);
  const piped = await create(["--file", "-"], { stdin: '{"client_id":"from-stdin-file"}' });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(lastBody().client_id, "from-stdin-file");
  // Where, on both runtimes (Bun's parser names no place): an import file of a thousand clients with one comma missing.
  const broken = await create(["--file", dir.write("broken.json", '{\n  "client_id": "a"\n  "client_name": "b"\n}')]);
  assert.equal(broken.code, 1);
  assert.equal(broken.stderr, `Error: the client file ${dir.path}/broken.json is not JSON (line 3, column 3: a comma expected)\n`);
  // JSON.parse reads any depth. Where writing the body back recurses too deep for the engine
  // (Bun's), that is said before anything is sent, not as a stack overflow; where it does
  // not (Deno's), the client goes as given.
  const deep = await create(["--file", "-"], { stdin: `{"client_id":"deep","metadata":${"[".repeat(200_000)}${"]".repeat(200_000)}}` });
  if (deep.code === 0) assert.equal(lastBody().client_id, "deep");
  else assert.deepEqual([deep.code, deep.stderr], [1, "Error: the client file (stdin) is nested too deeply to be sent\n"]);
  const before = fake.received.length;
  const empty = await create(["--file", "-"], { stdin: " \n" });
  assert.deepEqual([empty.code, empty.stderr], [1, "Error: the client file (stdin) is empty\n"]);
  // The checks of import: what Hydra would refuse is refused here, before anything is sent.
  const badUrl = await create(["--file", dir.write("bad-url.json", '{"redirect_uris": ["bad"]}')]);
  assert.deepEqual([badUrl.code, badUrl.stderr], [1, `Error: --file ${dir.path}/bad-url.json: "redirect_uris" holds "bad", not an absolute URL\n`]);
  const badId = await run(["update", "client", "a", "--file", "-", "--endpoint", server.url], { stdin: '{"client_id": 5}' });
  assert.deepEqual([badId.code, badId.stderr], [1, 'Error: --file -: "client_id" must be a string\n']);
  const slash = await create(["--file", "-"], { stdin: '{"client_id": "team/app"}' });
  assert.equal(slash.code, 1);
  assert.match(slash.stderr, /^Error: --file -: "client_id" is "team\/app": Hydra's admin API cannot name an ID holding "\/"/);
  assert.equal(fake.received.length, before);
  // --id names the client all the same, as in Hydra v2's create client; one in the file is replaced aloud.
  const named = await create(["--file", file, "--id", "from-flag"]);
  assert.equal(named.code, 0, named.stderr);
  assert.deepEqual(lastBody(), { client_id: "from-flag", grant_types: ["client_credentials"] });
  assert.equal(named.stderr, `warning: --id replaces the client_id "from-file" in --file ${file}\n`);
  // In v2's word order, without --id, the file's ID is left out, as Hydra v2 leaves it: a template for many clients.
  const template = await run(["create", "client", "--file", file, "--endpoint", server.url]);
  assert.equal(template.code, 0, template.stderr);
  assert.deepEqual(lastBody(), { grant_types: ["client_credentials"] });
  assert.equal(template.stderr, `note: create client leaves out the client_id "from-file" of --file ${file}, as Hydra v2 does; --id from-file keeps it\n`);
  const unnamed = await create(["--file", "-", "--id", "flag-only"], { stdin: "{}" });
  assert.deepEqual([unnamed.code, unnamed.stderr, lastBody().client_id], [0, "", "flag-only"]);
  // A notice is one line, whatever the value it quotes holds.
  const forged = await run(["create", "client", "--file", "-", "--endpoint", server.url], { stdin: '{"client_id":"x\\nError: forged"}' });
  assert.equal(forged.code, 0, forged.stderr);
  assert.match(forged.stderr, /^note: create client leaves out the client_id "x\\x0aError: forged" of --file -, [^\n]*\n$/);
});

test("Hydra v2's word order: create client / create oauth2-client, with v2's two-column output", async () => {
  for (const words of [["create", "client"], ["create", "oauth2-client"]]) {
    const result = await run([...words, "--endpoint", server.url, "--id", `v2-${words[1]}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^CLIENT ID +v2-${words[1]}\nCLIENT SECRET +${fake.generatedSecret}\nGRANT TYPES +authorization_code\n`));
  }
  // Lists joined as Hydra v2 joins them: the audience without a space, the others with one.
  const lists = await run(["create", "client", "--endpoint", server.url, "--id", "v2-lists", "--audience", "https://a,https://b", "--redirect-uri", "https://x/1,https://x/2"]);
  assert.match(lists.stdout, /\nAUDIENCE +https:\/\/a,https:\/\/b\nREDIRECT URIS +https:\/\/x\/1, https:\/\/x\/2\n/);
});

test("a secret from the config file draws no warning about the shell history; one on the command line does", async () => {
  const config = dir.write("secret.yaml", "secret: from-the-config-file-0123\n");
  chmodSync(config, 0o600);
  const quiet = await create(["--id", "cfg-secret", "--config", config]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, "");
  assert.equal(lastBody().client_secret, "from-the-config-file-0123");
  // One that others may read is said to be, by the names of what it holds, never their values.
  chmodSync(config, 0o640);
  const open = await create(["--id", "cfg-open", "--config", config]);
  assert.equal(open.code, 0, open.stderr);
  assert.equal(open.stderr, `warning: config file ${config} holds secret and other users can read it; chmod 600 ${config}\n`);
  assert.equal(lastBody().client_secret, "from-the-config-file-0123");
  assert.equal((await create(["--id", "cfg-open-q", "--config", config, "-q"])).stderr, "");
  const warned = await create(["--id", "flag-secret", "--secret", "on-the-command-line-0123"]);
  assert.match(warned.stderr, /^warning: a secret given on the command line can end up in your shell history/);
});
