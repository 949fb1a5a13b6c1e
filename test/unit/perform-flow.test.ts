// The whole Authorization Code flow of `perform authorization-code`, in-process, against a
// real OpenID provider (oidc-provider on loopback) and a scripted user agent.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTransport } from "../../src/http/transport.ts";
import { startLocalClient } from "../support/local-client.ts";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { runtime } from "../support/runtime.ts";
import { authorize } from "../support/user-agent.ts";

let provider: RunningProvider;
before(async () => void (provider = await startProvider()));
after(() => provider?.close());

const atCallback = (base: string) => (url: URL) => url.origin === base && url.pathname === "/callback";

/** Follows the provider's login and consent; returns the callback page the local client answers with. */
async function complete(base: string, authorizationUrl: URL, options: { deny?: boolean; login?: string } = {}) {
  const fetch = createTransport(runtime, { skipTlsVerify: base.startsWith("https") });
  const result = await authorize(authorizationUrl.href, { ...options, stopAt: atCallback(base) });
  const response =
    "url" in result
      ? await fetch(result.url)
      : await fetch(result.formPost.action, { method: "POST", body: new URLSearchParams(result.formPost.fields) });
  return { status: response.status, text: await response.text(), callback: "url" in result ? result.url : undefined };
}

test("query mode with PKCE (client_secret_basic): tokens, refresh token, verified ID token; the server stops after", async () => {
  const client = await startLocalClient({ issuer: provider.issuer, clientSecret: "demo-secret" });
  const url = await client.startFlow();
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.ok(url.searchParams.get("code_challenge"));
  // 32 random bytes, base64url: 256 bits of state, and as much nonce.
  assert.match(url.searchParams.get("state")!, /^[\w-]{43}$/);
  assert.match(url.searchParams.get("nonce")!, /^[\w-]{43}$/);
  assert.equal(url.searchParams.get("redirect_uri"), `${client.base}/callback`);
  assert.equal(url.searchParams.get("scope"), "openid offline_access");

  const page = await complete(client.base, url, { login: "alice" });
  assert.equal(page.status, 200);
  await client.done;
  const [{ tokens, idTokenClaims }] = client.tokens as [(typeof client.tokens)[0]];
  assert.ok(tokens.access_token && tokens.refresh_token && tokens.id_token);
  assert.equal(idTokenClaims?.sub, "alice");
  assert.equal(idTokenClaims?.nonce, url.searchParams.get("nonce"));
  assert.match(page.text, /Tokens received/);
  assert.ok(page.text.includes(tokens.access_token));
  assert.match(page.text, /&quot;sub&quot;: &quot;alice&quot;/);
  assert.match(page.text, /you can close this window/);

  // One flow, then the server is gone: a replayed callback cannot reach anything.
  await assert.rejects(fetch(page.callback!));
});

test("form_post mode: the code arrives by POST and is exchanged", async () => {
  const client = await startLocalClient({ issuer: provider.issuer, clientSecret: "demo-secret", responseMode: "form_post" });
  const url = await client.startFlow();
  assert.equal(url.searchParams.get("response_mode"), "form_post");
  const page = await complete(client.base, url);
  assert.equal(page.status, 200, page.text);
  await client.done;
  assert.ok(client.tokens[0]?.tokens.refresh_token);
});

test("client_secret_post and a public client (none, PKCE only)", async () => {
  for (const options of [
    { clientId: "post-client", clientSecret: "post-secret", authMethod: "client_secret_post" as const },
    { clientId: "public-client", authMethod: "none" as const },
  ]) {
    const client = await startLocalClient({ issuer: provider.issuer, ...options });
    const page = await complete(client.base, await client.startFlow());
    assert.equal(page.status, 200, `${options.clientId}: ${page.text}`);
    await client.done;
    assert.equal(client.tokens[0]?.idTokenClaims?.aud, options.clientId);
  }
});

test("access denied: an error page, and the run fails with the provider's error", async () => {
  const client = await startLocalClient({ issuer: provider.issuer, clientSecret: "demo-secret" });
  const page = await complete(client.base, await client.startFlow(), { deny: true });
  assert.equal(page.status, 400);
  assert.match(page.text, /Authorization failed/);
  assert.match(page.text, /access_denied/);
  await assert.rejects(client.done, { name: "FlowError", code: "E_AUTHORIZATION_ERROR", message: /access_denied/ });
  assert.equal(client.tokens.length, 0);
});

test("a wrong client secret: the token endpoint's refusal fails the run", async () => {
  const client = await startLocalClient({ issuer: provider.issuer, clientSecret: "not-the-secret" });
  const page = await complete(client.base, await client.startFlow());
  assert.equal(page.status, 400);
  await assert.rejects(client.done, { code: "E_TOKEN_ERROR", message: /invalid_client/ });
});

test("--no-shutdown: fresh state, nonce and verifier per flow; a replayed callback is rejected; back links", async () => {
  const client = await startLocalClient({ issuer: provider.issuer, clientSecret: "demo-secret", keepRunning: true });
  const first = await client.startFlow();
  const firstPage = await complete(client.base, first);
  assert.equal(firstPage.status, 200);
  assert.match(firstPage.text, /href="\/">Start another flow/);

  const replay = await fetch(firstPage.callback!);
  assert.equal(replay.status, 400);
  assert.match(await replay.text(), /already used/);

  const second = await client.startFlow();
  for (const name of ["state", "nonce", "code_challenge"]) {
    assert.notEqual(second.searchParams.get(name), first.searchParams.get(name), name);
  }
  const secondPage = await complete(client.base, second);
  assert.equal(secondPage.status, 200);
  assert.equal(client.tokens.length, 2);
  assert.ok(client.notices.some((line) => /already used/.test(line)), "the rejected replay is reported on stderr");
  client.stop();
  await client.done;
});

test("--https: the redirect URI is https and the flow completes over TLS", async () => {
  const client = await startLocalClient({ issuer: provider.issuer, clientSecret: "demo-secret", https: true });
  assert.match(client.base, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(client.notices.some((line) => /SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(line)));
  const url = await client.startFlow();
  assert.equal(url.searchParams.get("redirect_uri"), `${client.base}/callback`);
  const page = await complete(client.base, url);
  assert.equal(page.status, 200, page.text);
  await client.done;
});
