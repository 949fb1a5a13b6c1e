// The token flows of src/oauth/ against a fake of Hydra's public API, in-process: every
// request the flows send and every answer the fake gives is checked against Hydra's own
// API documents (test/support/hydra-api.json), so the fake cannot drift from real Hydra.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as oauth from "oauth4webapi";
import { FlowError, InterruptedError } from "../../src/errors.ts";
import { type ClientIdentity, importPrivateKey } from "../../src/oauth/client-auth.ts";
import { clientCredentialsGrant } from "../../src/oauth/client-credentials.ts";
import { pollDeviceCode, startDeviceAuthorization } from "../../src/oauth/device-code.ts";
import { oauthHttpOptions } from "../../src/oauth/http.ts";
import { IdTokenRejectedError, refreshTokens } from "../../src/oauth/refresh.ts";
import { revokeToken } from "../../src/oauth/revocation.ts";
import { tokenSet } from "../../src/oauth/tokens.ts";
import { fetchUserInfo, USERINFO_FOR_ANOTHER_CLIENT, USERINFO_REJECTED } from "../../src/oauth/userinfo.ts";
import { startFakeIssuer } from "../support/fake-issuer.ts";
import { findOperation, type HydraVersion, HYDRA_VERSIONS, requestErrors, responseErrors } from "../support/hydra-api.ts";
import { base64urlBytes, es256SignedBy, idTokenUnsigned, pkcs8Pem } from "../support/keys.ts";

const ISSUER = "http://hydra.test";
const server: oauth.AuthorizationServer = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/oauth2/token`,
  revocation_endpoint: `${ISSUER}/oauth2/revoke`,
  userinfo_endpoint: `${ISSUER}/userinfo`,
  device_authorization_endpoint: `${ISSUER}/oauth2/device/auth`,
};
const basic: ClientIdentity = { clientId: "my app", method: "client_secret_basic", secret: "s3cret:+" };

interface Seen {
  path: string;
  form: URLSearchParams;
  headers: Headers;
}

/**
 * Hydra's public token, revocation and userinfo endpoints as a fetch. `answer` picks the
 * answer; the request and the answer must both fit what that Hydra version documents.
 */
function fakeHydra(version: HydraVersion, answer: (seen: Seen) => { status: number; body?: unknown }) {
  const seen: Seen[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const form = new URLSearchParams(request.method === "POST" ? await request.text() : "");
    const entry = { path, form, headers: request.headers };
    seen.push(entry);
    const operation = findOperation(version, request.method, path);
    const { status, body } = answer(entry);
    if (operation) {
      const problems = [
        ...(request.method === "POST" ? requestErrors(version, operation, Object.fromEntries(form), { closed: false }) : []),
        ...responseErrors(version, operation, status, body),
      ];
      assert.deepEqual(problems, [], `${request.method} ${path} does not fit Hydra ${version}'s documents`);
    }
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { seen, http: oauthHttpOptions(fetch, true) };
}

const TOKEN = { access_token: "at-1", token_type: "bearer", expires_in: 3599, scope: "read write" };

