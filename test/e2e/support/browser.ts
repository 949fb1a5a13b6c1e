// Debian's Chromium driven by playwright-core: the browser a user has, not a download.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a root user on a closed network: no sandbox, no GPU, no background chatter. */
const FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"];

export interface RunningBrowser {
  browser: Browser | BrowserContext;
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Accept hydractl's self-signed --https certificate. */
  acceptSelfSigned?: boolean;
  /**
   * Abort every request to a host other than 127.0.0.1, localhost or [::1]: oidc-provider's
   * pages, for one, pull a web font from fonts.googleapis.com, and tests stay on loopback.
   */
  loopbackOnly?: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** A headless Chromium with a fresh profile; `acceptSelfSigned` for hydractl's --https certificate. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<RunningBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "hydractl-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    ignoreHTTPSErrors: options.acceptSelfSigned ?? false,
  });
  if (options.loopbackOnly) {
    await context.route((url) => !LOOPBACK.has(url.hostname) && url.protocol !== "data:", (route) => route.abort("blockedbyclient"));
  }
  return {
    browser: context,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
