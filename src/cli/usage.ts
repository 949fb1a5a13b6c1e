import type { CommandDef } from "citty";
import { aliasesOf, type FlagDef, type FlagDefs, spell } from "./flags.ts";

export const PROGRAM = "hydractl";

type AnyCommand = CommandDef<FlagDefs>;

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
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
  if (def.env) notes.push(`env ${def.env}`);
  return [def.description ?? "", notes.length ? `(${notes.join("; ")})` : ""].filter(Boolean).join(" ");
}

/** Help text in the shape Hydra users know from cobra: description, usage, commands, flags. */
export async function renderUsage(command: AnyCommand, path: string[]): Promise<string> {
  const meta = await resolve(command.meta ?? {});
  const defs = (await resolve(command.args ?? {})) as FlagDefs;
  const subCommands = await resolve(command.subCommands ?? {});
  const name = [PROGRAM, ...path].join(" ");
  const lines: string[] = [meta.description ?? "", ""];
  const aliases = [meta.alias ?? []].flat();

  lines.push("Usage:");
  if (command.run) lines.push(`  ${name} [flags]`);
  if (Object.keys(subCommands).length > 0) lines.push(`  ${name} <command> [flags]`);
  lines.push("");
  if (aliases.length) lines.push(`Aliases: ${aliases.join(", ")}`, "");

  const commandRows: [string, string][] = [];
  for (const [sub, loader] of Object.entries(subCommands)) {
    const subMeta = await resolve((await resolve(loader as AnyCommand)).meta ?? {});
    if (!subMeta.hidden) commandRows.push([sub, summary(subMeta.description)]);
  }
  if (commandRows.length) lines.push("Commands:", ...columns(commandRows), "");

  const flagRows: [string, string][] = Object.entries(defs).map(([flag, def]) => {
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
