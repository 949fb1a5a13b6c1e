// The token commands with the compiled binary against each real Hydra, checked with Hydra's
// own admin API (introspection), and beside Hydra's own CLI: the same arguments through a
// recording proxy, compared request by request, and by the state they leave.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { repoRoot } from "../support/cli.ts";
import { pkcs8Pem } from "../support/keys.ts";
import { tempDir } from "../support/runtime.ts";
import { CookieJar } from "../support/user-agent.ts";
import { admin, createClient, type HydraInstance, hydractl, instances, introspect, isV1, skipWithoutHydra } from "./support/hydra.ts";

/** What a recorded request to Hydra's public API carried, for comparing two clients. */
interface Recorded {
  method: string;
  path: string;
  authorization?: string;
  form: Record<string, string>;
}

/**
 * A pass-through proxy to Hydra's public API that records every request. It hides the
 * discovery document, whose issuer is Hydra's own URL, not the proxy's (hydractl would
 * rightly refuse it): hydractl then uses Hydra's paths at the proxy, as Hydra's CLI does.
 */
async function recordingProxy(target: string): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url!, target);
    requests.push({
      method: req.method!,
      path: url.pathname,
      authorization: req.headers.authorization,
      form: Object.fromEntries(new URLSearchParams(req.method === "POST" ? body.toString() : "")),
    });
    if (url.pathname === "/.well-known/openid-configuration") return void res.writeHead(404).end();
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name)) as [string, string][]);
    const answer = await fetch(url, { method: req.method, headers, body: req.method === "POST" ? body : undefined, redirect: "manual" });
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !["content-encoding", "content-length", "transfer-encoding"].includes(name))));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Hydra's own CLI of the server's version. */
function hydraCli(hydra: HydraInstance, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(`${repoRoot}.cache/hydra/bin/hydra-${hydra.version}`, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The token requests only (hydractl asks for the discovery document first), in a comparable form. */
const tokenRequests = (requests: Recorded[]) => requests.filter((request) => request.path !== "/.well-known/openid-configuration");

/**
 * What the server understands from a request. Hydra v2's CLI always sends `audience`, empty
 * when none was asked for, and hydractl leaves it out. Both form-encode the client ID and
 * secret before base64 (RFC 6749 §2.3.1) but escape different sets of characters (Go
 * leaves "-" and "." alone, oauth4webapi does not): compared decoded, as Hydra reads them.
 */
function understood(request: Recorded): Recorded {
  const { audience, ...form } = request.form;
  const [scheme, encoded] = request.authorization?.split(" ") ?? [];
  const decode = (part: string) => decodeURIComponent(part.replaceAll("+", " "));
  const authorization = scheme === "Basic" ? `Basic ${atob(encoded!).split(":").map(decode).join(":")}` : request.authorization;
  return { ...request, authorization, form: audience ? { ...form, audience } : form };
}

// The public API is the same whichever way the admin API listens: one server per version.
const servers = instances.filter((hydra) => !hydra.adminSocket);
// Client IDs of their own, so the scenarios can run again against the same servers.
const run = crypto.randomUUID().slice(0, 8);
const dir = tempDir();
after(() => dir.remove());

for (const hydra of servers) {
  const v1 = isV1(hydra);
  // Each version's own spellings first; hydractl answers to both on either server.
  const getToken = v1 ? ["token", "client"] : ["perform", "client-credentials"];
  const revoke = v1 ? ["token", "revoke"] : ["revoke", "token"];
  const endpoint = ["--endpoint", hydra.publicUrl];

  describe(`token commands against ${hydra.name}`, { skip: skipWithoutHydra }, () => {
    let secret: string;
    const id = `tokens-${hydra.version}-${run}`;
    const client = () => ["--client-id", id];
    const env = () => ({ OAUTH2_CLIENT_SECRET: secret });
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;

    before(async () => {
      const created = await createClient(hydra, ["--id", id, "--grant-types", "client_credentials", "--scope", "read,write", "--audience", "https://api.example"]);
      secret = created.client_secret as string;
      proxy = await recordingProxy(hydra.publicUrl);
    });
    after(() => proxy?.close());

    test("client credentials: a token Hydra calls active; revoked, Hydra calls it inactive", async () => {
      for (const words of [["perform", "client-credentials"], ["token", "client"]]) {
        const got = await hydractl([...words, ...endpoint, ...client(), "--scope", "read", "--audience", "https://api.example", "--format", "json"], { env: env() });
        assert.equal(got.code, 0, got.stderr);
        const tokens = JSON.parse(got.stdout);
        assert.equal(tokens.scope, "read");
        const active = await introspect(hydra, tokens.access_token);
        assert.equal(active.active, true);
        assert.equal(active.client_id, id);
        assert.deepEqual(active.aud, ["https://api.example"]);

        const revoked = await hydractl([...revoke, ...endpoint, ...client(), "-"], { env: env(), stdin: `${tokens.access_token}\n` });
        assert.equal(revoked.code, 0, revoked.stderr);
        assert.equal((await introspect(hydra, tokens.access_token)).active, false);
      }
    });

    test("a client registered for client_secret_post gets its token without the flag, as from Hydra's CLI", async () => {
      const post = `${id}-post`;
      const created = await createClient(hydra, ["--id", post, "--grant-types", "client_credentials", "--token-endpoint-auth-method", "client_secret_post"]);
      const postEnv = { OAUTH2_CLIENT_SECRET: created.client_secret as string };
      const theirs = await hydraCli(hydra, [...getToken, ...endpoint, "--client-id", post], postEnv);
      assert.equal(theirs.code, 0, theirs.stderr);
      const ours = await hydractl([...getToken, ...endpoint, "--client-id", post, "--format", "json"], { env: postEnv });
      assert.equal(ours.code, 0, ours.stderr);
      assert.match(ours.stderr, /^note: client "[^"]+" is registered for client_secret_post; its secret was sent again that way/);
      assert.equal((await introspect(hydra, JSON.parse(ours.stdout).access_token)).client_id, post);
    });

    test("a wrong secret, an empty token, a device flow Hydra does not serve: one line each, exit 1", async () => {
      const wrong = await hydractl([...getToken, ...endpoint, ...client()], { env: { OAUTH2_CLIENT_SECRET: "wrong" } });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /^Error: the token endpoint answered 401 invalid_client: [^\n]+\n$/);
      const empty = await hydractl([...revoke, ...endpoint, ...client(), "-"], { env: env(), stdin: "" });
      assert.deepEqual([empty.code, empty.stderr], [1, "Error: no token on stdin\n"]);
      const device = await hydractl(["perform", "device-code", ...endpoint, ...client()], { env: env() });
      assert.deepEqual([device.code, device.stderr], [1, "Error: the server announces no device authorization endpoint (RFC 8628)\n"]);
    });

    test(`differential: ${getToken.join(" ")} and ${revoke.join(" ")} send what Hydra's own CLI sends`, async () => {
      const args = [...getToken, "--endpoint", proxy.url, ...client(), "--client-secret", secret, "--scope", "read,write"];
      const theirs = await hydraCli(hydra, args);
      assert.equal(theirs.code, 0, theirs.stderr);
      const theirRequests = proxy.requests.splice(0);
      const ours = await hydractl(args);
      assert.equal(ours.code, 0, ours.stderr);
      const ourRequests = tokenRequests(proxy.requests.splice(0));
      assert.deepEqual(ourRequests.map(understood), theirRequests.map(understood));
      // v1.8 printed the bare access token; v2 its token table.
      const shape = v1 ? /^[\w.-]+\n$/ : /^ACCESS TOKEN\s+ory_at_\S+[ \t]*\nREFRESH TOKEN[ \t]*(<empty>)?[ \t]*\nID TOKEN[ \t]*(<empty>)?[ \t]*\nEXPIRY\s+\S.*\n$/;
      assert.match(theirs.stdout, shape);
      assert.match(ours.stdout, shape);

      // Revoke each one's token with the other's CLI: the requests match, and both tokens end inactive.
      const theirToken = v1 ? theirs.stdout.trim() : theirs.stdout.split(/\s+/)[2]!;
      const ourToken = v1 ? ours.stdout.trim() : ours.stdout.split(/\s+/)[2]!;
      const revokeArgs = [...revoke, "--endpoint", proxy.url, ...client(), "--client-secret", secret];
      const theirRevoke = await hydraCli(hydra, [...revokeArgs, "--", ourToken]);
      assert.equal(theirRevoke.code, 0, theirRevoke.stderr);
      const theirRevokeRequests = proxy.requests.splice(0);
      const ourRevoke = await hydractl([...revokeArgs, "--", theirToken]);
      assert.equal(ourRevoke.code, 0, ourRevoke.stderr);
      const ourRevokeRequests = tokenRequests(proxy.requests.splice(0));
      const sameToken = (request: Recorded) => understood({ ...request, form: { ...request.form, token: "T" } });
      assert.deepEqual(ourRevokeRequests.map(sameToken), theirRevokeRequests.map(sameToken));
      // The same words; hydractl pads its columns with spaces where Hydra v2 puts tabs.
      const words = (text: string, token: string) => text.replace(token, "T").split(/\s+/).filter(Boolean);
      assert.deepEqual(words(ourRevoke.stdout, theirToken), words(theirRevoke.stdout, ourToken));
      assert.equal((await introspect(hydra, theirToken)).active, false);
      assert.equal((await introspect(hydra, ourToken)).active, false);
    });

    test("Hydra reached under another name than its issuer (localhost): Hydra's paths under it, as from Hydra's CLI, or --token-url and --revocation-url", async () => {
      const aliased = hydra.publicUrl.replace("127.0.0.1", "localhost");
      const theirs = await hydraCli(hydra, [...getToken, "--endpoint", aliased, ...client()], env());
      assert.equal(theirs.code, 0, theirs.stderr);
      const ours = await hydractl([...getToken, "--endpoint", aliased, ...client(), "--format", "json"], { env: env() });
      assert.equal(ours.code, 0, ours.stderr);
      assert.match(ours.stderr, /^note: http:\/\/localhost:\d+ announces the issuer "http:\/\/127\.0\.0\.1:\d+\/?"; its discovery document is not used, .*: http:\/\/localhost:\d+\/oauth2\/token \(--token-url names it at once\)\n$/);
      assert.equal((await introspect(hydra, JSON.parse(ours.stdout).access_token)).active, true);
      const got = await hydractl([...getToken, "--endpoint", aliased, "--token-url", `${aliased}/oauth2/token`, ...client(), "-q"], { env: env() });
      assert.equal(got.code, 0, got.stderr);
      const token = got.stdout.trim();
      assert.equal((await introspect(hydra, token)).active, true);
      const revoked = await hydractl([...revoke, "--endpoint", aliased, "--revocation-url", `${aliased}/oauth2/revoke`, ...client(), "--", token], { env: env() });
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.equal((await introspect(hydra, token)).active, false);
    });

    test("private_key_jwt: a client registered with its public key gets a token with the PEM key, and revokes it", async () => {
      const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
      const kid = `key-${run}`;
      const publicJwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid, alg: "ES256", use: "sig" };
      const keyFile = dir.write(`${hydra.version}.pem`, pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
      const jwkFile = dir.write(`${hydra.version}.jwk`, JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), kid }));
      const signer = `jwt-${hydra.version}-${run}`;
      const registered = await admin(hydra, "POST", "/clients", {
        json: {
          client_id: signer,
          grant_types: ["client_credentials"],
          token_endpoint_auth_method: "private_key_jwt",
          token_endpoint_auth_signing_alg: "ES256",
          jwks: { keys: [publicJwk] },
        },
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));

      // Hydra takes no audience but its token endpoint; v1.8 also wants the key named.
      for (const key of [["--private-key", keyFile, "--private-key-id", kid], ["--private-key", jwkFile]]) {
        const got = await hydractl([...getToken, ...endpoint, "--client-id", signer, ...key, "--format", "json"]);
        assert.equal(got.code, 0, got.stderr);
        const { access_token: token } = JSON.parse(got.stdout);
        const active = await introspect(hydra, token);
        assert.deepEqual([active.active, active.client_id], [true, signer]);
        const revoked = await hydractl([...revoke, ...endpoint, "--client-id", signer, ...key, "-"], { stdin: token });
        assert.equal(revoked.code, 0, revoked.stderr);
        assert.equal((await introspect(hydra, token)).active, false);
      }
      if (v1) {
        const unnamed = await hydractl([...getToken, ...endpoint, "--client-id", signer, "--private-key", keyFile]);
        assert.equal(unnamed.code, 1);
        assert.match(unnamed.stderr, /^Error: the token endpoint answered 400 invalid_request: .*must contain a kid header[^\n]*\n$/);
      }
    });

    test("refresh and userinfo: tokens from a login and consent accepted through the admin API", async () => {
      const user = `user-${hydra.version}-${run}`;
      const redirect = "http://127.0.0.1:9/callback";
      const created = await createClient(hydra, [
        ...["--id", user, "--callbacks", redirect, "--grant-types", "authorization_code,refresh_token"],
        ...["--response-types", "code", "--scope", "openid,offline", "--token-endpoint-auth-method", "client_secret_post"],
      ]);
      const tokens = await codeFlow(hydra, user, created.client_secret as string, redirect);
      const userEnv = { OAUTH2_CLIENT_SECRET: created.client_secret as string };
      const refreshed = await hydractl(["token", "refresh", ...endpoint, "--client-id", user, "--token-endpoint-auth-method", "client_secret_post", "--format", "json"], {
        env: userEnv,
        stdin: tokens.refresh_token,
      });
      assert.equal(refreshed.code, 0, refreshed.stderr);
      const fresh = JSON.parse(refreshed.stdout);
      assert.ok(fresh.id_token, "a new ID token, its signature checked against Hydra's keys");
      assert.equal((await introspect(hydra, tokens.access_token)).active, false, "the refresh retired the old access token");
      assert.equal((await introspect(hydra, fresh.access_token)).active, true);

      // v1.8.5's tokens may begin with "-": the flags end first.
      const info = await hydractl(["token", "userinfo", ...endpoint, "--format", "json", "--", fresh.access_token]);
      assert.equal(info.code, 0, info.stderr);
      assert.equal(JSON.parse(info.stdout).sub, "alice");

      // A token Hydra does not know, and one issued to a client alone: what each is, in one line.
      const unknown = await hydractl(["token", "userinfo", ...endpoint, "--", "not-a-token"]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /^Error: the userinfo endpoint answered 401 request_unauthorized: [^\n]+\n$/);
      const clientToken = await hydractl([...getToken, ...endpoint, ...client(), "-q"], { env: env() });
      const noUser = await hydractl(["token", "userinfo", ...endpoint, "--", clientToken.stdout.trim()]);
      assert.equal(noUser.code, 1);
      assert.match(noUser.stderr, /^Error: the token has no subject: userinfo answers for a token issued to a user[^\n]+\n$/);
    });
  });
}

