// `perform authorization-code` with Hydra's admin API (a fake of it here; real Hydra in
// test/e2e-hydra): the client checked before anything opens, a client made for the run and
// deleted after it; and --paste, the callback typed back on stdin, against oidc-provider.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { spawnCli, waitUntil } from "../support/cli.ts";
import { startFakeIssuer } from "../support/fake-issuer.ts";
import { fakeHydra, serveFakeHydra } from "../support/fake-hydra.ts";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { serveLocal, tempDir } from "../support/runtime.ts";
import { authorize } from "../support/user-agent.ts";
import { pkcs8Pem } from "../support/keys.ts";


/** A redirect URI nothing listens on: --paste serves nothing. */
const PASTE_REDIRECT = "http://127.0.0.1:4999/callback";
const home = tempDir();
let provider: RunningProvider;
before(async () => void (provider = await startProvider({ redirectUris: [PASTE_REDIRECT] })));
after(async () => {
  await provider?.close();
  home.remove();
});

const perform = (args: string[], options: { env?: Record<string, string>; interactive?: boolean } = {}) =>
  spawnCli(["perform", "authorization-code", "-e", provider.issuer, "--no-open", ...args], { env: { HOME: home.path, ...options.env }, interactive: options.interactive });

const appClient = {
  client_id: "app",
  client_secret: "app-secret-0123456789",
  redirect_uris: ["https://app.example/cb"],
  grant_types: ["authorization_code"],
  response_types: ["code"],
  scope: "openid",
};

test("preflight on Hydra v2: every difference on its own line with the patch that fixes it; exit 1 before anything listens", async () => {
  const hydra = await serveFakeHydra({ clients: [appClient] });
  try {
    const cli = perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998", "--audience", "https://api.example"], {
      env: { OAUTH2_CLIENT_SECRET: appClient.client_secret },
    });
    const { code, stdout, stderr } = await cli.exited;
    assert.equal(code, 1);
    assert.equal(stdout, "");
    const endpoint = hydra.url.replace(/\/$/, "");
    assert.equal(
      stderr,
      [
        'Error: client "app" cannot run this flow (checked before opening the browser; --no-preflight skips the check):',
        `  - redirect URI http://127.0.0.1:4998/callback is not among the client's: https://app.example/cb; fix: hydractl patch client app --add /redirect_uris/- http://127.0.0.1:4998/callback --endpoint ${endpoint}`,
        `  - grant type refresh_token is not among the client's: authorization_code (refresh_token: --scope asks for offline); fix: hydractl patch client app --add /grant_types/- refresh_token --endpoint ${endpoint}`,
        `  - scope offline is not allowed by the client's: openid; fix: hydractl patch client app --replace /scope 'openid offline' --endpoint ${endpoint}`,
        `  - audience https://api.example is not allowed by the client's: none; fix: hydractl patch client app --add /audience '["https://api.example"]' --endpoint ${endpoint}`,
        "",
      ].join("\n"),
    );
    assert.deepEqual(hydra.fake.violations, []);
  } finally {
    await hydra.close();
  }
});

test("preflight: a run told --token-endpoint-auth-method none is told to use the client's method too; scopes split at spaces and commas, several read as several", async () => {
  const hydra = await serveFakeHydra({ clients: [{ ...appClient, redirect_uris: ["http://127.0.0.1:4998/callback"], grant_types: ["authorization_code", "refresh_token"] }] });
  try {
    const { code, stderr } = await perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998", "--token-endpoint-auth-method", "none", "--scope", "openid offline,email"]).exited;
    assert.equal(code, 1);
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 3, stderr);
    assert.match(lines[1]!, /^ {2}- scopes offline, email are not allowed by the client's: openid; fix: /);
    assert.equal(
      lines[2],
      "  - the client authenticates with client_secret_basic, this run with none (--token-endpoint-auth-method none); fix: give this run the client's secret (--client-secret or OAUTH2_CLIENT_SECRET) and its method (--token-endpoint-auth-method client_secret_basic) rather than make the client public",
    );
  } finally {
    await hydra.close();
  }
});

