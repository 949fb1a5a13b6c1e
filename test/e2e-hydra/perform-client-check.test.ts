// `perform authorization-code`'s work with Hydra's admin API, with the compiled binary
// against each real Hydra and driven in headless Chromium:
//   - the client check: each difference between a client and the run made in real Hydra,
//     reported, and the fix hydractl printed run as printed (by sh, with this binary as
//     hydractl); then the same run succeeds in Chromium. Real Hydra decides, not a fake.
//   - --create-client: the run's client exists while it runs and is gone after success,
//     a rejected consent and Ctrl+C, read back from Hydra's list of clients.
//   - --paste: hydractl serves nothing, so nothing answers on the client port: not the
//     callback, nor Hydra's login and consent URLs. This scenario stands in for a deployment's
//     login app: it reads each challenge from the address Chromium was sent to (and could not
//     load), accepts it through Hydra's admin API and sends Chromium on to where Hydra says.
//     The callback URL Chromium was finally sent to is typed into hydractl's stdin.
//   - an error Hydra sends to the callback (invalid_scope), explained on the page and stderr.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { describe, test } from "node:test";
import type { Page, Request } from "playwright-core";
import { binaryPath, spawnCli } from "../support/cli.ts";
import { browserPerScenario, authorize, consent, heading, signIn } from "./support/browsing.ts";
import {
  admin,
  clientOrigin,
  createClient,
  type HydraInstance,
  hydractl,
  instances,
  introspect,
  isV1,
  listClientIds,
  type PerformProcess,
  performArgs,
  printedTokens,
  type PrintedTokens,
  readClient,
  skipWithoutHydra,
  startPerform,
  verifyIdToken,
} from "./support/hydra.ts";


/** The run's secret where the scenario chooses it (given to a run of a public client, which sends none). */
const RUN_SECRET = "e2e-run-secret-0123456789abcdef";

/** Everything one flow needs from a client on this Hydra's client port. */
const fitting = (hydra: HydraInstance) => ({
  callbacks: `${clientOrigin(hydra)}/callback`,
  "grant-types": "authorization_code,refresh_token",
  "response-types": "code",
  scope: "openid,offline",
  "token-endpoint-auth-method": "client_secret_basic",
});

interface Difference {
  name: string;
  /** Client fields that differ from `fitting`. */
  client?: (hydra: HydraInstance) => Partial<ReturnType<typeof fitting>>;
  /** How the run authenticates: with the client's generated secret, RUN_SECRET, or as a public client. */
  secret: "generated" | "chosen" | "none";
  run?: string[];
  /** The printed fix is for the run, not the client: the run is given the client's generated secret, and these arguments instead of `run`. */
  runFix?: { run?: string[] };
  /** The one difference hydractl must report; undefined when Hydra accepts the client as it is. */
  expected: (hydra: HydraInstance) => RegExp | undefined;
}

