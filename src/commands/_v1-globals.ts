import type { FlagDefs } from "../cli/flags.ts";

/**
 * Hydra v1.8's global flags, which its `version` and `help` take as every other command of
 * it does, so that a command line built for it (an alias that adds `--skip-tls-verify`, a
 * wrapper that adds `--config`) runs here too. These commands read no config file and make
 * no request: the values are taken and go unused.
 */
export const v1GlobalFlags = {
  config: { type: "string", valueHint: "file", unused: true, description: "Taken, as Hydra v1.8 takes it on every command; unused here" },
  "skip-tls-verify": { type: "boolean", unused: true, description: "Taken, as Hydra v1.8 takes it on every command; unused here" },
} as const satisfies FlagDefs;