test("preflight on Hydra v1.8 (no PATCH): the differences, then one update restating the whole client; a missing secret is the run's to give", async () => {
  const hydra = await serveFakeHydra({ version: "v1.8.5", clients: [{ ...appClient, client_name: "My app" }] });
  try {
    const { code, stderr } = await perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998", "--scope", "openid"]).exited;
    assert.equal(code, 1);
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 4, stderr);
    assert.match(lines[1]!, /^ {2}- redirect URI http:\/\/127\.0\.0\.1:4998\/callback is not among the client's: https:\/\/app\.example\/cb$/);
    assert.match(
      lines[2]!,
      /^ {2}- the client authenticates with client_secret_basic, this run with none \(no --client-secret given\); fix: give this run the client's secret \(--client-secret or OAUTH2_CLIENT_SECRET\) rather than make the client public$/,
    );
    assert.match(lines[3]!, /^ {2}fix: hydractl clients update app --name 'My app' --callbacks https:\/\/app\.example\/cb --callbacks http:\/\/127\.0\.0\.1:4998\/callback .*--scope openid --endpoint /);
    assert.doesNotMatch(lines[3]!, /--token-endpoint-auth-method none/, "the client stays confidential");
  } finally {
    await hydra.close();
  }
  // A client holding what no flag restates (its keys): the update goes through a file of the
  // whole client, as an update from flags, which replaces the client, would drop them.
  const jwks = { keys: [{ kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", kid: "k1", use: "sig" }] };
  const keyed = await serveFakeHydra({ version: "v1.8.5", clients: [{ ...appClient, jwks }] });
  try {
    const { code, stderr } = await perform(["--admin-endpoint", keyed.url, "--client-id", "app", "-p", "4998", "--scope", "openid"]).exited;
    assert.equal(code, 1);
    const fix = stderr.trimEnd().split("\n").at(-1)!;
    assert.match(fix, /^ {2}fix: hydractl clients get app --format json --endpoint \S+ > client\.json, add what it lacks there, then hydractl clients update app --file client\.json --endpoint \S+ \(no flag restates its jwks, which an update from flags would drop\)$/);
  } finally {
    await keyed.close();
  }
});

test("with Hydra's admin API, a busy port is not answered with --port 0: Hydra's URLS_LOGIN and URLS_CONSENT name the port; --port 0 says so", async () => {
  const hydra = await serveFakeHydra({ clients: [{ ...appClient, redirect_uris: ["http://127.0.0.1/callback"] }] });
  const busy = await serveLocal(() => new Response("busy"));
  try {
    const taken = await perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", String(busy.port), "--scope", "openid"], { env: { OAUTH2_CLIENT_SECRET: appClient.client_secret } }).exited;
    assert.deepEqual([taken.code, taken.stderr], [1, `Error: 127.0.0.1:${busy.port} is already in use: give another --port, and name it in Hydra's URLS_LOGIN and URLS_CONSENT\n`]);
    const any = perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "0", "--scope", "openid"], { env: { OAUTH2_CLIENT_SECRET: appClient.client_secret } });
    await any.home;
    any.interrupt();
    assert.match((await any.exited).stderr, /^note: with --port 0, Hydra's URLS_LOGIN and URLS_CONSENT must name the port picked \(below\)/m);
  } finally {
    await busy.close();
    await hydra.close();
  }
});

test("preflight: a run with --private-key is told to use the secret of a client registered for one, and a run with a secret the key of a private_key_jwt client; neither is taken up", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const keyFile = home.write("preflight-key.pem", pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
  const registered = (method: string) => ({ ...appClient, redirect_uris: ["http://127.0.0.1:4998/callback"], token_endpoint_auth_method: method });
  const cases = [
    ["client_secret_basic", ["--private-key", keyFile], {}, "the client authenticates with client_secret_basic, this run with private_key_jwt (--private-key); fix: give this run the client's secret (--client-secret or OAUTH2_CLIENT_SECRET) instead of --private-key"],
    ["none", ["--private-key", keyFile], {}, "the client authenticates with none, this run with private_key_jwt (--private-key); fix: leave out --private-key: the client is public"],
    ["private_key_jwt", [], { OAUTH2_CLIENT_SECRET: "a-secret" }, "the client authenticates with private_key_jwt, this run with client_secret_basic; fix: give this run the client's private key (--private-key) instead of a secret"],
    ["private_key_jwt", [], {}, "the client authenticates with private_key_jwt, this run with none (no --private-key given); fix: give this run the client's private key (--private-key)"],
    // A method the run was told is part of the fix: without it, the fix is a usage error.
    ["private_key_jwt", ["--token-endpoint-auth-method", "client_secret_post"], { OAUTH2_CLIENT_SECRET: "a-secret" }, "the client authenticates with private_key_jwt, this run with client_secret_post (--token-endpoint-auth-method client_secret_post); fix: give this run the client's private key (--private-key) and its method (--token-endpoint-auth-method private_key_jwt) instead of a secret"],
    ["none", ["--private-key", keyFile, "--token-endpoint-auth-method", "private_key_jwt"], {}, "the client authenticates with none, this run with private_key_jwt (--token-endpoint-auth-method private_key_jwt); fix: leave out --private-key and --token-endpoint-auth-method: the client is public"],
  ] as const;
  for (const [method, args, env, line] of cases) {
    const hydra = await serveFakeHydra({ clients: [registered(method)] });
    try {
      const { code, stdout, stderr } = await perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998", "--scope", "openid", ...args], { env }).exited;
      assert.equal(code, 1, stderr);
      assert.equal(stdout, "");
      assert.equal(stderr.trimEnd().split("\n").at(-1), `  - ${line}`, `${method} ${args.join(" ")}`);
    } finally {
      await hydra.close();
    }
  }
});

test("preflight: a run told no method authenticates as the client is registered; one told another is told to take the client's, which is never changed (v2 and v1.8)", async () => {
  const registered = (method: string) => ({ ...appClient, redirect_uris: ["http://127.0.0.1:4998/callback"], token_endpoint_auth_method: method });
  const secret = "the-runs-secret-0123456789";
  for (const version of ["v2", "v1.8.5"] as const) {
    for (const [method, note] of [
      ["none", 'note: client "app" is public (registered for none): this run sends it no secret'],
      ["client_secret_post", 'note: client "app" is registered for client_secret_post: this run authenticates so (--token-endpoint-auth-method chooses)'],
    ]) {
      const hydra = await serveFakeHydra({ version, clients: [registered(method!)] });
      try {
        const cli = perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998", "--scope", "openid"], { env: { OAUTH2_CLIENT_SECRET: secret } });
        await cli.home;
        cli.interrupt();
        const { stderr } = await cli.exited;
        assert.equal(stderr.split("\n")[0], note, `${version} ${method}`);
        const told = await perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998", "--scope", "openid", "--token-endpoint-auth-method", "client_secret_basic"], {
          env: { OAUTH2_CLIENT_SECRET: secret },
        }).exited;
        assert.equal(told.code, 1);
        assert.equal(
          told.stderr,
          [
            'Error: client "app" cannot run this flow (checked before opening the browser; --no-preflight skips the check):',
            `  - the client authenticates with ${method}, this run with client_secret_basic (--token-endpoint-auth-method client_secret_basic); fix: run with --token-endpoint-auth-method ${method}, the method the client is registered for`,
            "",
          ].join("\n"),
          `${version} ${method}: no fix changes the client`,
        );
        assert.ok(!told.stderr.includes(secret), "the secret itself is not printed");
        assert.deepEqual(hydra.fake.violations, []);
      } finally {
        await hydra.close();
      }
    }
  }
});

