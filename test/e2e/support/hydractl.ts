// The compiled binary as a user runs it: a separate process from dist/, never the sources.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cleanEnv, type RunResult, spawnCli } from "../../support/cli.ts";

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

/** The environment of every e2e process: no HOME, so no ~/.hydra.yaml of whoever runs the suite. */
export const e2eEnv = (extra: Record<string, string> = {}) => cleanEnv({ HOME: "/nonexistent", ...extra });

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
export async function startLocalClient(args: string[], env: Record<string, string> = {}): Promise<LocalClientProcess> {
  // --https keeps its certificate in the cache directory: among the artifacts, not under HOME.
  const cache = `${artifacts}/cache`;
  const spawned = spawnCli(["perform", "authorization-code", ...args], { binary: hydractl, env: { HOME: "/nonexistent", XDG_CACHE_HOME: cache, ...env }, timeoutMs: 90_000 });
  return { home: await spawned.home, stderr: spawned.stderr, exited: spawned.exited, interrupt: spawned.interrupt };
}
