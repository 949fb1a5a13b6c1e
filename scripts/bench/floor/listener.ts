// Floor of bench-perform's start-up probes: a listener on loopback, over TLS with the
// certificate and key in PEMFILE (hydractl's cached one) when given, nothing else; `ca`
// as hydractl sets it, which spares Bun loading its root certificates (src/runtime/bun.ts).
// Read through a memory mapping, as hydractl reads it: Bun.file's asynchronous read starts
// Bun's I/O thread pool (3.5 ms), and node:fs costs milliseconds and MiBs to load.
// With ISSUER, it first reads the issuer's OpenID discovery document, as hydractl must
// before it announces its pages (any provider's endpoints come from there; a wrong issuer
// fails before a browser opens), which Hydra's CLIs skip by assuming Hydra's own paths.
// Usage: listener PORT [PEMFILE] [ISSUER]
const [port, pemFile, issuer] = process.argv.slice(2);
if (issuer) await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const pem = pemFile ? new TextDecoder().decode(Bun.mmap(pemFile)) : undefined;
Bun.serve({ hostname: "127.0.0.1", port: Number(port), tls: pem ? { cert: pem, key: pem, ca: pem } : undefined, fetch: () => new Response("floor") });
