// Floor of bench-perform's start-up probes: a listener on loopback, over TLS with the
// certificate and key in PEMFILE (hydractl's cached one) when given, nothing else; `ca`
// as hydractl sets it, which spares Bun loading its root certificates (src/runtime/bun.ts).
// Usage: listener PORT [PEMFILE]
import { readFileSync } from "node:fs";

const pem = process.argv[3] ? readFileSync(process.argv[3], "utf8") : undefined;
Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), tls: pem ? { cert: pem, key: pem, ca: pem } : undefined, fetch: () => new Response("floor") });