const DIFFERENCES: Difference[] = [
  {
    name: "redirect URI",
    client: () => ({ callbacks: "https://app.example/cb" }),
    secret: "generated",
    expected: (hydra) => new RegExp(`^ {2}- redirect URI ${clientOrigin(hydra)}/callback is not among the client's: https://app\\.example/cb`),
  },
  {
    // RFC 8252 §7.3: both versions ignore the port of an http loopback redirect URI; over
    // https (hydractl --https) the URI must be registered as it is.
    name: "a loopback redirect URI on another port",
    client: () => ({ callbacks: "http://127.0.0.1:1/callback" }),
    secret: "generated",
    expected: (hydra) => (hydra.clientHttps ? new RegExp(`^ {2}- redirect URI ${clientOrigin(hydra)}/callback is not among the client's: http://127\\.0\\.0\\.1:1/callback`) : undefined),
  },
  {
    name: "grant types",
    client: () => ({ "grant-types": "client_credentials" }),
    secret: "generated",
    expected: () => /^ {2}- grant types authorization_code, refresh_token are not among the client's: client_credentials \(refresh_token: --scope asks for offline\)/,
  },
  {
    name: "response types",
    client: () => ({ "response-types": "id_token" }),
    secret: "generated",
    expected: () => /^ {2}- response type code is not among the client's: id_token/,
  },
  {
    name: "scope",
    client: () => ({ scope: "openid" }),
    secret: "generated",
    expected: () => /^ {2}- scope offline is not allowed by the client's: openid/,
  },
  {
    name: "audience",
    secret: "generated",
    run: ["--audience", "https://api.example.com/v1"],
    expected: () => /^ {2}- audience https:\/\/api\.example\.com\/v1 is not allowed by the client's: none/,
  },
  {
    name: "token endpoint auth method: a run without a secret",
    secret: "none",
    runFix: {},
    expected: () =>
      /^ {2}- the client authenticates with client_secret_basic, this run with none \(no --client-secret given\); fix: give this run the client's secret \(--client-secret or OAUTH2_CLIENT_SECRET\) rather than make the client public$/,
  },
  {
    // The run takes the client's method, and sends no secret: a public app cannot keep one.
    name: "token endpoint auth method: a public client, a run with a secret",
    client: () => ({ "token-endpoint-auth-method": "none" }),
    secret: "chosen",
    expected: () => undefined,
  },
  {
    // As Hydra's CLIs (Go's oauth2) send it, after the sign-in; hydractl knows it beforehand.
    name: "token endpoint auth method: a client registered for client_secret_post, a run told no method",
    client: () => ({ "token-endpoint-auth-method": "client_secret_post" }),
    secret: "generated",
    expected: () => undefined,
  },
  {
    name: "token endpoint auth method: a run told client_secret_post",
    secret: "generated",
    run: ["--token-endpoint-auth-method", "client_secret_post"],
    runFix: { run: ["--token-endpoint-auth-method", "client_secret_basic"] },
    expected: () =>
      /^ {2}- the client authenticates with client_secret_basic, this run with client_secret_post \(--token-endpoint-auth-method client_secret_post\); fix: run with --token-endpoint-auth-method client_secret_basic, the method the client is registered for$/,
  },
];

/**
 * Differences that reach Hydra when the check is skipped: Hydra's answer (at the callback
 * before any login, or from the token endpoint after consent) and hydractl's explanation.
 * (A redirect URI Hydra does not know gets Hydra's own error page: nothing reaches hydractl.)
 */
const UNCHECKED: {
  name: string;
  client?: Partial<ReturnType<typeof fitting>>;
  secret: "generated" | "none";
  run?: string[];
  heading: string;
  expected: (id: string) => RegExp;
}[] = [
  {
    name: "no authorization_code grant",
    client: { "grant-types": "client_credentials" },
    secret: "generated",
    heading: "The flow failed",
    expected: (id) =>
      new RegExp(`^the token endpoint refused the code \\(400\\): unauthorized_client: .* \\(client "${id}" may not use this flow: check that its grant types include authorization_code`),
  },
  {
    name: "no code response type",
    client: { "response-types": "id_token" },
    secret: "generated",
    heading: "Authorization failed",
    expected: (id) => new RegExp(`^the authorization server answered with an error: unsupported_response_type: .* \\(the server will not answer with a code for client "${id}"`),
  },
  {
    name: "an audience not allowed",
    secret: "generated",
    run: ["--audience", "https://api.example.com/v1"],
    heading: "Authorization failed",
    expected: () => /^the authorization server answered with an error: invalid_request: .*audience.* and audiences \(requested: https:\/\/api\.example\.com\/v1\)\)$/,
  },
  {
    name: "a public run of a confidential client",
    secret: "none",
    heading: "The flow failed",
    expected: (id) => new RegExp(`^the token endpoint refused the code \\(401\\): invalid_client: .* \\(client "${id}" may not authenticate with none \\(no secret\\)`),
  },
];

/** `clients create` flags (v1.8's word order, which hydractl speaks to both versions). */
function createFlags(fields: ReturnType<typeof fitting>): string[] {
  return Object.entries(fields).flatMap(([flag, value]) => [`--${flag}`, value]);
}

