import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { test } from "node:test";
import { createTransport } from "../../src/http/transport.ts";
import { selfSignedCertificate } from "../../src/server/certificate.ts";
import { runtime, serveLocal } from "../support/runtime.ts";

test("the --https certificate (selfsigned): EC P-256, 127.0.0.1 and localhost, a week long, SHA-256 fingerprint", async () => {
  const now = new Date("2030-01-02T03:04:05Z");
  const certificate = await selfSignedCertificate(now);
  const x509 = new X509Certificate(certificate.cert);
  assert.equal(x509.subjectAltName, "IP Address:127.0.0.1, DNS:localhost");
  assert.equal(x509.subject, "CN=127.0.0.1");
  assert.ok(x509.verify(x509.publicKey), "signed by its own key");
  assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  assert.equal(x509.validFromDate.toISOString(), "2030-01-02T03:03:05.000Z");
  assert.equal(x509.validToDate.toISOString(), "2030-01-09T03:04:05.000Z");
  assert.equal(x509.ca, false);
  assert.equal(certificate.fingerprint, x509.fingerprint256);
  assert.match(certificate.key, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.notEqual((await selfSignedCertificate(now)).fingerprint, certificate.fingerprint, "a new key and serial each time");
});

test("the runtime serves HTTPS with it", async () => {
  const { cert, key } = await selfSignedCertificate();
  const server = await serveLocal(() => new Response("over tls"), { cert, key });
  try {
    const response = await createTransport(runtime, { skipTlsVerify: true })(`${server.url}/`);
    assert.equal(await response.text(), "over tls");
    await assert.rejects(createTransport(runtime, {})(`${server.url}/`), { code: "E_TLS" });
  } finally {
    await server.close();
  }
});
