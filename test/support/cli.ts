// Runs hydractl as a user does: a separate process, from the sources on the runtime the
// tests run on (bun test → Bun, deno test → Deno), or the compiled binary in dist/.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { constants } from "node:os";
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
  /** Leave stdin open for `Spawned.write` (after `stdin`, if given) instead of ending it. */
  interactive?: boolean;
  env?: Record<string, string | undefined>;
  /** Run dist/hydractl (or this file) instead of the sources. */
  binary?: string;
  /** Killed after this long, so a stuck process fails its test instead of hanging the run. */
  timeoutMs?: number;
  /** Working directory; the test runner's by default. */
  cwd?: string;
  /**
   * Where stdout goes instead of a pipe the test reads: `full` is /dev/full (every write
   * fails with ENOSPC), `closed` a pipe whose reader is gone before the first write (EPIPE),
   * `{ append }` a regular file, opened as a shell's `>>` does.
   */
  stdout?: "full" | "closed" | { append: string };
}

export interface Spawned {
  stdout(): string;
  stderr(): string;
  exited: Promise<RunResult>;
  /**
   * The first `http(s)://127.0.0.1:PORT/` printed on stderr: the home page that
   * `perform authorization-code` prints once it listens. Rejects if the process ends first.
   */
  home: Promise<string>;
  /** Ctrl+C, or another signal that ends a run (SIGHUP: the terminal closed). */
  interrupt(signal?: "SIGINT" | "SIGTERM" | "SIGHUP"): void;
  /** Types on stdin (with `interactive`); `end` closes it, as Ctrl+D does. */
  write(text: string, end?: boolean): void;
}

/**
 * Only what a test gives, plus PATH and HOME: the caller's HYDRA_ADMIN_URL must not leak
 * in. HOME stays (Deno keeps its cache there); pass HOME to shut out a ~/.hydra.yaml.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/nonexistent", NO_COLOR: "1" };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

export function sourceCommand(): string[] {
  return "Deno" in globalThis
    ? [`${repoRoot}node_modules/.bin/deno`, "run", "-A", "--quiet", `${repoRoot}src/main.ts`]
    : [`${repoRoot}node_modules/.bin/bun`, `${repoRoot}src/main.ts`];
}

/** Processes still running when the test runner exits (a failed test) end with it. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export function spawnCli(args: string[], options: RunOptions = {}): Spawned {
  const [command, ...prefix] = options.binary ? [options.binary] : sourceCommand();
  const target = options.stdout === "full" ? openSync("/dev/full", "w") : typeof options.stdout === "object" ? openSync(options.stdout.append, "a") : undefined;
  const child = spawn(command!, [...prefix, ...args], { env: cleanEnv(options.env), cwd: options.cwd, stdio: ["pipe", target ?? "pipe", "pipe"] });
  if (target !== undefined) closeSync(target);
  running.add(child);
  let stdout = "";
  let stderr = "";
  if (options.stdout === "closed") child.stdout!.destroy();
  else child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  if (options.interactive) child.stdin!.write(options.stdin ?? "");
  else child.stdin!.end(options.stdin ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // Ended by a signal it did not handle: the code a shell reports for that, 128 + its number.
      resolve({ code: code ?? (signal ? 128 + constants.signals[signal] : 1), stdout, stderr });
    });
  });
  const home = new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", () => {
      const url = /(https?:\/\/127\.0\.0\.1:\d+\/)(?=\s)/.exec(stderr)?.[1];
      if (url) resolve(url);
    });
    exited.then((result) => reject(new Error(`hydractl exited (${result.code}) before printing its URL:\n${result.stderr}`)), reject);
  });
  home.catch(() => {}); // only the callers that wait for it care
  const write = (text: string, end = false) => (end ? child.stdin!.end(text) : child.stdin!.write(text));
  const interrupt = (signal: "SIGINT" | "SIGTERM" | "SIGHUP" = "SIGINT") => {
    // As the OS call, not child.kill(): Deno's ChildProcess sends a child one signal, and then
    // reports that signal instead of the exit code the child chose after handling it. A child
    // that has ended meanwhile (cleanup interrupts whatever is left) is no error.
    try {
      process.kill(child.pid!, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  };
  return { stdout: () => stdout, stderr: () => stderr, exited, home, interrupt, write };
}

export function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return spawnCli(args, options).exited;
}

/** Why a binary test cannot run, or false. `make test` builds the binary first. */
export const skipWithoutBinary: string | false = existsSync(binaryPath) ? false : `${binaryPath} is missing; run make build`;

/**
 * The two ways a process test runs hydractl: from the sources on this runtime, and as the
 * compiled binary (skipped until it is built). `command` is the program and its leading
 * arguments, for a test that starts hydractl through a wrapper of its own.
 */
export const targets: { label: string; binary: string | undefined; skip: string | false; command: string[] }[] = [
  { label: "sources", binary: undefined, skip: false, command: sourceCommand() },
  { label: "binary", binary: binaryPath, skip: skipWithoutBinary, command: [binaryPath] },
];


/** Settles once `ready` holds, polled every 20 ms `tries` times (10 s by default); fails naming `what`, with the CLI's stderr. */
export async function waitUntil(cli: Spawned, ready: () => boolean, what: string, tries = 500): Promise<void> {
  for (let tried = 0; !ready(); tried++) {
    if (tried >= tries) throw new Error(`${what} never happened:\n${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Ctrl+C once `ready` holds (polled, for at most 10 s), then the process's end. */
export async function interruptWhen(cli: Spawned, ready: () => boolean, what: string): Promise<RunResult> {
  await waitUntil(cli, ready, what);
  cli.interrupt();
  return await cli.exited;
}
