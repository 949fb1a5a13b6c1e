// --paste: what a pasted line is taken as, and the loop that asks again after a harmless
// mistake. The flow is the real one, against a fake issuer whose codes the test writes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FlowError, InputError, InterruptedError } from "../../src/errors.ts";
import { createTransport } from "../../src/http/transport.ts";
import { AuthorizationCodeFlow, explainAuthorizationError, explainTokenError, type FlowSettings } from "../../src/oauth/authorization-code.ts";
import { findMetadata } from "../../src/oauth/metadata.ts";
import { pastedCallback, pasteBack } from "../../src/oauth/paste-back.ts";
import { readLines } from "../../src/runtime/lines.ts";
import { type FakeIssuer, startFakeIssuer } from "../support/fake-issuer.ts";
import { runtime, serveLocal } from "../support/runtime.ts";

const redirectUri = "http://127.0.0.1:4446/callback";
let fake: FakeIssuer;
before(async () => void (fake = await startFakeIssuer()));
after(() => fake?.close());

const pasteError = (text: string) => {
  try {
    pastedCallback(text, redirectUri);
    return undefined;
  } catch (error) {
    return error as FlowError;
  }
};

test("a paste is the whole redirect URL or only its query, with or without ?, quotes or angle brackets", () => {
  for (const text of [
    `${redirectUri}?code=c&state=s`,
    "code=c&state=s",
    "?code=c&state=s",
    `  "${redirectUri}?code=c&state=s"  `,
    `<${redirectUri}?code=c&state=s>`,
  ]) {
    const parameters = pastedCallback(text, redirectUri);
    assert.equal(parameters.get("code"), "c", text);
    assert.equal(parameters.get("state"), "s", text);
  }
});

test("each bad paste is one FlowError line, E_PASTE", () => {
  for (const [text, message] of [
    ["https://auth.example/oauth2/auth?client_id=app&state=s", /goes to https:\/\/auth\.example\/oauth2\/auth, not to the redirect URI http:\/\/127\.0\.0\.1:4446\/callback/],
    ["http://127.0.0.1:9999/callback?code=c&state=s", /not to the redirect URI/],
    [`${redirectUri}#code=c&state=s`, /in the fragment/],
    ["hello world", /neither the redirect URL nor its query/],
    ["http://[bad", /not a valid URL/],
  ] as const) {
    const error = pasteError(text);
    assert.ok(error instanceof FlowError, text);
    assert.equal(error.code, "E_PASTE");
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /\n/);
  }
});

async function newFlow(settings: Partial<FlowSettings> = {}) {
  const fetch = createTransport(runtime, {});
  const { server } = await findMetadata({ issuer: new URL(fake.issuer), fetch, allowHttp: true });
  return new AuthorizationCodeFlow({
    server, clientId: "demo", clientSecret: "demo-secret", authMethod: "client_secret_basic", redirectUri,
    scopes: ["openid"], prompt: [], audience: [], pkce: true, fetch, allowHttp: true, ...settings,
  });
}

/** Runs the paste loop over these lines (the first computed from the authorization request). */
async function paste(lines: (request: URL) => string[], stop?: AbortSignal) {
  const flow = await newFlow();
  const refused: string[] = [];
  let request!: URL;
  async function* input() {
    yield* lines(request);
  }
  const result = pasteBack({ flow, redirectUri, lines: input(), ask: (url) => (request = url), refused: (line) => refused.push(line), stop }).then(
    (value) => value,
    (error: Error) => error,
  );
  return { result: await result, refused };
}

const callbackFor = (request: URL, extra: Record<string, string> = {}) => {
  const code = fake.code({ nonce: request.searchParams.get("nonce") });
  return `${redirectUri}?${new URLSearchParams({ code, state: request.searchParams.get("state")!, ...extra })}`;
};

