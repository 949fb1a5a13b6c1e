// Floor of bench-perform's first --https run: hydractl's own certificate code (selfsigned
// makes a certificate) and a TLS listener on loopback, nothing else.
// Usage: https PORT
import { selfSignedCertificate } from "../../../src/server/certificate.ts";

const { cert, key } = await selfSignedCertificate();
Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), tls: { cert, key, ca: cert }, fetch: () => new Response("floor") });
