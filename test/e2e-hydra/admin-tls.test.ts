// `clients create` against a Hydra v2 whose admin API speaks TLS with the self-signed
// certificate Hydra makes itself: refused by default, accepted (loudly) with --skip-tls-verify.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hydractl, readClient, skipWithoutHydra, tlsAdminInstances } from "./support/hydra.ts";

if (tlsAdminInstances.length === 0) test("clients create against Hydra's TLS admin API", { skip: skipWithoutHydra || "no Hydra with a TLS admin API started" }, () => {});

for (const hydra of tlsAdminInstances) {
  describe(`clients create against Hydra ${hydra.name}`, () => {
    test("an unverifiable certificate stops the command, and says how to go on", async () => {
      const result = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "unchecked"]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.equal(
        result.stderr,
        `Error: TLS handshake with ${hydra.adminEndpoint}/admin/clients failed (self signed certificate); NODE_EXTRA_CA_CERTS=FILE trusts the certificate authority in that PEM file; if you trust this server, --skip-tls-verify skips the certificate check\n`,
      );
    });

    test("plain http to the TLS port: Hydra's 400, and that the URL wants https://", async () => {
      const plain = hydra.adminEndpoint.replace(/^https:/, "http:");
      const result = await hydractl(["clients", "create", "--endpoint", plain, "--id", "plain"]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Error: [^\n]* failed: 400 Bad Request: Client sent an HTTP request to an HTTPS server\.; the server speaks HTTPS: give the URL with https:\/\/\n$/);
    });

    test("--skip-tls-verify: created, with a warning", async () => {
      const result = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "tls-skipped", "--skip-tls-verify"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^OAuth 2\.0 Client ID: tls-skipped\nOAuth 2\.0 Client Secret: \S{26,}\n$/);
      assert.equal(result.stderr, "warning: --skip-tls-verify is set; TLS certificates are not checked\n");
      assert.equal((await readClient(hydra, "tls-skipped")).client_id, "tls-skipped");
    });
  });
}
