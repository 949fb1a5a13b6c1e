// Runs hydractl as a user does: a separate process, from the sources on the runtime the
// tests run on (bun test → Bun, deno test → Deno), or the compiled binary in dist/.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url).href);
export const binaryPath = `${repoRoot}dist/hydractl`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  env?: Record<string, string | undefined>;
  /** Run dist/hydractl (or this file) instead of the sources. */
  binary?: string;
  timeoutMs?: number;
}

/** Only what a test gives, plus PATH and HOME: the caller's HYDRA_ADMIN_URL must not leak in. */
function cleanEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/nonexistent", NO_COLOR: "1" };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

export function sourceCommand(): string[] {
  return "Deno" in globalThis
    ? [`${repoRoot}node_modules/.bin/deno`, "run", "-A", "--quiet", `${repoRoot}src/main.ts`]
    : [`${repoRoot}node_modules/.bin/bun`, `${repoRoot}src/main.ts`];
}

export function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [command, ...prefix] = options.binary ? [options.binary] : sourceCommand();
  const child = spawn(command!, [...prefix, ...args], { env: cleanEnv(options.env ?? {}), stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin!.end(options.stdin ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Why a binary test cannot run, or false. `make test` builds the binary first. */
export const skipWithoutBinary: string | false = existsSync(binaryPath) ? false : `${binaryPath} is missing; run make build`;