test("preflight: a client that only lacks the refresh_token grant runs the flow, with a warning and its fix (v2 and v1.8)", async () => {
  const noRefresh = { ...appClient, redirect_uris: ["http://127.0.0.1:4998/callback"], scope: "openid offline" };
  for (const version of ["v2", "v1.8.5"] as const) {
    const hydra = await serveFakeHydra({ version, clients: [noRefresh] });
    try {
      const cli = perform(["--admin-endpoint", hydra.url, "--client-id", "app", "-p", "4998"], { env: { OAUTH2_CLIENT_SECRET: appClient.client_secret } });
      await cli.home;
      cli.interrupt();
      const { stderr } = await cli.exited;
      const fix = version === "v2" ? "hydractl patch client app --add /grant_types/- refresh_token --endpoint " : "hydractl clients update app ";
      assert.ok(
        stderr.startsWith(`warning: client "app" lacks the refresh_token grant (it has authorization_code), so Hydra will issue no refresh token, though --scope asks for offline; fix: ${fix}`),
        stderr,
      );
      if (version === "v1.8.5") assert.match(stderr.split("\n")[0]!, / --grant-types authorization_code --grant-types refresh_token /);
      assert.match(stderr, /Home page/);
    } finally {
      await hydra.close();
    }
  }
});

