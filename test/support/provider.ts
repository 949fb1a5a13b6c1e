/**
 * Start/stop the local OpenID Connect provider (test/support/provider-server.ts) from
 * tests. Works under both `bun test` and `deno test`: only node:child_process and
 * web-standard APIs are used; the provider itself always runs under the Bun binary
 * installed in node_modules/.bin.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface StartProviderOptions {
  /** oidc-provider client metadata; replaces the default clients (demo, post-client, public-client). */
  clients?: object[];
  /** Extra exact redirect URIs added to every default client (ignored when `clients` is given). */
  redirectUris?: string[];
  /** Port at 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Every authorization request must come by PAR (RFC 9126), as the metadata then says. */
  requirePar?: boolean;
  /** Start-up timeout in milliseconds (default 20000). */
  timeoutMs?: number;
}

export interface RunningProvider {
  issuer: string;
  close(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url).href);
const bunBin = `${repoRoot}node_modules/.bin/bun`;
const serverScript = `${repoRoot}test/support/provider-server.ts`;

export function startProvider(
  opts: StartProviderOptions = {},
): Promise<RunningProvider> {
  const args = [serverScript, "--exit-on-stdin-close"];
  if (opts.port !== undefined) args.push("--port", String(opts.port));
  if (opts.clients !== undefined) {
    args.push("--clients", JSON.stringify(opts.clients));
  }
  for (const uri of opts.redirectUris ?? []) args.push("--redirect-uri", uri);
  if (opts.requirePar) args.push("--require-par");

  const child = spawn(bunBin, args, {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    // keep the tail only, for error messages
    stderr = (stderr + chunk).slice(-8000);
  });

  async function close(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    child.stdin!.destroy();
    child.stdout!.destroy();
    child.stderr!.destroy();
  }

  return new Promise<RunningProvider>((resolve, reject) => {
    let stdout = "";
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      close().finally(() =>
        reject(
          new Error(`${message}\n--- provider stderr ---\n${stderr.trim()}`),
        )
      );
    };
    const timer = setTimeout(
      () => fail(`provider did not start within ${opts.timeoutMs ?? 20000} ms`),
      opts.timeoutMs ?? 20000,
    );
    child.once(
      "error",
      (err) => fail(`cannot spawn ${bunBin}: ${err.message}`),
    );
    child.once(
      "exit",
      (code, signal) =>
        fail(`provider exited early (code ${code}, signal ${signal})`),
    );
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      if (settled) return;
      stdout += chunk;
      let nl: number;
      while ((nl = stdout.indexOf("\n")) !== -1) {
        const line = stdout.slice(0, nl).trim();
        stdout = stdout.slice(nl + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue; // not the ready line
        }
        const issuer = (parsed as { issuer?: unknown } | null)?.issuer;
        if (typeof issuer === "string") {
          settled = true;
          clearTimeout(timer);
          resolve({ issuer, close });
          return;
        }
      }
    });
  });
}
