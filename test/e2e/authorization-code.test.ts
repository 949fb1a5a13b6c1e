// `hydractl perform authorization-code`, compiled, driven by Debian's Chromium against a real
// OpenID provider (oidc-provider on loopback): the flow as a user meets it, page by page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { launchBrowser } from "./support/browser.ts";
import { artifacts, hydractl, type LocalClientProcess, missing, startLocalClient } from "./support/hydractl.ts";

const skip = missing(hydractl);
let provider: RunningProvider;
before(async () => {
  if (!skip) provider = await startProvider();
});
after(() => provider?.close());

/** What the provider needs to issue a refresh token: offline_access, and consent asked for. */
const flowArgs = (...extra: string[]) => [
  "--endpoint", provider.issuer, "--client-id", "demo", "--client-secret", "demo-secret",
  "--scope", "openid,offline_access", "--prompt", "consent",
  "--no-open", "--port", "0", "--format", "json", ...extra,
];

interface Browsing {
  page: Page;
  /** The authorization requests Chromium sent to the provider, in order. */
  authorizationRequests: URL[];
}

/**
 * A fresh Chromium (fresh profile, loopback only) on hydractl's home page; closed after `body`,
 * with a screenshot of wherever it stood when `body` threw.
 */
async function withBrowser(name: string, client: LocalClientProcess, body: (browsing: Browsing) => Promise<void>, https = false) {
  const browser = await launchBrowser({ acceptSelfSigned: https, loopbackOnly: true });
  const page = await browser.context.newPage();
  const authorizationRequests: URL[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === provider.issuer && url.pathname === "/auth" && url.searchParams.has("state")) authorizationRequests.push(url);
  });
  try {
    await page.goto(client.home);
    await body({ page, authorizationRequests });
  } catch (error) {
    await page.screenshot({ path: `${artifacts}/FAILED-${name}.png`, fullPage: true }).catch(() => {});
    client.interrupt();
    throw error;
  } finally {
    await browser.close();
  }
}

/** From hydractl's home page through the provider's login and consent (or its Cancel link) back to hydractl. */
async function authorize(page: Page, home: string, options: { cancel?: boolean } = {}) {
  const origin = new URL(home).origin;
  await page.getByRole("link", { name: "Authorize application" }).click();
  for (let step = 0; ; step++) {
    assert.ok(step < 4, `still at the provider after ${step} pages: ${page.url()}`);
    // Provider pages are /interaction/<uid>; with form_post Chromium passes an auto-submitting page on the way back.
    await page.waitForURL((url) => url.origin === origin || url.pathname.startsWith("/interaction/"));
    if (new URL(page.url()).origin === origin) break;
    const login = page.locator('input[name="login"]');
    const consent = page.getByRole("button", { name: "Continue" });
    await login.or(consent).waitFor();
    if (options.cancel) {
      await page.getByRole("link", { name: "[ Cancel ]" }).click();
      await login.or(consent).waitFor({ state: "detached" });
    } else if (await login.isVisible()) {
      await login.fill("alice");
      await page.locator('input[name="password"]').fill("any password");
      await page.getByRole("button", { name: "Sign-in" }).click();
      await login.waitFor({ state: "detached" });
    } else {
      await consent.click();
      await consent.waitFor({ state: "detached" });
    }
  }
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, "/callback");
}

interface ResultPage {
  accessToken: string;
  refreshToken: string;
  idToken: string;
  claims: Record<string, unknown>;
}

/** Reads hydractl's result page and checks it against the authorization request that led to it. */
async function readResultPage(page: Page, request: URL): Promise<ResultPage> {
  assert.equal(await page.title(), "Tokens received · hydractl", await page.locator("body").innerText());
  const value = (term: string) => page.locator(`dt:text-is("${term}") + dd`).innerText();
  const [accessToken, refreshToken, idToken] = await Promise.all([value("Access token"), value("Refresh token"), value("ID token")]);
  for (const [name, token] of Object.entries({ accessToken, refreshToken, idToken })) {
    assert.doesNotMatch(token, /^\(none\)$|^$/, `${name} on the page`);
  }
  assert.match(idToken, /^[\w-]+\.[\w-]+\.[\w-]+$/, "the ID token is a JWS");
  const claims = JSON.parse(await page.locator('h2:has-text("ID token claims") + pre').innerText());
  assert.equal(claims.sub, "alice");
  assert.equal(claims.iss, provider.issuer);
  assert.equal(claims.aud, "demo");
  assert.equal(claims.nonce, request.searchParams.get("nonce"));
  return { accessToken, refreshToken, idToken, claims };
}

