/**
 * Tests of the test support itself: the local OpenID Connect provider (run under Bun)
 * and the scripted user agent. Runs under both `bun test` and `deno test -A`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as oauth from "oauth4webapi";

import { type RunningProvider, startProvider } from "./provider.ts";
import { base64urlBytes } from "./keys.ts";
import { authorize } from "./user-agent.ts";

const CALLBACK = "http://127.0.0.1:45678/callback";
const insecure = { [oauth.allowInsecureRequests]: true };

let provider: RunningProvider | undefined;
let as: oauth.AuthorizationServer;

before(async () => {
  provider = await startProvider();
  const issuer = new URL(provider.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }),
  );
});

after(async () => {
  await provider?.close();
});

/** Stop at (and never fetch) the given callback, whatever the query. */
const stopAtCallback = (callback: string) => (url: URL) =>
  `${url.origin}${url.pathname}` === callback;

async function authorizationRequest(
  clientId: string,
  redirectUri: string,
  extra: Record<string, string> = {},
) {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid offline_access",
    prompt: "consent",
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  }).toString();
  return { url, codeVerifier, state, nonce };
}

/** Check the ID token's signature against the provider's JWKS (RS256 or ES256). */
async function verifyIdTokenSignature(idToken: string): Promise<string> {
  const [h, p, s] = idToken.split(".");
  const header = JSON.parse(new TextDecoder().decode(base64urlBytes(h!)));
  const { keys } = await (await fetch(as.jwks_uri!)).json();
  const jwk = keys.find((k: { kid: string }) => k.kid === header.kid);
  assert.ok(jwk, `no JWK with kid ${header.kid}`);
  const alg = header.alg === "ES256"
    ? {
      import: { name: "ECDSA", namedCurve: "P-256" },
      verify: { name: "ECDSA", hash: "SHA-256" },
    }
    : {
      import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      verify: { name: "RSASSA-PKCS1-v1_5" },
    };
  const key = await crypto.subtle.importKey("jwk", jwk, alg.import, false, [
    "verify",
  ]);
  const ok = await crypto.subtle.verify(
    alg.verify,
    key,
    base64urlBytes(s!),
    new TextEncoder().encode(`${h}.${p}`),
  );
  assert.ok(ok, "ID token signature does not verify");
  return header.alg;
}

test("provider runs and serves discovery", () => {
  assert.match(provider!.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(as.issuer, provider!.issuer);
  assert.deepEqual(as.code_challenge_methods_supported, ["S256"]);
  for (const scope of ["openid", "offline_access", "profile", "email"]) {
    assert.ok(as.scopes_supported?.includes(scope), scope);
  }
  for (const mode of ["query", "form_post"]) {
    assert.ok(as.response_modes_supported?.includes(mode), mode);
  }
});

test("code flow with PKCE for demo (client_secret_basic): tokens, refresh, id_token", async () => {
  const client: oauth.Client = { client_id: "demo" };
  const { url, codeVerifier, state, nonce } = await authorizationRequest(
    "demo",
    CALLBACK,
  );

  const result = await authorize(url.href, {
    login: "alice",
    stopAt: stopAtCallback(CALLBACK),
  });
  assert.ok("url" in result, "expected a redirect to the callback");
  assert.ok(result.url.searchParams.get("code"), "code");
  assert.equal(result.url.searchParams.get("state"), state);

  const params = oauth.validateAuthResponse(as, client, result.url, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic("demo-secret"),
    params,
    CALLBACK,
    codeVerifier,
    insecure,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    response,
    {
      expectedNonce: nonce,
      requireIdToken: true,
    },
  );
  assert.ok(tokens.access_token, "access_token");
  assert.ok(tokens.refresh_token, "refresh_token");
  assert.equal(tokens.token_type.toLowerCase(), "bearer");
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  assert.equal(claims.sub, "alice");
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.iss, provider!.issuer);
  assert.equal(claims.aud, "demo");
  assert.equal(await verifyIdTokenSignature(tokens.id_token!), "RS256");

  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic("demo-secret"),
      tokens.refresh_token!,
      insecure,
    ),
  );
  assert.ok(refreshed.access_token, "refreshed access_token");
  assert.notEqual(refreshed.access_token, tokens.access_token);
});

