// The comparison of a Hydra client with a run of the Authorization Code flow, and the
// fixes it derives: pure functions, no server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { shellQuote } from "../../src/shell.ts";
import { clientAsFlags } from "../../src/commands/clients/_shared.ts";
import type { OAuth2Client } from "../../src/hydra/clients.ts";
import {
  audienceMatches,
  type ClientMismatch,
  clientFor,
  compareClient,
  type FlowNeeds,
  fixedClient,
  fixOperations,
  redirectUriMatches,
  runLacksSecret,
  scopeMatches,
} from "../../src/hydra/preflight.ts";

const needs: FlowNeeds = {
  redirectUri: "http://127.0.0.1:4446/callback",
  scopes: ["openid", "offline"],
  audience: [],
  authMethod: "client_secret_basic",
  loopbackBlock: true,
};

const fitting: OAuth2Client = {
  client_id: "app",
  redirect_uris: ["http://127.0.0.1:4446/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code", "id_token"],
  scope: "openid offline",
  audience: [],
  token_endpoint_auth_method: "client_secret_basic",
};

test("a client made for the run fits it; so does one with more than the run needs", () => {
  assert.deepEqual(compareClient(fitting, needs), []);
  assert.deepEqual(compareClient(clientFor(needs, "x"), needs), []);
  assert.deepEqual(compareClient({ ...fitting, scope: "openid offline email", audience: ["https://api.example"] }, needs), []);
});

test("each field that differs is one mismatch naming what is missing and what the client has", () => {
  const client: OAuth2Client = {
    client_id: "app",
    redirect_uris: ["https://app.example/cb"],
    grant_types: ["client_credentials"],
    response_types: ["token"],
    scope: "openid",
    audience: ["https://other.example"],
    token_endpoint_auth_method: "none",
  };
  assert.deepEqual(compareClient(client, { ...needs, audience: ["https://api.example"] }), [
    { field: "redirect_uris", missing: ["http://127.0.0.1:4446/callback"], has: ["https://app.example/cb"] },
    { field: "grant_types", missing: ["authorization_code", "refresh_token"], has: ["client_credentials"] },
    { field: "response_types", missing: ["code"], has: ["token"] },
    { field: "scope", missing: ["offline"], has: ["openid"] },
    { field: "audience", missing: ["https://api.example"], has: ["https://other.example"] },
    { field: "token_endpoint_auth_method", missing: ["client_secret_basic"], has: ["none"] },
  ]);
});

test("refresh_token is needed only when offline or offline_access is asked for", () => {
  const client = { ...fitting, grant_types: ["authorization_code"] };
  assert.deepEqual(compareClient(client, { ...needs, scopes: ["openid"] }), []);
  for (const offline of ["offline", "offline_access"]) {
    assert.deepEqual(compareClient({ ...client, scope: `openid ${offline}` }, { ...needs, scopes: ["openid", offline] }), [
      { field: "grant_types", missing: ["refresh_token"], has: ["authorization_code"] },
    ]);
  }
});

test("fields Hydra fills with defaults: no grant or response types means authorization_code and code; no method means client_secret_basic", () => {
  const bare: OAuth2Client = { client_id: "app", redirect_uris: fitting.redirect_uris, scope: "openid" };
  assert.deepEqual(compareClient(bare, { ...needs, scopes: ["openid"] }), []);
  assert.deepEqual(compareClient(bare, { ...needs, scopes: ["openid"], authMethod: "none" }), [
    { field: "token_endpoint_auth_method", missing: ["none"], has: ["client_secret_basic"] },
  ]);
});

test("a response type combination (code id_token) is not code", () => {
  assert.deepEqual(compareClient({ ...fitting, response_types: ["code id_token"] }, needs), [
    { field: "response_types", missing: ["code"], has: ["code id_token"] },
  ]);
});

test("redirect URIs: exact, or over http to loopback on any port, as real Hydra v2.3.0 and v1.8.5 compare them (RFC 8252)", () => {
  for (const block of [true, false]) {
    assert.ok(redirectUriMatches("http://127.0.0.1:4446/callback", "http://127.0.0.1:4446/callback", block));
    assert.ok(redirectUriMatches("http://127.0.0.1:4446/callback", "http://127.0.0.1:5555/callback", block), "v1.8.5 ignores the port too");
    assert.ok(redirectUriMatches("http://127.0.0.1/callback", "http://127.0.0.1:5555/callback", block));
    assert.ok(redirectUriMatches("http://[::1]/callback", "http://[::1]:5555/callback", block));
    assert.ok(redirectUriMatches("https://127.0.0.1:4446/callback", "http://127.0.0.1:5555/callback", block), "the registered scheme is not compared");
    assert.ok(!redirectUriMatches("http://localhost:4446/callback", "http://localhost:5555/callback", block), "localhost is no IP literal");
    assert.ok(!redirectUriMatches("http://127.0.0.1:4446/callback", "http://127.0.0.1:5555/other", block));
    assert.ok(!redirectUriMatches("http://127.0.0.1:4446/callback", "http://127.0.0.1:5555/callback?x=1", block), "the query must be equal");
    assert.ok(!redirectUriMatches("https://127.0.0.1:4446/callback", "https://127.0.0.1:5555/callback", block), "a requested https URI is compared exactly");
    assert.ok(!redirectUriMatches("http://127.0.0.1:4446/callback", "http://127.0.0.1:4446/callback/", block));
    assert.ok(!redirectUriMatches("http://127.0.0.2:4446/callback", "http://127.0.0.1:5555/callback", block), "the host must be equal");
  }
  assert.ok(redirectUriMatches("http://127.0.0.2:4446/cb", "http://127.0.0.2:5555/cb", true), "v2: all of 127.0.0.0/8 is loopback");
  assert.ok(!redirectUriMatches("http://127.0.0.2:4446/cb", "http://127.0.0.2:5555/cb", false), "v1.8.5: only 127.0.0.1");
});