for (const version of HYDRA_VERSIONS) {
  test(`client credentials (${version}): basic auth as Hydra's CLI sends it, scope and audience, every field of the answer kept`, async () => {
    const { seen, http } = fakeHydra(version, () => ({ status: 200, body: TOKEN }));
    const before = Date.now();
    const { tokens } = await clientCredentialsGrant({ server, client: basic, scopes: ["read", "write"], audience: ["https://a", "https://b"], http });
    const [request] = seen;
    assert.equal(request!.path, "/oauth2/token");
    assert.equal(request!.form.get("grant_type"), "client_credentials");
    assert.equal(request!.form.get("scope"), "read write");
    assert.equal(request!.form.get("audience"), "https://a https://b");
    // RFC 6749 §2.3.1: both halves form-encoded before base64, as Go's oauth2 does.
    assert.equal(request!.headers.get("authorization"), `Basic ${btoa("my+app:s3cret%3A%2B")}`);
    assert.equal(request!.form.get("client_secret"), null);
    assert.equal(tokens.access_token, "at-1");
    assert.equal(tokens.scope, "read write");
    assert.equal(tokens.expires_in, 3599);
    const expiry = Date.parse(tokens.expiry!);
    assert.ok(expiry >= before + 3599_000 && expiry <= Date.now() + 3599_000);
  });

  test(`revocation (${version}): the token in the form, the client in basic auth`, async () => {
    const { seen, http } = fakeHydra(version, () => ({ status: 200 }));
    await revokeToken(server, basic, "at-1", http);
    assert.equal(seen[0]!.path, "/oauth2/revoke");
    assert.equal(seen[0]!.form.get("token"), "at-1");
    assert.match(seen[0]!.headers.get("authorization")!, /^Basic /);
  });

  test(`a wrong secret (${version}): one line with the server's error, nothing retried`, async () => {
    const { seen, http } = fakeHydra(version, () => ({
      status: 401,
      body: { error: "invalid_client", error_description: "Client authentication failed" },
    }));
    await assert.rejects(clientCredentialsGrant({ server, client: basic, scopes: [], audience: [], http }), (error: Error) => {
      assert.ok(error instanceof FlowError);
      assert.equal(error.message, "the token endpoint answered 401 invalid_client: Client authentication failed");
      return true;
    });
    assert.equal(seen.length, 1);
  });

  test(`a description on several lines (${version}; Hydra v1.8.5 adds its hint after a blank line) is one line`, async () => {
    const { http } = fakeHydra(version, () => ({
      status: 400,
      body: { error: "invalid_scope", error_description: "The requested scope is invalid.\n\nThe OAuth 2.0 Client is not allowed to request scope \"bogus\"." },
    }));
    await assert.rejects(clientCredentialsGrant({ server, client: basic, scopes: ["bogus"], audience: [], http }), {
      message: 'the token endpoint answered 400 invalid_scope: The requested scope is invalid. The OAuth 2.0 Client is not allowed to request scope "bogus".',
    });
  });

  test(`refresh (${version}): grant_type refresh_token, narrower scope, new tokens`, async () => {
    const { seen, http } = fakeHydra(version, () => ({ status: 200, body: { ...TOKEN, refresh_token: "rt-2" } }));
    const { tokens } = await refreshTokens(server, basic, "rt-1", ["read"], http);
    assert.equal(seen[0]!.form.get("grant_type"), "refresh_token");
    assert.equal(seen[0]!.form.get("refresh_token"), "rt-1");
    assert.equal(seen[0]!.form.get("scope"), "read");
    assert.equal(tokens.refresh_token, "rt-2");
  });

  test(`userinfo (${version}): the access token as a bearer token, the claims back`, async () => {
    const { seen, http } = fakeHydra(version, () => ({ status: 200, body: { sub: "alice", email: "alice@example.com" } }));
    const claims = await fetchUserInfo(server, "my app", "at-1", http);
    assert.equal(seen[0]!.headers.get("authorization"), "Bearer at-1");
    assert.deepEqual(claims, { sub: "alice", email: "alice@example.com" });
  });

  test(`userinfo (${version}): a refused token is the error in the body; a token without a subject is said to be no user's`, async () => {
    // Hydra v1.8's challenge has no scheme and cannot be read; the error is in the body.
    const refused = fakeHydra(version, () => ({ status: 401, body: { error: "request_unauthorized", error_description: "The request could not be authorized" } }));
    await assert.rejects(fetchUserInfo(server, undefined, "bad", refused.http), {
      message: "the userinfo endpoint answered 401 request_unauthorized: The request could not be authorized",
    });
    // A client credentials token: Hydra v2 leaves "sub" out, v1.8 sends it empty.
    for (const body of [{}, { sub: "" }]) {
      const { http } = fakeHydra(version, () => ({ status: 200, body }));
      await assert.rejects(fetchUserInfo(server, undefined, "at-1", http), {
        code: "E_NO_SUBJECT",
        message: /^the token has no subject: userinfo answers for a token issued to a user/,
      });
    }
  });
}