/**
 * The Authorization Code flow without a browser: follow Hydra's redirects with a cookie
 * jar, accept login and consent through the admin API, exchange the code at the token
 * endpoint. Only the tokens matter here; perform authorization-code has its own tests.
 */
async function codeFlow(hydra: HydraInstance, clientId: string, secret: string, redirect: string): Promise<{ access_token: string; refresh_token: string }> {
  const jar = new CookieJar();
  const adminBase = `${hydra.adminEndpoint}${isV1(hydra) ? "" : "/admin"}`;
  const accept = async (kind: "login" | "consent", challenge: string, body: object) => {
    const response = await fetch(`${adminBase}/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${encodeURIComponent(challenge)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { redirect_to: string }).redirect_to;
  };
  let url = new URL(`${hydra.publicUrl}/oauth2/auth`);
  url.search = new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid offline", redirect_uri: redirect, state: "state-of-the-e2e-test", nonce: "nonce-of-the-e2e-test" }).toString();
  for (let step = 0; step < 10; step++) {
    if (url.href.startsWith(redirect)) {
      const code = url.searchParams.get("code");
      assert.ok(code, url.href);
      const response = await fetch(`${hydra.publicUrl}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect, client_id: clientId, client_secret: secret }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as { access_token: string; refresh_token: string };
    }
    if (url.searchParams.has("login_challenge")) {
      url = new URL(await accept("login", url.searchParams.get("login_challenge")!, { subject: "alice" }));
      continue;
    }
    if (url.searchParams.has("consent_challenge")) {
      url = new URL(await accept("consent", url.searchParams.get("consent_challenge")!, { grant_scope: ["openid", "offline"] }));
      continue;
    }
    const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header(url) ?? "" } });
    jar.store(url, response.headers.getSetCookie());
    await response.body?.cancel();
    const location = response.headers.get("location");
    assert.ok(location, `no redirect from ${url.href} (${response.status})`);
    url = new URL(location, url);
  }
  throw new Error("the authorization code flow did not reach the redirect URI in 10 steps");
}
