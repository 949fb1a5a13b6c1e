// Floor of bench-perform's --https probe that does the job of `perform authorization-code
// --https` up to its first handshake, hand-written for this one command: whether
// ~/.hydra.yaml is there to read, the kept certificate (read through a mapping, as hydractl
// reads it), a TLS listener on loopback, Ctrl+C handled, the issuer's discovery document
// through oauth4webapi (which every OAuth step of hydractl goes through) within a time limit,
// and the home page announced on stderr. What it leaves out is what a general CLI adds to
// that job: a kernel for every command, its flags, retries, errors that name their cause.
// Usage: local-client PORT PEMFILE ISSUER
import * as oauth from "oauth4webapi";

const [port, pemFile, issuer] = process.argv.slice(2);
if (!port || !pemFile || !issuer) throw new Error("usage: local-client PORT PEMFILE ISSUER");
if (process.env.HOME && (await Bun.file(`${process.env.HOME}/.hydra.yaml`).exists())) {
  throw new Error("this floor reads no config file, and ~/.hydra.yaml exists: run the benchmark with HOME set to an empty folder");
}
const pem = new TextDecoder().decode(Bun.mmap(pemFile));
const server = Bun.serve({ hostname: "127.0.0.1", port: Number(port), tls: { cert: pem, key: pem, ca: pem }, fetch: () => new Response("floor") });
process.on("SIGINT", () => process.exit(130));
const url = new URL(issuer);
const response = await oauth.discoveryRequest(url, { [oauth.allowInsecureRequests]: true, signal: AbortSignal.timeout(10_000) });
const metadata = await oauth.processDiscoveryResponse(url, response);
await Bun.write(Bun.stderr, `Home page: https://127.0.0.1:${server.port}/ (signing in at ${metadata.authorization_endpoint})\n`);