test("client_secret_post: the secret in the body, no Authorization header", async () => {
  const { seen, http } = fakeHydra("v2", () => ({ status: 200, body: TOKEN }));
  await clientCredentialsGrant({ server, client: { ...basic, method: "client_secret_post" }, scopes: [], audience: [], http });
  assert.equal(seen[0]!.form.get("client_id"), "my app");
  assert.equal(seen[0]!.form.get("client_secret"), "s3cret:+");
  assert.equal(seen[0]!.headers.get("authorization"), null);
  assert.equal(seen[0]!.form.get("scope"), null, "no scope asked, none sent");
  assert.equal(seen[0]!.form.get("audience"), null, "no audience asked, none sent");
});

test("private_key_jwt: a client assertion signed with the PEM key, for this client, its audience the token endpoint", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateKey = await importPrivateKey(new TextEncoder().encode(pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey))));
  const { seen, http } = fakeHydra("v2", () => ({ status: 200, body: TOKEN }));
  await clientCredentialsGrant({ server, client: { clientId: "svc", method: "private_key_jwt", privateKey }, scopes: [], audience: [], http });
  const form = seen[0]!.form;
  assert.equal(form.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  const [header, payload] = form.get("client_assertion")!.split(".");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(base64urlBytes(header!))), { alg: "ES256" }, "a PEM key has no kid to name");
  const claims = JSON.parse(new TextDecoder().decode(base64urlBytes(payload!)));
  assert.equal(claims.iss, "svc");
  assert.equal(claims.sub, "svc");
  // Hydra (fosite) takes the token endpoint only, and v1.8 only as a string.
  assert.equal(claims.aud, server.token_endpoint);
  assert.ok(await es256SignedBy(form.get("client_assertion")!, pair.publicKey), "the assertion's signature verifies with the public key");
});

test("private_key_jwt at the revocation endpoint: the audience is still the token endpoint, which Hydra checks every assertion against", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateKey = { ...(await importPrivateKey(new TextEncoder().encode(pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey))))), kid: "k7" };
  const { seen, http } = fakeHydra("v2", () => ({ status: 200 }));
  await revokeToken(server, { clientId: "svc", method: "private_key_jwt", privateKey }, "at-1", http);
  assert.equal(seen[0]!.path, "/oauth2/revoke");
  const [header, payload] = seen[0]!.form.get("client_assertion")!.split(".");
  assert.equal(JSON.parse(new TextDecoder().decode(base64urlBytes(header!))).kid, "k7");
  assert.equal(JSON.parse(new TextDecoder().decode(base64urlBytes(payload!))).aud, `${ISSUER}/oauth2/token`);
});

test("private keys: an RSA JWK keeps its kid; a public JWK is refused with a reason; PKCS#1 and SEC 1 PEM are read as import jwk reads them", async () => {
  const pair = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), kid: "k1" };
  const imported = await importPrivateKey(new TextEncoder().encode(JSON.stringify(jwk)));
  assert.equal(imported.kid, "k1");
  assert.equal(imported.key.algorithm.name, "RSASSA-PKCS1-v1_5");
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  await assert.rejects(importPrivateKey(new TextEncoder().encode(JSON.stringify(publicJwk))), /public key/);
  const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/keys/${name}`, import.meta.url).href));
  assert.equal((await importPrivateKey(fixture("rsa-pkcs1.pem"))).key.algorithm.name, "RSASSA-PKCS1-v1_5");
  assert.deepEqual((await importPrivateKey(fixture("ec-sec1-with-params.pem"))).key.algorithm, { name: "ECDSA", namedCurve: "P-384" });
  await assert.rejects(importPrivateKey(new TextEncoder().encode("-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----")), { name: "InputError" });
  await assert.rejects(importPrivateKey(new TextEncoder().encode("hello")), /neither a private JWK nor a PEM/);
  // Its public half, the commonest slip, is said to be one.
  const publicPem = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey))))}\n-----END PUBLIC KEY-----\n`;
  await assert.rejects(importPrivateKey(new TextEncoder().encode(publicPem)), { message: "this is a public key or certificate; a client assertion is signed with the private key" });
  await assert.rejects(importPrivateKey(new TextEncoder().encode(JSON.stringify({ keys: [jwk] }))), { message: "the private key is a JWK Set; give a single private JWK" });
  await assert.rejects(importPrivateKey(new TextEncoder().encode('{"kty":"EC","d":"x"}')), { message: 'the private JWK is EC but has no "crv" to name its curve' });
});

