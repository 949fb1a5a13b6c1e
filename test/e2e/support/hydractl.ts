// The compiled binary as a user runs it: a separate process from dist/, never the sources.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RunResult } from "../../support/cli.ts";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url).href);
/** The host binary (`scripts/build --single`). */
export const hydractl = `${repoRoot}dist/hydractl`;
/** Screenshots and other evidence; git-ignored. */
export const artifacts = `${repoRoot}test/e2e/artifacts`;
mkdirSync(artifacts, { recursive: true });

/** Why the suite cannot run, or false: scripts/e2e builds the binaries first. */
export function missing(...paths: string[]): string | false {
  const absent = paths.filter((path) => !existsSync(path));
  return absent.length ? `missing ${absent.join(", ")}; run scripts/e2e, which builds them` : false;
}

/**
 * Only what a test gives, plus PATH: the caller's HYDRA_ADMIN_URL and friends must not leak
 * in, nor a ~/.hydra.yaml of whoever runs the suite.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent", NO_COLOR: "1", ...extra };
}

/** Processes still running when the test runner exits (a failed test) end with it. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface LocalClientProcess {
  /** The URL hydractl prints for the user to open. */
  home: string;
  /** Everything written so far on stderr. */
  stderr(): string;
  /** Settles when the process exits. */
  exited: Promise<RunResult>;
  /** Ctrl+C. */
  interrupt(): void;
}

/**
 * Starts `hydractl perform authorization-code ARGS` and resolves once it has printed the
 * URL to open (its home page) on stderr.
 */
export function startLocalClient(args: string[], env: Record<string, string> = {}): Promise<LocalClientProcess> {
  const child = spawn(hydractl, ["perform", "authorization-code", ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.on("exit", () => running.delete(child));
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8");
  // A hung process must not hang the suite: bun's per-test timeout ends the test, this the process.
  const killer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
  return new Promise((resolve, reject) => {
    const silent = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hydractl printed no URL to open within 20 s:\n${stderr}`));
    }, 20_000);
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      // The home page: the first URL printed whose path is "/" (the callback URL ends in /callback).
      const home = /(https?:\/\/127\.0\.0\.1:\d+\/)(?=\s)/.exec(stderr)?.[1];
      if (!home) return;
      clearTimeout(silent);
      resolve({ home, stderr: () => stderr, exited, interrupt: () => child.kill("SIGINT") });
    });
    exited.then((result) => {
      clearTimeout(silent);
      reject(new Error(`hydractl exited (${result.code}) before printing its URL:\n${result.stderr}`));
    }, reject);
  });
}
