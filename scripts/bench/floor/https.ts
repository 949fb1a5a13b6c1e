// Floor of bench-perform's first --https run: with ISSUER, the issuer's OpenID discovery
// document first, as hydractl reads it before anything else (see listener.ts); then
// hydractl's own certificate code (selfsigned makes a certificate), with PEMFILE the
// certificate and key kept there as the least Bun does it (Bun.write, readable by the user
// only), and a TLS listener on loopback; nothing else.
// Usage: https PORT [ISSUER [PEMFILE]]
import { selfSignedCertificate } from "../../../src/server/certificate.ts";

const [port, issuer, pemFile] = process.argv.slice(2);
if (issuer) await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const { cert, key } = await selfSignedCertificate();
if (pemFile) await Bun.write(pemFile, `${cert}${key}`, { mode: 0o600 });
Bun.serve({ hostname: "127.0.0.1", port: Number(port), tls: { cert, key, ca: cert }, fetch: () => new Response("floor") });
