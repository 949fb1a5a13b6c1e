// The certificate of the --https local web client. A browser asks once whether to trust a
// self-signed certificate and remembers the answer for that certificate only, so one is
// made once per user, kept in the cache directory with its key (0600) and renewed before
// it expires; loading it is also far quicker than making one. A certificate the user
// brings (mkcert) is checked before serving, since TLS libraries serve an expired one.
//
// node:crypto reads the X.509 and key files: WebCrypto has no certificate parser, Bun and
// Deno both implement X509Certificate natively, and it reads every key format openssl and
// mkcert write (PKCS#8, SEC1, PKCS#1). @peculiar/x509, which selfsigned brings, would cost
// the very load time the cache saves. The kept certificate is not parsed at all: loading
// node:crypto alone costs more time and memory than the rest of --https's start-up, so its
// dates, names and fingerprint are written beside it in the file, and the TLS library
// checks the pair when it listens (see `renew`).
import { InputError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";

export interface Certificate {
  /** PEM certificate (and chain, for a user's own file). */
  cert: string;
  /** PEM private key. */
  key: string;
  /** SHA-256 over the DER certificate, as browsers show it: "AB:CD:…". */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  /** Names in `hosts` (given to the function that returned it) that the certificate does not cover. */
  uncovered: string[];
  /** Where it comes from, for the start-up line: "a self-signed certificate kept in …". */
  source: string;
  /** A kept certificate only: replaces it with a new one, for when the TLS library refuses it. */
  renew?: () => Promise<Certificate>;
  /**
   * A kept certificate only: makes the file private again should its modes have been
   * loosened (with a notice). Called once the server is announced, not before: Bun stats
   * a file on its I/O thread pool, whose start took ~3 ms on the way to the first TLS
   * handshake even while nothing waited for it.
   */
  guard?: () => Promise<void>;
}

/** The names a browser may use for the loopback server. */
export const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"];

/** A certificate or key file that cannot be served, and which of the two is at fault. */
export class CertificateFileError extends InputError {
  override name = "CertificateFileError";
  readonly part: "certificate" | "key";

  constructor(part: "certificate" | "key", message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.part = part;
  }
}

const DAY_MS = 86_400_000;
const VALIDITY_MS = 365 * DAY_MS;
/** Renewed this long before it expires, so a flow never meets an expiring certificate. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Under the user's cache directory. */
const CACHE_FILE = "hydractl/https-localhost.pem";

/** A new self-signed certificate for `hosts` (the first is also the subject's CN). */
export async function selfSignedCertificate(hosts = LOOPBACK_HOSTS, now = new Date()): Promise<Certificate> {
  // Loaded here only: making a certificate is rare, and its X.509 code is the heaviest part of the binary.
  const selfsigned = (await import("selfsigned")).default;
  const pems = await selfsigned.generate([{ name: "commonName", value: hosts[0]! }], {
    // EC P-256: quick to make and to sign handshakes with.
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    // A minute of slack for clocks that disagree a little.
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALIDITY_MS),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: hosts.map((host) => (isIp(host) ? { type: 7, ip: host } : { type: 2, value: host })) },
    ],
  });
  return await checkPair(pems.cert, pems.private, hosts, now, "a self-signed certificate made for this run");
}

/** The certificate and key in these files, checked: readable, a matching pair, valid now. */
export async function readCertificateFiles(runtime: Runtime, files: { cert: string; key: string }, hosts: string[], now = new Date()): Promise<Certificate> {
  const cert = await readText(runtime, files.cert, "certificate");
  const key = await readText(runtime, files.key, "key");
  return await checkPair(cert, key, hosts, now, files.cert);
}

/**
 * The certificate kept in the user's cache directory, or a new one put there when it is
 * missing, unusable, does not cover `hosts` or expires within 30 days. A cache that cannot
 * be read or written costs a notice and a certificate for this run only, never the run.
 */
export async function cachedCertificate(runtime: Runtime, hosts: string[], notify: (message: string) => void, now = new Date()): Promise<Certificate> {
  const dir = runtime.cacheDir();
  if (!dir) {
    notify("No cache directory (HOME or XDG_CACHE_HOME) to keep the certificate in: browsers will warn about a new one at every start");
    return await selfSignedCertificate(hosts, now);
  }
  const path = `${dir}/${CACHE_FILE}`;
  const source = `the self-signed certificate kept in ${path}`;
  const renew = async (): Promise<Certificate> => {
    const made = await selfSignedCertificate(hosts, now);
    try {
      await runtime.writePrivateFile(path, cacheFile(made, hosts));
    } catch (error) {
      notify(`Cannot keep the certificate in ${path} (${(error as Error).message}): browsers will warn about a new one at every start`);
      return made;
    }
    return { ...made, source };
  };
  let kept: Kept | undefined;
  try {
    kept = await readCache(runtime, path);
  } catch (error) {
    notify(`The certificate kept in ${path} is unusable (${(error as Error).message}); making a new one`);
    return await renew();
  }
  if (!kept) return await renew();
  // A loop, not .filter: this runs at every `perform --https` start, where .filter would be
  // compiled for this one use.
  const uncovered: string[] = [];
  for (const host of hosts) if (!kept.names.includes(host)) uncovered.push(host);
  const renewal = uncovered.length
    ? `it does not cover ${uncovered.join(", ")}`
    : kept.notAfter.getTime() - now.getTime() < RENEW_BEFORE_MS
      ? `it expires on ${kept.notAfter.toISOString()}`
      : now < kept.notBefore
        ? `it is not valid before ${kept.notBefore.toISOString()}`
        : undefined;
  if (renewal) {
    notify(`Renewing the certificate kept in ${path}: ${renewal}`);
    return await renew();
  }
  const { cert, key, fingerprint, notBefore, notAfter } = kept;
  return { cert, key, fingerprint, notBefore, notAfter, uncovered, source, renew, guard: () => keepPrivate(runtime, path, notify) };
}