test("an encrypted private key is refused as import jwk refuses one, PKCS#8's and OpenSSL's older form alike", async () => {
  const hint = "the private key is encrypted; decrypt it first (e.g. openssl pkey -in KEY -out plain.pem)";
  const pkcs8 = readFileSync(fileURLToPath(new URL("../fixtures/keys/rsa-encrypted.pem", import.meta.url).href));
  await assert.rejects(importPrivateKey(pkcs8), { message: hint });
  const legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,503B956802C0262FCE7B4CF134C9F478\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
  await assert.rejects(importPrivateKey(new TextEncoder().encode(legacy)), { message: hint });
});

test("an RSA key too short to sign a client assertion is refused when it is read, in PEM and JWK alike", async () => {
  const weak = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const message = "the private key is RSA of 1024 bits; a client assertion needs 2048 or more";
  await assert.rejects(importPrivateKey(new TextEncoder().encode(pkcs8Pem(await crypto.subtle.exportKey("pkcs8", weak.privateKey)))), { message });
  await assert.rejects(importPrivateKey(new TextEncoder().encode(JSON.stringify(await crypto.subtle.exportKey("jwk", weak.privateKey)))), { message });
});

// The device flow is not in Hydra v2.3.0's documents: the fake follows RFC 8628 alone.
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const authorizationAnswer = { device_code: "dc", user_code: "ABCD-EFGH", verification_uri: `${ISSUER}/device`, expires_in: 60, interval: 2 };

/** A clock that moves only when the flow sleeps, and the waits it asked for, in seconds. */
function virtualTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms / 1000);
      now += ms;
    },
  };
}

function deviceServer(tokenAnswers: { status: number; body: unknown }[]) {
  const answers = [...tokenAnswers];
  return fakeHydra("v2", ({ path }) =>
    path === "/oauth2/device/auth" ? { status: 200, body: authorizationAnswer } : answers.shift() ?? { status: 400, body: { error: "authorization_pending" } },
  );
}

test("refresh: an ID token from another issuer is rejected, naming both, and the other new tokens are kept: the refresh token given is spent", async () => {
  const now = Math.floor(Date.now() / 1000);
  // Its signature is never reached: the issuer is checked first.
  const idToken = idTokenUnsigned({ iss: "http://127.0.0.1:4444", aud: "my app", sub: "u", iat: now, exp: now + 60 });
  const { http } = fakeHydra("v2", () => ({ status: 200, body: { ...TOKEN, refresh_token: "rt-2", id_token: idToken } }));
  const rejected = await refreshTokens(server, basic, "rt-1", [], http).then(
    () => assert.fail("the ID token was accepted"),
    (error: unknown) => error,
  );
  assert.ok(rejected instanceof IdTokenRejectedError, String(rejected));
  assert.equal(rejected.message, `invalid ID token: unexpected JWT "iss" (issuer) claim value ("http://127.0.0.1:4444", where the issuer is "${ISSUER}")`);
  assert.equal(rejected.tokens.refresh_token, "rt-2");
  assert.equal(rejected.tokens.access_token, TOKEN.access_token);
  assert.equal(rejected.tokens.id_token, undefined);
  assert.ok(rejected.tokens.expiry, "the expiry, as for accepted tokens");
});

