// Floor of bench-perform's first --https run: with ISSUER, the issuer's OpenID discovery
// document first, as hydractl reads it before anything else (see listener.ts); then
// hydractl's own certificate code (selfsigned makes a certificate), with PEMFILE the
// certificate and key kept there as the least Bun does it (Bun.write, readable by the user
// only), and a TLS listener on loopback; nothing else. With `private`, the file is kept as
// hydractl keeps it (src/runtime/files.ts): in a folder only the user can open, written
// beside and renamed over, so that a run never reads another's half-written key. That needs
// node:fs, as Bun.write neither sets a folder's mode nor renames.
// Usage: https PORT [ISSUER [PEMFILE [private]]]
import { selfSignedCertificate } from "../../../src/server/certificate.ts";

const [port, issuer, pemFile, keep] = process.argv.slice(2);
if (issuer) await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const { cert, key } = await selfSignedCertificate();
if (pemFile && keep === "private") await (await import("../../../src/runtime/files.ts")).writePrivateFile(pemFile, `${cert}${key}`);
else if (pemFile) await Bun.write(pemFile, `${cert}${key}`, { mode: 0o600 });
Bun.serve({ hostname: "127.0.0.1", port: Number(port), tls: { cert, key, ca: cert }, fetch: () => new Response("floor") });