test("the right paste after a wrong state, a missing code and a stray line: each refused once, then tokens", async () => {
  const { result, refused } = await paste((request) => [
    "",
    `${redirectUri}?code=x&state=stale-tab`,
    `${redirectUri}?state=${request.searchParams.get("state")}`,
    "not a url",
    callbackFor(request),
  ]);
  assert.ok(!(result instanceof Error), String(result));
  assert.equal(result.idTokenClaims?.sub, "alice");
  assert.equal(refused.length, 3);
  assert.match(refused[0]!, /state does not match/);
  assert.match(refused[1]!, /no code parameter/);
  assert.match(refused[2]!, /neither the redirect URL nor its query/);
});

test("a client registered for client_secret_post: a refused client_secret_basic goes again that way where the method was a default; a chosen one is the error, naming the registered", async () => {
  const callback = (request: URL) => new URLSearchParams({ code: fake.code({ nonce: request.searchParams.get("nonce") }, { postOnly: true }), state: request.searchParams.get("state")! });
  const adopted: string[] = [];
  const flow = await newFlow({ adoptRegisteredMethod: true, onMethodAdopted: (method) => adopted.push(method) });
  const sent = fake.tokenRequests.length;
  const result = await flow.finish(callback(await flow.start()));
  assert.equal(result.idTokenClaims?.sub, "alice");
  assert.deepEqual(adopted, ["client_secret_post"]);
  assert.deepEqual(fake.tokenRequests.slice(sent).map((form) => form.get("client_secret")), [null, "demo-secret"]);
  // The next flow of the run (--no-shutdown) sends it so at once.
  await flow.finish(callback(await flow.start()));
  assert.deepEqual(fake.tokenRequests.slice(sent + 2).map((form) => form.get("client_secret")), ["demo-secret"]);
  assert.deepEqual(adopted, ["client_secret_post"]);

  const chosen = await newFlow();
  await assert.rejects(chosen.finish(callback(await chosen.start())), {
    code: "E_TOKEN_ERROR",
    message: /^the token endpoint refused the code \(401\): invalid_client: .* \(client "demo" is registered for client_secret_post, not client_secret_basic, this run's\)$/,
  });
});

test("a pushed request's lifetime is the server's expires_in, for the paste prompt to say", async () => {
  const pushed: URLSearchParams[] = [];
  const par = await serveLocal(async (request) => {
    pushed.push(new URLSearchParams(await request.text()));
    return Response.json({ request_uri: "urn:ietf:params:oauth:request_uri:abc", expires_in: 42 }, { status: 201 });
  });
  try {
    const plain = await newFlow();
    await plain.start();
    assert.equal(plain.pushedRequestLifetime, undefined);
    // The fake issuer announces no PAR endpoint: this one stands in for it.
    const { server } = await findMetadata({ issuer: new URL(fake.issuer), fetch: createTransport(runtime, {}), allowHttp: true });
    const pushing = await newFlow({ par: true, server: { ...server, pushed_authorization_request_endpoint: `${par.url}/par` } });
    const url = await pushing.start();
    assert.equal(url.searchParams.get("request_uri"), "urn:ietf:params:oauth:request_uri:abc");
    assert.equal(pushing.pushedRequestLifetime, 42);
    assert.equal(pushed[0]?.get("client_id"), "demo");
  } finally {
    await par.close();
  }
});

test("the end of input before a good paste: E_NO_PASTE", async () => {
  const { result, refused } = await paste(() => ["code=x&state=wrong"]);
  assert.ok(result instanceof FlowError);
  assert.equal(result.code, "E_NO_PASTE");
  assert.equal(refused.length, 1);
});

test("an error the server sent back ends the run at once, explained", async () => {
  const { result } = await paste((request) => [`${redirectUri}?error=invalid_scope&state=${request.searchParams.get("state")}`, callbackFor(request)]);
  assert.ok(result instanceof FlowError);
  assert.equal(result.code, "E_AUTHORIZATION_ERROR");
  assert.match(result.message, /^the authorization server answered with an error: invalid_scope \(a requested scope .* check that the client's scopes include each of: openid\)$/);
});

test("an error description on several lines (Hydra v1.8.5 adds its hint after a blank line) is reported on one", async () => {
  const description = encodeURIComponent("The requested scope is invalid, unknown, or malformed\n\nThe OAuth 2.0 Client is not allowed to request scope \"email\".");
  const { result } = await paste((request) => [`${redirectUri}?error=invalid_scope&error_description=${description}&state=${request.searchParams.get("state")}`]);
  assert.ok(result instanceof FlowError);
  assert.match(result.message, /^the authorization server answered with an error: invalid_scope: The requested scope is invalid, unknown, or malformed The OAuth 2\.0 Client is not allowed to request scope "email"\. \(a requested scope /);
  assert.doesNotMatch(result.message, /\n/);
});

test("Ctrl+C while waiting for the paste: an InterruptedError, exit 130", async () => {
  const stop = new AbortController();
  const flow = await newFlow();
  const never: AsyncIterator<string> = { next: () => new Promise(() => {}) };
  const waiting = pasteBack({ flow, redirectUri, lines: never, ask: () => stop.abort(), refused: () => {}, stop: stop.signal });
  await assert.rejects(waiting, (error) => error instanceof InterruptedError && error.code === "E_INTERRUPTED" && error.exitCode === 130);
});

test("lines: split on LF or CRLF as they arrive, a last line without newline kept, UTF-8 across chunks", async () => {
  const bytes = new TextEncoder().encode("one\r\ntwo\nnaïve\nlast");
  const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of ï
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, cut));
      controller.enqueue(bytes.slice(cut));
      controller.close();
    },
  });
  const lines: string[] = [];
  for await (const line of readLines(stream)) lines.push(line);
  assert.deepEqual(lines, ["one", "two", "naïve", "last"]);
});