test("refresh: an ID token refused for what oauth4webapi does not call the ID token's (its alg, encryption) keeps the other new tokens too, and is said as the ID token's", async () => {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const now = Math.floor(Date.now() / 1000);
  const claims = part({ iss: ISSUER, aud: "my app", sub: "u", iat: now, exp: now + 60 });
  const cases: [string, RegExp][] = [
    [`${part({ alg: "none" })}.${claims}.`, /^invalid ID token: unexpected JWT "alg" header parameter/],
    // A JWE: five parts, the first a header naming the key management algorithm.
    [`${part({ alg: "RSA-OAEP", enc: "A256GCM" })}.a2V5.aXY.Y2lwaGVy.dGFn`, /^invalid ID token: it is encrypted \(JWE\), which hydractl does not decrypt: the client is registered with an id_token_encrypted_response_alg$/],
  ];
  for (const [idToken, message] of cases) {
    const { http } = fakeHydra("v2", () => ({ status: 200, body: { ...TOKEN, refresh_token: "rt-2", id_token: idToken } }));
    const rejected = await refreshTokens(server, basic, "rt-1", [], http).then(
      () => assert.fail("the ID token was accepted"),
      (error: unknown) => error,
    );
    assert.ok(rejected instanceof IdTokenRejectedError, String(rejected));
    assert.match(rejected.message, message);
    assert.equal(rejected.tokens.refresh_token, "rt-2", "the rotated refresh token, without which the session is lost");
    assert.equal(rejected.tokens.id_token, undefined);
  }
  // An answer whose own fields are wrong is no ID token's fault: the refresh token given is said to be spent.
  const { http } = fakeHydra("v2", () => ({ status: 200, body: { access_token: "a", token_type: "mac", refresh_token: "rt-3", expires_in: 60, id_token: `${part({ alg: "none" })}.${claims}.` } }));
  const broken = await refreshTokens(server, basic, "rt-1", [], http).then(() => assert.fail("accepted"), (error: unknown) => error);
  assert.ok(!(broken instanceof IdTokenRejectedError), String(broken));
  assert.match((broken as Error).message, /most likely used up/);
});

test("a refusal from a server that takes DPoP proofs names them as a cause (a client registered for DPoP-bound tokens is refused without one); from one that does not, it does not", async () => {
  const { http } = fakeHydra("v2", () => ({ status: 400, body: { error: "invalid_grant", error_description: "grant request is invalid" } }));
  const dpop = { ...server, dpop_signing_alg_values_supported: ["ES256"] };
  await assert.rejects(clientCredentialsGrant({ server: dpop, client: basic, scopes: [], audience: [], http }), {
    message: "the token endpoint answered 400 invalid_grant: grant request is invalid (if the client is registered for DPoP-bound tokens: the server takes DPoP proofs (RFC 9449), which hydractl does not send)",
  });
  // A refresh token refused is first of all an old one.
  await assert.rejects(refreshTokens(dpop, basic, "rt-1", [], http), {
    message:
      "the token endpoint answered 400 invalid_grant: grant request is invalid (the refresh token given is expired, revoked or used up: a rotated one works once, so use the newest; or if the client is registered for DPoP-bound tokens: the server takes DPoP proofs (RFC 9449), which hydractl does not send)",
  });
  await assert.rejects(clientCredentialsGrant({ server, client: basic, scopes: [], audience: [], http }), { message: "the token endpoint answered 400 invalid_grant: grant request is invalid" });
});

test("device flow: waits the server's interval, adds 5 s at slow_down, returns the tokens once approved", async () => {
  const { seen, http } = deviceServer([
    { status: 400, body: { error: "authorization_pending" } },
    { status: 400, body: { error: "slow_down" } },
    { status: 400, body: { error: "authorization_pending" } },
    { status: 200, body: { ...TOKEN, refresh_token: "rt" } },
  ]);
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: ["offline"], audience: [], http };
  const authorization = await startDeviceAuthorization(settings);
  assert.equal(seen[0]!.form.get("client_id"), "tv");
  assert.equal(seen[0]!.form.get("scope"), "offline");
  const time = virtualTime();
  const { tokens } = await pollDeviceCode(settings, authorization, { signal: new AbortController().signal, ...time });
  assert.deepEqual(time.waits, [2, 2, 7, 7]);
  assert.equal(tokens.refresh_token, "rt");
  const polls = seen.slice(1);
  assert.equal(polls.length, 4);
  for (const poll of polls) {
    assert.equal(poll.form.get("grant_type"), DEVICE_GRANT);
    assert.equal(poll.form.get("device_code"), "dc");
  }
});

