import type { ArgDef } from "citty";
import { UsageError } from "../errors.ts";

/** A citty argument definition plus what hydractl adds: an environment variable and lists. */
export type FlagDef = ArgDef & {
  /** Environment variable read when the flag is not given. */
  env?: string;
  /**
   * A list flag. `comma`: `-c a,b` and `-c a -c b` both give [a, b], as Hydra's are.
   * `repeat`: each use adds its value whole (headers, whose values hold commas).
   */
  list?: "comma" | "repeat";
};
export type FlagDefs = Record<string, FlagDef>;
export type FlagValue = string | boolean | string[];
export type FlagValues = Record<string, FlagValue | undefined>;

export interface ParsedFlags {
  values: FlagValues;
  positionals: string[];
}

export function aliasesOf(def: FlagDef): string[] {
  return "alias" in def && def.alias !== undefined ? [def.alias].flat() : [];
}

/** How a flag or alias is written on the command line: `-c` or `--callbacks`. */
export function spell(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * A strict parser over citty's definitions: citty's own parser accepts unknown flags and
 * keeps only the last of repeated ones, while hydractl must reject typos (exit 2) and
 * accumulate list flags the way Hydra's `-c a -c b` does.
 */
export function parseFlags(rawArgs: readonly string[], defs: FlagDefs): ParsedFlags {
  const byName = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    byName.set(`--${name}`, name);
    for (const alias of aliasesOf(def)) byName.set(spell(alias), name);
  }
  const values: FlagValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let written = arg;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) [written, inline] = [arg.slice(0, eq), arg.slice(eq + 1)];
    } else if (arg.length > 2) {
      [written, inline] = [arg.slice(0, 2), arg.slice(2).replace(/^=/, "")];
    }
    const name = byName.get(written);
    if (!name) throw new UsageError(`unknown flag: ${written}`);
    const def = defs[name]!;
    if (def.type === "boolean") {
      values[name] = inline === undefined ? true : parseBoolean(inline, written);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = rawArgs[i + 1];
      if (next === undefined || next.startsWith("--") || (next.length === 2 && byName.has(next))) {
        throw new UsageError(`flag needs a value: ${written}`);
      }
      value = next;
      i++;
    }
    values[name] = def.list ? [...((values[name] as string[] | undefined) ?? []), ...listItems(def, value)] : value;
  }
  return { values, positionals };
}

export function parseBoolean(text: string, flag: string): boolean {
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  throw new UsageError(`invalid value "${text}" for ${flag}: expected true or false`);
}

export function listItems(def: FlagDef, value: string): string[] {
  return def.list === "repeat" ? [value] : splitList(value);
}

/** Hydra's list flags take comma-separated values; empty items are dropped. */
export function splitList(value: string): string[] {
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** Checks enum flags, whichever source their value came from. */
export function checkChoices(values: FlagValues, defs: FlagDefs): void {
  for (const [name, def] of Object.entries(defs)) {
    const value = values[name];
    if (def.type !== "enum" || value === undefined || !def.options) continue;
    for (const item of [value].flat()) {
      if (!def.options.includes(String(item))) {
        throw new UsageError(`invalid value "${item}" for --${name}: expected one of ${def.options.join(", ")}`);
      }
    }
  }
}
