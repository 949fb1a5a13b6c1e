import pkg from "../../package.json" with { type: "json" };
import type { Runtime } from "../runtime/index.ts";
import { PROGRAM } from "./usage.ts";

// Set by scripts/build with --define; absent when running from source.
declare const HYDRACTL_COMMIT: string | undefined;

/** What `--version` and `hydractl version` print: the release, the commit built, the runtime. */
export function versionText(runtime: Runtime): string {
  const commit = typeof HYDRACTL_COMMIT === "string" && HYDRACTL_COMMIT ? ` (commit ${HYDRACTL_COMMIT})` : "";
  return `${PROGRAM} ${pkg.version}${commit}, ${runtime.name}\n`;
}