test("lines: input that never ends a line is refused at a bound, not buffered whole", { timeout: 5000 }, async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    // A timer's turn between chunks, so that the test's timeout can end a reader that never stops.
    async pull(controller) {
      pulled++;
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.enqueue(new Uint8Array(4096).fill(0x41));
    },
  });
  const reading = (async () => {
    for await (const _ of readLines(endless, 10_000)) assert.fail("no line ends");
  })();
  await assert.rejects(reading, (error: Error) => error instanceof InputError && error.message === "a line of input is longer than 10000 characters");
  assert.ok(pulled <= 4, `read ${pulled} chunks`);
});

test("every explained error names something to check; unknown codes get no invented explanation", () => {
  const settings = { clientId: "app", scopes: ["openid"], audience: [], redirectUri };
  for (const code of ["invalid_scope", "unauthorized_client", "unsupported_response_type", "invalid_request", "access_denied", "invalid_state", "login_required"]) {
    assert.ok(explainAuthorizationError(code, settings), code);
  }
  assert.match(explainAuthorizationError("invalid_request", settings)!, /redirect URIs \(this run sends http:\/\/127\.0\.0\.1:4446\/callback\)/);
  assert.equal(explainAuthorizationError("something_else", settings), undefined);
  // What a strict server requires is said as such, in its own words (oidc-provider's here), not as a redirect URI to check.
  assert.equal(explainAuthorizationError("invalid_request", { ...settings, pkce: false }, "Authorization Server policy requires PKCE to be used for this request"), "the server requires PKCE, which this run left out");
  assert.match(explainAuthorizationError("invalid_request", settings, "Pushed Authorization Request must be used")!, /^the server requires pushed authorization requests \(PAR, RFC 9126\) for client "app"/);
  assert.match(explainAuthorizationError("invalid_request", settings, "Request Object must be used")!, /^the server requires a signed request object \(JAR, RFC 9101\)/);
});

test("token endpoint errors Hydra gives after consent are explained with this run's client and method", () => {
  const settings = { clientId: "app", scopes: ["openid"], audience: [], redirectUri, authMethod: "client_secret_basic" as const };
  assert.match(explainTokenError("unauthorized_client", settings)!, /client "app" may not use this flow: check that its grant types include authorization_code/);
  assert.match(explainTokenError("invalid_client", settings)!, /could not authenticate with client_secret_basic: check its secret/);
  assert.match(explainTokenError("invalid_client", { ...settings, authMethod: "none" })!, /may not authenticate with none \(no secret\)/);
  assert.match(explainTokenError("invalid_grant", settings)!, /redirect URI \(http:\/\/127\.0\.0\.1:4446\/callback\)/);
  assert.equal(explainTokenError("something_else", settings), undefined);
});
