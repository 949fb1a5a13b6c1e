// `perform authorization-code` as a user runs it: the command line, spawned on the runtime
// running the tests, against a real provider. Exit codes, stdout and stderr are the contract.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { interruptWhen, spawnCli } from "../support/cli.ts";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { startFakeIssuer } from "../support/fake-issuer.ts";
import { rawRequest, serveLocal, tempDir } from "../support/runtime.ts";
import { authorize } from "../support/user-agent.ts";
import { pkcs8Pem } from "../support/keys.ts";

const home = tempDir();
let provider: RunningProvider;
before(async () => void (provider = await startProvider()));
after(async () => {
  await provider?.close();
  home.remove();
});

/** `perform authorization-code ARGS` from the sources on this runtime, with its own HOME. */
function run(args: string[], env: Record<string, string> = {}) {
  const spawned = spawnCli(["perform", "authorization-code", ...args], { env: { HOME: home.path, ...env } });
  // The base URL, without the trailing slash.
  const listening = spawned.home.then((url) => url.slice(0, -1));
  listening.catch(() => {}); // only the tests that wait for it care
  return { listening, exited: spawned.exited };
}

async function driveFlow(base: string, options: { deny?: boolean } = {}): Promise<number> {
  const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
  await start.body?.cancel();
  const result = await authorize(start.headers.get("location")!, { ...options, stopAt: (url) => url.origin === base && url.pathname === "/callback" });
  assert.ok("url" in result);
  const page = await fetch(result.url);
  await page.text();
  return page.status;
}

test("no client ID: one line naming --client-id and OAUTH2_CLIENT_ID and a hint to the help, exit 2", async () => {
  const { code, stderr, stdout } = await run(["-e", provider.issuer]).exited;
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "Error: no OAuth 2.0 client ID given: set --client-id or the OAUTH2_CLIENT_ID environment variable (or use --create-client)\nSee 'hydractl perform authorization-code --help' for usage.\n",
  );
});

