// Records which functions hydractl's most common starts use, for scripts/build's
// profile-guided bytecode layout (`bun build --bytecode-order`): the build puts that
// bytecode first, so a start reads fewer pages of the binary.
//   bun scripts/bytecode-profile.ts BINARY OUTDIR
// Runs BINARY (a build without a profile) against a stand-in for Hydra's admin API and
// OpenID discovery, and prints the order files it wrote, most common start first,
// comma-separated.
import { mkdirSync, rmSync } from "node:fs";
import { connect } from "node:tls";

const [binary, outDir] = process.argv.slice(2);
if (!binary || !outDir) {
  console.error("usage: bun scripts/bytecode-profile.ts BINARY OUTDIR");
  process.exit(2);
}

const client = { client_id: "profile", client_secret: "profile-secret-0123456789", client_name: "profile", redirect_uris: ["http://localhost/cb"] };
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const { pathname, origin: issuer } = new URL(request.url);
    if (pathname === "/.well-known/openid-configuration") {
      return Response.json({ issuer, authorization_endpoint: `${issuer}/oauth2/auth`, token_endpoint: `${issuer}/oauth2/token`, jwks_uri: `${issuer}/.well-known/jwks.json` });
    }
    if (request.method === "POST") return Response.json({ ...(await request.json()), ...client }, { status: 201 });
    return Response.json(pathname.endsWith("/clients") ? [client] : client);
  },
});
const endpoint = `http://127.0.0.1:${server.port}`;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// Nothing of this machine's settings: no config file, no proxy between hydractl and the
// stand-in; the certificate perform --https keeps goes to OUTDIR's cache.
const env = (file: string) => ({ PATH: process.env.PATH ?? "", HOME: outDir, BUN_BYTECODE_ORDER_OUT: file });

/** One command to its end. Not spawnSync: the stand-in answers from this process's event loop. */
async function command(file: string, args: string[]): Promise<void> {
  const run = Bun.spawn([binary!, ...args], { env: env(file), stdout: "ignore", stderr: "pipe" });
  const [code, stderr] = await Promise.all([run.exited, new Response(run.stderr).text()]);
  if (code !== 0) throw new Error(`hydractl ${args.join(" ")} failed (${code}): ${stderr}`);
}

/** perform --https up to the first TLS handshake, then Ctrl+C (the order file is written on the way out). */
async function performStart(file: string): Promise<void> {
  const args = ["perform", "authorization-code", "-e", endpoint, "--client-id", "profile", "--no-open", "-p", "0", "--https"];
  const run = Bun.spawn([binary!, ...args], { env: env(file), stdout: "ignore", stderr: "pipe" });
  let seen = "";
  const decoder = new TextDecoder();
  for await (const chunk of run.stderr) {
    seen += decoder.decode(chunk);
    const port = /https:\/\/127\.0\.0\.1:(\d+)\//.exec(seen)?.[1];
    if (!port) continue;
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: Number(port), rejectUnauthorized: false }, () => {
        socket.end();
        resolve();
      });
      socket.on("error", reject);
    });
    run.kill("SIGINT");
    break;
  }
  await run.exited;
  if (!(await Bun.file(file).exists())) throw new Error(`hydractl ${args.join(" ")} wrote no order file: ${seen}`);
}

const order = (name: string) => `${outDir}/${name}.order`;
try {
  await command(order("clients-create"), ["clients", "create", "--endpoint", endpoint, "-n", "profile", "-c", "http://localhost/cb"]);
  await command(order("create-client"), ["create", "client", "--endpoint", endpoint, "--name", "profile", "--redirect-uri", "http://localhost/cb"]);
  await command(order("get-client"), ["get", "client", "--endpoint", endpoint, "profile"]);
  await command(order("list-clients"), ["list", "clients", "--endpoint", endpoint]);
  // The first run makes and keeps the certificate; later runs read it.
  await performStart(order("perform-https-first"));
  await performStart(order("perform-https"));
  await command(order("help"), ["--help"]);
} finally {
  server.stop(true);
}
// The starts users make most, first: the commands Hydra's CLI is replaced for, perform with
// its certificate kept, help.
const names = ["clients-create", "create-client", "get-client", "list-clients", "perform-https", "help", "perform-https-first"];
console.log(names.map(order).join(","));
