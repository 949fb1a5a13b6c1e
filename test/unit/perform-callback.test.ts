// What the callback refuses, and what the authorization request carries, against a fake
// issuer that can mint the bad ID tokens a real provider never would.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTransport } from "../../src/http/transport.ts";
import { findMetadata, ISSUER_MISMATCH, responseModeWarning } from "../../src/oauth/metadata.ts";
import { startFakeIssuer, type FakeIssuer } from "../support/fake-issuer.ts";
import { startLocalClient, type LocalClientTestOptions } from "../support/local-client.ts";
import { rawRequest, runtime, serveLocal } from "../support/runtime.ts";

let fake: FakeIssuer;
let announcingIss: FakeIssuer;
before(async () => {
  [fake, announcingIss] = await Promise.all([startFakeIssuer(), startFakeIssuer({ authorization_response_iss_parameter_supported: true })]);
});
after(async () => {
  await fake?.close();
  await announcingIss?.close();
});

/** Starts a run, then calls its callback with `params(request)`; returns the page and the run's end. */
async function callback(
  params: (request: URL) => Record<string, string>,
  options: LocalClientTestOptions = {},
  issuer = fake,
) {
  const client = await startLocalClient({ issuer: issuer.issuer, clientSecret: "demo-secret", ...options });
  const request = await client.startFlow();
  const response = await fetch(`${client.base}/callback?${new URLSearchParams(params(request))}`);
  const ended = client.done.then(() => undefined, (error: Error) => error);
  return { status: response.status, text: await response.text(), error: await ended, request, client };
}

const withCode = (claims: Record<string, unknown>, extra: object = {}) => (request: URL) => ({
  code: fake.code({ nonce: request.searchParams.get("nonce"), ...claims }, extra),
  state: request.searchParams.get("state")!,
});

test("a valid ID token from the fake passes (the baseline for the cases below)", async () => {
  const run = await callback(withCode({}));
  assert.equal(run.status, 200, run.text);
  assert.equal(run.error, undefined);
  assert.equal(run.client.tokens[0]?.idTokenClaims?.sub, "alice");
});

test("an ID token with the access token's at_hash (ES256: the left half of its SHA-256), and its client as azp, passes", async () => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("fake-access-token")));
  const atHash = btoa(String.fromCharCode(...digest.subarray(0, 16))).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const run = await callback(withCode({ at_hash: atHash, azp: "demo" }));
  assert.equal(run.error, undefined, run.text);
  assert.equal(run.client.tokens[0]?.idTokenClaims?.at_hash, atHash);
});

for (const [name, claims, extra, message] of [
  ["a wrong nonce", { nonce: "not-the-nonce" }, {}, /nonce/],
  ["a wrong audience", { aud: "someone-else" }, {}, /^invalid ID token: unexpected JWT "aud" \(audience\) claim value \("someone-else", where the client is "demo"\)$/],
  ["an expired ID token", { exp: Math.floor(Date.now() / 1000) - 3600 }, {}, /exp/],
  ["a signature by a key not in the JWKS", {}, { signWithOtherKey: true }, /signature/],
  // OpenID Connect Core §3.1.3.7 as corrected: an azp there must be the client.
  ["an azp that is another client, beside the one audience", { azp: "someone-else" }, {}, /^invalid ID token: its azp \(authorized party\) "someone-else" is not "demo", the client it was issued to$/],
  ["an iat an hour in the future", { iat: Math.floor(Date.now() / 1000) + 3600 }, {}, /^invalid ID token: it was issued 3\d{3} s in the future \(its iat\)/],
  ["an at_hash that is not the access token's", { at_hash: "AAAAAAAAAAAAAAAAAAAAAA" }, {}, /^invalid ID token: its at_hash is not the hash of the access token it came with$/],
] as const) {
  test(`${name} is rejected: error page, failed run`, async () => {
    const run = await callback(withCode(claims, extra));
    assert.equal(run.status, 400);
    assert.match(run.text, /Invalid ID token/);
    assert.equal((run.error as { code?: string })?.code, "E_ID_TOKEN");
    assert.match(run.error!.message, message);
    assert.equal(run.client.tokens.length, 0);
  });
}