test("bad flags are refused before anything starts, exit 2", async () => {
  for (const [args, message] of [
    [["--port", "70000"], /invalid value "70000" for --port: expected a whole number from 0 to 65535/],
    [["--max-age", "-5"], /invalid value "-5" for --max-age/],
    // An empty state (an unset variable) would send state= and take any callback's.
    [["--state", ""], /^Error: --state is empty$/],
    [["--response-mode", "fragment"], /invalid value "fragment" for --response-mode: expected one of query, form_post/],
    [["--redirect", "/callback"], /invalid --redirect "\/callback": expected an absolute http\(s\) URL/],
    [["--redirect", "http://127.0.0.1:4446/callback#"], /^Error: --redirect must not hold a fragment \(#…\): a redirect URI has none \(RFC 6749 §3\.1\.2\)$/],
    [["--token-endpoint-auth-method", "client_secret_post"], /client_secret_post needs --client-secret/],
    [["--keep-client"], /^Error: --keep-client keeps the client that --create-client makes; give --create-client too$/],
    [["--token-endpoint-auth-method", "none", "--client-secret", "s"], /^Error: --token-endpoint-auth-method none sends no secret, but --client-secret gives one; leave it out$/],
  ] as const) {
    const { code, stderr } = await run(["-e", provider.issuer, "--client-id", "demo", ...args]).exited;
    assert.equal(code, 2, stderr);
    assert.match(stderr.split("\n")[0]!, message);
  }
  // An exported secret, easily forgotten, is named as where the secret comes from.
  const exported = await run(["-e", provider.issuer, "--client-id", "demo", "--token-endpoint-auth-method", "none"], { OAUTH2_CLIENT_SECRET: "s" }).exited;
  assert.equal(exported.code, 2, exported.stderr);
  assert.match(exported.stderr, /^Error: --token-endpoint-auth-method none sends no secret, but the OAUTH2_CLIENT_SECRET environment variable \(or the config file\) gives one; leave it out\n/);
  const noEndpoint = await run(["--client-id", "demo"]).exited;
  assert.match(noEndpoint.stderr, /Error: no endpoint given: set --endpoint or the HYDRA_URL or ORY_SDK_URL environment variable/);
});

test("a busy port is one clear error, exit 1", async () => {
  const busy = await serveLocal(() => new Response("busy"));
  try {
    const { code, stderr } = await run(["-e", provider.issuer, "--client-id", "demo", "--no-open", "-p", String(busy.port)]).exited;
    assert.equal(code, 1);
    assert.equal(stderr, `Error: 127.0.0.1:${busy.port} is already in use: give another --port (0 picks any free one)\n`);
  } finally {
    await busy.close();
  }
});

test("a whole flow from the environment: start-up lines, the whole token response as JSON on stdout, exit 0, no secret printed", async () => {
  const cli = run(["--no-open", "-p", "0", "--scope", "openid,offline_access", "--prompt", "consent", "--format", "json"], {
    ORY_SDK_URL: provider.issuer,
    OAUTH2_CLIENT_ID: "demo",
    OAUTH2_CLIENT_SECRET: "demo-secret",
  });
  const base = await cli.listening;
  assert.equal(await driveFlow(base), 200);
  const { code, stdout, stderr } = await cli.exited;
  assert.equal(code, 0, stderr);
  assert.match(stderr, new RegExp(`Home page: +${base}/\nCallback listener: ${base}/callback\nStop with Ctrl\\+C`));
  assert.match(stderr, new RegExp(`\nOpen ${base}/ in a browser\n`));
  const tokens = JSON.parse(stdout);
  // Every field of the token response, as perform client-credentials prints it, and the expiry Hydra's CLI adds.
  assert.deepEqual(Object.keys(tokens).sort(), ["access_token", "expires_in", "expiry", "id_token", "refresh_token", "scope", "token_type"]);
  assert.equal(typeof tokens.expires_in, "number");
  assert.ok(!`${stdout}${stderr}`.includes("demo-secret"));
});

test("--par sends the request's parameters to the server first and the browser only their request_uri; a client that requires PAR, sent none, is said to", async () => {
  const env = { ORY_SDK_URL: provider.issuer, OAUTH2_CLIENT_ID: "par-client", OAUTH2_CLIENT_SECRET: "par-secret" };
  const pushed = run(["--no-open", "-p", "0", "--par", "--scope", "openid", "--format", "json"], env);
  const base = await pushed.listening;
  const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
  await start.body?.cancel();
  const location = new URL(start.headers.get("location")!);
  assert.deepEqual([...location.searchParams.keys()].sort(), ["client_id", "request_uri"]);
  const result = await authorize(location.href, { stopAt: (url) => url.origin === base && url.pathname === "/callback" });
  assert.ok("url" in result);
  assert.equal((await fetch(result.url)).status, 200);
  const done = await pushed.exited;
  assert.equal(done.code, 0, done.stderr);
  assert.ok(JSON.parse(done.stdout).id_token);

  // A push the server refuses (a wrong secret) is that page's failure, explained as the client's.
  const wrong = spawnCli(["perform", "authorization-code", "--no-open", "-p", "0", "--par"], { env: { HOME: home.path, ...env, OAUTH2_CLIENT_SECRET: "not-par-secret" } });
  const wrongBase = (await wrong.home).slice(0, -1);
  assert.equal((await fetch(`${wrongBase}/perform-flow`, { redirect: "manual" })).status, 400);
  const ended = await interruptWhen(wrong, () => wrong.stderr().includes("still waiting"), "the refusal");
  assert.match(ended.stderr, /\nGET \/perform-flow failed: the pushed authorization request endpoint refused the request \(401\): invalid_client: .*\(client "par-client" could not authenticate with client_secret_basic: check its secret/);

  const plain = run(["--no-open", "-p", "0", "--scope", "openid"], env);
  assert.equal(await driveFlow(await plain.listening), 400);
  const refused = await plain.exited;
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /\nError: the authorization server answered with an error: invalid_request: .* \(the server requires pushed authorization requests \(PAR, RFC 9126\) for client "par-client", and this request was sent without one\)\n$/);
});

test("a server that requires PAR of every client gets it without --par, with a note; one that announces no endpoint for --par is said so before anything opens", async () => {
  const strict = await startProvider({ requirePar: true });
  try {
    const cli = run(["--no-open", "-p", "0", "--scope", "openid"], { ORY_SDK_URL: strict.issuer, OAUTH2_CLIENT_ID: "demo", OAUTH2_CLIENT_SECRET: "demo-secret" });
    const base = await cli.listening;
    const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
    await start.body?.cancel();
    const location = new URL(start.headers.get("location")!);
    assert.ok(location.searchParams.has("request_uri"), location.href);
    const result = await authorize(location.href, { stopAt: (url) => url.origin === base && url.pathname === "/callback" });
    assert.ok("url" in result);
    assert.equal((await fetch(result.url)).status, 200);
    const done = await cli.exited;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stderr, /^note: the server requires pushed authorization requests \(RFC 9126\): this run sends them\n/m);
  } finally {
    await strict.close();
  }
  // A server without a discovery document (Hydra's endpoints assumed) announces no PAR endpoint.
  const undiscovered = await serveLocal(() => new Response("404 page not found", { status: 404 }));
  try {
    const bare = await run(["--no-open", "-p", "0", "--par"], { OAUTH2_CLIENT_ID: "demo", OAUTH2_CLIENT_SECRET: "demo-secret", ORY_SDK_URL: undiscovered.url }).exited;
    assert.equal(bare.code, 1, bare.stderr);
    assert.match(bare.stderr, /^Error: --par: the server announces no pushed_authorization_request_endpoint \(RFC 9126\)\n$/m);
    assert.doesNotMatch(bare.stderr, /Home page/);
  } finally {
    await undiscovered.close();
  }
});

test("private_key_jwt: a client registered with its public key signs in with --private-key (PAR too); key flags are checked before anything starts", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: "web-1", alg: "ES256", use: "sig" };
  const keyFile = home.write("web-key.pem", pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
  const own = await startProvider({
    clients: [{ client_id: "jwt-web", token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "ES256", jwks: { keys: [jwk] }, grant_types: ["authorization_code"], response_types: ["code"], redirect_uris: ["http://127.0.0.1/callback"] }],
  });
  try {
    for (const extra of [[], ["--par"]]) {
      const cli = run(["--no-open", "-p", "0", "--scope", "openid", "--private-key", keyFile, "--private-key-id", "web-1", "--format", "json", ...extra], { ORY_SDK_URL: own.issuer, OAUTH2_CLIENT_ID: "jwt-web" });
      const base = await cli.listening;
      assert.equal(await driveFlow(base), 200);
      const done = await cli.exited;
      assert.equal(done.code, 0, done.stderr);
      assert.ok(JSON.parse(done.stdout).id_token, `${extra}`);
    }
    // The key named under a kid the client does not have: refused at the token endpoint, said as the key's.
    const wrongKid = run(["--no-open", "-p", "0", "--scope", "openid", "--private-key", keyFile, "--private-key-id", "other"], { ORY_SDK_URL: own.issuer, OAUTH2_CLIENT_ID: "jwt-web" });
    assert.equal(await driveFlow(await wrongKid.listening), 400);
    const refused = await wrongKid.exited;
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /\nError: .*invalid_client.*\(client "jwt-web" could not authenticate with private_key_jwt: check that its JWKS \(jwks or jwks_uri\) holds the public half of the key, under the kid the assertion names/);
  } finally {
    await own.close();
  }
  for (const [args, message] of [
    [["--token-endpoint-auth-method", "private_key_jwt"], /^Error: --token-endpoint-auth-method private_key_jwt needs --private-key$/],
    [["--private-key-id", "k1"], /^Error: --private-key-id names the key of --private-key; give that too$/],
    [["--private-key", keyFile, "--token-endpoint-auth-method", "client_secret_post", "--client-secret", "s"], /^Error: --private-key signs a private_key_jwt assertion; it does not go with --token-endpoint-auth-method client_secret_post$/],
    [["--private-key", keyFile, "--client-secret", "s"], /^Error: --private-key sends no secret, but --client-secret gives one; leave it out$/],
    [["--private-key", "-", "--paste", "-p", "4998"], /^Error: only one input can come from stdin, not --paste and --private-key -$/],
    [["--private-key", `${keyFile}.missing`], /^Error: the private key .*web-key\.pem\.missing does not exist$/],
    [["--create-client", "--admin-endpoint", "http://127.0.0.1:9/", "--private-key", keyFile], /^Error: --create-client makes its own client; leave out --private-key$/],
    [["--create-client", "--admin-endpoint", "http://127.0.0.1:9/", "--token-endpoint-auth-method", "private_key_jwt"], /^Error: --create-client makes a client with a generated secret, or a public one; for private_key_jwt, create the client with its keys/],
  ] as const) {
    const { code, stderr, stdout } = await run(["-e", provider.issuer, "--no-open", "-p", "0", ...((args as readonly string[]).includes("--create-client") ? [] : ["--client-id", "demo"]), ...args]).exited;
    assert.ok(code === 2 || (code === 1 && args[1]?.endsWith(".missing")), `${args.join(" ")}: ${code} ${stderr}`);
    assert.equal(stdout, "");
    assert.match(stderr.split("\n")[0]!, message);
    assert.doesNotMatch(stderr, /Home page/);
  }
});