test("device flow: stops when the code expires, without asking once more", async () => {
  const { seen, http } = deviceServer([]);
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: [], audience: [], http };
  const authorization = await startDeviceAuthorization(settings);
  const time = virtualTime();
  await assert.rejects(pollDeviceCode(settings, authorization, { signal: new AbortController().signal, ...time }), (error: Error) => {
    assert.ok(error instanceof FlowError);
    assert.equal(error.code, "E_EXPIRED");
    assert.equal(error.message, "the device code expired after 60 s without the user's approval");
    return true;
  });
  // 60 s at a 2 s interval: polls at 2, 4, … 58 s; none at or after 60 s.
  assert.equal(seen.length - 1, 29);
  assert.ok(time.now() < 60_000);
});

test("device flow: an interval as long as the code lasts is the server's contradiction, said before any wait", async () => {
  const { seen, http } = fakeHydra("v2", () => ({ status: 200, body: { ...authorizationAnswer, interval: 600, expires_in: 300 } }));
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: [], audience: [], http };
  const authorization = await startDeviceAuthorization(settings);
  const time = virtualTime();
  await assert.rejects(pollDeviceCode(settings, authorization, { signal: new AbortController().signal, ...time }), {
    message: "the device authorization endpoint's code lasts 300 s, no longer than the 600 s to wait between polls: no poll can be made in time",
  });
  assert.deepEqual([seen.length, time.waits], [1, []]);
  const { interval: _none, ...unnamed } = authorizationAnswer;
  const bare = fakeHydra("v2", () => ({ status: 200, body: { ...unnamed, expires_in: 0 } }));
  const withoutInterval = { ...settings, http: bare.http };
  await assert.rejects(pollDeviceCode(withoutInterval, await startDeviceAuthorization(withoutInterval), { signal: new AbortController().signal, ...virtualTime() }), {
    message: "the device authorization endpoint's code lasts 0 s, no longer than the 5 s to wait between polls (it names no interval): no poll can be made in time",
  });
});

test("device flow: an interval under a second is waited as one second", async () => {
  const { seen, http } = deviceServer([
    { status: 400, body: { error: "authorization_pending" } },
    { status: 200, body: TOKEN },
  ]);
  const fast = fakeHydra("v2", (request) => (request.path === "/oauth2/device/auth" ? { status: 200, body: { ...authorizationAnswer, interval: 0.001 } } : { status: 404, body: {} }));
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: [], audience: [], http: fast.http };
  const authorization = await startDeviceAuthorization(settings);
  const time = virtualTime();
  await pollDeviceCode({ ...settings, http }, authorization, { signal: new AbortController().signal, ...time });
  assert.deepEqual(time.waits, [1, 1]);
  assert.equal(seen.length, 2);
});

test("device flow: a wait longer than a timer holds is waited in parts, not cut to nothing", async () => {
  const { http } = fakeHydra("v2", () => ({ status: 200, body: { ...authorizationAnswer, interval: 40 * 86_400, expires_in: 90 * 86_400 } }));
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: [], audience: [], http };
  const authorization = await startDeviceAuthorization(settings);
  const stop = new AbortController();
  const started = Date.now();
  // No sleep of the test's own: the flow's timer runs, and Ctrl+C after 200 ms ends it.
  setTimeout(() => stop.abort(), 200);
  await assert.rejects(pollDeviceCode(settings, authorization, { signal: stop.signal }), { code: "E_INTERRUPTED" });
  assert.ok(Date.now() - started >= 190, "the 40-day wait did not fire at once");
});

