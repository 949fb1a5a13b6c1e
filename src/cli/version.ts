import pkg from "../../package.json" with { type: "json" };
import type { Runtime } from "../runtime/index.ts";
import { PROGRAM } from "./usage.ts";

// Set by scripts/compile.ts with --define; absent when running from the sources.
declare const HYDRACTL_COMMIT: string | undefined;

/**
 * What `--version` and `hydractl version` print: the release, the commit built, the runtime.
 * scripts/compile.ts renders it before the commit is defined, so it passes the commit.
 */
export function versionText(runtime: Pick<Runtime, "name">, commit = typeof HYDRACTL_COMMIT === "string" ? HYDRACTL_COMMIT : ""): string {
  return `${PROGRAM} ${pkg.version}${commit ? ` (commit ${commit})` : ""}, ${runtime.name}\n`;
}
