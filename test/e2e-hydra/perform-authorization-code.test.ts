// `perform authorization-code` with the compiled binary against each real Hydra, driven in
// headless Chromium through hydractl's own login and consent pages (Hydra's URLS_LOGIN and
// URLS_CONSENT point at them). What hydractl prints is then checked with Hydra itself: the
// ID token against Hydra's published keys, the access token at its introspection endpoint.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { authorize, browserPerScenario, consent, expectTokensPage, heading, signIn } from "./support/browsing.ts";
import { pkcs8Pem } from "../support/keys.ts";
import { tempDir } from "../support/runtime.ts";
import {
  admin,
  clientOrigin,
  createClient,
  type HydraInstance,
  instances,
  introspect,
  isV1,
  type PerformProcess,
  printedTokens,
  type PrintedTokens,
  skipWithoutHydra,
  startPerform,
  verifyIdToken,
} from "./support/hydra.ts";


/** A client allowed to run the flow against this Hydra's hydractl port; returns its id and secret. */
async function flowClient(hydra: HydraInstance, id: string): Promise<string[]> {
  const created = await createClient(hydra, [
    ...["--id", id, "--name", `e2e ${id}`, "--callbacks", `${clientOrigin(hydra)}/callback`],
    ...["--grant-types", "authorization_code,refresh_token", "--response-types", "code,id_token", "--scope", "openid,offline"],
  ]);
  return ["--client-id", id, "--client-secret", created.client_secret as string];
}

/** Every page of hydractl's own that the browser was shown (status 200), by path. */
function shownPages(page: Page, hydra: HydraInstance): string[] {
  const shown: string[] = [];
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin === clientOrigin(hydra) && response.status() === 200) shown.push(url.pathname);
  });
  return shown;
}

/** The tokens are Hydra's: a valid ID token for this client and subject, an active access token. */
async function checkTokens(hydra: HydraInstance, tokens: PrintedTokens, clientId: string, subject: string): Promise<void> {
  assert.equal(typeof tokens.access_token, "string");
  assert.equal(typeof tokens.refresh_token, "string", "offline scope gives a refresh token");
  assert.ok(tokens.expiry && Date.parse(tokens.expiry) > Date.now(), `expiry ${tokens.expiry}`);
  const claims = await verifyIdToken(hydra, tokens.id_token ?? "", clientId);
  assert.equal(claims.sub, subject);
  const active = await introspect(hydra, tokens.access_token);
  assert.equal(active.active, true, JSON.stringify(active));
  assert.equal(active.client_id, clientId);
  assert.equal(active.sub, subject);
  assert.deepEqual(String(active.scope).split(" ").sort(), ["offline", "openid"]);
}

if (instances.length === 0) test("perform authorization-code against a real Hydra", { skip: skipWithoutHydra }, () => {});