test("device flow: the user's denial is the server's error; Ctrl+C stops the wait", async () => {
  const denied = deviceServer([{ status: 400, body: { error: "access_denied", error_description: "The user said no" } }]);
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: [], audience: [], http: denied.http };
  await assert.rejects(
    pollDeviceCode(settings, await startDeviceAuthorization(settings), { signal: new AbortController().signal, ...virtualTime() }),
    /^FlowError: the token endpoint answered 400 access_denied: The user said no$/,
  );

  const pending = deviceServer([]);
  const stop = new AbortController();
  const settings2 = { ...settings, http: pending.http };
  const authorization = await startDeviceAuthorization(settings2);
  const time = virtualTime();
  const sleep = async (ms: number) => {
    await time.sleep(ms);
    if (time.waits.length === 3) stop.abort();
  };
  await assert.rejects(pollDeviceCode(settings2, authorization, { signal: stop.signal, now: time.now, sleep }), (error: Error) => {
    assert.ok(error instanceof InterruptedError);
    assert.equal(error.exitCode, 130);
    return true;
  });
  assert.equal(pending.seen.length - 1, 2, "no poll after Ctrl+C");
});

test("device flow: Ctrl+C ends a poll the server holds up at once, with the signal's exit code", async () => {
  const stop = new AbortController();
  let polls = 0;
  // A token endpoint that never answers, but for the abort of the request.
  const fetch = (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === "/oauth2/device/auth") {
      return Promise.resolve(Response.json({ device_code: "dc", user_code: "UC", verification_uri: `${ISSUER}/device`, expires_in: 600, interval: 5 }));
    }
    polls++;
    setTimeout(() => stop.abort("SIGTERM"), 10);
    return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
  };
  const settings = { server, client: { clientId: "tv", method: "none" as const }, scopes: [], audience: [], http: oauthHttpOptions(fetch, true) };
  // Held up, the poll would end at the exchange's time limit (10 s), in a network error.
  await assert.rejects(pollDeviceCode(settings, await startDeviceAuthorization(settings), { signal: stop.signal, ...virtualTime() }), (error: Error) => {
    assert.ok(error instanceof InterruptedError, String(error));
    assert.equal(error.exitCode, 143);
    return true;
  });
  assert.equal(polls, 1);
});

test("device flow: a server without a device authorization endpoint is named, nothing sent", async () => {
  const { seen, http } = deviceServer([]);
  const { device_authorization_endpoint: _none, ...hydra } = server;
  await assert.rejects(startDeviceAuthorization({ server: hydra, client: { clientId: "tv", method: "none" }, scopes: [], audience: [], http }), /announces no device authorization endpoint/);
  assert.equal(seen.length, 0);
});

test("an expires_in no date can hold gives no expiry, not an Invalid Date failure", () => {
  const response = { access_token: "a", token_type: "bearer", expires_in: 1e308 } as oauth.TokenEndpointResponse;
  assert.equal(tokenSet(response).expiry, undefined);
  assert.equal(tokenSet({ ...response, expires_in: 60 }, 0).expiry, "1970-01-01T00:01:00.000Z");
});