test("an issuer given with its password and no discovery document: the notice shows it as [secret], and the browser is sent without it", async () => {
  const undiscovered = await serveLocal(() => new Response("404 page not found", { status: 404 }));
  try {
    const issuer = undiscovered.url.replace("http://", "http://user:issuer-pw-0123@");
    const cli = spawnCli(["perform", "authorization-code", "--no-open", "-p", "0", "--client-id", "demo", "-e", issuer], { env: { HOME: home.path } });
    const base = (await cli.home).slice(0, -1);
    const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
    await start.body?.cancel();
    // The home page names the authorization endpoint once a flow has started.
    const page = await (await fetch(`${base}/`)).text();
    assert.match(page, /at <code>http:\/\/127\.0\.0\.1:\d+\/oauth2\/auth<\/code>/);
    const location = new URL(start.headers.get("location")!);
    assert.deepEqual([location.username, location.password, location.pathname], ["", "", "/oauth2/auth"]);
    assert.doesNotMatch(page, /issuer-pw/);
    cli.interrupt();
    const { stderr } = await cli.exited;
    assert.match(stderr, /^No OpenID discovery document; using http:\/\/user:\[secret\]@127\.0\.0\.1:\d+\/oauth2\/auth and /);
    assert.doesNotMatch(stderr, /issuer-pw/);
  } finally {
    await undiscovered.close();
  }
});