/** The kept key made private again if it is not (a copied cache, a backup restored), said in one line. */
async function keepPrivate(runtime: Runtime, path: string, notify: (message: string) => void): Promise<void> {
  const octal = (mode: number) => `0${mode.toString(8)}`;
  try {
    const found = await runtime.keepPrivate(path);
    if (!found) return;
    // A key others could read may have been copied: changing modes cannot undo that.
    const advice = found.file & 0o077 ? "; delete it for a new key if anyone may have copied it" : "";
    notify(`The key kept in ${path} was not yours only (${octal(found.file)} in a ${octal(found.folder)} folder); made it 0600 in 0700${advice}`);
  } catch (error) {
    notify(`Cannot make the key kept in ${path} yours only (${(error as Error).message})`);
  }
}

interface Kept {
  cert: string;
  key: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  names: string[];
}

/** The kept file: what the certificate says, in plain text before the PEM blocks (which PEM allows). */
function cacheFile(certificate: Certificate, hosts: string[]): string {
  return [
    "The certificate of `hydractl perform authorization-code --https`, and its key.",
    `Not Before: ${certificate.notBefore.toISOString()}`,
    `Not After: ${certificate.notAfter.toISOString()}`,
    `Names: ${hosts.filter((host) => !certificate.uncovered.includes(host)).join(" ")}`,
    `SHA-256 Fingerprint: ${certificate.fingerprint}`,
    certificate.cert.trim(),
    certificate.key.trim(),
    "",
  ].join("\n");
}

/**
 * Reads the kept file with string searches, not regular expressions: this runs at every
 * --https start, and compiling the five it took added 0.7 MiB to the start's peak.
 */
async function readCache(runtime: Runtime, path: string): Promise<Kept | undefined> {
  const bytes = await runtime.readFile(path);
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes);
  const lines = text.split("\n");
  const field = (name: string) => {
    for (const line of lines) if (line.startsWith(`${name}: `)) return line.slice(name.length + 2).trimEnd() || undefined;
    return undefined;
  };
  const cert = pemBlock(text, "CERTIFICATE");
  const key = pemBlock(text, "PRIVATE KEY");
  const notBefore = new Date(field("Not Before") ?? Number.NaN);
  const notAfter = new Date(field("Not After") ?? Number.NaN);
  const fingerprint = field("SHA-256 Fingerprint");
  const names = field("Names")?.split(" ");
  if (!cert || !key || !fingerprint || !names || Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new Error("not a certificate file hydractl wrote");
  }
  return { cert: `${cert}\n`, key: `${key}\n`, fingerprint, notBefore, notAfter, names };
}

/** The first PEM block of this label in the text, from its BEGIN line to its END line. */
function pemBlock(text: string, label: string): string | undefined {
  const begin = text.indexOf(`-----BEGIN ${label}-----`);
  const endLine = `-----END ${label}-----`;
  const end = begin < 0 ? -1 : text.indexOf(endLine, begin);
  return end < 0 ? undefined : text.slice(begin, end + endLine.length);
}

async function readText(runtime: Runtime, path: string, part: "certificate" | "key"): Promise<string> {
  let bytes: Uint8Array | undefined;
  // A folder is said alike whether the read rejects or finds nothing (see Runtime.readFile);
  // asked only then, so that a good file costs no second look.
  const folder = async () => (await runtime.absence(path)) === "directory";
  try {
    bytes = await runtime.readFile(path);
  } catch (error) {
    if (await folder()) throw new CertificateFileError(part, "is a directory, not a file");
    throw new CertificateFileError(part, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  if (!bytes) throw new CertificateFileError(part, (await folder()) ? "is a directory, not a file" : "does not exist");
  return new TextDecoder().decode(bytes);
}

async function checkPair(certPem: string, keyPem: string, hosts: string[], now: Date, source: string): Promise<Certificate> {
  const { createPrivateKey, X509Certificate } = await import("node:crypto");
  let x509: InstanceType<typeof X509Certificate>;
  try {
    x509 = new X509Certificate(certPem);
  } catch (error) {
    throw new CertificateFileError("certificate", "is not a PEM certificate", { cause: error });
  }
  let matches: boolean;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(keyPem));
  } catch (error) {
    throw new CertificateFileError("key", "is not a PEM private key without a passphrase", { cause: error });
  }
  if (!matches) throw new CertificateFileError("key", "is not the key of the certificate");
  if (now < x509.validFromDate) throw new CertificateFileError("certificate", `is not valid before ${x509.validFromDate.toISOString()}`);
  if (now > x509.validToDate) throw new CertificateFileError("certificate", `expired on ${x509.validToDate.toISOString()}`);
  const uncovered = hosts.filter((host) => (isIp(host) ? x509.checkIP(host) : x509.checkHost(host)) === undefined);
  return { cert: certPem, key: keyPem, fingerprint: x509.fingerprint256, notBefore: x509.validFromDate, notAfter: x509.validToDate, uncovered, source };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}
