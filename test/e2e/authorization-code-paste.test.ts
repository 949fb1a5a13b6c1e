// `hydractl perform authorization-code`, compiled, in Debian's Chromium against a real OpenID
// provider (oidc-provider on loopback): --paste, where hydractl serves nothing and Chromium
// ends on a callback address it cannot load, which is then typed into hydractl's stdin; and
// an error the provider sends to the callback (invalid_scope), explained on hydractl's page
// and on stderr.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { spawnCli, type Spawned } from "../support/cli.ts";
import { type RunningProvider, startProvider } from "../support/provider.ts";
import { launchBrowser, type RunningBrowser } from "./support/browser.ts";
import { artifacts, hydractl, missing, startLocalClient } from "./support/hydractl.ts";

const skip = missing(hydractl);
/** Loopback without a port: the test provider lets such a redirect URI use any port, as RFC 8252 asks. */
const common = {
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  redirect_uris: ["http://127.0.0.1/callback"],
  token_endpoint_auth_method: "client_secret_basic",
};
const CLIENTS = [
  { client_id: "demo", client_secret: "demo-secret", ...common },
  // Allowed openid alone: asking for email too is oidc-provider's invalid_scope.
  { client_id: "narrow", client_secret: "narrow-secret", scope: "openid", ...common },
];

let provider: RunningProvider;
let browser: RunningBrowser;
before(async () => {
  if (skip) return;
  provider = await startProvider({ clients: CLIENTS });
  browser = await launchBrowser({ loopbackOnly: true });
});
after(async () => {
  await browser?.close();
  await provider?.close();
});

/** A loopback port nothing listens on (it was free a moment ago; --paste only names it). */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** `perform authorization-code --paste`, with stdin left open for the paste. */
function startPaste(args: string[], secret: string): Spawned {
  return spawnCli(["perform", "authorization-code", "--endpoint", provider.issuer, "--paste", "--format", "json", ...args], {
    binary: hydractl,
    interactive: true,
    timeoutMs: 60_000,
    env: { HOME: "/nonexistent", OAUTH2_CLIENT_SECRET: secret },
  });
}

/** The authorization URL --paste prints, indented on a line of its own. */
async function printedUrl(cli: Spawned): Promise<string> {
  for (let tries = 0; ; tries++) {
    const url = /^ {2}(http\S+)$/m.exec(cli.stderr())?.[1];
    if (url) return url;
    assert.ok(tries < 400, `no authorization URL printed:\n${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The address on `origin` where Chromium's navigation failed: the callback nothing serves.
 * Chromium's error page then keeps reloading it on its own, which can leave page.close()
 * waiting for good: callers leave that page once they have the address (leaveErrorPage).
 */
function navigationFailure(page: Page, origin: string): Promise<URL> {
  return new Promise((resolve) => {
    page.on("requestfailed", (request) => {
      const url = new URL(request.url());
      if (url.origin === origin && request.isNavigationRequest()) resolve(url);
    });
  });
}

/** Off Chromium's error page, which would otherwise keep reloading the unserved address. */
async function leaveErrorPage(page: Page): Promise<void> {
  await page.waitForURL((url) => url.protocol === "chrome-error:");
  await page.goto("about:blank");
}

/** The provider's login (any password) and consent pages, as the user goes through them. */
async function signInAndConsent(page: Page): Promise<void> {
  const login = page.locator('input[name="login"]');
  await login.waitFor();
  await login.fill("alice");
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

const claimsOf = (idToken: string) => JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

test("5a. --paste: Chromium signs in at the provider and ends on a callback nothing serves; its address, pasted, gives the tokens", { skip, timeout: 60_000 }, async () => {
  const port = await unusedPort();
  const cli = startPaste(["--client-id", "demo", "--port", String(port), "--scope", "openid,offline_access", "--prompt", "consent"], "demo-secret");
  const page = await browser.context.newPage();
  try {
    const authorizationUrl = new URL(await printedUrl(cli));
    assert.equal(authorizationUrl.searchParams.get("redirect_uri"), `http://127.0.0.1:${port}/callback`);
    const failed = navigationFailure(page, `http://127.0.0.1:${port}`);
    await page.goto(authorizationUrl.href);
    await signInAndConsent(page);
    const callback = await failed;
    await leaveErrorPage(page);
    assert.equal(callback.pathname, "/callback");
    // What the user copies from the address bar of Chromium's "refused to connect" page.
    cli.write(`${callback.href}\n`);
    const { code, stdout, stderr } = await cli.exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /Home page/, "nothing was served");
    const tokens = JSON.parse(stdout) as { access_token: string; refresh_token?: string; id_token: string };
    assert.equal(typeof tokens.access_token, "string");
    assert.equal(typeof tokens.refresh_token, "string", "offline_access with consent: a refresh token");
    const claims = claimsOf(tokens.id_token);
    assert.equal(claims.sub, "alice");
    assert.equal(claims.aud, "demo");
    assert.equal(claims.nonce, authorizationUrl.searchParams.get("nonce"));
  } finally {
    cli.interrupt();
    await cli.exited;
    await page.close();
  }
});

test("5b. --paste: an error the provider sent back (invalid_scope), pasted, ends the run explained; exit 1", { skip, timeout: 60_000 }, async () => {
  const port = await unusedPort();
  const cli = startPaste(["--client-id", "narrow", "--port", String(port), "--scope", "openid,email"], "narrow-secret");
  const page = await browser.context.newPage();
  try {
    const failed = navigationFailure(page, `http://127.0.0.1:${port}`);
    await assert.rejects(page.goto(await printedUrl(cli)), /ERR_CONNECTION_REFUSED/, "it ends on the unserved callback");
    const callback = await failed;
    await leaveErrorPage(page);
    assert.equal(callback.searchParams.get("error"), "invalid_scope");
    cli.write(`${callback.href}\n`);
    const { code, stdout, stderr } = await cli.exited;
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^Error: the authorization server answered with an error: invalid_scope: requested scope is not allowed \(a requested scope is unknown to the server or not allowed for client "narrow": check that the client's scopes include each of: openid email\)$/m,
    );
  } finally {
    cli.interrupt();
    await cli.exited;
    await page.close();
  }
});

test("6. invalid_scope sent to the callback: explained on hydractl's page and on stderr; exit 1", { skip, timeout: 60_000 }, async () => {
  const client = await startLocalClient(["--endpoint", provider.issuer, "--client-id", "narrow", "--scope", "openid,email", "--no-open", "--port", "0"], {
    OAUTH2_CLIENT_SECRET: "narrow-secret",
  });
  const page = await browser.context.newPage();
  try {
    await page.goto(client.home);
    await page.getByRole("link", { name: "Authorize application" }).click();
    await page.waitForURL((url) => url.origin === new URL(client.home).origin && url.pathname === "/callback");
    assert.equal(await page.title(), "Authorization failed · hydractl");
    const explanation =
      /invalid_scope: requested scope is not allowed \(a requested scope is unknown to the server or not allowed for client "narrow": check that the client's scopes include each of: openid email\)/;
    assert.match(await page.locator("p.error").innerText(), explanation);
    await page.screenshot({ path: `${artifacts}/invalid-scope.png`, fullPage: true });
    const result = await client.exited;
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, new RegExp(`^Error: the authorization server answered with an error: ${explanation.source}$`, "m"));
  } finally {
    client.interrupt();
    await client.exited;
    await page.close();
  }
});
