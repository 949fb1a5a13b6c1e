import { UsageError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";
import type { FlagValues } from "./flags.ts";
import { type Format, parseFormat } from "./output.ts";

/** What src/main.ts hands every command through citty's `data`. */
export interface CommandContext {
  runtime: Runtime;
  /** Flags after the command line, environment, config file and defaults were applied. */
  flags: FlagValues;
  /** The flags written on the command line itself (not from env, config or defaults). */
  given: ReadonlySet<string>;
  /** The command's words, e.g. ["clients", "create"]. */
  path: string[];
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

export function listFlag(flags: FlagValues, name: string): string[] {
  const value = flags[name];
  return Array.isArray(value) ? value : [];
}

export function booleanFlag(flags: FlagValues, name: string): boolean {
  return flags[name] === true;
}

export function integerFlag(flags: FlagValues, name: string): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`invalid value "${value}" for --${name}: expected a whole number`);
  return Number(value);
}

export function formatFlag(flags: FlagValues): Format {
  return parseFormat(stringFlag(flags, "format") ?? "default");
}

/** Writes progress and notices to stderr unless `--quiet`. */
export function notifier(context: CommandContext): (message: string) => void {
  return (message) => {
    if (!booleanFlag(context.flags, "quiet")) void context.runtime.writeStderr(`${message}\n`);
  };
}