test("an unknown client is named before anything opens; --no-preflight and no explicit admin endpoint skip the check", async () => {
  const hydra = await serveFakeHydra();
  try {
    const unknown = await perform(["--admin-endpoint", hydra.url, "--client-id", "nobody", "-p", "0"]).exited;
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error: no client "nobody" at .*: check --client-id, or let --create-client make one for this run\n$/);
    const skipped = perform(["--admin-endpoint", hydra.url, "--client-id", "nobody", "-p", "0", "--no-preflight"]);
    await skipped.home;
    skipped.interrupt();
    await skipped.exited;
    assert.deepEqual(hydra.fake.requests.filter((r) => r.path.includes("/clients/")).length, 1, "only the first run read the client");
  } finally {
    await hydra.close();
  }
});

test("--access-token goes to the admin API alone; -H to the servers named, not to a key set that discovery puts on another host, which is noted once", async () => {
  const metadata: Record<string, unknown> = {};
  const [issuer, hydra] = await Promise.all([
    startFakeIssuer(metadata),
    serveFakeHydra({
      clients: [{ ...appClient, client_id: "demo", redirect_uris: ["http://127.0.0.1:4997/callback"], token_endpoint_auth_method: "client_secret_basic" }],
    }),
  ]);
  // The issuer's keys, served from another origin, as a CDN serves a provider's.
  const keyHost: Headers[] = [];
  const keys = await serveLocal(async (request) => {
    keyHost.push(request.headers);
    return new Response(await (await fetch(`${issuer.issuer}/jwks`)).text(), { headers: { "Content-Type": "application/json" } });
  });
  metadata.jwks_uri = `${keys.url}/jwks`;
  try {
    const cli = perform(
      ["-e", issuer.issuer, "--admin-endpoint", hydra.url, "--client-id", "demo", "-p", "4997", "--scope", "openid", "--access-token", "admin-token-1", "-H", "X-Gateway: g1"],
      { env: { OAUTH2_CLIENT_SECRET: appClient.client_secret } },
    );
    const base = (await cli.home).slice(0, -1);
    const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
    await start.body?.cancel();
    const sent = new URL(start.headers.get("location")!).searchParams;
    const callback = new URLSearchParams({ code: issuer.code({ nonce: sent.get("nonce") }), state: sent.get("state")! });
    await (await fetch(`${base}/callback?${callback}`)).body?.cancel();
    const { code, stderr } = await cli.exited;
    assert.equal(code, 0, stderr);
    assert.ok(hydra.fake.requests.length > 0);
    for (const { path, headers } of hydra.fake.requests) {
      assert.deepEqual([path, headers.get("authorization"), headers.get("x-gateway")], [path, "Bearer admin-token-1", "g1"]);
    }
    const { origin } = new URL(issuer.issuer);
    assert.deepEqual(
      // (its /jwks is the key host's own fetch)
      issuer.requests.filter(({ path }) => path !== "/jwks").map(({ path, headers }) => [path, headers.get("x-gateway"), /^Basic /.test(headers.get("authorization") ?? "Basic ")]),
      [["/.well-known/openid-configuration", "g1", true], ["/token", "g1", true]],
      "-H at the issuer, and its token request authenticated as the client",
    );
    assert.deepEqual(keyHost.map((headers) => [headers.get("x-gateway"), headers.get("authorization")]), [[null, null]]);
    const notes = stderr.split("\n").filter((line) => line.startsWith("note: the -H headers"));
    assert.deepEqual(notes, [
      `note: the -H headers are not sent to ${keys.url}, which the server's metadata names: they go only to the servers given (${origin}, ${hydra.url.replace(/\/$/, "")})`,
    ]);
  } finally {
    await Promise.all([issuer.close(), hydra.close(), keys.close()]);
  }
});