/** Runs one printed command line as a user pasting it would: sh, with dist/hydractl as hydractl. */
function runPrinted(line: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "sh",
      ["-c", line],
      { env: { PATH: `${dirname(binaryPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: "/nonexistent", NO_COLOR: "1", ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The printed fixes: `; fix: hydractl …` after each difference (v2), one `  fix: hydractl …` line (v1.8). */
const printedFixes = (stderr: string) => [...stderr.matchAll(/(?:; |^ {2})fix: (hydractl .+)$/gm)].map((match) => match[1]!);

const lastTokens = (perform: PerformProcess) => printedTokens(perform).at(-1) ?? ({} as PrintedTokens);

let serial = 0;
/** A client ID unique across the instances and runs of this file (Hydra keeps clients in memory per server). */
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${serial++}`;

if (instances.length === 0) test("perform authorization-code with Hydra's admin API against a real Hydra", { skip: skipWithoutHydra }, () => {});

for (const hydra of instances) {
  describe(`perform authorization-code and Hydra ${hydra.name}'s admin API`, () => {
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

    for (const difference of DIFFERENCES) {
      const outcome = !difference.expected(hydra)
        ? "nothing to report, Hydra accepts the flow"
        : difference.runFix
          ? "reported, the run (not the client) changed as the line says, then the flow succeeds"
          : "reported, the printed fix run as printed, then the flow succeeds";
      test(`client check, ${difference.name}: ${outcome}`, async () => {
        await fresh();
        try {
          const id = uniqueId("check");
          const created = await createClient(hydra, ["--id", id, ...createFlags({ ...fitting(hydra), ...difference.client?.(hydra) })]);
          const secret = difference.secret === "generated" ? (created.client_secret as string) : difference.secret === "chosen" ? RUN_SECRET : undefined;
          let env: Record<string, string> = secret ? { OAUTH2_CLIENT_SECRET: secret } : {};
          let args = ["--client-id", id, ...(difference.run ?? [])];

          const expected = difference.expected(hydra);
          if (expected) {
            const checked = await hydractl(performArgs(hydra, args), { env: { HOME: "/nonexistent", ...env } });
            assert.equal(checked.code, 1, checked.stderr);
            assert.equal(checked.stdout, "");
            const lines = checked.stderr.trimEnd().split("\n");
            assert.match(lines[0]!, new RegExp(`^Error: client "${id}" cannot run this flow \\(checked before opening the browser; --no-preflight skips the check\\):$`));
            const differences = lines.filter((line) => line.startsWith("  - "));
            assert.equal(differences.length, 1, checked.stderr);
            assert.match(differences[0]!, expected);
            assert.doesNotMatch(checked.stderr, /Home page/, "nothing listened");
            if (secret) assert.ok(!checked.stderr.includes(secret), "no secret printed");
            const fixes = printedFixes(checked.stderr);
            if (difference.runFix) {
              assert.deepEqual(fixes, [], "the client is left as it is");
              env = { OAUTH2_CLIENT_SECRET: created.client_secret as string };
              args = ["--client-id", id, ...(difference.runFix.run ?? difference.run ?? [])];
            } else {
              assert.equal(fixes.length, 1, checked.stderr);
              assert.match(fixes[0]!, isV1(hydra) ? /^hydractl clients update / : /^hydractl patch client /);
              const fixed = await runPrinted(fixes[0]!, env);
              assert.equal(fixed.code, 0, `${fixes[0]}\n${fixed.stderr}`);
            }
          }

          perform = await startPerform(hydra, args, 60_000, env);
          await authorize(page, perform.home, "grace");
          assert.equal(await heading(page), "Tokens received", await page.locator("body").innerText());
          assert.equal(await perform.exited, 0, perform.stderr());
          const method = difference.client?.(hydra)["token-endpoint-auth-method"];
          if (!expected && method === "none") assert.match(perform.stderr(), new RegExp(`^note: client "${id}" is public \\(registered for none\\): this run sends it no secret$`, "m"));
          if (!expected && method === "client_secret_post") {
            assert.match(perform.stderr(), new RegExp(`^note: client "${id}" is registered for client_secret_post: this run authenticates so \\(--token-endpoint-auth-method chooses\\)$`, "m"));
          }
          const tokens = lastTokens(perform);
          const active = await introspect(hydra, tokens.access_token);
          assert.equal(active.active, true, JSON.stringify(active));
          assert.equal(active.client_id, id);
          assert.equal(typeof tokens.refresh_token, "string", "offline: a refresh token");
          await verifyIdToken(hydra, tokens.id_token ?? "", id);
          if (difference.run?.includes("--audience")) assert.deepEqual(active.aud, ["https://api.example.com/v1"]);
        } finally {
          await finish();
        }
      });
    }

    for (const unchecked of UNCHECKED) {
      test(`--no-preflight, ${unchecked.name}: Hydra's own error, explained on hydractl's page and on stderr`, async () => {
        await fresh();
        try {
          const id = uniqueId("unchecked");
          const created = await createClient(hydra, ["--id", id, ...createFlags({ ...fitting(hydra), ...unchecked.client })]);
          const env: Record<string, string> = unchecked.secret === "none" ? {} : { OAUTH2_CLIENT_SECRET: created.client_secret as string };
          perform = await startPerform(hydra, ["--client-id", id, "--no-preflight", ...(unchecked.run ?? [])], 60_000, env);
          await page.goto(perform.home);
          await page.click("text=Authorize application");
          await page.waitForURL((url) => ["/login", "/callback"].includes(url.pathname));
          if (new URL(page.url()).pathname === "/login") {
            await signIn(page, "mallory");
            await consent(page, "accept");
            await page.waitForURL((url) => url.pathname === "/callback");
          }
          assert.equal(await heading(page), unchecked.heading);
          const shown = (await page.locator("p.error").textContent()) ?? "";
          assert.equal(await perform.exited, 1);
          assert.equal(perform.stdout(), "");
          assert.ok(perform.stderr().includes(`Error: ${shown}\n`), perform.stderr());
          assert.match(shown, unchecked.expected(id));
        } finally {
          await finish();
        }
      });
    }

    test("--no-preflight, a client registered for client_secret_post: refused client_secret_basic, its secret is sent again that way, as Hydra's CLIs do", async () => {
      await fresh();
      try {
        const id = uniqueId("unchecked");
        const created = await createClient(hydra, ["--id", id, ...createFlags({ ...fitting(hydra), "token-endpoint-auth-method": "client_secret_post" })]);
        perform = await startPerform(hydra, ["--client-id", id, "--no-preflight"], 60_000, { OAUTH2_CLIENT_SECRET: created.client_secret as string });
        await authorize(page, perform.home, "grace");
        assert.equal(await heading(page), "Tokens received", await page.locator("body").innerText());
        assert.equal(await perform.exited, 0, perform.stderr());
        assert.match(perform.stderr(), new RegExp(`^note: client "${id}" is registered for client_secret_post; its secret was sent again that way \\(--token-endpoint-auth-method client_secret_post sends it so at once\\)$`, "m"));
        assert.equal((await introspect(hydra, lastTokens(perform).access_token)).active, true);
      } finally {
        await finish();
      }
    });

    test("no refresh_token grant with offline asked for: the check warns and the flow goes on; Hydra issues no refresh token and says nothing (which is why the check warns)", async () => {
      await fresh();
      try {
        const id = uniqueId("unchecked");
        const created = await createClient(hydra, ["--id", id, ...createFlags({ ...fitting(hydra), "grant-types": "authorization_code" })]);
        perform = await startPerform(hydra, ["--client-id", id], 60_000, { OAUTH2_CLIENT_SECRET: created.client_secret as string });
        assert.match(perform.stderr(), new RegExp(`^warning: client "${id}" lacks the refresh_token grant \\(it has authorization_code\\), so Hydra will issue no refresh token, though --scope asks for offline; fix: hydractl `));
        await authorize(page, perform.home, "niaj");
        assert.equal(await heading(page), "Tokens received");
        assert.equal(await perform.exited, 0, perform.stderr());
        const tokens = lastTokens(perform);
        assert.equal(typeof tokens.access_token, "string");
        assert.equal(tokens.refresh_token, undefined);
        assert.deepEqual(String((await introspect(hydra, tokens.access_token)).scope).split(" ").sort(), ["offline", "openid"], "offline granted all the same");
      } finally {
        await finish();
      }
    });

    /** The run's client, as hydractl announced it; checked to exist in Hydra while the run lasts. */
    const madeClient = async (run: PerformProcess) => {
      const id = /^Created client (\S+) for this run; it is deleted when the run ends(?:, unless the run gets tokens \(--keep-client\))?$/m.exec(run.stderr())?.[1];
      assert.ok(id, run.stderr());
      const client = await readClient(hydra, id);
      assert.equal(client.token_endpoint_auth_method, "none", "public, with PKCE");
      assert.deepEqual(client.redirect_uris, [`${clientOrigin(hydra)}/callback`]);
      return id;
    };

    test("--create-client: the run's client exists while it runs and is gone after a successful flow", async () => {
      await fresh();
      try {
        const before = await listClientIds(hydra);
        perform = await startPerform(hydra, ["--create-client"]);
        const id = await madeClient(perform);
        await authorize(page, perform.home, "heidi");
        assert.equal(await heading(page), "Tokens received");
        assert.equal(await perform.exited, 0, perform.stderr());
        assert.match(perform.stderr(), new RegExp(`^Deleted client ${id}, and with it the tokens Hydra issued to it \\(--keep-client keeps both\\)$`, "m"));
        await verifyIdToken(hydra, lastTokens(perform).id_token ?? "", id);
        assert.equal((await introspect(hydra, lastTokens(perform).access_token)).active, false, "revoked with its client");
        assert.deepEqual(await listClientIds(hydra), before);
      } finally {
        await finish();
      }
    });

    test("--create-client --keep-client: a run that got tokens keeps its client, and so the tokens stay valid", async () => {
      await fresh();
      let id: string | undefined;
      try {
        perform = await startPerform(hydra, ["--create-client", "--keep-client"]);
        id = /^Created client (\S+) for this run; it is deleted when the run ends, unless the run gets tokens \(--keep-client\)$/m.exec(perform.stderr())?.[1];
        assert.ok(id, perform.stderr());
        await authorize(page, perform.home, "heidi");
        assert.equal(await heading(page), "Tokens received");
        assert.equal(await perform.exited, 0, perform.stderr());
        assert.match(perform.stderr(), new RegExp(`^Kept client ${id} \\(--keep-client\\), so that its tokens stay valid; delete it with: hydractl (delete client|clients delete) ${id} --endpoint \\S+$`, "m"));
        assert.equal((await introspect(hydra, lastTokens(perform).access_token)).active, true);
        assert.ok(await readClient(hydra, id));
      } finally {
        if (id) await admin(hydra, "DELETE", `/clients/${id}`);
        await finish();
      }
    });

    test("--create-client: gone after the consent is rejected (exit 1), --keep-client or not, since no tokens came", async () => {
      await fresh();
      try {
        const before = await listClientIds(hydra);
        perform = await startPerform(hydra, ["--create-client", "--keep-client"]);
        const id = await madeClient(perform);
        await authorize(page, perform.home, "ivan", "reject");
        assert.equal(await heading(page), "Authorization failed");
        assert.equal(await perform.exited, 1);
        assert.equal(perform.stdout(), "");
        assert.match(perform.stderr(), new RegExp(`^Deleted client ${id}$`, "m"));
        assert.match(perform.stderr(), /^Error: the authorization server answered with an error: access_denied/m);
        assert.deepEqual(await listClientIds(hydra), before);
      } finally {
        await finish();
      }
    });

    test("--create-client: gone after Ctrl+C at Hydra's login page", async () => {
      await fresh();
      try {
        const before = await listClientIds(hydra);
        perform = await startPerform(hydra, ["--create-client"]);
        const id = await madeClient(perform);
        await page.goto(perform.home);
        await page.click("text=Authorize application");
        await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.has("login_challenge"));
        perform.interrupt();
        assert.notEqual(await perform.exited, 0);
        assert.match(perform.stderr(), new RegExp(`^Deleted client ${id}$`, "m"));
        assert.match(perform.stderr(), /^Error: interrupted before the flow finished$/m);
        assert.deepEqual(await listClientIds(hydra), before);
      } finally {
        await finish();
      }
    });

    test("--paste in Chromium: the URL Chromium was sent to, typed into stdin, gives Hydra's tokens; a forged one is refused first", async () => {
      await fresh();
      const id = uniqueId("paste");
      const created = await createClient(hydra, ["--id", id, ...createFlags(fitting(hydra))]);
      const cli = spawnCli(performArgs(hydra, ["--client-id", id, "--paste"]), {
        binary: binaryPath,
        interactive: true,
        timeoutMs: 60_000,
        env: { HOME: "/nonexistent", OAUTH2_CLIENT_SECRET: created.client_secret as string },
      });
      try {
        const authorizationUrl = await printedUrl(cli.stderr);
        const origin = clientOrigin(hydra);
        const login = await sentTo(page, authorizationUrl, origin, "/login");
        const consent = await sentTo(page, await accept(hydra, login, "judy"), origin, "/consent");
        const callback = await sentTo(page, await accept(hydra, consent, "judy"), origin, "/callback");
        assert.ok(callback.searchParams.has("code"), callback.href);

        const forged = new URL(callback);
        forged.searchParams.set("state", "forged-state-0123456789");
        cli.write(`${forged.href}\n`);
        cli.write(`${callback.href}\n`);
        const { code, stdout, stderr } = await cli.exited;
        assert.equal(code, 0, stderr);
        assert.match(stderr, /^Error: the callback's state does not match the request's; rejected \(possible CSRF or a stale tab\); paste it again:$/m);
        const tokens = JSON.parse(stdout) as PrintedTokens;
        const claims = await verifyIdToken(hydra, tokens.id_token ?? "", id);
        assert.equal(claims.sub, "judy");
        const active = await introspect(hydra, tokens.access_token);
        assert.equal(active.active, true, JSON.stringify(active));
        assert.equal(active.client_id, id);
      } finally {
        cli.interrupt();
        await cli.exited;
        await page.close();
      }
    });

    test("a scope the client may not have: Hydra's invalid_scope explained on the page and on stderr (the check, skipped, would have said so)", async () => {
      await fresh();
      try {
        const id = uniqueId("scope");
        const created = await createClient(hydra, ["--id", id, ...createFlags(fitting(hydra))]);
        const env = { OAUTH2_CLIENT_SECRET: created.client_secret as string };
        const args = ["--client-id", id, "--scope", "openid,offline,email"];
        const checked = await hydractl(performArgs(hydra, args), { env: { HOME: "/nonexistent", ...env } });
        assert.equal(checked.code, 1);
        assert.match(checked.stderr, /^ {2}- scope email is not allowed by the client's: openid, offline/m);

        perform = await startPerform(hydra, [...args, "--no-preflight"], 60_000, env);
        await page.goto(perform.home);
        await page.click("text=Authorize application");
        await page.waitForURL((url) => url.pathname === "/callback");
        assert.equal(await heading(page), "Authorization failed");
        const explained = new RegExp(`invalid_scope.*\\(a requested scope is unknown to the server or not allowed for client "${id}": check that the client's scopes include each of: openid offline email\\)`);
        assert.match((await page.locator("p.error").textContent()) ?? "", explained);
        assert.equal(await perform.exited, 1);
        assert.match(perform.stderr(), new RegExp(`^Error: the authorization server answered with an error: ${explained.source}`, "m"));
      } finally {
        await finish();
      }
    });
  });
}

/** The authorization URL `--paste` prints, indented on a line of its own. */
async function printedUrl(stderr: () => string): Promise<string> {
  for (let tries = 0; ; tries++) {
    const url = /^ {2}(https?:\S+)$/m.exec(stderr())?.[1];
    if (url) return url;
    assert.ok(tries < 400, `no authorization URL printed:\n${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Sends Chromium to `url`, which Hydra redirects to `origin` + `pathname`, where nothing
 * listens (hydractl --paste serves nothing); returns that address, read from the request
 * Chromium makes. Chromium's error page then keeps reloading the address on its own, which
 * can leave page.close() waiting for good: the page is moved to about:blank at once.
 */
async function sentTo(page: Page, url: string, origin: string, pathname: string): Promise<URL> {
  const sent = new Promise<URL>((resolve) => {
    const listener = (request: Request) => {
      const requested = new URL(request.url());
      if (requested.origin !== origin || requested.pathname !== pathname || !request.isNavigationRequest()) return;
      page.off("request", listener);
      resolve(requested);
    };
    page.on("request", listener);
  });
  await assert.rejects(page.goto(url), /ERR_CONNECTION_REFUSED/);
  await page.waitForURL((shown) => shown.protocol === "chrome-error:");
  await page.goto("about:blank");
  return sent;
}

/**
 * What a deployment's login and consent app does with the login or consent URL Hydra sent
 * the browser to: accept the challenge through the admin API (as `subject`, granting what
 * was requested) and return where Hydra says the browser goes next.
 */
async function accept(hydra: HydraInstance, sentTo: URL, subject: string): Promise<string> {
  const kind = sentTo.pathname === "/login" ? "login" : "consent";
  const query = `${kind}_challenge=${encodeURIComponent(sentTo.searchParams.get(`${kind}_challenge`) ?? "")}`;
  let body: unknown = { subject };
  if (kind === "consent") {
    const request = await admin(hydra, "GET", `/oauth2/auth/requests/consent?${query}`);
    body = { grant_scope: request.body.requested_scope, grant_access_token_audience: request.body.requested_access_token_audience };
  }
  const accepted = await admin(hydra, "PUT", `/oauth2/auth/requests/${kind}/accept?${query}`, { json: body });
  if (accepted.status !== 200) throw new Error(`accepting the ${kind}: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return String(accepted.body.redirect_to);
}
