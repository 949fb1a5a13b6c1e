// The login and consent pages of `perform authorization-code`, driving a fake Hydra admin
// API that checks every request and answer against Hydra's OpenAPI document.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FakeHydraAdmin, type FakeHydraOptions, startFakeHydraAdmin } from "../support/fake-hydra-admin.ts";
import { type LocalClient, startLocalClient } from "../support/local-client.ts";

const loginRequest = (overrides: Record<string, unknown> = {}) => ({
  challenge: "login-1",
  skip: false,
  subject: "",
  client: { client_id: "demo", client_name: `<b onmouseover="x">Evil</b>` },
  request_url: "https://hydra.example/oauth2/auth?client_id=demo",
  requested_scope: ["openid", "offline"],
  requested_access_token_audience: [],
  ...overrides,
});

const consentRequest = (overrides: Record<string, unknown> = {}) => ({
  challenge: "consent-1",
  skip: false,
  subject: "alice",
  client: { client_id: "demo", client_name: "Demo" },
  requested_scope: ["openid", "offline", "<script>x</script>"],
  requested_access_token_audience: ["https://api.example"],
  ...overrides,
});

/** A running local client wired to a fake Hydra, stopped and checked for schema violations after `body`. */
async function withHydra(
  hydraOptions: FakeHydraOptions,
  body: (client: LocalClient, hydra: FakeHydraAdmin) => Promise<void>,
  clientOptions: { skip?: boolean } = {},
) {
  const hydra = await startFakeHydraAdmin(hydraOptions);
  // The admin fake doubles as the issuer: its 404 for discovery selects Hydra's default paths.
  const client = await startLocalClient({ issuer: hydra.url, adminEndpoint: hydra.url, keepRunning: true, ...clientOptions });
  try {
    await body(client, hydra);
    assert.deepEqual(hydra.violations, []);
  } finally {
    client.stop();
    await client.done;
    await hydra.close();
  }
}

