// `clients create` with the compiled binary against each real Hydra scripts/e2e-hydra
// started (v2.3.0 on TCP, v2.3.0 with its admin API on a unix socket, v1.8.5), each client
// read back through Hydra's own admin API and compared field by field.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { type GpgKeyring, gpgKeyring, skipWithoutGpg } from "../support/gpg.ts";
import { tempDir } from "../support/runtime.ts";
import {
  clientCredentialsGrant,
  createClient,
  hydractl,
  instances,
  isV1,
  readClient,
  skipWithoutHydra,
} from "./support/hydra.ts";

const pick = (client: Record<string, unknown>, fields: string[]) => Object.fromEntries(fields.map((field) => [field, client[field]]));

/** Every flag of Hydra v1.8's `clients create` page, and the client fields they ask for. */
const V18_FLAGS = [
  ...["--id", "v18-every-flag", "--name", "every flag of v1.8"],
  ...["--callbacks", "https://app.example.com/cb,https://app.example.com/cb2"],
  ...["--grant-types", "authorization_code,refresh_token,client_credentials", "--response-types", "code,id_token,token"],
  ...["--scope", "openid,offline,core,foobar", "--audience", "https://api.example.com,https://other.example.com"],
  ...["--token-endpoint-auth-method", "client_secret_post", "--subject-type", "pairwise"],
  ...["--jwks-uri", "https://app.example.com/jwks.json", "--policy-uri", "https://app.example.com/policy"],
  ...["--tos-uri", "https://app.example.com/tos", "--client-uri", "https://app.example.com/", "--logo-uri", "https://app.example.com/logo.png"],
  ...["--allowed-cors-origins", "https://app.example.com,https://cdn.example.com"],
  ...["--post-logout-callbacks", "https://app.example.com/logged-out", "--secret", "-"],
];
const V18_EXPECTED = {
  client_id: "v18-every-flag",
  client_name: "every flag of v1.8",
  redirect_uris: ["https://app.example.com/cb", "https://app.example.com/cb2"],
  grant_types: ["authorization_code", "refresh_token", "client_credentials"],
  response_types: ["code", "id_token", "token"],
  // Sent space-separated, in the order given; Hydra keeps that order.
  scope: "openid offline core foobar",
  audience: ["https://api.example.com", "https://other.example.com"],
  token_endpoint_auth_method: "client_secret_post",
  subject_type: "pairwise",
  jwks_uri: "https://app.example.com/jwks.json",
  policy_uri: "https://app.example.com/policy",
  tos_uri: "https://app.example.com/tos",
  client_uri: "https://app.example.com/",
  logo_uri: "https://app.example.com/logo.png",
  allowed_cors_origins: ["https://app.example.com", "https://cdn.example.com"],
  post_logout_redirect_uris: ["https://app.example.com/logged-out"],
};

/** The v2 spellings and the fields v1.8's page had no flag for. */
const EXTRA_FLAGS = [
  ...["--id", "extra-flags", "--redirect-uri", "https://app.example.com/cb", "--owner", "team-a"],
  ...["--contact", "ops@example.com,dev@example.com", "--metadata", '{"tier":"gold","limits":[1,2]}'],
  ...["--request-object-signing-alg", "RS256", "--request-uri", "https://app.example.com/req1,https://app.example.com/req2"],
  ...["--backchannel-logout-callback", "https://app.example.com/bc", "--backchannel-logout-session-required"],
  ...["--frontchannel-logout-callback", "https://app.example.com/fc", "--frontchannel-logout-session-required"],
  ...["--skip-consent", "--access-token-strategy", "jwt"],
];
const EXTRA_EXPECTED = {
  client_id: "extra-flags",
  redirect_uris: ["https://app.example.com/cb"],
  owner: "team-a",
  contacts: ["ops@example.com", "dev@example.com"],
  metadata: { tier: "gold", limits: [1, 2] },
  request_object_signing_alg: "RS256",
  request_uris: ["https://app.example.com/req1", "https://app.example.com/req2"],
  backchannel_logout_uri: "https://app.example.com/bc",
  backchannel_logout_session_required: true,
  frontchannel_logout_uri: "https://app.example.com/fc",
  frontchannel_logout_session_required: true,
  skip_consent: true,
  access_token_strategy: "jwt",
};
/** Fields Hydra v1.8.5 does not have: it drops them without a word. */
const V2_ONLY = ["skip_consent", "access_token_strategy"];

