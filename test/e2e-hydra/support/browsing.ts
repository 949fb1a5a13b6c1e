// Chromium as the user of hydractl's local web client against real Hydra: its home page,
// then Hydra's login and consent URLs, which point at hydractl's own pages (/login, /consent).
import assert from "node:assert/strict";
import { after, before } from "node:test";
import type { Page } from "playwright-core";
import { launchBrowser, type RunningBrowser } from "../../e2e/support/browser.ts";
import type { PerformProcess } from "./hydra.ts";

/**
 * One Chromium for the scenarios of a describe block: each gets a new tab and no cookies (so
 * no Hydra session), and its hydractl is stopped after it, even when it failed half-way, so
 * that the next one finds the port free.
 */
export function browserPerScenario(options: { acceptSelfSigned: boolean }) {
  let browser: RunningBrowser;
  before(async () => {
    browser = await launchBrowser(options);
  });
  after(async () => {
    await browser?.close();
  });
  return {
    async newTab(): Promise<Page> {
      await browser.context.clearCookies();
      return await browser.context.newPage();
    },
    async end(page: Page, perform: PerformProcess | undefined): Promise<void> {
      perform?.interrupt();
      await perform?.exited;
      await page.close();
    },
  };
}

export async function signIn(page: Page, subject: string, remember = false): Promise<void> {
  await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.has("login_challenge"));
  await page.fill('input[name="subject"]', subject);
  if (remember) await page.check('input[name="remember"]');
  await page.click('button[value="accept"]');
}

export async function consent(page: Page, action: "accept" | "reject", remember = false): Promise<void> {
  await page.waitForURL((url) => url.pathname === "/consent" && url.searchParams.has("consent_challenge"));
  if (remember) await page.check('input[name="remember"]');
  await page.click(`button[value="${action}"]`);
}

export const heading = (page: Page) => page.locator("h1").textContent();

export async function expectTokensPage(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname === "/callback");
  assert.equal(await heading(page), "Tokens received");
}

/** From hydractl's home page through login (as `subject`) and consent, to the callback's page. */
export async function authorize(page: Page, home: string, subject: string, action: "accept" | "reject" = "accept"): Promise<void> {
  await page.goto(home);
  await page.click("text=Authorize application");
  await signIn(page, subject);
  await consent(page, action);
  await page.waitForURL((url) => url.pathname === "/callback");
}