for (const [answer, message, title] of [
  ["server-error", /^the token endpoint \(http:\/\/127\.0\.0\.1:\d+\/token\) answered 500 Internal Server Error, with no OAuth 2\.0 error in its body$/, "The flow failed"],
  ["html", /^the token endpoint gave an answer that is not OAuth 2\.0: its content-type must be application\/json$/, "The flow failed"],
  ["no-id-token", /^no ID token in the token response \(openid was asked for\)$/, "No ID token"],
  // Granted, and still none: the server's fault, not a scope left out.
  ["openid-granted-no-id-token", /^no ID token in the token response \(openid was asked for\)$/, "No ID token"],
] as const) {
  test(`a token endpoint that answers ${answer}: said in hydractl's words, as for the other grants, nothing of its body`, async () => {
    const run = await callback(withCode({}, { answer }));
    assert.equal(run.status, 400);
    assert.match(run.error?.message ?? "", message);
    assert.match(run.text, new RegExp(`<h1>${title}</h1>`));
    assert.ok(!run.text.includes("leaked"));
  });
}

test("openid asked for and not granted (unticked on a consent page): the tokens, without an ID token, and the scope granted said", async () => {
  const run = await callback(withCode({}, { answer: "no-openid-granted" }));
  assert.equal(run.error, undefined, run.text);
  assert.equal(run.client.tokens[0]?.tokens.access_token, "fake-access-token");
  assert.equal(run.client.tokens[0]?.idTokenClaims, undefined);
  assert.equal(run.client.tokens[0]?.openidNotGranted, "offline");
});

test("without openid no nonce is sent and no ID token is due: plain OAuth 2.0", async () => {
  const run = await callback((request) => ({ code: fake.code({}, { answer: "no-id-token" }), state: request.searchParams.get("state")! }), { scopes: ["offline"] });
  assert.equal(run.error, undefined, run.text);
  assert.equal(run.request.searchParams.get("nonce"), null);
  assert.equal(run.client.tokens[0]?.tokens.access_token, "fake-access-token");
  assert.equal(run.client.tokens[0]?.idTokenClaims, undefined);
});

test("a forged callback is rejected before any token request, and the run goes on to the user's own", async () => {
  const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret" });
  const callbackWith = (params: Record<string, string>, init?: RequestInit) => fetch(`${client.base}/callback?${new URLSearchParams(params)}`, init);
  // Before any request is started, then against the one that is.
  const early = await callbackWith({ code: "x", state: "x" });
  assert.equal(early.status, 400);
  assert.match(await early.text(), /Callback rejected.*no authorization request is waiting/s);
  const request = await client.startFlow();
  const before = fake.tokenRequests.length;
  for (const [params, message] of [
    [{ code: "x", state: "forged" }, /state does not match/],
    [{ code: "x" }, /no state parameter; rejected</],
    // A server's error code is named as claimed; its description, anyone's text, is not shown.
    [{ error: "invalid_scope", error_description: "ask-the-admin-at-evil.example" }, /no state parameter; rejected \(it claims error=invalid_scope, which only a matching state would vouch for\)</],
    [{ state: request.searchParams.get("state")! }, /no code parameter/],
  ] as const) {
    const response = await callbackWith(params);
    assert.equal(response.status, 400);
    assert.match(await response.text(), message);
  }
  const notAForm = await fetch(`${client.base}/callback`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "code=x" });
  assert.equal(notAForm.status, 400);
  await notAForm.text();
  const huge = await fetch(`${client.base}/callback`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `code=x&state=${"a".repeat(100_000)}`,
  });
  assert.equal(huge.status, 400);
  assert.match(await huge.text(), /the form posted to the callback is larger than 64 KiB, far more than an authorization response holds; rejected/);
  assert.equal(fake.tokenRequests.length, before, "no token request was made");
  assert.equal(client.notices.filter((notice) => notice.startsWith("Rejected a callback:")).length, 7);
  const real = await callbackWith(withCode({})(request));
  assert.equal(real.status, 200, await real.clone().text());
  await real.text();
  await client.done;
  assert.equal(client.tokens.length, 1);
});