let gpg: GpgKeyring | undefined;
const dir = tempDir();
before(() => {
  if (!skipWithoutGpg && !skipWithoutHydra) gpg = gpgKeyring();
});
after(() => {
  gpg?.remove();
  dir.remove();
});

if (instances.length === 0) test("clients create against a real Hydra", { skip: skipWithoutHydra }, () => {});

for (const hydra of instances) {
  describe(`clients create against Hydra ${hydra.name}`, () => {
    test("every flag of the v1.8 page, read back from Hydra", async () => {
      // The inherited flags too: --config gives the endpoint; the others are accepted and sent.
      const config = dir.write(`config-${hydra.clientPort}.yaml`, `endpoint: ${hydra.adminEndpoint}\nfail-after: 10s\n`);
      const inherited = ["--config", config, "--access-token", "ignored-by-hydra", "--fake-tls-termination", "--fail-after", "15s"];
      const result = await hydractl(["clients", "create", ...V18_FLAGS, ...inherited], { stdin: "a-chosen-secret-of-32-characters!\n" });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "OAuth 2.0 Client ID: v18-every-flag\n");
      assert.equal(result.stderr, "");

      const stored = await readClient(hydra, "v18-every-flag");
      assert.deepEqual(pick(stored, Object.keys(V18_EXPECTED)), V18_EXPECTED);
      assert.equal(stored.client_secret, undefined, "Hydra never returns a secret on read");
      // --secret - was the one Hydra stored: it authenticates at the token endpoint.
      const grant = await clientCredentialsGrant(hydra, "v18-every-flag", "a-chosen-secret-of-32-characters!", "post");
      assert.equal(grant.status, 200, JSON.stringify(grant.body));
      assert.equal(grant.body.token_type, "bearer");
    });

    test("the v2 spellings and fields beyond the v1.8 page; v1.8 drops v2's fields, which is said", async () => {
      const result = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--format", "json", ...EXTRA_FLAGS]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, isV1(hydra) ? "warning: Hydra v1.8 has no skip_consent, access_token_strategy: the server did not keep them\n" : "");
      // -q silences notices, not this: a script that asked for quiet still gets a client unlike the one it asked for.
      const quiet = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "-q", ...EXTRA_FLAGS.map((flag) => (flag === "extra-flags" ? "extra-flags-q" : flag))]);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.equal(quiet.stdout, "extra-flags-q\n");
      const unshown = "warning: -q prints IDs only: the secret Hydra generated for client extra-flags-q is not shown\n";
      assert.equal(quiet.stderr, `${isV1(hydra) ? "warning: Hydra v1.8 has no skip_consent, access_token_strategy: the server did not keep them\n" : ""}${unshown}`);
      const stored = await readClient(hydra, "extra-flags");
      const expected: Record<string, unknown> = { ...EXTRA_EXPECTED };
      if (isV1(hydra)) for (const field of V2_ONLY) expected[field] = undefined;
      assert.deepEqual(pick(stored, Object.keys(EXTRA_EXPECTED)), expected);
    });

    test("without flags: the v1.8 defaults are sent, Hydra fills in the scope", async () => {
      const shown = await createClient(hydra, ["--id", "defaults"]);
      const stored = await readClient(hydra, "defaults");
      const expected = {
        client_id: "defaults",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
        subject_type: "public",
        // Hydra's own default for a client that asks for no scope (v1.8.5 and v2.3.0 alike).
        scope: "offline_access offline openid",
      };
      assert.deepEqual(pick(stored, Object.keys(expected)), expected);
      assert.equal(typeof shown.client_secret, "string");
      assert.ok((shown.client_secret as string).length >= 26, "Hydra generated a secret and hydractl printed it");
    });

    test("HYDRA_ADMIN_URL gives the endpoint when --endpoint is not set", async () => {
      const result = await hydractl(["clients", "create", "--id", "from-env", "--format", "jsonpath=$.client_id"], {
        env: { HYDRA_ADMIN_URL: hydra.adminEndpoint },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '"from-env"\n');
      assert.equal((await readClient(hydra, "from-env")).client_id, "from-env");
    });

    test("a duplicate --id gives Hydra's conflict message and exit 1", async () => {
      await createClient(hydra, ["--id", "duplicate"]);
      const again = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "duplicate"]);
      assert.equal(again.code, 1);
      assert.equal(again.stdout, "");
      assert.equal(
        again.stderr,
        "Error: creating the client failed: 409 Conflict: Unable to insert or update resource because a resource with that value exists already\n",
      );
    });

    test("--token-endpoint-auth-method none: no secret, in the output or in Hydra", async () => {
      const result = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "public-client", "--token-endpoint-auth-method", "none"]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "OAuth 2.0 Client ID: public-client\nThis OAuth 2.0 Client has no secret\n");
      const stored = await readClient(hydra, "public-client");
      assert.equal(stored.token_endpoint_auth_method, "none");
      assert.equal(stored.client_secret ?? undefined, undefined);
      // A secret given all the same is what Hydra answers it is: none, said as Hydra v1.8's CLI says it.
      const given = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "public-given", "--token-endpoint-auth-method", "none", "--secret", "-"], { stdin: "a-secret-for-a-public-client" });
      assert.equal(given.code, 0, given.stderr);
      assert.equal(given.stdout, "OAuth 2.0 Client ID: public-given\nThis OAuth 2.0 Client has no secret\n");
    });

    describe("the generated secret encrypted to a PGP key, decrypted with gpg", { skip: skipWithoutGpg }, () => {
      let keyServer: ReturnType<typeof createServer>;
      let keyServerUrl = "";
      before(async () => {
        // Stands in for a key URL and for keybase.io (HYDRACTL_KEYBASE_URL) on loopback.
        keyServer = createServer((req, res) => {
          const known = req.url === "/key.asc" || req.url === "/alice_e2e/pgp_keys.asc";
          res.writeHead(known ? 200 : 404, { "Content-Type": "text/plain" }).end(known ? gpg!.armoredPublicKey : "not found");
        });
        await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
        keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
      });
      after(() => new Promise<void>((resolve) => keyServer.close(() => resolve())));

      const sources: [string, () => string[], () => Record<string, string>][] = [
        ["--pgp-key", () => ["--pgp-key", Buffer.from(gpg!.armoredPublicKey).toString("base64")], () => ({})],
        ["--pgp-key-url", () => ["--pgp-key-url", `${keyServerUrl}/key.asc`], () => ({})],
        ["--keybase", () => ["--keybase", "alice_e2e"], () => ({ HYDRACTL_KEYBASE_URL: keyServerUrl })],
      ];
      for (const [flag, flags, env] of sources) {
        test(`${flag}: gpg decrypts the secret Hydra generated, and it works at Hydra's token endpoint`, async () => {
          const id = `pgp${flag.replace(/-/g, "_")}`;
          const args = ["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", id, "-g", "client_credentials", "-r", "token", "-a", "core"];
          const result = await hydractl([...args, ...flags()], { env: env() });
          assert.equal(result.code, 0, result.stderr);
          const [idLine, secretLine, ...rest] = result.stdout.split("\n");
          assert.equal(idLine, `OAuth 2.0 Client ID: ${id}`);
          assert.deepEqual(rest, [""]);
          const encrypted = /^OAuth 2\.0 Encrypted Client Secret: (\S+)$/.exec(secretLine ?? "")?.[1];
          assert.ok(encrypted, String(secretLine));
          const secret = gpg!.decryptBase64(encrypted);
          assert.match(secret, /^\S{26,}$/);
          assert.ok(!result.stdout.includes(secret), "the plain secret is not printed");
          const grant = await clientCredentialsGrant(hydra, id, secret, "basic");
          assert.equal(grant.status, 200, JSON.stringify(grant.body));
          const wrong = await clientCredentialsGrant(hydra, id, `${secret}x`, "basic");
          assert.equal(wrong.status, 401);
        });
      }
    });
  });
}
