import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { after, test } from "node:test";
import { createTransport } from "../../src/http/transport.ts";
import {
  cachedCertificate,
  type Certificate,
  CertificateFileError,
  LOOPBACK_HOSTS,
  readCertificateFiles,
  selfSignedCertificate,
} from "../../src/server/certificate.ts";
import type { Runtime } from "../../src/runtime/index.ts";
import { runtime, serveLocal, tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

const DAY_MS = 86_400_000;
const posix = process.platform !== "win32";

test("the --https certificate (selfsigned): EC P-256, the loopback names, a year long, SHA-256 fingerprint", async () => {
  const now = new Date("2030-01-02T03:04:05Z");
  const certificate = await selfSignedCertificate(LOOPBACK_HOSTS, now);
  const x509 = new X509Certificate(certificate.cert);
  assert.match(x509.subjectAltName!, /^IP Address:127\.0\.0\.1, DNS:localhost, IP Address:/);
  assert.equal(x509.checkIP("::1"), "::1");
  assert.equal(x509.subject, "CN=127.0.0.1");
  assert.ok(x509.verify(x509.publicKey), "signed by its own key");
  assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  assert.equal(x509.validFromDate.toISOString(), "2030-01-02T03:03:05.000Z");
  assert.equal(x509.validToDate.toISOString(), "2031-01-02T03:04:05.000Z");
  assert.equal(certificate.notAfter.getTime(), x509.validToDate.getTime());
  assert.equal(x509.ca, false);
  assert.equal(certificate.fingerprint, x509.fingerprint256);
  assert.deepEqual(certificate.uncovered, []);
  assert.match(certificate.key, /^-----BEGIN PRIVATE KEY-----\r?\n/);
  assert.notEqual((await selfSignedCertificate(LOOPBACK_HOSTS, now)).fingerprint, certificate.fingerprint, "a new key and serial each time");
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

/** Writes a certificate and key into the temp folder under `name`, for readCertificateFiles. */
function files(name: string, certificate: { cert: string; key: string }): { cert: string; key: string } {
  return { cert: dir.write(`${name}.crt`, certificate.cert), key: dir.write(`${name}.key`, certificate.key) };
}

async function fileError(paths: { cert: string; key: string }, part: "certificate" | "key", message: RegExp): Promise<void> {
  await assert.rejects(readCertificateFiles(runtime, paths, ["127.0.0.1"]), (error: unknown) => {
    assert.ok(error instanceof CertificateFileError, String(error));
    assert.equal(error.part, part);
    assert.match(error.message, message);
    return true;
  });
}

test("a certificate and key the user brings: read, fingerprinted, checked for the names it covers", async () => {
  const made = await selfSignedCertificate(["localhost"]);
  const read = await readCertificateFiles(runtime, files("own", made), ["127.0.0.1", "localhost"]);
  assert.equal(read.fingerprint, made.fingerprint);
  assert.equal(read.cert, made.cert);
  assert.deepEqual(read.uncovered, ["127.0.0.1"]);
  assert.match(read.source, /own\.crt$/);
});

test("a certificate that has expired or is not valid yet is refused", async () => {
  await fileError(files("expired", await selfSignedCertificate(LOOPBACK_HOSTS, new Date(Date.now() - 400 * DAY_MS))), "certificate", /^expired on \d{4}-/);
  await fileError(files("future", await selfSignedCertificate(LOOPBACK_HOSTS, new Date(Date.now() + 2 * DAY_MS))), "certificate", /^is not valid before \d{4}-/);
});

test("a key that is not the certificate's is refused, naming the key", async () => {
  const [one, other] = [await selfSignedCertificate(), await selfSignedCertificate()];
  await fileError({ cert: files("one", one).cert, key: files("other", other).key }, "key", /^is not the key of the certificate$/);
});

test("missing, unreadable and non-PEM files are refused, naming which", async () => {
  const good = files("good", await selfSignedCertificate());
  await fileError({ ...good, cert: `${dir.path}/absent.crt` }, "certificate", /^does not exist$/);
  await fileError({ ...good, key: `${dir.path}/absent.key` }, "key", /^does not exist$/);
  mkdirSync(`${dir.path}/folder.crt`);
  await fileError({ ...good, cert: `${dir.path}/folder.crt` }, "certificate", /^is a directory, not a file$/);
  await fileError({ ...good, cert: dir.write("junk.crt", "not a certificate") }, "certificate", /^is not a PEM certificate$/);
  await fileError({ ...good, key: dir.write("junk.key", "not a key") }, "key", /^is not a PEM private key/);
});

/** The real runtime, with its cache directory moved into the temp folder. */
function runtimeCachingIn(cacheDir: string | undefined): Runtime {
  return { ...runtime, cacheDir: () => cacheDir };
}

async function cached(cacheDir: string | undefined, now: Date, hosts = LOOPBACK_HOSTS): Promise<[Certificate, string[]]> {
  const notices: string[] = [];
  const certificate = await cachedCertificate(runtimeCachingIn(cacheDir), hosts, (message) => notices.push(message), now);
  return [certificate, notices];
}

test("the cached certificate: made once, kept 0600 in a 0700 folder, the same on the next start", async () => {
  const cacheDir = `${dir.path}/cache-once`;
  const now = new Date();
  const [first, firstNotices] = await cached(cacheDir, now);
  assert.deepEqual(firstNotices, []);
  const path = `${cacheDir}/hydractl/https-localhost.pem`;
  assert.equal(first.source, `the self-signed certificate kept in ${path}`);
  if (posix) {
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(`${cacheDir}/hydractl`).mode & 0o777, 0o700);
  }
  const kept = readFileSync(path, "utf8");
  assert.ok(kept.includes(first.cert.trim()) && kept.includes(first.key.trim()));
  assert.match(kept, new RegExp(`\nNot After: ${first.notAfter.toISOString()}\nNames: 127\\.0\\.0\\.1 localhost ::1\nSHA-256 Fingerprint: ${first.fingerprint}\n`));
  // What is written beside the PEM blocks must not stop a TLS library from reading them.
  assert.equal(new X509Certificate(kept).fingerprint256, first.fingerprint);

  const [second, secondNotices] = await cached(cacheDir, new Date(now.getTime() + 300 * DAY_MS));
  assert.deepEqual(secondNotices, []);
  assert.equal(second.fingerprint, first.fingerprint);
  assert.equal(second.source, first.source);
});

test("a kept key whose modes were loosened is made 0600 in 0700 again, kept, with one notice", { skip: !posix && "Windows has no modes" }, async () => {
  const cacheDir = `${dir.path}/cache-loosened`;
  const path = `${cacheDir}/hydractl/https-localhost.pem`;
  const [first] = await cached(cacheDir, new Date());
  await first.guard?.();
  chmodSync(path, 0o644);
  chmodSync(`${cacheDir}/hydractl`, 0o755);
  const [second, notices] = await cached(cacheDir, new Date());
  await second.guard?.();
  assert.equal(second.fingerprint, first.fingerprint, "the certificate the browser trusts is kept");
  assert.deepEqual(notices, [
    `The key kept in ${path} was not yours only (0644 in a 0755 folder); made it 0600 in 0700; delete it for a new key if anyone may have copied it`,
  ]);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(`${cacheDir}/hydractl`).mode & 0o777, 0o700);
  // Only the folder: the key itself was never readable by others.
  chmodSync(`${cacheDir}/hydractl`, 0o711);
  const [third, folderNotices] = await cached(cacheDir, new Date());
  await third.guard?.();
  assert.deepEqual(folderNotices, [`The key kept in ${path} was not yours only (0600 in a 0711 folder); made it 0600 in 0700`]);
  const [fourth, none] = await cached(cacheDir, new Date());
  await fourth.guard?.();
  assert.deepEqual(none, []);
});

test("the cached certificate is renewed within 30 days of expiry, or when it does not cover the callback host", async () => {
  const cacheDir = `${dir.path}/cache-renew`;
  const [first] = await cached(cacheDir, new Date());
  const [renewed, notices] = await cached(cacheDir, new Date(first.notAfter.getTime() - 29 * DAY_MS));
  assert.notEqual(renewed.fingerprint, first.fingerprint);
  assert.deepEqual(notices, [`Renewing the certificate kept in ${cacheDir}/hydractl/https-localhost.pem: it expires on ${first.notAfter.toISOString()}`]);

  const otherCacheDir = `${dir.path}/cache-widen`;
  const [loopback] = await cached(otherCacheDir, new Date());
  const [widened, widenedNotices] = await cached(otherCacheDir, new Date(), [...LOOPBACK_HOSTS, "app.localhost"]);
  assert.notEqual(widened.fingerprint, loopback.fingerprint);
  assert.match(widenedNotices.join("\n"), /^Renewing .*: it does not cover app\.localhost$/);
  const [again] = await cached(otherCacheDir, new Date());
  assert.equal(again.fingerprint, widened.fingerprint, "a certificate covering more names still serves the loopback");
});

test("an unusable cached certificate is replaced with a notice; an unwritable or missing cache costs a notice, never the run", async () => {
  const cacheDir = `${dir.path}/cache-corrupt`;
  mkdirSync(`${cacheDir}/hydractl`, { recursive: true });
  const path = `${cacheDir}/hydractl/https-localhost.pem`;
  const made = await selfSignedCertificate();
  writeFileSync(path, made.cert + made.key);
  const [replaced, notices] = await cached(cacheDir, new Date());
  assert.deepEqual(notices, [`The certificate kept in ${path} is unusable (not a certificate file hydractl wrote); making a new one`]);
  const [next, nextNotices] = await cached(cacheDir, new Date());
  assert.deepEqual(nextNotices, []);
  assert.equal(next.fingerprint, replaced.fingerprint);

  const blocked = dir.write("a-file", "");
  const [unwritten, unwrittenNotices] = await cached(blocked, new Date());
  assert.equal(unwritten.source, "a self-signed certificate made for this run");
  assert.match(unwrittenNotices.at(-1)!, /^Cannot keep the certificate in .*a-file\/hydractl\/https-localhost\.pem \(.+\): browsers will warn/);

  const [uncached, uncachedNotices] = await cached(undefined, new Date());
  assert.equal(uncached.source, "a self-signed certificate made for this run");
  assert.match(uncachedNotices.join("\n"), /^No cache directory \(HOME or XDG_CACHE_HOME\)/);
});

test("a kept certificate is read, not parsed: one the TLS library refuses is renewed through `renew`", async () => {
  const cacheDir = `${dir.path}/cache-damaged`;
  const path = `${cacheDir}/hydractl/https-localhost.pem`;
  const [first] = await cached(cacheDir, new Date());
  const stranger = await selfSignedCertificate();
  writeFileSync(path, readFileSync(path, "utf8").replace(first.key.trim(), stranger.key.trim()));
  const [damaged, notices] = await cached(cacheDir, new Date());
  assert.deepEqual(notices, []);
  assert.equal(damaged.fingerprint, first.fingerprint);
  await assert.rejects(serveLocal(() => new Response("never"), damaged));
  const renewed = await damaged.renew!();
  assert.notEqual(renewed.fingerprint, first.fingerprint);
  const server = await serveLocal(() => new Response("renewed"), renewed);
  await server.close();
  const [next] = await cached(cacheDir, new Date());
  assert.equal(next.fingerprint, renewed.fingerprint);
});
