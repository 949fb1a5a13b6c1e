// Floor of bench-perform --https: hydractl's own certificate code (selfsigned) and a TLS
// listener on loopback, then the home-page line the benchmark waits for; nothing else.
import { selfSignedCertificate } from "../../../src/server/certificate.ts";

const { cert, key } = await selfSignedCertificate();
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: { cert, key }, fetch: () => new Response("floor") });
console.error(`Home page: https://127.0.0.1:${server.port}/ `);