/** stdout of --format json carries exactly the tokens the page showed. */
function assertPrinted(stdout: string, shown: ResultPage) {
  const printed = JSON.parse(stdout);
  assert.equal(printed.access_token, shown.accessToken);
  assert.equal(printed.refresh_token, shown.refreshToken);
  assert.equal(printed.id_token, shown.idToken);
}

/** One complete flow in a fresh browser; returns what the page showed and the process's result. */
async function happyPath(name: string, client: LocalClientProcess, https = false) {
  let shown!: ResultPage;
  await withBrowser(name, client, async ({ page, authorizationRequests }) => {
    await authorize(page, client.home);
    assert.equal(authorizationRequests.length, 1);
    shown = await readResultPage(page, authorizationRequests[0]!);
    assert.match(await page.locator("body").innerText(), /hydractl writes these tokens to its output and stops; you can close this window\./);
    await page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });
  }, https);
  const result = await client.exited;
  assert.equal(result.code, 0, result.stderr);
  assertPrinted(result.stdout, shown);
  return { result, shown };
}

test("1. happy path: Chromium logs in and consents; the page and stdout show the same tokens; exit 0", { skip, timeout: 60_000 }, async () => {
  const client = await startLocalClient(flowArgs());
  assert.match(client.home, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  await happyPath("happy-path", client);
});

test("2a. --https: Chromium accepts the self-signed certificate and the flow completes over TLS", { skip, timeout: 60_000 }, async () => {
  const client = await startLocalClient(flowArgs("--https"));
  assert.match(client.home, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  assert.match(client.stderr(), /self-signed certificate kept in .*\/hydractl\/https-localhost\.pem, SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  // Not told to accept it, Chromium refuses the certificate: TLS is really in play.
  const strict = await launchBrowser({ loopbackOnly: true });
  try {
    await assert.rejects((await strict.context.newPage()).goto(client.home), /ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await strict.close();
  }
  await happyPath("https", client, true);
});

test("2b. --response-mode form_post: the provider posts the code to the callback", { skip, timeout: 60_000 }, async () => {
  const client = await startLocalClient(flowArgs("--response-mode", "form_post"));
  await withBrowser("form-post", client, async ({ page, authorizationRequests }) => {
    let callbackMethod = "";
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/callback") callbackMethod = request.method();
    });
    await authorize(page, client.home);
    assert.equal(authorizationRequests[0]?.searchParams.get("response_mode"), "form_post");
    assert.equal(callbackMethod, "POST");
    const shown = await readResultPage(page, authorizationRequests[0]!);
    await page.screenshot({ path: `${artifacts}/form-post.png`, fullPage: true });
    const result = await client.exited;
    assert.equal(result.code, 0, result.stderr);
    assertPrinted(result.stdout, shown);
  });
});

test("3. denial: the user cancels at the provider; hydractl shows the error page, prints nothing, exits 1", { skip, timeout: 60_000 }, async () => {
  const client = await startLocalClient(flowArgs());
  await withBrowser("denied", client, async ({ page }) => {
    await authorize(page, client.home, { cancel: true });
    assert.equal(await page.title(), "Authorization failed · hydractl");
    assert.match(await page.locator("p.error").innerText(), /access_denied/);
    await page.screenshot({ path: `${artifacts}/denied.png`, fullPage: true });
  });
  const result = await client.exited;
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /access_denied/);
});

test("4. --no-shutdown: two flows in one process, each with a fresh state; the back link starts the second", { skip, timeout: 90_000 }, async () => {
  const client = await startLocalClient(flowArgs("--no-shutdown"));
  const shown: ResultPage[] = [];
  await withBrowser("no-shutdown", client, async ({ page, authorizationRequests }) => {
    for (const round of [1, 2]) {
      if (round === 2) {
        await page.getByRole("link", { name: "Start another flow" }).click();
        await page.waitForURL(client.home);
      }
      await authorize(page, client.home);
      assert.equal(authorizationRequests.length, round);
      shown.push(await readResultPage(page, authorizationRequests[round - 1]!));
      assert.equal(await page.getByRole("link", { name: "Start another flow" }).getAttribute("href"), "/");
      await page.screenshot({ path: `${artifacts}/no-shutdown-${round}.png`, fullPage: true });
    }
    const [first, second] = authorizationRequests as [URL, URL];
    for (const name of ["state", "nonce", "code_challenge"]) {
      assert.notEqual(second.searchParams.get(name), first.searchParams.get(name), `${name} is fresh`);
    }
    assert.notEqual(shown[1]!.accessToken, shown[0]!.accessToken);
  });
  client.interrupt();
  const result = await client.exited;
  assert.equal(result.code, 0, result.stderr);
  const printed = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(
    printed.map((tokens) => tokens.access_token),
    shown.map((page) => page.accessToken),
  );
});
