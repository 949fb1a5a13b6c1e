// Floor of bench-perform's start-up probes: a listener on loopback, over TLS with the
// certificate and key in PEMFILE (hydractl's cached one) when given, nothing else; `ca`
// as hydractl sets it, which spares Bun loading its root certificates (src/runtime/bun.ts).
// Read with Bun.file: node:fs would cost the floor milliseconds and MiBs hydractl does not pay.
// With ISSUER, it first reads the issuer's OpenID discovery document, as hydractl must
// before it announces its pages (any provider's endpoints come from there; a wrong issuer
// fails before a browser opens), which Hydra's CLIs skip by assuming Hydra's own paths.
// Usage: listener PORT [PEMFILE] [ISSUER]
const [port, pemFile, issuer] = process.argv.slice(2);
if (issuer) await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const pem = pemFile ? await Bun.file(pemFile).text() : undefined;
Bun.serve({ hostname: "127.0.0.1", port: Number(port), tls: pem ? { cert: pem, key: pem, ca: pem } : undefined, fetch: () => new Response("floor") });