test("a secret left in the environment for a public client: refused after the sign-in, said as the method this run used", async () => {
  const cli = run(["--no-open", "-p", "0", "--scope", "openid"], { ORY_SDK_URL: provider.issuer, OAUTH2_CLIENT_ID: "public-client", OAUTH2_CLIENT_SECRET: "left-over-secret" });
  assert.equal(await driveFlow(await cli.listening), 400);
  const { code, stderr } = await cli.exited;
  assert.equal(code, 1);
  assert.match(stderr, /\nError: the token endpoint refused the client's credentials \(401\): invalid_client: .*\(client "public-client" could not authenticate with client_secret_basic: check its secret and that its token endpoint auth method is client_secret_basic\)\n$/);
});

test("--redirect naming localhost at this port is warned of: a browser may take it to [::1], where this does not listen", async () => {
  const probe = await serveLocal(() => new Response());
  const port = probe.port;
  await probe.close();
  const cli = spawnCli(["perform", "authorization-code", "--no-open", "-p", String(port), "--client-id", "demo", "-e", provider.issuer, "--redirect", `http://localhost:${port}/callback`], { env: { HOME: home.path } });
  await cli.home;
  cli.interrupt();
  const { stderr } = await cli.exited;
  assert.match(stderr, /^warning: the redirect URI names localhost, which a browser may take to \[::1\] \(IPv6\), where this does not listen: a program listening there would be sent the code; 127\.0\.0\.1 is where this listens/m);
  // 127.0.0.1 at this port is where this listens: nothing to say.
  const exact = spawnCli(["perform", "authorization-code", "--no-open", "-p", String(port), "--client-id", "demo", "-e", provider.issuer, "--redirect", `http://127.0.0.1:${port}/callback`], { env: { HOME: home.path } });
  await exact.home;
  exact.interrupt();
  assert.doesNotMatch((await exact.exited).stderr, /redirect URI/);
});

test("access denied: the default table is not printed, one Error line, exit 1; --state and --client-secret warn", async () => {
  const cli = run(["-e", provider.issuer, "--client-id", "demo", "--client-secret", "demo-secret", "--no-open", "-p", "0", "--state", "fixed-state-value"]);
  const base = await cli.listening;
  assert.equal(await driveFlow(base, { deny: true }), 400);
  const { code, stdout, stderr } = await cli.exited;
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(stderr, /^warning: a secret given on the command line can end up in your shell history; OAUTH2_CLIENT_SECRET or --client-secret - keeps it off\n/);
  assert.match(stderr, /\nwarning: --state is set; a fixed state is insecure/);
  assert.match(stderr, /\nError: the authorization server answered with an error: access_denied[^\n]*\n$/);
  // The default scopes are Hydra's: a provider that knows only offline_access would issue no refresh token, unsaid.
  assert.match(stderr, /\nnote: the server announces the scope offline_access, not offline: for a refresh token, ask for it \(--scope openid,offline_access; an OpenID provider may also want --prompt consent\)\n/);
});

test("-q: only where to go on stderr, and the access token alone on stdout, as Hydra v2's -q prints it", async () => {
  const cli = run(["-e", provider.issuer, "--client-id", "public-client", "--no-open", "-p", "0", "--scope", "openid", "-q"]);
  const base = await cli.listening;
  assert.equal(await driveFlow(base), 200);
  const { code, stdout, stderr } = await cli.exited;
  assert.equal(code, 0);
  // A run that waits without a word looks hung: the address shows whatever -q says.
  assert.equal(
    stderr,
    `Home page:         ${base}/\nCallback listener: ${base}/callback\nStop with Ctrl+C.\nOpen ${base}/ in a browser\n`,
  );
  assert.match(stdout, /^[\w.-]+\n$/);
  assert.doesNotMatch(stdout, /^ey/, "the access token, not the ID token");
});

test("a token endpoint that quotes the request back shows the client secret, the code and the PKCE verifier in no encoding, on stderr or the page", async () => {
  const issuer = await startFakeIssuer();
  const secret = "cs-SECRET.value~1";
  try {
    for (const method of ["client_secret_post", "client_secret_basic"]) {
      // --max-age -1 is Hydra v2's CLI's "none": no max_age is sent.
      const cli = run(["-e", issuer.issuer, "--client-id", "demo", "--token-endpoint-auth-method", method, "--no-open", "-p", "0", "--scope", "openid", "--max-age", "-1"], { OAUTH2_CLIENT_SECRET: secret });
      const base = await cli.listening;
      const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
      await start.body?.cancel();
      const authorization = new URL(start.headers.get("location")!);
      assert.equal(authorization.searchParams.get("max_age"), null);
      const callback = new URLSearchParams({ code: issuer.code({}, { echo: true }), state: authorization.searchParams.get("state")! });
      const page = await (await fetch(`${base}/callback?${callback}`)).text();
      const { code, stdout, stderr } = await cli.exited;
      assert.equal(code, 1);
      assert.match(stderr, /\[secret\]/, `${method}: the echo was shown`);
      const sent = issuer.tokenRequests.at(-1)!;
      const verifier = sent.get("code_verifier")!;
      const codeSent = new URLSearchParams([["code", sent.get("code")!]]).toString().slice("code=".length);
      for (const shown of [secret, "cs%2DSECRET%2Evalue%7E1", "cs-SECRET.value%7E1", verifier, codeSent]) {
        assert.ok(![stdout, stderr, page].some((text) => text.includes(shown)), `${method} showed ${shown}`);
      }
    }
  } finally {
    await issuer.close();
  }
});

test("openid asked for and not granted: the tokens are printed, exit 0, with a warning naming the scope granted", async () => {
  const issuer = await startFakeIssuer();
  try {
    const cli = run(["-e", issuer.issuer, "--client-id", "demo", "--no-open", "-p", "0", "--scope", "openid,offline", "--format", "json"], { OAUTH2_CLIENT_SECRET: "cs-openid" });
    const base = await cli.listening;
    const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
    await start.body?.cancel();
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    await (await fetch(`${base}/callback?${new URLSearchParams({ code: issuer.code({}, { answer: "no-openid-granted" }), state })}`)).text();
    const { code, stdout, stderr } = await cli.exited;
    assert.equal(code, 0, stderr);
    assert.equal(JSON.parse(stdout).access_token, "fake-access-token");
    assert.match(stderr, /\nwarning: the server granted the scope "offline", without the openid asked for \(a consent page may let it be unticked\), so no ID token came\n/);
  } finally {
    await issuer.close();
  }
});

test("a client authentication method the server does not announce is warned of before anything opens; client_secret_basic, where only post is, becomes post", async () => {
  const strict = await startFakeIssuer({ token_endpoint_auth_methods_supported: ["private_key_jwt"] });
  const postOnly = await startFakeIssuer({ token_endpoint_auth_methods_supported: ["client_secret_post"] });
  try {
    for (const [issuer, args, said] of [
      [strict, [], /^warning: the server announces client authentication by private_key_jwt \(its token_endpoint_auth_methods_supported\), not client_secret_basic, this run's: its token endpoint may refuse it after the sign-in \(--token-endpoint-auth-method chooses\)\n/m],
      [postOnly, [], /^note: the server announces client_secret_post and not client_secret_basic: this run sends the client secret so\n/m],
    ] as const) {
      const cli = run(["-e", issuer.issuer, "--client-id", "demo", "--no-open", "-p", "0", "--scope", "openid", ...args], { OAUTH2_CLIENT_SECRET: "cs-4-methods" });
      const base = await cli.listening;
      const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
      await start.body?.cancel();
      const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
      await (await fetch(`${base}/callback?${new URLSearchParams({ code: issuer.code({}), state })}`)).text();
      const { stderr } = await cli.exited;
      assert.match(stderr, said);
    }
    assert.equal(postOnly.tokenRequests.at(-1)?.get("client_secret"), "cs-4-methods", "the secret went in the body");
    // A public client is never warned: a list may leave none out (Keycloak's does).
    const pub = spawnCli(["perform", "authorization-code", "-e", strict.issuer, "--client-id", "demo", "--no-open", "-p", "0"], { env: { HOME: home.path } });
    const ended = await interruptWhen(pub, () => pub.stderr().includes("Home page"), "the home page");
    assert.doesNotMatch(ended.stderr, /client authentication/);
  } finally {
    await strict.close();
    await postOnly.close();
  }
});

test("--client-secret - reads the secret from stdin, unwarned, as the token commands do; with --paste, which reads stdin too, it is refused (exit 2)", async () => {
  const issuer = await startFakeIssuer();
  try {
    const args = ["-e", issuer.issuer, "--client-id", "demo", "--token-endpoint-auth-method", "client_secret_post", "--no-open", "-p", "0", "--scope", "offline"];
    const spawned = spawnCli(["perform", "authorization-code", ...args, "--client-secret", "-"], { env: { HOME: home.path }, stdin: "from-stdin-1\n" });
    const base = (await spawned.home).slice(0, -1);
    const start = await fetch(`${base}/perform-flow`, { redirect: "manual" });
    await start.body?.cancel();
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    await (await fetch(`${base}/callback?${new URLSearchParams({ code: issuer.code({}), state })}`)).body?.cancel();
    const { code, stderr } = await spawned.exited;
    assert.equal(code, 0, stderr);
    assert.equal(issuer.tokenRequests.at(-1)!.get("client_secret"), "from-stdin-1");
    assert.doesNotMatch(stderr, /shell history/);
    const paste = await run([...args, "--client-secret", "-", "--paste", "--redirect", "http://127.0.0.1:4999/callback"]).exited;
    assert.deepEqual([paste.code, paste.stderr.split("\n")[0]], [2, "Error: only one input can come from stdin, not --paste and --client-secret -"]);
  } finally {
    await issuer.close();
  }
});

test("no admin API given and none at --endpoint: the login page's error says to give --admin-endpoint", async () => {
  // A public API alone, as Hydra's is on its own port.
  const publicOnly = await serveLocal(() => new Response("404 page not found", { status: 404 }));
  try {
    const cli = spawnCli(["perform", "authorization-code", "-e", publicOnly.url, "--client-id", "demo", "--no-open", "-p", "0"], { env: { HOME: home.path } });
    const base = (await cli.home).slice(0, -1);
    const page = await fetch(`${base}/login?login_challenge=c1`);
    assert.equal(page.status, 502);
    await page.body?.cancel();
    cli.interrupt();
    const { stderr } = await cli.exited;
    assert.match(stderr, new RegExp(`\nGET /login failed: ${publicOnly.url} serves neither /admin/oauth2/auth/requests/login nor /oauth2/auth/requests/login; Hydra's admin API, which the login and consent pages accept through, is on a port of its own \\(4445 by default\\): give it with --admin-endpoint or HYDRA_ADMIN_URL; still waiting\n`));
  } finally {
    await publicOnly.close();
  }
});

test("-q and no browser to open: the could-not-open line still shows", async () => {
  // No xdg-open (nor anything else) on an empty PATH; the runtime itself is named by its full path.
  const spawned = spawnCli(["perform", "authorization-code", "-e", provider.issuer, "--client-id", "demo", "-p", "0", "-q"], {
    env: { HOME: home.path, PATH: home.path },
  });
  const base = await spawned.home;
  const { stderr } = await interruptWhen(spawned, () => spawned.stderr().includes("Could not open"), "the could-not-open line");
  assert.match(stderr, new RegExp(`\nCould not open a browser; go to ${base}\n`));
});

test("a request without a Host header gets a 400 and the user's terminal hears nothing of it", async () => {
  const spawned = spawnCli(["perform", "authorization-code", "-e", provider.issuer, "--client-id", "demo", "--no-open", "-p", "0"], { env: { HOME: home.path } });
  const port = Number(new URL(await spawned.home).port);
  const { status, answer } = await rawRequest(port, "GET / HTTP/1.0");
  assert.equal(status, 400);
  assert.ok(answer.length < 2000, `a short page, not a developer page of ${answer.length} bytes`);
  spawned.interrupt();
  const { stderr } = await spawned.exited;
  assert.match(stderr, /\nError: interrupted before the flow finished\n$/);
  assert.doesNotMatch(stderr, /TypeError|Invalid URL|Host/);
});