test("another site's page cannot start a flow (Fetch Metadata), so it cannot end the user's own", async () => {
  const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret" });
  const request = await client.startFlow();
  const start = (headers: Record<string, string>) => fetch(`${client.base}/perform-flow`, { redirect: "manual", headers });
  for (const headers of [
    { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image" },
    { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document" },
    // Another port on 127.0.0.1 is the same site, but not the same origin.
    { "Sec-Fetch-Site": "same-site", "Sec-Fetch-Dest": "document" },
    { "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "iframe" },
  ]) {
    const refused = await start(headers);
    assert.equal(refused.status, 403, JSON.stringify(headers));
    assert.match(await refused.text(), /a flow starts only from a page you open yourself/);
  }
  assert.equal(client.notices.filter((notice) => notice.startsWith("Refused to start a flow")).length, 4);
  const finished = await fetch(`${client.base}/callback?${new URLSearchParams(withCode({})(request))}`);
  assert.equal(finished.status, 200, await finished.text());
  await client.done;
  assert.equal(client.tokens.length, 1);
});

test("a second tab the user opens supersedes the first, as the page it follows from says", async () => {
  const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret" });
  const first = await client.startFlow();
  for (const site of ["none", "same-origin"]) {
    const again = await fetch(`${client.base}/perform-flow`, { redirect: "manual", headers: { "Sec-Fetch-Site": site, "Sec-Fetch-Dest": "document" } });
    await again.body?.cancel();
    assert.equal(again.status, 302, site);
  }
  const stale = await fetch(`${client.base}/callback?${new URLSearchParams(withCode({})(first))}`);
  assert.equal(stale.status, 400);
  assert.match(await stale.text(), /stale tab/);
  client.stop();
  await assert.rejects(client.done, /interrupted/);
});

test("an error_description carrying <script> is shown inert", async () => {
  const run = await callback((request) => ({
    error: "access_denied",
    error_description: `<script>alert("x")</script><img src=x onerror=alert(1)>`,
    state: request.searchParams.get("state")!,
  }));
  assert.equal(run.status, 400);
  assert.ok(!run.text.includes("<script>alert"), "no live script tag");
  assert.ok(!run.text.includes("<img"), "no live image tag");
  assert.ok(run.text.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
  assert.equal((run.error as { code?: string })?.code, "E_AUTHORIZATION_ERROR");
});

test("the iss response parameter is required and checked when the provider announces it", async () => {
  const code = (request: URL) => ({ code: announcingIss.code({ nonce: request.searchParams.get("nonce") }), state: request.searchParams.get("state")! });
  const missing = await callback(code, {}, announcingIss);
  assert.match(missing.error!.message, /"iss" \(issuer\) missing/);
  const wrong = await callback((request) => ({ ...code(request), iss: "https://evil.example" }), {}, announcingIss);
  assert.match(wrong.error!.message, /unexpected "iss"/);
  const right = await callback((request) => ({ ...code(request), iss: announcingIss.issuer }), {}, announcingIss);
  assert.equal(right.error, undefined, right.text);
});

test("the authorization request carries prompt, max_age, audience; --state forced; --no-pkce sends no challenge or verifier", async () => {
  const run = await callback(withCode({ auth_time: Math.floor(Date.now() / 1000) }), {
    prompt: ["login", "consent"],
    maxAge: 300,
    audience: ["https://api.example", "https://other.example"],
    forcedState: "fixed-state",
    pkce: false,
  });
  assert.equal(run.error, undefined, run.text);
  const params = run.request.searchParams;
  assert.equal(params.get("prompt"), "login consent");
  assert.equal(params.get("max_age"), "300");
  assert.equal(params.get("audience"), "https://api.example https://other.example");
  assert.equal(params.get("state"), "fixed-state");
  assert.equal(params.get("code_challenge"), null);
  const tokenRequest = fake.tokenRequests.at(-1)!;
  assert.equal(tokenRequest.get("code_verifier"), null);
  assert.equal(tokenRequest.get("grant_type"), "authorization_code");
});

test("-H reaches discovery, the token endpoint and the JWKS; --redirect sets the redirect URI and the callback path", async () => {
  const first = fake.requests.length;
  const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret", headers: [["X-Tenant", "blue"]], redirect: "http://localhost:1/custom/cb" });
  const request = await client.startFlow();
  assert.equal(request.searchParams.get("redirect_uri"), "http://localhost:1/custom/cb");
  const moved = await fetch(`${client.base}/callback?${new URLSearchParams(withCode({})(request))}`);
  assert.equal(moved.status, 404, "the callback path follows --redirect");
  await moved.body?.cancel();
  const response = await fetch(`${client.base}/custom/cb?${new URLSearchParams(withCode({})(request))}`);
  assert.equal(response.status, 200, await response.text());
  await client.done;
  const seen = fake.requests.slice(first).filter((r) => r.headers.get("x-tenant") === "blue").map((r) => r.path);
  for (const path of ["/.well-known/openid-configuration", "/token", "/jwks"]) assert.ok(seen.includes(path), `${path} had the -H header`);
  assert.equal(fake.tokenRequests.at(-1)!.get("redirect_uri"), "http://localhost:1/custom/cb");
  // Port 1 is not where the client listens: the callback comes only through a forward, which is said.
  assert.ok(client.notices.includes(`note: the redirect URI http://localhost:1 is not where this listens (${client.base}): the browser's callback reaches it only if something forwards it here`), client.notices.join("\n"));
});

test("a redirect URI on this machine where this listens draws no note; [::1], where it never listens, does", async () => {
  for (const [host, noted] of [["127.0.0.1", false], ["localhost", false], ["[::1]", true]] as const) {
    // The port is known once listening: a first run finds it, a second listens there again.
    const probe = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret" });
    const port = new URL(probe.base).port;
    probe.stop();
    await probe.done.catch(() => {});
    const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret", redirect: `http://${host}:${port}/callback`, port: Number(port) });
    assert.equal(client.notices.some((notice) => notice.startsWith("note: the redirect URI")), noted, host);
    client.stop();
    await client.done.catch(() => {});
  }
});

test("--no-shutdown ended with Ctrl+C: an error when every flow failed, none when one gave tokens", async () => {
  const flow = async (client: Awaited<ReturnType<typeof startLocalClient>>, options: { error?: string }) => {
    const authorization = await client.startFlow();
    const code = fake.code({ nonce: authorization.searchParams.get("nonce") }, options);
    await (await fetch(`${client.base}/callback?${new URLSearchParams({ code, state: authorization.searchParams.get("state")! })}`)).body?.cancel();
  };
  const failing = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret", keepRunning: true });
  await flow(failing, { error: "invalid_grant" });
  await flow(failing, { error: "invalid_grant" });
  failing.stop();
  await assert.rejects(failing.done, { name: "FlowError", message: "no flow of this run gave tokens: all 2 tried failed, as said above" });
  const mixed = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret", keepRunning: true });
  await flow(mixed, { error: "invalid_grant" });
  await flow(mixed, {});
  mixed.stop();
  await mixed.done;
  assert.equal(mixed.tokens.length, 1);
});

test("another Host header (DNS rebinding) is refused", async () => {
  const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret", keepRunning: true });
  const { request } = await import("node:http");
  const status = await new Promise<number>((resolve, reject) => {
    const url = new URL(client.base);
    request({ host: url.hostname, port: url.port, path: "/", headers: { host: "evil.example" } }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    }).on("error", reject).end();
  });
  assert.equal(status, 421);
  client.stop();
  await client.done;
});

test("a request without a Host header is refused with 400, and nothing is said", async () => {
  const client = await startLocalClient({ issuer: fake.issuer, clientSecret: "demo-secret", keepRunning: true });
  const before = client.notices.length;
  // HTTP/1.0 may leave Host out; Bun then hands the handler a URL that is only the path.
  const { status, answer } = await rawRequest(Number(new URL(client.base).port), "GET / HTTP/1.0");
  assert.equal(status, 400, answer);
  assert.match(answer, /no Host header/);
  assert.deepEqual(client.notices.slice(before), []);
  client.stop();
  await client.done;
});

test("discovery: a 404 falls back to Hydra's paths and JWKS; a wrong issuer is named", async () => {
  const fetch = createTransport(runtime, {});
  const missing = await serveLocal(() => new Response("404 page not found", { status: 404 }));
  try {
    const { server, source } = await findMetadata({ issuer: new URL(`${missing.url}/hydra`), fetch, allowHttp: true });
    assert.equal(source, "hydra-defaults");
    assert.equal(server.authorization_endpoint, `${missing.url}/hydra/oauth2/auth`);
    assert.equal(server.token_endpoint, `${missing.url}/hydra/oauth2/token`);
    assert.equal(server.jwks_uri, `${missing.url}/hydra/.well-known/jwks.json`);
  } finally {
    await missing.close();
  }
  const forced = await findMetadata({ issuer: new URL(fake.issuer), tokenUrl: new URL("http://127.0.0.1:1/token"), fetch, allowHttp: true });
  assert.equal(forced.server.token_endpoint, "http://127.0.0.1:1/token");
  assert.equal(forced.server.authorization_endpoint, `${fake.issuer}/auth`);
  const elsewhere = await serveLocal(() => Response.json({ issuer: "https://other.example", authorization_endpoint: "https://other.example/auth" }));
  try {
    // The endpoint as it was given, without the "/" its URL adds.
    await assert.rejects(findMetadata({ issuer: new URL(elsewhere.url), fetch, allowHttp: true }), {
      code: ISSUER_MISMATCH,
      message: `OpenID discovery at ${elsewhere.url}/.well-known/openid-configuration failed: it announces the issuer "https://other.example", not ${elsewhere.url}; the endpoint must be the issuer URL itself`,
    });
  } finally {
    await elsewhere.close();
  }
  // A "/" typed after a path is the difference, and said to be.
  const pathed = await serveLocal((request) => Response.json({ issuer: `${new URL(request.url).origin}/oidc`, authorization_endpoint: "http://127.0.0.1/auth" }));
  try {
    await assert.rejects(findMetadata({ issuer: new URL(`${pathed.url}/oidc/`), fetch, allowHttp: true }), {
      code: ISSUER_MISMATCH,
      message: `OpenID discovery at ${pathed.url}/oidc/.well-known/openid-configuration failed: it announces the issuer "${pathed.url}/oidc", not ${pathed.url}/oidc/ (the same but for the trailing /: give it without); the endpoint must be the issuer URL itself`,
    });
  } finally {
    await pathed.close();
  }
});

test("a response mode the server does not announce is warned about (Hydra v1.8 has no form_post)", () => {
  const v18 = { issuer: "http://h/", response_modes_supported: ["query", "fragment"] };
  assert.equal(
    responseModeWarning(v18, "form_post"),
    "warning: the server announces response modes query, fragment, not form_post; it may answer otherwise",
  );
  assert.equal(responseModeWarning(v18, "query"), undefined);
  assert.equal(responseModeWarning({ issuer: "http://h/" }, "form_post"), undefined);
  assert.equal(responseModeWarning(v18, undefined), undefined);
});