// SIGHUP is what closing the terminal, or a dropped SSH connection, sends.
// Each signal's exit code is 128 + its number, as a shell reports it.
for (const [signal, exitCode] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  test(`--create-client: made for the run (public, PKCE), deleted on ${signal}, exit ${exitCode}; nothing left behind`, async () => {
    const hydra = await serveFakeHydra();
    try {
      const cli = perform(["--admin-endpoint", hydra.url, "--create-client", "-p", "0"]);
      const base = (await cli.home).slice(0, -1);
      const [created] = hydra.fake.received;
      // Its ID is hydractl's, so that a creation whose answer is lost can still be deleted.
      assert.match(String(created?.client_id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(
        { ...created, client_name: undefined, client_id: undefined },
        {
          client_id: undefined,
          client_name: undefined,
          redirect_uris: [`${base}/callback`],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          scope: "offline openid",
          audience: [],
          token_endpoint_auth_method: "none",
        },
      );
      assert.equal(hydra.fake.clients.size, 1);
      cli.interrupt(signal);
      const { code, stderr } = await cli.exited;
      assert.equal(code, exitCode);
      const id = /Created client (\S+) for this run/.exec(stderr)?.[1];
      assert.ok(id, stderr);
      assert.match(stderr, new RegExp(`Deleted client ${id}\nError: interrupted before the flow finished\n$`));
      assert.equal(hydra.fake.clients.size, 0);
    } finally {
      await hydra.close();
    }
  });
}

test("--create-client: a failed deletion prints the client's ID and the command that deletes it, exit 1", async () => {
  // Request 1 creates the client (v2 answers /admin/clients directly); request 2 deletes it.
  const hydra = await serveFakeHydra({ faults: [{ request: 2, status: 403 }] });
  try {
    const cli = perform(["--admin-endpoint", hydra.url, "--create-client", "--token-endpoint-auth-method", "client_secret_post", "-p", "0"]);
    await cli.home;
    cli.interrupt();
    const { code, stderr } = await cli.exited;
    assert.equal(code, 130);
    const [id] = [...hydra.fake.clients.keys()];
    assert.equal(hydra.fake.received[0]?.token_endpoint_auth_method, "client_secret_post");
    assert.match(stderr, new RegExp(`\nError: the client made for this run, "${id}", could not be deleted \\(.*403.*\\); delete it with: hydractl delete client ${id} --endpoint \\S+\nError: interrupted before the flow finished\n$`));
    assert.ok(!stderr.includes(hydra.fake.generatedSecret), "the generated secret is never printed");
  } finally {
    await hydra.close();
  }
});

test("--create-client: Ctrl+C while an admin API that hangs holds up the deletion stops the wait, naming the client and the command that deletes it", async () => {
  // Request 2, the deletion, is answered only after the second Ctrl+C has come.
  const hydra = await serveFakeHydra({ faults: [{ request: 2, status: 204, delayMs: 3000 }] });
  try {
    const cli = perform(["--admin-endpoint", hydra.url, "--create-client", "-p", "0"]);
    await cli.home;
    cli.interrupt();
    await waitUntil(cli, () => hydra.fake.requests.length >= 2, "the deletion", 250);
    const asked = performance.now();
    cli.interrupt();
    const { code, stderr } = await cli.exited;
    assert.equal(code, 130, stderr);
    assert.ok(performance.now() - asked < 2500, "the wait for the deletion was given up");
    const [id] = [...hydra.fake.clients.keys()];
    assert.match(
      stderr,
      new RegExp(`\nError: the client made for this run, "${id}", may not be deleted: interrupted while deleting it; delete it with: hydractl delete client ${id} --endpoint \\S+\nError: interrupted before the flow finished\n$`),
    );
  } finally {
    await hydra.close();
  }
});

test("--create-client: Ctrl+C while the creation is under way waits for it, then deletes the client it made", async () => {
  const fake = fakeHydra();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let posted = 0;
  // The creation is held before the server acts on it: a DELETE sent at once would find
  // nothing, and the client would come after it.
  const server = await serveLocal(async (request) => {
    if (request.method === "POST") {
      posted++;
      await held;
    }
    return await fake.handler(request);
  });
  try {
    const cli = perform(["--admin-endpoint", server.url, "--create-client", "-p", "0"]);
    await waitUntil(cli, () => posted === 1, "the creation");
    cli.interrupt();
    await waitUntil(cli, () => cli.stderr().includes("Ctrl+C again to leave it"), "the wait for the creation");
    assert.equal(fake.clients.size, 0);
    release();
    const { code, stderr } = await cli.exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /(^|\n)Interrupted: waiting for the creation of client ([0-9a-f-]{36}) under way, to delete it \(Ctrl\+C again to leave it\)\nDeleted client \2\nError: interrupted before the flow finished\n$/);
    assert.equal(fake.clients.size, 0, "nothing left behind");
  } finally {
    release();
    await server.close();
  }
});

test("--create-client on a Hydra that takes no chosen ID (v2.0, v2.1) takes the server's", async () => {
  const reason = "It is no longer possible to set an OAuth2 Client ID as a user. The system will generate a unique ID for you.";
  const body = { error: { code: 400, status: "Bad Request", reason, message: "The request was malformed or contained invalid parameters" } };
  const hydra = await serveFakeHydra({ faults: [{ request: 1, status: 400, body }] });
  try {
    const cli = perform(["--admin-endpoint", hydra.url, "--create-client", "-p", "0"]);
    await cli.home;
    const [made] = [...hydra.fake.clients.keys()];
    assert.equal(hydra.fake.received.at(-1)?.client_id, undefined, "sent again without an ID");
    cli.interrupt();
    const { code, stderr } = await cli.exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, new RegExp(`Created client ${made} for this run`));
    assert.equal(hydra.fake.clients.size, 0);
  } finally {
    await hydra.close();
  }
});

