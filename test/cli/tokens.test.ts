// The token commands, spawned as a user runs them, against a real OpenID provider
// (oidc-provider on loopback): client credentials, private_key_jwt, the device flow with a
// scripted user, refresh, userinfo and revocation, checked with the provider's own
// introspection; and bad input refused before anything is sent.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { run, spawnCli } from "../support/cli.ts";
import { base64urlBytes, idTokenUnsigned, pkcs8Pem } from "../support/keys.ts";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { serveLocal, serveSlowly, tempDir } from "../support/runtime.ts";
import { authorize, CookieJar } from "../support/user-agent.ts";

let provider: RunningProvider;
const dir = tempDir();
before(async () => void (provider = await startProvider()));
after(async () => {
  await provider?.close();
  dir.remove();
});

/** RFC 7662 introspection at the provider, as the "service" client. */
async function introspect(token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${provider.issuer}/token/introspection`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa("service:service-secret")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  return (await response.json()) as Record<string, unknown>;
}

const service = () => ["--client-id", "service", "-e", provider.issuer];

test("client credentials: the secret from stdin, every field of the token response; revoked, it is inactive", async () => {
  const result = await run(["perform", "client-credentials", ...service(), "--client-secret", "-", "--format", "json"], { stdin: "service-secret\n" });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "", "no warning: the secret was not on the command line");
  const tokens = JSON.parse(result.stdout);
  assert.equal(tokens.token_type, "bearer");
  assert.equal(typeof tokens.expires_in, "number");
  assert.ok(Date.parse(tokens.expiry) > Date.now());
  assert.equal((await introspect(tokens.access_token)).active, true);

  const revoked = await run(["token", "revoke", ...service(), "-"], { stdin: tokens.access_token, env: { OAUTH2_CLIENT_SECRET: "service-secret" } });
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(revoked.stdout, `Revoked OAuth 2.0 Access Token: ${tokens.access_token}\n`);
  assert.equal((await introspect(tokens.access_token)).active, false);
  // A "$TOKEN" read from a file with Windows line ends: the server would revoke no such token, and answer 200.
  const env = { OAUTH2_CLIENT_SECRET: "service-secret" };
  const second = JSON.parse((await run(["perform", "client-credentials", ...service(), "--format", "json"], { env })).stdout).access_token as string;
  const crlf = await run(["revoke", "token", ...service(), "--", `${second}\r\n`], { env });
  assert.equal(crlf.code, 0, crlf.stderr);
  assert.equal((await introspect(second)).active, false);
});

test("an endpoint that is no OAuth 2.0 server (the admin port, a path too many) is named where it was looked at", async () => {
  const wrong = await serveLocal(() => new Response("404 page not found", { status: 404, headers: { "Content-Type": "text/plain" } }));
  try {
    const result = await run(["perform", "client-credentials", "--client-id", "service", "-e", `${wrong.url}/oauth2/token`], { env: { OAUTH2_CLIENT_SECRET: "service-secret" } });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `No OpenID discovery document at ${wrong.url}/oauth2/token/.well-known/openid-configuration; using Hydra's paths under ${wrong.url}/oauth2/token\n` +
        `Error: the token endpoint (${wrong.url}/oauth2/token/oauth2/token) answered 404 Not Found, with no OAuth 2.0 error in its body\n`,
    );
  } finally {
    await wrong.close();
  }
});