test("metadata that names no token endpoint, or one that is no http(s) URL, is said as such; a bare 500 names its status", async () => {
  let sent = 0;
  const http = oauthHttpOptions(async () => {
    sent++;
    return new Response("oops", { status: 500, statusText: "Internal Server Error" });
  }, true);
  const grant = (as: oauth.AuthorizationServer) => clientCredentialsGrant({ server: as, client: basic, scopes: [], audience: [], http });
  await assert.rejects(grant({ issuer: ISSUER }), {
    message: "the server's metadata (its OpenID discovery document) names no token_endpoint, so the token endpoint cannot be asked",
  });
  await assert.rejects(grant({ issuer: ISSUER, token_endpoint: "ftp://hydra.test/token" }), {
    message: "the token endpoint in the server's metadata is not an http:// or https:// URL (ftp://…), so it cannot be asked",
  });
  assert.equal(sent, 0);
  await assert.rejects(grant(server), { message: "the token endpoint (http://hydra.test/oauth2/token) answered 500 Internal Server Error, with no OAuth 2.0 error in its body" });
  // An error page of another kind (a 404 from the wrong port, a proxy's bare 429) is said by its status too, and where it came from.
  for (const [status, statusText, type] of [[404, "Not Found", "text/html"], [429, "Too Many Requests", ""]] as const) {
    const page = oauthHttpOptions(async () => new Response(type ? "<html>no</html>" : null, { status, statusText, headers: type ? { "Content-Type": type } : {} }), true);
    await assert.rejects(clientCredentialsGrant({ server, client: basic, scopes: [], audience: [], http: page }), {
      message: `the token endpoint (http://hydra.test/oauth2/token) answered ${status} ${statusText}, with no OAuth 2.0 error in its body`,
    });
  }
  // A 200 that is not JSON is said in the answer's own terms.
  const html = oauthHttpOptions(async () => new Response("<html></html>", { headers: { "Content-Type": "text/html" } }), true);
  await assert.rejects(clientCredentialsGrant({ server, client: basic, scopes: [], audience: [], http: html }), {
    message: "the token endpoint gave an answer that is not OAuth 2.0: its content-type must be application/json",
  });
});

test("an answer oauth4webapi finds wanting is said in the answer's own terms", async () => {
  const http = oauthHttpOptions(async () => Response.json({ access_token: "a", token_type: "bearer", expires_in: -5 }), true);
  await assert.rejects(clientCredentialsGrant({ server, client: basic, scopes: [], audience: [], http }), {
    message: `the token endpoint's answer was rejected: its "expires_in" property must be a non-negative number`,
  });
});

test("a signed userinfo answer is held to what an ID token is: its signature (none is none), the client as its audience, the issuer", async () => {
  const issuer = await startFakeIssuer();
  try {
    const signed: oauth.AuthorizationServer = {
      issuer: issuer.issuer,
      jwks_uri: `${issuer.issuer}/jwks`,
      userinfo_endpoint: `${issuer.issuer}/userinfo`,
      userinfo_signing_alg_values_supported: ["ES256", "none"],
    };
    const http = oauthHttpOptions(fetch, true);
    // The fake reads its access token as what to sign.
    const token = (options: object) => JSON.stringify(options);
    const claims = await fetchUserInfo(signed, "demo", token({ claims: { email: "a@example.com" } }), http);
    assert.deepEqual([claims.sub, claims.email], ["alice", "a@example.com"]);
    const refused = (code: string, message: RegExp) => (error: Error) => {
      assert.ok(error instanceof FlowError);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      return true;
    };
    await assert.rejects(fetchUserInfo(signed, "demo", token({ signWithOtherKey: true, claims: { email: "forged@example.com" } }), http), refused(USERINFO_REJECTED, /^the signature of the userinfo endpoint's answer does not verify against http:\/\/127\.0\.0\.1:\d+\/jwks: /));
    // alg none, announced as supported: read, and then refused as having no signature to check.
    await assert.rejects(fetchUserInfo(signed, "demo", token({ alg: "none" }), http), refused(USERINFO_REJECTED, /^the signature of the userinfo endpoint's answer does not verify/));
    await assert.rejects(fetchUserInfo(signed, "demo", token({ claims: { iss: "https://elsewhere" } }), http), refused(USERINFO_REJECTED, /^the userinfo endpoint's signed answer was rejected: unexpected JWT "iss"/));
    await assert.rejects(fetchUserInfo(signed, "other", token({}), http), refused(USERINFO_FOR_ANOTHER_CLIENT, /made out to another client than "other" \(its aud claim\)$/));
    await assert.rejects(fetchUserInfo(signed, undefined, token({}), http), refused(USERINFO_FOR_ANOTHER_CLIENT, /it signs its answer for a client, and none was given$/));
    await assert.rejects(fetchUserInfo({ ...signed, jwks_uri: undefined }, "demo", token({}), http), refused(USERINFO_REJECTED, /^cannot check the signature of the userinfo endpoint's answer: the server announces no jwks_uri$/));
  } finally {
    await issuer.close();
  }
});