test("--create-client: Ctrl+C while discovery hangs ends the run at once, before any client is made", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  const issuer = await serveLocal(async () => {
    asked++;
    await held;
    return new Response("{}", { status: 404 });
  });
  const hydra = await serveFakeHydra();
  try {
    const cli = spawnCli(["perform", "authorization-code", "-e", issuer.url, "--no-open", "--admin-endpoint", hydra.url, "--create-client", "-p", "0"], { env: { HOME: home.path } });
    await waitUntil(cli, () => asked > 0, "discovery");
    const interrupted = performance.now();
    cli.interrupt();
    const { code, stderr } = await cli.exited;
    assert.equal(code, 130, stderr);
    assert.ok(performance.now() - interrupted < 5000, "not the 10 s discovery could take");
    assert.match(stderr, /Error: interrupted before the flow finished\n$/);
    assert.equal(hydra.fake.requests.length, 0, "no client was made");
  } finally {
    release();
    await Promise.all([issuer.close(), hydra.close()]);
  }
});

test("--create-client refuses --client-id and needs an explicit admin endpoint, exit 2", async () => {
  const withId = await perform(["--create-client", "--client-id", "x", "--admin-endpoint", "http://127.0.0.1:1"]).exited;
  assert.equal(withId.code, 2);
  assert.match(withId.stderr, /^Error: --create-client makes its own client; leave out --client-id\n/);
  const noAdmin = await perform(["--create-client"]).exited;
  assert.equal(noAdmin.code, 2);
  assert.match(noAdmin.stderr, /^Error: --create-client needs Hydra's admin API: set --admin-endpoint or HYDRA_ADMIN_URL\n/);
});

test("--paste refuses what cannot work: form_post, --no-shutdown, port 0 without --redirect; exit 2", async () => {
  for (const [args, message] of [
    [["--response-mode", "form_post"], /form_post sends it in a POST/],
    [["--no-shutdown"], /--paste runs one flow/],
    [["-p", "0"], /give a --port other than 0, or --redirect/],
  ] as const) {
    const { code, stderr } = await perform(["--client-id", "demo", "--paste", ...args]).exited;
    assert.equal(code, 2, stderr);
    assert.match(stderr.split("\n")[0]!, message);
  }
});

/** Waits for the authorization URL --paste prints (indented on its own line). */
async function authorizationUrl(cli: ReturnType<typeof perform>): Promise<string> {
  for (let tries = 0; ; tries++) {
    const url = /^ {2}(http\S+)$/m.exec(cli.stderr())?.[1];
    if (url) return url;
    assert.ok(tries < 400, `no authorization URL printed:\n${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test("--paste: a wrong paste is refused and asked for again; the right one gives the tokens, exit 0, no server", async () => {
  const cli = perform(["--client-id", "demo", "--paste", "-p", "4999", "--scope", "openid", "--format", "json"], {
    env: { OAUTH2_CLIENT_SECRET: "demo-secret" },
    interactive: true,
  });
  const url = await authorizationUrl(cli);
  const result = await authorize(url, { stopAt: (next) => next.origin === "http://127.0.0.1:4999" });
  assert.ok("url" in result);
  const state = result.url.searchParams.get("state")!;
  cli.write(`${PASTE_REDIRECT}?code=forged&state=not-${state}\n`);
  cli.write("the wrong thing\n");
  cli.write(`${result.url.href}\n`);
  const { code, stdout, stderr } = await cli.exited;
  assert.equal(code, 0, stderr);
  assert.ok(JSON.parse(stdout).id_token);
  assert.match(stderr, /Paste that whole address \(or just its query\) here and press Enter:\n/);
  assert.match(stderr, /\nError: the callback's state does not match the request's; rejected \(possible CSRF or a stale tab\); paste it again:\n/);
  assert.match(stderr, /\nError: the pasted text is neither the redirect URL nor its query \(code=…&state=…\); paste it again:\n/);
  assert.doesNotMatch(stderr, /Home page/);
});

test("--paste --par: the URL stands for a pushed request, and the prompt says how long the server holds it", async () => {
  const cli = perform(["--client-id", "par-client", "--par", "--paste", "-p", "4999", "--scope", "openid", "-q"], { env: { OAUTH2_CLIENT_SECRET: "par-secret" }, interactive: true });
  const url = await authorizationUrl(cli);
  assert.deepEqual([...new URL(url).searchParams.keys()].sort(), ["client_id", "request_uri"]);
  assert.match(cli.stderr(), /\n\nIt stands for a pushed request, which the server holds for 60 seconds: open it before then\.\nThe browser is then sent to /);
  const result = await authorize(url, { stopAt: (next) => next.origin === "http://127.0.0.1:4999" });
  assert.ok("url" in result);
  cli.write(`${result.url.href}\n`);
  const { code, stderr } = await cli.exited;
  assert.equal(code, 0, stderr);
});

test("--paste: only the query will do; the end of input without a good paste exits 1", async () => {
  const cli = perform(["--client-id", "demo", "--paste", "-p", "4999", "--scope", "openid"], { env: { OAUTH2_CLIENT_SECRET: "demo-secret" }, interactive: true });
  const url = await authorizationUrl(cli);
  const result = await authorize(url, { stopAt: (next) => next.origin === "http://127.0.0.1:4999" });
  assert.ok("url" in result);
  cli.write(`${result.url.search}\n`);
  const good = await cli.exited;
  assert.equal(good.code, 0, good.stderr);
  // Hydra v2's two columns.
  assert.match(good.stdout, /^ACCESS TOKEN {3}\S+\nREFRESH TOKEN\nID TOKEN {7}ey\S+\nEXPIRY {9}\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);

  const ended = perform(["--client-id", "demo", "--paste", "-p", "4999", "--scope", "openid", "-q"], { env: { OAUTH2_CLIENT_SECRET: "demo-secret" }, interactive: true });
  await authorizationUrl(ended);
  ended.write("code=x&state=y\n", true);
  const bad = await ended.exited;
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /\nError: the input ended before a callback URL was pasted\n$/);
});
