import type { CommandDef } from "citty";
import { aliasesOf, envNames, type FlagDef, type FlagDefs, isPositional, positionalName, spell } from "./flags.ts";

export const PROGRAM = "hydractl";

type AnyCommand = CommandDef<FlagDefs>;

/** citty's lazy values: a value, a promise, or a function giving either. */
export async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

/** The first line of a description: what command lists show. */
export function summary(description = ""): string {
  return description.split("\n")[0]!;
}

function valueHint(def: FlagDef): string {
  if (def.type === "boolean") return "";
  if (def.valueHint) return ` ${def.valueHint}`;
  return def.list ? " strings" : " string";
}

function flagDetails(def: FlagDef): string {
  const notes: string[] = [];
  const spellings = aliasesOf(def).filter((alias) => alias.length > 1);
  if (spellings.length) notes.push(`also ${spellings.map(spell).join(", ")}`);
  if (def.type === "enum" && def.options) notes.push(`one of: ${def.options.join(", ")}`);
  if (def.default !== undefined && def.default !== false) notes.push(`default ${JSON.stringify(def.default)}`);
  if (def.env) notes.push(`env ${envNames(def).join(", ")}`);
  if (def.required) notes.push("required");
  return [def.description ?? "", notes.length ? `(${notes.join("; ")})` : ""].filter(Boolean).join(" ");
}

/** Help text in the shape Hydra users know from cobra: description, usage, commands, flags. */
export async function renderUsage(command: AnyCommand, path: string[]): Promise<string> {
  const meta = await resolve(command.meta ?? {});
  const defs = (await resolve(command.args ?? {})) as FlagDefs;
  const subCommands = await resolve(command.subCommands ?? {});
  const name = [PROGRAM, ...path].join(" ");
  const lines: string[] = [meta.description ?? "", ""];

  const positionals = Object.entries(defs).filter(([, def]) => isPositional(def));
  const shape = positionals.map(([key, def]) => {
    const shown = `${positionalName(key, def)}${def.variadic ? "..." : ""}`;
    return def.required === false ? `[${shown}]` : shown;
  });
  lines.push("Usage:");
  if (command.run) lines.push(`  ${[name, ...shape].join(" ")} [flags]`);
  if (Object.keys(subCommands).length > 0) lines.push(`  ${name} <command> [flags]`);
  lines.push("");

  // Several words may name one command (Hydra v2's `get client`, `get oauth2-client`):
  // it is listed once, under all its words.
  const byCommand = new Map<AnyCommand, string[]>();
  for (const [sub, loader] of Object.entries(subCommands)) {
    const loaded = await resolve(loader as AnyCommand);
    byCommand.set(loaded, [...(byCommand.get(loaded) ?? []), sub]);
  }
  const commandRows: [string, string][] = [];
  for (const [loaded, words] of byCommand) {
    const subMeta = await resolve(loaded.meta ?? {});
    if (!subMeta.hidden) commandRows.push([words.join(", "), summary(subMeta.description)]);
  }
  if (commandRows.length) lines.push("Commands:", ...columns(commandRows), "");

  if (positionals.length) lines.push("Arguments:", ...columns(positionals.map(([key, def]) => [positionalName(key, def), def.description ?? ""])), "");

  const flagRows: [string, string][] = Object.entries(defs).filter(([, def]) => !isPositional(def)).map(([flag, def]) => {
      const spelled = [...aliasesOf(def).filter((alias) => alias.length === 1), flag].map(spell).join(", ");
      return [`${spelled.startsWith("--") ? "    " : ""}${spelled}${valueHint(def)}`, flagDetails(def)];
    });
  flagRows.push(["-h, --help", `help for ${meta.name ?? PROGRAM}`]);
  lines.push("Flags:", ...columns(flagRows), "");

  if (commandRows.length) lines.push(`Use "${name} <command> --help" for more about a command.`, "");
  return lines.join("\n");
}

function columns(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`.trimEnd());
}