test("response_mode=form_post returns the auto-submitting form", async () => {
  const { url, state } = await authorizationRequest("demo", CALLBACK, {
    response_mode: "form_post",
  });
  const result = await authorize(url.href, {
    stopAt: stopAtCallback(CALLBACK),
  });
  assert.ok("formPost" in result, "expected a form_post page");
  assert.equal(result.formPost.action, CALLBACK);
  assert.ok(result.formPost.fields.code, "code");
  assert.equal(result.formPost.fields.state, state);
  assert.equal(result.formPost.fields.iss, provider!.issuer);
});

test("deny: cancel redirects back with error=access_denied", async () => {
  const { url, state } = await authorizationRequest("demo", CALLBACK);
  const result = await authorize(url.href, {
    deny: true,
    stopAt: stopAtCallback(CALLBACK),
  });
  assert.ok("url" in result, "expected a redirect to the callback");
  assert.equal(result.url.searchParams.get("error"), "access_denied");
  assert.equal(result.url.searchParams.get("state"), state);
  assert.equal(result.url.searchParams.get("code"), null);
});

test("public-client with an https localhost redirect on another port (client auth none)", async () => {
  const callback = "https://localhost:51234/callback";
  const client: oauth.Client = {
    client_id: "public-client",
    token_endpoint_auth_method: "none",
  };
  const { url, codeVerifier, state, nonce } = await authorizationRequest(
    "public-client",
    callback,
    {
      scope: "openid profile email",
    },
  );
  const result = await authorize(url.href, {
    login: "bob",
    stopAt: stopAtCallback(callback),
  });
  assert.ok("url" in result);
  const params = oauth.validateAuthResponse(as, client, result.url, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      callback,
      codeVerifier,
      insecure,
    ),
    { expectedNonce: nonce, requireIdToken: true },
  );
  assert.equal(
    tokens.refresh_token,
    undefined,
    "no offline_access, no refresh token",
  );
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  assert.equal(claims.sub, "bob");

  const userinfo = await oauth.processUserInfoResponse(
    as,
    client,
    claims.sub,
    await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
  );
  assert.equal(userinfo.email, "bob@example.com");
  assert.equal(userinfo.preferred_username, "bob");
});

test("post-client (client_secret_post) exchanges a code", async () => {
  const client: oauth.Client = { client_id: "post-client" };
  const { url, codeVerifier, state, nonce } = await authorizationRequest(
    "post-client",
    CALLBACK,
  );
  const result = await authorize(url.href, {
    stopAt: stopAtCallback(CALLBACK),
  });
  assert.ok("url" in result);
  const params = oauth.validateAuthResponse(as, client, result.url, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost("post-secret"),
      params,
      CALLBACK,
      codeVerifier,
      insecure,
    ),
    { expectedNonce: nonce },
  );
  assert.ok(tokens.refresh_token);
});

test("non-loopback redirect_uri is rejected", async () => {
  const { url } = await authorizationRequest(
    "demo",
    "https://evil.example/callback",
  );
  await assert.rejects(
    authorize(url.href, {
      stopAt: stopAtCallback("https://evil.example/callback"),
    }),
    /invalid_redirect_uri/,
  );
});

test("custom clients via startProvider({ clients })", async () => {
  const custom = await startProvider({
    clients: [{
      client_id: "custom",
      client_secret: "custom-secret",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: ["http://127.0.0.1/cb"],
    }],
  });
  try {
    const res = await fetch(
      `${custom.issuer}/auth?${new URLSearchParams({
        client_id: "demo",
        response_type: "code",
        scope: "openid",
        redirect_uri: CALLBACK,
      })}`,
      { redirect: "manual" },
    );
    assert.equal(
      res.status,
      400,
      "demo is not registered on the custom provider",
    );
    await res.body?.cancel();

    const state = oauth.generateRandomState();
    const cb = "http://127.0.0.1:40001/cb";
    const result = await authorize(
      `${custom.issuer}/auth?${new URLSearchParams({
        client_id: "custom",
        response_type: "code",
        scope: "openid",
        redirect_uri: cb,
        state,
      })}`,
      { stopAt: stopAtCallback(cb) },
    );
    assert.ok("url" in result);
    assert.ok(result.url.searchParams.get("code"));
    assert.equal(result.url.searchParams.get("state"), state);
  } finally {
    await custom.close();
  }
});