test("scopes: Hydra's wildcard strategy", () => {
  assert.ok(scopeMatches("openid", "openid"));
  assert.ok(scopeMatches("photos.*", "photos.read"));
  assert.ok(scopeMatches("photos.*", "photos.read.all"), "a trailing * covers deeper scopes");
  assert.ok(scopeMatches("photos.*.all", "photos.read.all"));
  assert.ok(!scopeMatches("photos.*", "photos"));
  assert.ok(!scopeMatches("photos.*", "photos."));
  assert.ok(!scopeMatches("photos", "photos.read"));
  assert.ok(!scopeMatches("photos.read", "photos.write"));
});

test("audiences: equal, or a URL at or below an allowed one", () => {
  assert.ok(audienceMatches("https://api.example", "https://api.example"));
  assert.ok(audienceMatches("https://api.example/v1", "https://api.example/v1/users"));
  assert.ok(audienceMatches("https://api.example/v1/", "https://api.example/v1"));
  assert.ok(!audienceMatches("https://api.example/v1", "https://api.example/v10"));
  assert.ok(!audienceMatches("https://api.example", "http://api.example"));
  assert.ok(!audienceMatches("https://api.example", "https://api.example.evil"));
  assert.ok(!audienceMatches("my-api", "my-api-2"));
});

test("fixes: an append per missing list item, the whole field when Hydra left it empty, replace for scope", () => {
  const [redirect, grants, scope, audience] = compareClient(
    { client_id: "app", redirect_uris: ["https://app.example/cb"], scope: "openid", token_endpoint_auth_method: "none" },
    { ...needs, audience: ["https://api.example"] },
  );
  assert.deepEqual(fixOperations(redirect as ClientMismatch, { redirect_uris: ["https://app.example/cb"] }), [
    { op: "add", path: "/redirect_uris/-", value: "http://127.0.0.1:4446/callback" },
  ]);
  assert.deepEqual(fixOperations(grants as ClientMismatch, {}), [{ op: "add", path: "/grant_types", value: ["authorization_code", "refresh_token"] }]);
  assert.deepEqual(fixOperations(scope as ClientMismatch, { scope: "openid" }), [{ op: "replace", path: "/scope", value: "openid offline" }]);
  assert.deepEqual(fixOperations(audience as ClientMismatch, { audience: [] }), [{ op: "add", path: "/audience", value: ["https://api.example"] }]);
});

test("the client's method is never changed for the run: neither made public, nor given the run's secret or method", () => {
  const [toSecret] = compareClient({ ...fitting, token_endpoint_auth_method: "none" }, needs);
  assert.ok(!runLacksSecret(toSecret!));
  assert.deepEqual(fixedClient({ ...fitting, token_endpoint_auth_method: "none" }, [toSecret!]), { ...fitting, token_endpoint_auth_method: "none" });
  const [noSecret] = compareClient(fitting, { ...needs, authMethod: "none" });
  assert.ok(runLacksSecret(noSecret!));
  assert.deepEqual(fixedClient(fitting, [noSecret!]), fitting, "the client is not made public");
  const [toPost] = compareClient(fitting, { ...needs, authMethod: "client_secret_post" });
  assert.ok(!runLacksSecret(toPost!));
  assert.deepEqual(fixedClient(fitting, [toPost!]), fitting);
});

test("the fixed client (for v1.8's whole-client update) has every fix and keeps every other field", () => {
  const client: OAuth2Client = { client_id: "app", client_name: "My app", redirect_uris: ["https://app.example/cb"], scope: "openid", owner: "me" };
  const fixed = fixedClient(client, compareClient(client, needs));
  assert.deepEqual(compareClient(fixed, needs), []);
  assert.equal(fixed.client_name, "My app");
  assert.equal(fixed.owner, "me");
  assert.deepEqual(fixed.redirect_uris, ["https://app.example/cb", "http://127.0.0.1:4446/callback"]);
  assert.deepEqual(clientAsFlags(fixed), [
    ...["--name", "My app", "--callbacks", "https://app.example/cb", "--callbacks", "http://127.0.0.1:4446/callback"],
    ...["--grant-types", "authorization_code", "--grant-types", "refresh_token"],
    ...["--owner", "me", "--scope", "openid", "--scope", "offline"],
  ]);
  // --metadata takes JSON whatever it holds; an empty object is no metadata.
  assert.deepEqual(clientAsFlags({ metadata: [1, "a"] }), ["--metadata", '[1,"a"]']);
  assert.deepEqual(clientAsFlags({ metadata: "text" }), ["--metadata", '"text"']);
  assert.deepEqual(clientAsFlags({ metadata: {} }), []);
});

test("shell quoting: plain words as they are, anything else single-quoted so a shell reads it back", () => {
  assert.equal(shellQuote("http://127.0.0.1:4446/callback"), "http://127.0.0.1:4446/callback");
  assert.equal(shellQuote("openid offline"), "'openid offline'");
  assert.equal(shellQuote('["a","b"]'), `'["a","b"]'`);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});