test("a confidential client sent no secret, as a public client's request goes, is told to give one", async () => {
  const revoked = await run(["revoke", "token", ...service(), "--", "some-token"]);
  assert.equal(revoked.code, 1);
  assert.match(revoked.stderr, /^Error: the revocation endpoint answered 401 invalid_client[^\n]* \(no client secret was given, so the request went as a public client's: give --client-secret or OAUTH2_CLIENT_SECRET\)\n$/);
});

test("client credentials: Hydra's table by default, the bare token from token client and with -q, a secret on the command line warned about", async () => {
  const table = await run(["perform", "client-credentials", ...service(), "--client-secret", "service-secret"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^ACCESS TOKEN {3}\S+\nREFRESH TOKEN\nID TOKEN\nEXPIRY {9}\d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  assert.match(table.stderr, /^warning: a secret given on the command line can end up in your shell history/);
  const bare = await run(["token", "client", ...service()], { env: { OAUTH2_CLIENT_SECRET: "service-secret" } });
  assert.equal(bare.code, 0, bare.stderr);
  assert.match(bare.stdout, /^[\w-]+\n$/);
  // v1.8's HYDRA_URL (the public URL) names the server, before v2's ORY_SDK_URL.
  const v1Env = await run(["token", "client", "--client-id", "service"], { env: { HYDRA_URL: provider.issuer, ORY_SDK_URL: "http://127.0.0.1:1", OAUTH2_CLIENT_SECRET: "service-secret" } });
  assert.equal(v1Env.code, 0, v1Env.stderr);
  assert.match(v1Env.stdout, /^[\w-]+\n$/);
  // In v2's word order ORY_SDK_URL, the one Hydra v2's CLI reads: a HYDRA_URL left from v1.8
  // must not send a v2 script to the old server. The same variables alike name the server.
  const v2Env = { HYDRA_URL: "http://127.0.0.1:1", ORY_SDK_URL: provider.issuer, OAUTH2_CLIENT_SECRET: "service-secret" };
  const v2First = await run(["perform", "client-credentials", "--client-id", "service", "-q"], { env: v2Env });
  assert.equal(v2First.code, 0, v2First.stderr);
  assert.match(v2First.stdout, /^[\w-]+\n$/);
  const v2Revoked = await run(["revoke", "token", "--client-id", "service", "--", v2First.stdout.trim()], { env: v2Env });
  assert.equal(v2Revoked.code, 0, v2Revoked.stderr);
  const same = await run(["perform", "client-credentials", "--client-id", "service", "-q"], { env: { ...v2Env, HYDRA_URL: provider.issuer } });
  assert.equal(same.code, 0, same.stderr);
  // -q, as Hydra v2's: the access token alone, whatever --format says.
  const quiet = await run(["perform", "client-credentials", ...service(), "-q", "--format", "json"], { env: { OAUTH2_CLIENT_SECRET: "service-secret" } });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /^[\w-]+\n$/);
  assert.equal((await introspect(quiet.stdout.trim())).active, true);
});

test("tokens whose output is lost: said, even to a reader that went away, since they were shown nowhere else", async () => {
  const env = { OAUTH2_CLIENT_SECRET: "service-secret" };
  for (const [stdout, reason] of [["full", "no space left on device"], ["closed", "the reader closed the pipe"]] as const) {
    const result = await run(["perform", "client-credentials", ...service()], { env, stdout });
    assert.deepEqual([result.code, result.stderr], [1, `Error: tokens were issued, but the output could not be written: ${reason}\n`], stdout);
  }
  // A revocation is said to be done, so that nobody wonders whether the token still works.
  const token = JSON.parse((await run(["perform", "client-credentials", ...service(), "--format", "json"], { env })).stdout).access_token;
  // After "--": a random token may start with "-".
  const revoked = await run(["revoke", "token", ...service(), "--", token], { env, stdout: "full" });
  assert.deepEqual([revoked.code, revoked.stderr], [1, "Error: the token was revoked, but the output could not be written: no space left on device\n"]);
  assert.equal((await introspect(token)).active, false);
});

test("client credentials: a wrong secret is the server's error in one line, exit 1", async () => {
  const result = await run(["perform", "client-credentials", ...service()], { env: { OAUTH2_CLIENT_SECRET: "wrong" } });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^Error: the token endpoint answered 401 invalid_client: [^\n]+\n$/);
  assert.equal(result.stdout, "");
});

test("private_key_jwt: a client registered with its public key gets a token with the PEM key", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const keyFile = `${dir.path}/key.pem`;
  writeFileSync(keyFile, `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----\n`);
  const own = await startProvider({
    clients: [{ client_id: "jwt-service", token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "ES256", jwks: { keys: [jwk] }, grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }],
  });
  try {
    const result = await run(["perform", "client-credentials", "--client-id", "jwt-service", "-e", own.issuer, "--private-key", keyFile, "--format", "jsonpath=token_type"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '"bearer"\n');
  } finally {
    await own.close();
  }
});

/**
 * Hydra's public API as a fake that records what it is sent: a discovery document that
 * announces `issuer` (its own URL unless told otherwise, as Hydra reached under another
 * name does), and the token and revocation endpoints at Hydra's paths.
 */
async function recordingHydra(issuer?: string) {
  const requests: { path: string; form: URLSearchParams; authorization: string | null }[] = [];
  const server = await serveLocal(async (request) => {
    const path = new URL(request.url).pathname;
    requests.push({ path, form: new URLSearchParams(request.method === "POST" ? await request.text() : ""), authorization: request.headers.get("authorization") });
    const announced = issuer ?? server.url;
    if (path === "/.well-known/openid-configuration") {
      return Response.json({ issuer: announced, token_endpoint: `${announced}/oauth2/token`, revocation_endpoint: `${announced}/oauth2/revoke` });
    }
    if (path === "/oauth2/token") return Response.json({ access_token: "fake-access-token", token_type: "bearer", expires_in: 3600 });
    if (path === "/oauth2/revoke") return new Response(null, { status: 200 });
    return new Response("not found", { status: 404 });
  });
  return { url: server.url, requests, close: () => server.close() };
}

/** The header and claims of a compact JWS. */
const jwsParts = (jws: string) => jws.split(".").slice(0, 2).map((part) => JSON.parse(new TextDecoder().decode(base64urlBytes(part))));

test("private_key_jwt: the assertion's audience is the token endpoint, as one string; --private-key-id names the PEM key", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const keyFile = dir.write("assertion.pem", pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
  const hydra = await recordingHydra();
  try {
    const result = await run(["perform", "client-credentials", "-e", hydra.url, "--client-id", "svc", "--private-key", keyFile, "--private-key-id", "k1", "-q"]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, "fake-access-token\n", ""]);
    const [header, claims] = jwsParts(hydra.requests.find((request) => request.path === "/oauth2/token")!.form.get("client_assertion")!);
    assert.deepEqual(header, { alg: "ES256", kid: "k1" });
    assert.equal(claims.aud, `${hydra.url}/oauth2/token`);
    // An Ed25519 key signs as "EdDSA", the name servers and registered keys use.
    const ed = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const edFile = dir.write("assertion-ed.pem", pkcs8Pem(await crypto.subtle.exportKey("pkcs8", ed.privateKey)));
    const edResult = await run(["perform", "client-credentials", "-e", hydra.url, "--client-id", "svc", "--private-key", edFile, "--private-key-id", "k2", "-q"]);
    assert.equal(edResult.code, 0, edResult.stderr);
    assert.deepEqual(jwsParts(hydra.requests.filter((request) => request.path === "/oauth2/token").at(-1)!.form.get("client_assertion")!)[0], { alg: "EdDSA", kid: "k2" });
  } finally {
    await hydra.close();
  }
});

test("a client registered for client_secret_post, refused for Basic: sent again so by default, as Hydra's CLIs do; a method asked for is kept and the fitting one named", async () => {
  const hint = (q: string) =>
    `The OAuth 2.0 Client supports client authentication method ${q}client_secret_post${q}, but method ${q}client_secret_basic${q} was requested. You must configure the OAuth 2.0 client's ${q}token_endpoint_auth_method${q} value to accept ${q}client_secret_basic${q}.`;
  const failed = "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)";
  // Hydra v2.3.0's words for it, and Hydra v1.8.5's (fosite 0.34: other quotes, the hint also on its own).
  for (const refusal of [
    { error: "invalid_client", error_description: `${failed}. ${hint("'")}` },
    { error: "invalid_client", error_verbose: failed, error_description: `${failed}\n\n${hint('"')}`, error_hint: hint('"'), status_code: 401 },
  ]) {
    const sent: string[] = [];
    const hydra = await serveLocal(async (request) => {
      const form = new URLSearchParams(await request.text());
      sent.push(request.headers.has("authorization") ? "basic" : form.get("client_secret") === "s3cret" ? "post" : "none");
      if (request.headers.has("authorization")) return Response.json(refusal, { status: 401 });
      return Response.json({ access_token: "at-1", token_type: "bearer", expires_in: 3600 });
    });
    const line = ["perform", "client-credentials", "--token-url", `${hydra.url}/oauth2/token`, "--client-id", "post1"];
    try {
      const retried = await run([...line, "-q"], { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
      assert.deepEqual([retried.code, retried.stdout, retried.stderr], [0, "at-1\n", ""]);
      const noted = await run(line, { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
      assert.equal(noted.code, 0, noted.stderr);
      assert.equal(noted.stderr, 'note: client "post1" is registered for client_secret_post; its secret was sent again that way (--token-endpoint-auth-method client_secret_post sends it so at once)\n');
      const asked = await run([...line, "--token-endpoint-auth-method", "client_secret_basic"], { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
      assert.equal(asked.code, 1);
      assert.match(asked.stderr, /^Error: the token endpoint answered 401 invalid_client: .* \(give --token-endpoint-auth-method client_secret_post, the way it is registered for\)\n$/);
      assert.deepEqual(sent, ["basic", "post", "basic", "post", "basic"]);
    } finally {
      await hydra.close();
    }
  }
  // The device flow: its device endpoint authenticates the client first, then each poll.
  const sent: string[] = [];
  const device = await serveLocal(async (request) => {
    const { pathname, origin } = new URL(request.url);
    if (pathname === "/.well-known/openid-configuration") {
      return Response.json({ issuer: origin, authorization_endpoint: `${origin}/auth`, token_endpoint: `${origin}/token`, device_authorization_endpoint: `${origin}/device` });
    }
    const form = new URLSearchParams(await request.text());
    sent.push(`${pathname} ${request.headers.has("authorization") ? "basic" : form.get("client_secret") === "s3cret" ? "post" : "none"}`);
    if (request.headers.has("authorization")) return Response.json({ error: "invalid_client", error_description: `${failed}. ${hint("'")}` }, { status: 401 });
    if (pathname === "/device") return Response.json({ device_code: "dc", user_code: "UC", verification_uri: `${origin}/verify`, expires_in: 60, interval: 1 });
    return Response.json({ access_token: "at-2", token_type: "bearer", expires_in: 3600 });
  });
  try {
    const flowed = await run(["perform", "device-code", "-e", device.url, "--client-id", "post1", "-q"], { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
    assert.equal(flowed.code, 0, flowed.stderr);
    assert.equal(flowed.stdout, "at-2\n");
    assert.deepEqual(sent, ["/device basic", "/device post", "/token post"]);
  } finally {
    await device.close();
  }
});

test("-H Authorization on a token request replaces the client's credentials, with a warning; where hydractl sends none, silently", async () => {
  const hydra = await recordingHydra();
  try {
    const result = await run(["perform", "client-credentials", "-e", hydra.url, "--client-id", "svc", "-H", "Authorization: Bearer gateway"], { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "warning: -H Authorization replaces the Authorization header hydractl sends (the token or client credentials it was given); -H's value is sent\n");
    assert.deepEqual(hydra.requests.map((request) => [request.path, request.authorization]), [["/.well-known/openid-configuration", "Bearer gateway"], ["/oauth2/token", "Bearer gateway"]]);
  } finally {
    await hydra.close();
  }
});

test("Hydra reached under another name than its issuer: its discovery document unused, Hydra's paths under the endpoint given, as Hydra's CLI; --token-url or --revocation-url need no discovery", async () => {
  const hydra = await recordingHydra("http://hydra.internal:4444");
  const client = ["--client-id", "svc"];
  // HYDRA_URL, set for other commands, does not bring discovery back.
  const env = { OAUTH2_CLIENT_SECRET: "s3cret", HYDRA_URL: hydra.url };
  const noted = (flag: string, path: string) =>
    `note: ${hydra.url} announces the issuer "http://hydra.internal:4444"; its discovery document is not used, and Hydra's path under the endpoint given is, as Hydra's CLI uses it: ${hydra.url}/oauth2/${path} (${flag} names it at once)\n`;
  try {
    const grant = await run(["perform", "client-credentials", ...client, "-q"], { env });
    assert.deepEqual([grant.code, grant.stdout], [0, "fake-access-token\n"]);
    const revoke = await run(["revoke", "token", ...client, "fake-access-token"], { env });
    assert.deepEqual([revoke.code, revoke.stderr, revoke.stdout], [0, noted("--revocation-url", "revoke"), "ID  fake-access-token\n"]);
    const grantNoted = await run(["perform", "client-credentials", ...client], { env });
    assert.deepEqual([grantNoted.code, grantNoted.stderr], [0, noted("--token-url", "token")]);
    assert.deepEqual(
      hydra.requests.map((request) => request.path),
      ["/.well-known/openid-configuration", "/oauth2/token", "/.well-known/openid-configuration", "/oauth2/revoke", "/.well-known/openid-configuration", "/oauth2/token"],
    );

    hydra.requests.length = 0;
    const direct = await run(["perform", "client-credentials", ...client, "--token-url", `${hydra.url}/oauth2/token`, "-q"], { env });
    assert.deepEqual([direct.code, direct.stdout, direct.stderr], [0, "fake-access-token\n", ""]);
    const revoked = await run(["token", "revoke", ...client, "--revocation-url", `${hydra.url}/oauth2/revoke`, "fake-access-token"], { env });
    assert.deepEqual([revoked.code, revoked.stdout, revoked.stderr], [0, "Revoked OAuth 2.0 Access Token: fake-access-token\n", ""]);
    assert.deepEqual(hydra.requests.map((request) => request.path), ["/oauth2/token", "/oauth2/revoke"]);
    assert.equal(hydra.requests[1]!.form.get("token"), "fake-access-token");

    // A refreshed ID token is checked against the issuer, which only discovery names: --token-url does not skip it there.
    hydra.requests.length = 0;
    const refresh = await run(["token", "refresh", ...client, "--token-url", `${hydra.url}/oauth2/token`], { env, stdin: "a-refresh-token\n" });
    assert.equal(refresh.code, 1);
    assert.match(refresh.stderr, /^Error: OpenID discovery at \S+ failed: it announces the issuer "http:\/\/hydra.internal:4444", not \S+; the endpoint must be the issuer URL itself\n$/);
    assert.deepEqual(hydra.requests.map((request) => request.path), ["/.well-known/openid-configuration"]);
  } finally {
    await hydra.close();
  }
});

test("an issuer given with its password (http://user:pw@host) shows it as [secret] in the notes about it", async () => {
  const hydra = await recordingHydra("http://hydra.internal:4444");
  const withPassword = hydra.url.replace("http://", "http://user:issuer-pw-0123@");
  try {
    const grant = await run(["perform", "client-credentials", "--client-id", "svc", "-e", withPassword], { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stderr, /^note: http:\/\/user:\[secret\]@127\.0\.0\.1:\d+ announces the issuer /);
    assert.doesNotMatch(grant.stderr, /issuer-pw/);
  } finally {
    await hydra.close();
  }
  const undiscovered = await serveLocal((request) =>
    new URL(request.url).pathname === "/oauth2/token" ? Response.json({ access_token: "fake-access-token", token_type: "bearer" }) : new Response("404 page not found", { status: 404 }),
  );
  try {
    const grant = await run(["perform", "client-credentials", "--client-id", "svc", "-e", undiscovered.url.replace("http://", "http://user:issuer-pw-0123@")], { env: { OAUTH2_CLIENT_SECRET: "s3cret" } });
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stderr, /^No OpenID discovery document at http:\/\/user:\[secret\]@/);
    assert.doesNotMatch(grant.stderr, /issuer-pw/);
  } finally {
    await undiscovered.close();
  }
});

test("token refresh: an ID token from another issuer than --token-url's is rejected, and the other new tokens are printed all the same, exit 1", async () => {
  const now = Math.floor(Date.now() / 1000);
  const idToken = idTokenUnsigned({ iss: "http://127.0.0.1:4444", aud: "svc", sub: "u", iat: now, exp: now + 60 });
  const hydra = await serveLocal(() => Response.json({ access_token: "at-2", refresh_token: "rt-2", id_token: idToken, token_type: "bearer", expires_in: 3600 }));
  try {
    const url = hydra.url.replace(/\/$/, "");
    const refresh = await run(["token", "refresh", "--client-id", "svc", "--token-url", `${url}/oauth2/token`, "--format", "json"], { env: { OAUTH2_CLIENT_SECRET: "s3cret" }, stdin: "rt-1\n" });
    assert.equal(refresh.code, 1);
    const tokens = JSON.parse(refresh.stdout);
    assert.deepEqual([tokens.access_token, tokens.refresh_token, tokens.id_token], ["at-2", "rt-2", undefined]);
    assert.equal(
      refresh.stderr,
      `Error: the refresh token was used and new tokens were issued, but the ID token among them was rejected (invalid ID token: unexpected JWT "iss" (issuer) claim value ("http://127.0.0.1:4444", where the issuer is "${url}")); ` +
        "the issuer was guessed from --token-url: give the server's with --endpoint; the others are printed without it\n",
    );
  } finally {
    await hydra.close();
  }
});

test("token refresh: a granted refresh whose answer is unusable says the refresh token given is most likely used up", async () => {
  for (const [answer, reason] of [
    [Response.json({ access_token: "at-2", refresh_token: "rt-2", token_type: "N_A", expires_in: 3600 }), /unsupported `token_type` value/],
    [Response.json(["not", "an", "object"]), /its body must be a top level object/],
  ] as const) {
    const hydra = await serveLocal(() => answer.clone());
    try {
      const refresh = await run(["token", "refresh", "--client-id", "svc", "--token-url", `${hydra.url}/oauth2/token`], { env: { OAUTH2_CLIENT_SECRET: "s3cret" }, stdin: "rt-1\n" });
      assert.deepEqual([refresh.code, refresh.stdout], [1, ""]);
      assert.match(refresh.stderr, reason);
      assert.match(refresh.stderr, /; the server answered 200, so the refresh token given was most likely used up, and a new one, if any, was in that answer: sign in again\n$/);
      assert.equal(refresh.stderr.split("\n").length, 2, refresh.stderr);
    } finally {
      await hydra.close();
    }
  }
});

test("token refresh: a request lost once sent (no answer in time) says the refresh token may be used up; one never sent does not", async () => {
  const hydra = await serveSlowly(() => Response.json({ access_token: "at-2", token_type: "bearer", expires_in: 3600 }), 3000);
  try {
    const refresh = await run(["token", "refresh", "--client-id", "svc", "--token-url", `${hydra.url}/oauth2/token`, "--fail-after", "1s"], { env: { OAUTH2_CLIENT_SECRET: "s3cret" }, stdin: "rt-1\n" });
    assert.deepEqual([refresh.code, refresh.stdout], [1, ""]);
    assert.match(refresh.stderr, /did not answer within 1s; if the server got the request, the refresh token given may be used up \(Hydra rotates them\): try it once more, and sign in again if it is refused\n$/);
  } finally {
    await hydra.close();
  }
  const gone = await serveLocal(() => new Response());
  await gone.close();
  const refused = await run(["token", "refresh", "--client-id", "svc", "--token-url", `${gone.url}/oauth2/token`], { env: { OAUTH2_CLIENT_SECRET: "s3cret" }, stdin: "rt-1\n" });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /connection refused/);
  assert.doesNotMatch(refused.stderr, /used up/);
});

/** Approves a device code as the user would: open the complete URI, confirm, sign in, consent. */
async function approve(completeUri: string, deny = false): Promise<void> {
  const jar = new CookieJar();
  const post = async (form: string, url: string) => {
    const fields = Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (deny) delete fields.confirm;
    if (deny) fields.abort = "yes";
    const response = await fetch(url, { method: "POST", headers: { cookie: jar.header(new URL(url)) ?? "", "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });
    jar.store(new URL(url), response.headers.getSetCookie());
    return response;
  };
  const first = await fetch(completeUri, { redirect: "manual" });
  jar.store(new URL(completeUri), first.headers.getSetCookie());
  const formOf = async (response: Response) => (await response.text()).match(/<form[\s\S]*?<\/form>/)![0];
  const confirm = await post(await formOf(first), `${provider.issuer}/device`);
  const next = await post(await formOf(confirm), `${provider.issuer}/device`);
  if (deny) return void (await next.body?.cancel());
  const location = next.headers.get("location");
  assert.ok(location, `the confirmation leads to the login (${next.status})`);
  await next.body?.cancel();
  // Each finished interaction (login, then consent) resumes at /device/<uid>, which either
  // starts the next one or shows that the device is signed in.
  let url = new URL(location, provider.issuer);
  for (let step = 0; step < 4; step++) {
    const done = await authorize(url.href, { jar, login: "alice", stopAt: (next) => /^\/device\/[\w-]+$/.test(next.pathname) });
    assert.ok("url" in done);
    const resumed = await fetch(done.url, { headers: { cookie: jar.header(done.url) ?? "" }, redirect: "manual" });
    jar.store(done.url, resumed.headers.getSetCookie());
    const next = resumed.headers.get("location");
    const page = await resumed.text();
    if (!next) return assert.equal(resumed.status, 200, page);
    url = new URL(next, done.url);
  }
  assert.fail("the device was not signed in after four interactions");
}

async function deviceFlow(deny = false) {
  const spawned = spawnCli(["perform", "device-code", "--client-id", "device", "-e", provider.issuer, "--scope", "openid,offline_access", "--format", "json"], { timeoutMs: 60_000 });
  let ended = false;
  void spawned.exited.then(() => (ended = true));
  let uri: string | undefined;
  while (!(uri = /or open (\S+)/.exec(spawned.stderr())?.[1])) {
    if (ended) assert.fail(`perform device-code ended before printing the code:\n${spawned.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.match(spawned.stderr(), /^To sign in, open http:\/\/127\.0\.0\.1:\d+\/device and enter the code [A-Z]{4}-[A-Z]{4}\n/);
  await approve(uri, deny);
  return spawned.exited;
}

test("device flow: the user approves; tokens with a verified ID token; refreshed; userinfo says who", async () => {
  const result = await deviceFlow();
  assert.equal(result.code, 0, result.stderr);
  const tokens = JSON.parse(result.stdout);
  assert.ok(tokens.access_token && tokens.refresh_token && tokens.id_token);

  const refreshed = await run(["token", "refresh", "--client-id", "device", "-e", provider.issuer, "--format", "json"], { stdin: `${tokens.refresh_token}\n` });
  assert.equal(refreshed.code, 0, refreshed.stderr);
  const fresh = JSON.parse(refreshed.stdout);
  assert.notEqual(fresh.access_token, tokens.access_token);
  assert.ok(fresh.id_token, "a new ID token, checked");
  assert.equal(refreshed.stderr, "", "a token from stdin draws no warning");
  // Given on the command line, it draws the same warning as a secret does.
  const given = await run(["token", "refresh", "--client-id", "device", "-e", provider.issuer, "--format", "json", "--refresh-token", fresh.refresh_token]);
  assert.equal(given.code, 0, given.stderr);
  assert.match(given.stderr, /^warning: a refresh token given on the command line can end up in your shell history/);

  // The device client's userinfo answers are signed for it: checked as an ID token is, with
  // the client as their audience, so a run that names no client is told to.
  const info = await run(["token", "userinfo", "-e", provider.issuer, "--client-id", "device", "--format", "json", "--", fresh.access_token]);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(JSON.parse(info.stdout).sub, "alice");
  const unnamed = await run(["token", "userinfo", "-e", provider.issuer, "--", fresh.access_token]);
  assert.deepEqual(
    [unnamed.code, unnamed.stdout, unnamed.stderr],
    [1, "", "Error: the userinfo endpoint's answer was rejected: it signs its answer for a client, and none was given: give --client-id, the client the token was issued to\n"],
  );
  const another = await run(["token", "userinfo", "-e", provider.issuer, "--client-id", "demo", "--", fresh.access_token]);
  assert.deepEqual([another.code, another.stderr], [1, 'Error: the userinfo endpoint\'s answer was rejected: its signed answer is made out to another client than "demo" (its aud claim)\n']);
  // The first, rotated away, is refused (and, reused, ends the session at this provider): said as what it most likely is.
  const reused = await run(["token", "refresh", "--client-id", "device", "-e", provider.issuer], { stdin: `${tokens.refresh_token}\n` });
  assert.equal(reused.code, 1);
  assert.match(reused.stderr, /^Error: the token endpoint answered 400 invalid_grant: .*\(the refresh token given is expired, revoked or used up: a rotated one works once/);
});

test("device flow: the user denies; the server's error in one line, exit 1", async () => {
  const result = await deviceFlow(true);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /\nError: the token endpoint answered 400 access_denied[^\n]*\n$/);
  assert.equal(result.stdout, "");
});

test("bad input is refused before anything is sent: an empty token on stdin, a bad key file, two readers of stdin", async () => {
  // Port 1 listens nowhere: a request would end in a connection error, not these lines.
  const nowhere = ["-e", "http://127.0.0.1:1", "--client-id", "x"];
  const empty = await run(["revoke", "token", ...nowhere, "-"], { stdin: "\n" });
  assert.deepEqual([empty.code, empty.stderr], [1, "Error: no token on stdin\n"]);
  const key = `${dir.path}/not-a-key.pem`;
  writeFileSync(key, "hello");
  const badKey = await run(["perform", "client-credentials", ...nowhere, "--private-key", key]);
  assert.deepEqual([badKey.code, badKey.stderr], [1, `Error: --private-key ${key}: the private key is neither a private JWK nor a PEM private key (PKCS#8 "PRIVATE KEY", or "RSA PRIVATE KEY" or "EC PRIVATE KEY")\n`]);
  const encrypted = fileURLToPath(new URL("../fixtures/keys/rsa-encrypted.pem", import.meta.url).href);
  const locked = await run(["perform", "client-credentials", ...nowhere, "--private-key", encrypted]);
  assert.deepEqual([locked.code, locked.stderr], [1, `Error: --private-key ${encrypted}: the private key is encrypted; decrypt it first (e.g. openssl pkey -in KEY -out plain.pem)\n`]);
  const both = await run(["revoke", "token", ...nowhere, "--client-secret", "-", "-"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^Error: only one input can come from stdin, not TOKEN - and --client-secret -\n/);
});
