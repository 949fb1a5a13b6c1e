// Floor of bench-perform's start-up probes: a listener on loopback, over TLS with the
// certificate and key in PEMFILE (hydractl's cached one) when given, nothing else; `ca`
// as hydractl sets it, which spares Bun loading its root certificates (src/runtime/bun.ts).
// Read with Bun.file: node:fs would cost the floor milliseconds and MiBs hydractl does not pay.
// Usage: listener PORT [PEMFILE]
const pem = process.argv[3] ? await Bun.file(process.argv[3]).text() : undefined;
Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), tls: pem ? { cert: pem, key: pem, ca: pem } : undefined, fetch: () => new Response("floor") });