async function get(url: string) {
  const response = await fetch(url, { redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

/** Submits the page's form with its hidden fields plus `fields`. */
async function submit(client: LocalClient, path: string, pageText: string, fields: [string, string][]) {
  const hidden = [...pageText.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!] as [string, string]);
  const response = await fetch(`${client.base}${path}`, {
    method: "POST",
    body: new URLSearchParams([...hidden, ...fields]),
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

test("login: the page shows the client escaped; signing in accepts with the subject and remember", () =>
  withHydra({ login: { "login-1": loginRequest() } }, async (client, hydra) => {
    const page = await get(`${client.base}/login?login_challenge=login-1`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes("&lt;b onmouseover=&quot;x&quot;&gt;Evil&lt;/b&gt;"));
    assert.ok(!page.text.includes("<b onmouseover"));
    const done = await submit(client, "/login", page.text, [["subject", "alice"], ["remember", "true"], ["action", "accept"]]);
    assert.equal(done.status, 302);
    assert.equal(done.location, "https://hydra.example/oauth2/auth?login_verifier=accept-login-1");
    const accept = hydra.calls.at(-1)!;
    assert.equal(accept.path, "/admin/oauth2/auth/requests/login/accept");
    assert.equal(accept.query.get("login_challenge"), "login-1");
    assert.deepEqual(accept.body, { subject: "alice", remember: true, remember_for: 3600 });
  }));

test("login: Deny rejects with access_denied", () =>
  withHydra({ login: { "login-1": loginRequest() } }, async (client, hydra) => {
    const page = await get(`${client.base}/login?login_challenge=login-1`);
    const done = await submit(client, "/login", page.text, [["action", "reject"]]);
    assert.equal(done.location, "https://hydra.example/oauth2/auth?login_verifier=reject-login-1");
    assert.deepEqual(hydra.calls.at(-1)!.body, { error: "access_denied", error_description: "The resource owner denied the request" });
  }));

test("login: with --skip, a skippable login is accepted without a page; without it, the page says so", async () => {
  const hydraOptions = { login: { "login-1": loginRequest({ skip: true, subject: "bob" }) } };
  await withHydra(hydraOptions, async (client, hydra) => {
    const done = await get(`${client.base}/login?login_challenge=login-1`);
    assert.equal(done.status, 302);
    assert.deepEqual(hydra.calls.at(-1)!.body, { subject: "bob" });
  }, { skip: true });
  await withHydra(hydraOptions, async (client, hydra) => {
    const page = await get(`${client.base}/login?login_challenge=login-1`);
    assert.equal(page.status, 200);
    assert.match(page.text, /--skip<\/code> would accept this login/);
    assert.match(page.text, /name="subject" value="bob"/);
    assert.equal(hydra.calls.length, 1);
  });
});

test("consent: scopes and audiences as checkboxes; only requested ones are granted; revoke earlier consents", () =>
  withHydra({ consent: { "consent-1": consentRequest() } }, async (client, hydra) => {
    const page = await get(`${client.base}/consent?consent_challenge=consent-1`);
    assert.equal(page.status, 200);
    assert.match(page.text, /name="grant_scope" value="openid" checked/);
    assert.match(page.text, /name="grant_audience" value="https:\/\/api.example" checked/);
    assert.ok(page.text.includes("value=\"&lt;script&gt;x&lt;/script&gt;\""));
    assert.ok(!page.text.includes("<script>"));
    const done = await submit(client, "/consent", page.text, [
      ["grant_scope", "openid"],
      ["grant_scope", "admin"],
      ["grant_audience", "https://api.example"],
      ["revoke", "true"],
      ["action", "accept"],
    ]);
    assert.equal(done.status, 302);
    assert.equal(done.location, "https://hydra.example/oauth2/auth?consent_verifier=accept-consent-1");
    const [revoke, accept] = hydra.calls.slice(-2) as [FakeHydraAdmin["calls"][0], FakeHydraAdmin["calls"][0]];
    assert.equal(revoke.method, "DELETE");
    assert.equal(revoke.query.get("subject"), "alice");
    assert.equal(revoke.query.get("client"), "demo");
    assert.deepEqual(accept.body, { grant_scope: ["openid"], grant_access_token_audience: ["https://api.example"], remember: false });
    assert.ok(client.notices.some((line) => /revoked earlier consents of "alice" for demo/.test(line)));
  }));

test("consent: Deny rejects; --skip grants a skippable consent as requested", async () => {
  await withHydra({ consent: { "consent-1": consentRequest() } }, async (client, hydra) => {
    const page = await get(`${client.base}/consent?consent_challenge=consent-1`);
    const done = await submit(client, "/consent", page.text, [["action", "reject"]]);
    assert.equal(done.location, "https://hydra.example/oauth2/auth?consent_verifier=reject-consent-1");
    assert.equal(hydra.calls.at(-1)!.body && (hydra.calls.at(-1)!.body as { error: string }).error, "access_denied");
  });
  await withHydra({ consent: { "consent-1": consentRequest({ skip: true }) } }, async (client, hydra) => {
    const done = await get(`${client.base}/consent?consent_challenge=consent-1`);
    assert.equal(done.status, 302);
    assert.deepEqual(hydra.calls.at(-1)!.body, {
      grant_scope: ["openid", "offline", "<script>x</script>"],
      grant_access_token_audience: ["https://api.example"],
    });
  }, { skip: true });
});

test("forms without this run's form token are refused before Hydra is called", () =>
  withHydra({ login: { "login-1": loginRequest() } }, async (client, hydra) => {
    const done = await submit(client, "/login", "", [["challenge", "login-1"], ["subject", "mallory"], ["action", "accept"]]);
    assert.equal(done.status, 400);
    assert.match(done.text, /did not come from this hydractl/);
    assert.equal(hydra.calls.length, 0);
    // Said as a page that failed while the run goes on, not as the run's "Error:".
    assert.ok(client.notices.some((line) => /^POST \/login failed: .*did not come from this hydractl.*; still waiting$/.test(line)), client.notices.join("\n"));
  }));

test("Hydra v1.8 paths (no /admin) are used when /admin does not exist", () =>
  withHydra({ legacy: true, login: { "login-1": loginRequest() } }, async (client, hydra) => {
    const page = await get(`${client.base}/login?login_challenge=login-1`);
    assert.equal(page.status, 200);
    const done = await submit(client, "/login", page.text, [["subject", "alice"], ["action", "accept"]]);
    assert.equal(done.status, 302);
    assert.equal(hydra.calls.length, 2);
  }));

test("an unknown challenge shows Hydra's error; an already handled one redirects onwards", () =>
  withHydra({ handled: ["old"] }, async (client, hydra) => {
    const unknown = await get(`${client.base}/login?login_challenge=nope`);
    assert.equal(unknown.status, 502);
    assert.match(unknown.text, /fetching the login request failed: 404 Not Found: Unable to locate the resource/);
    assert.equal(hydra.calls.length, 1, "a JSON 404 is Hydra's answer, not a missing route: no v1 retry");
    const handled = await get(`${client.base}/consent?consent_challenge=old`);
    assert.equal(handled.status, 302);
    assert.equal(handled.location, "https://hydra.example/handled?consent_verifier=v");
  }));