for (const hydra of instances) {
  const mode = hydra.clientHttps ? " --https" : "";
  describe(`perform authorization-code${mode} against Hydra ${hydra.name}`, () => {
    const tabs = browserPerScenario({ acceptSelfSigned: hydra.clientHttps });
    let page: Page;
    let perform: PerformProcess | undefined;
    const fresh = async () => {
      page = await tabs.newTab();
    };
    const finish = async () => {
      await tabs.end(page, perform);
      perform = undefined;
    };

    test("through hydractl's login and consent pages: Hydra's tokens, checked with Hydra", async () => {
      await fresh();
      try {
        const credentials = await flowClient(hydra, "flow-basic");
        perform = await startPerform(hydra, credentials);
        const shown = shownPages(page, hydra);
        await page.goto(perform.home);
        await page.click("text=Authorize application");
        await signIn(page, "alice");
        await consent(page, "accept");
        await expectTokensPage(page);
        assert.equal(await perform.exited, 0, perform.stderr());
        assert.deepEqual(shown, ["/", "/login", "/consent", "/callback"]);
        const printed = printedTokens(perform);
        assert.equal(printed.length, 1);
        await checkTokens(hydra, printed[0]!, "flow-basic", "alice");
      } finally {
        await finish();
      }
    });

    test("private_key_jwt: the code exchanged with an assertion signed by --private-key, for a client registered with its public key", async () => {
      await fresh();
      const keys = tempDir();
      try {
        const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
        const publicJwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: "flow-key", alg: "ES256", use: "sig" };
        const keyFile = keys.write("flow.pem", pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
        const registered = await admin(hydra, "POST", "/clients", {
          json: {
            client_id: "flow-jwt",
            redirect_uris: [`${clientOrigin(hydra)}/callback`],
            grant_types: ["authorization_code", "refresh_token"],
            response_types: ["code", "id_token"],
            scope: "openid offline",
            token_endpoint_auth_method: "private_key_jwt",
            token_endpoint_auth_signing_alg: "ES256",
            jwks: { keys: [publicJwk] },
          },
        });
        assert.equal(registered.status, 201, JSON.stringify(registered.body));
        // Hydra v1.8 wants the key named in the assertion: a PEM key has no kid of its own.
        perform = await startPerform(hydra, ["--client-id", "flow-jwt", "--private-key", keyFile, "--private-key-id", "flow-key"]);
        await authorize(page, perform.home, "alice");
        await expectTokensPage(page);
        assert.equal(await perform.exited, 0, perform.stderr());
        await checkTokens(hydra, printedTokens(perform)[0]!, "flow-jwt", "alice");
      } finally {
        keys.remove();
        await finish();
      }
    });

    // Hydra v1.8.5 has no form_post (its discovery lists query and fragment only): it answers
    // in the query, and hydractl takes that answer as it comes.
    const formPost = isV1(hydra) ? "GET" : "POST";
    test(`--response-mode form_post: the code arrives in a ${formPost}`, async () => {
      await fresh();
      try {
        const credentials = await flowClient(hydra, "flow-form-post");
        perform = await startPerform(hydra, [...credentials, "--response-mode", "form_post"]);
        const callbacks: string[] = [];
        page.on("request", (request) => new URL(request.url()).pathname === "/callback" && callbacks.push(request.method()));
        await page.goto(perform.home);
        await page.click("text=Authorize application");
        await signIn(page, "bob");
        await consent(page, "accept");
        await expectTokensPage(page);
        assert.equal(await perform.exited, 0, perform.stderr());
        assert.deepEqual(callbacks, [formPost]);
        await checkTokens(hydra, printedTokens(perform)[0]!, "flow-form-post", "bob");
      } finally {
        await finish();
      }
    });

    test("--no-shutdown twice: remembered, the second flow with --skip shows no login or consent page", async () => {
      await fresh();
      try {
        const credentials = await flowClient(hydra, "flow-twice");
        perform = await startPerform(hydra, [...credentials, "--no-shutdown", "--skip"]);
        const shown = shownPages(page, hydra);
        await page.goto(perform.home);
        await page.click("text=Authorize application");
        await signIn(page, "carol", true);
        await consent(page, "accept", true);
        await expectTokensPage(page);
        assert.deepEqual(shown.splice(0), ["/", "/login", "/consent", "/callback"]);

        await page.click("text=Start another flow");
        await page.click("text=Authorize application");
        await expectTokensPage(page);
        assert.deepEqual(shown, ["/", "/callback"], "no login or consent page the second time");
        assert.match(perform.stderr(), /login: Hydra allows skipping; accepting "carol" \(--skip\)/);
        assert.match(perform.stderr(), /consent: Hydra allows skipping; granting what was requested \(--skip\)/);

        perform.interrupt();
        assert.equal(await perform.exited, 0, perform.stderr());
        const [first, second, ...more] = printedTokens(perform);
        assert.deepEqual(more, []);
        assert.notEqual(first!.access_token, second!.access_token);
        await checkTokens(hydra, first!, "flow-twice", "carol");
        await checkTokens(hydra, second!, "flow-twice", "carol");
      } finally {
        await finish();
      }
    });

    test("rejecting consent: the error page, exit 1, no tokens", async () => {
      await fresh();
      try {
        const credentials = await flowClient(hydra, "flow-rejected");
        perform = await startPerform(hydra, credentials);
        await page.goto(perform.home);
        await page.click("text=Authorize application");
        await signIn(page, "dave");
        await consent(page, "reject");
        await page.waitForURL((url) => url.pathname === "/callback");
        assert.equal(await heading(page), "Authorization failed");
        assert.match((await page.locator("p.error").textContent()) ?? "", /access_denied/);
        assert.equal(await perform.exited, 1);
        assert.equal(perform.stdout(), "");
        assert.match(perform.stderr(), /^Error: the authorization server answered with an error: access_denied/m);
      } finally {
        await finish();
      }
    });
  });
}
