import { decodeBase64 } from "../base64.ts";

// The certificate of the --https callback server: made fresh at every start, so there is
// no key lying around to steal, and EC P-256, which is quick to make and sign with.

export interface Certificate {
  cert: string;
  key: string;
  /** SHA-256 over the DER certificate, as browsers show it: "AB:CD:…". */
  fingerprint: string;
}

const WEEK_MS = 7 * 86_400_000;

export async function selfSignedCertificate(now = new Date()): Promise<Certificate> {
  // Loaded here only: most runs never serve HTTPS, and the X.509 code is the heaviest part of the binary.
  const selfsigned = (await import("selfsigned")).default;
  const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    // A minute of slack for clocks that disagree a little.
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + WEEK_MS),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
    ],
  });
  return { cert: pems.cert, key: pems.private, fingerprint: await fingerprint(pems.cert) };
}

async function fingerprint(pem: string): Promise<string> {
  const der = decodeBase64(pem.replace(/-----[^-]+-----|\s/g, ""));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join(":");
}
