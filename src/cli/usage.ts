import type { CommandDef } from "citty";
import { padEnd } from "../chars.ts";
import { UsageError } from "../errors.ts";
import { aliasesOf, envNames, type FlagDef, type FlagDefs, isPositional, positionalName, spell } from "./flags.ts";
import { closest } from "./suggest.ts";

export const PROGRAM = "hydractl";

type AnyCommand = CommandDef<FlagDefs>;

/** citty's lazy values: a value, a promise, or a function giving either. */
export async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

/**
 * Whether `word` is one of the flags every command that has them gives a value, which scripts
 * put before the command words as Hydra's global flags: there the word after one is its value
 * even where it names a command (`-e get client c1` lacks its URL), as cobra reads it. A unit
 * test holds it to the command tables. Comparisons, not an array: a new array on every
 * command's path took `perform client-credentials` past the heap's warm-up threshold (110
 * page faults).
 */
export function takesValueBeforeWords(word: string): boolean {
  return word === "-e" || word === "--endpoint" || word === "--config" || word === "--format" || word === "-H" || word === "--http-header" || word === "--fail-after" || word === "--access-token";
}

/**
 * Walks the command's words down the tree from `root` to the command they name; `rest` is
 * everything else, in order, for that command to parse. Flags may come before the words, as
 * both Hydra CLIs (cobra) take them (`hydra --endpoint URL clients list`, or an alias that
 * adds `--skip-tls-verify`): which command a flag belongs to is not known yet, so a word
 * after one is taken as its value unless it names a command there (or the flag is one
 * that takesValueBeforeWords). The walk ends at "--" or at a command that has no commands of its
 * own, whose words and flags are all in `rest`.
 */
export async function findCommand(root: AnyCommand, args: readonly string[]): Promise<{ command: AnyCommand; path: string[]; rest: string[] }> {
  let command = root;
  const path: string[] = [];
  const rest: string[] = [];
  // Where the flag before a word that names no command took one that does as its value.
  let tookCommandWord: string | undefined;
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index]!;
    const subCommands = await resolve(command.subCommands ?? {});
    if (word === "--" || Object.keys(subCommands).length === 0) break;
    if (word.length > 1 && word[0] === "-") {
      rest.push(word);
      tookCommandWord = undefined;
      const next = args[index + 1];
      // `--flag=value` carries its value; a switch such as --skip-tls-verify is followed by a
      // command. `-fvalue` and `-qe` (switches written together, the last taking the next
      // word) cannot be told apart here, so they are read as the others: the next word is a
      // value unless it names a command.
      const attached = word.includes("=");
      const valued = takesValueBeforeWords(word);
      if (!attached && next !== undefined && next[0] !== "-" && (valued || !subCommands[next])) {
        rest.push(args[++index]!);
        if (subCommands[next]) tookCommandWord = `${word} took "${next}" as its value`;
      }
      continue;
    }
    // Every word that names a command is a key of its group (src/commands/_words.ts).
    const next = subCommands[word] ? await resolve(subCommands[word] as AnyCommand) : undefined;
    if (!next) throw unknownCommand(word, path, Object.keys(subCommands), tookCommandWord);
    command = next;
    path.push(word);
  }
  for (; index < args.length; index++) rest.push(args[index]!);
  return { command, path, rest };
}

/**
 * What a command that only groups others (the root, `clients`, `get`) says when given a
 * flag, or "--", instead of one of its commands. Only the flag's name is repeated, never a
 * value written into it, which may be a secret.
 */
export async function commandNeeded(group: AnyCommand, path: string[], given: string): Promise<UsageError> {
  const words = Object.keys(await resolve(group.subCommands ?? {}));
  const shown = given.startsWith("--") ? given.split("=")[0]! : given.slice(0, 2);
  // `hydractl --versoin`: a misspelling of what a group itself answers to.
  const meant = given.startsWith("--") ? closest(shown.slice(2), path.length === 0 ? ["help", "version"] : ["help"]) : undefined;
  const error = meant
    ? new UsageError(`unknown flag: ${shown} (did you mean --${meant}?)`)
    : new UsageError(`"${shown}" given to "${[PROGRAM, ...path].join(" ")}", which needs one of its commands: ${words.join(", ")}`);
  error.commandPath = path;
  return error;
}

/**
 * A word that names no command under `path`, with the closest of `known` as a hint and the
 * help of `path` as the place to look; `why` the word stands where a command was looked for.
 */
export function unknownCommand(word: string, path: string[], known: readonly string[] = [], why?: string): UsageError {
  const meant = closest(word, known);
  // Only a word that could be a command is repeated: `hydractl revoke "$TOKEN"`, the word
  // `token` forgotten, would otherwise print the token.
  const shown = /^[a-z][a-z0-9-]{0,30}$/i.test(word) ? ` "${word}"` : "";
  const error = new UsageError(`unknown command${shown} for "${[PROGRAM, ...path].join(" ")}"${meant ? ` (did you mean ${meant}?)` : ""}${why ? `; ${why}` : ""}`);
  error.commandPath = path;
  return error;
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

/** The spellings of a flag's aliases, short (`-c`) or long (`--callbacks`). */
function aliasSpellings(def: FlagDef, long: boolean): string[] {
  const spelled: string[] = [];
  for (const alias of aliasesOf(def)) if (alias.length > 1 === long) spelled.push(spell(alias));
  return spelled;
}

function flagDetails(def: FlagDef): string {
  const notes: string[] = [];
  const spellings = aliasSpellings(def, true);
  if (spellings.length) notes.push(`also ${spellings.join(", ")}`);
  if (def.type === "enum" && def.options) notes.push(`one of: ${def.options.join(", ")}`);
  // A number is shown bare, as Hydra's CLI shows one (`default 4446`), text in quotes.
  if (def.default !== undefined && def.default !== false) notes.push(`default ${def.valueHint === "int" ? def.default : JSON.stringify(def.default)}`);
  if (def.env) notes.push(`env ${envNames(def).join(", ")}`);
  if (def.required) notes.push("required");
  const description = def.description ?? "";
  if (!notes.length) return description;
  return description ? `${description} (${notes.join("; ")})` : `(${notes.join("; ")})`;
}

/** Help text in the shape Hydra users know from cobra: description, usage, commands, flags. */
export async function renderUsage(command: AnyCommand, path: string[]): Promise<string> {
  const meta = await resolve(command.meta ?? {});
  const defs = (await resolve(command.args ?? {})) as FlagDefs;
  const subCommands = await resolve(command.subCommands ?? {});
  const name = [PROGRAM, ...path].join(" ");
  const lines: string[] = [meta.description ?? "", ""];

  // Loops, not .map/.filter: --help is a start too, and each array builtin is compiled at
  // its first use (see src/chars.ts).
  const positionalRows: [string, string][] = [];
  const flagRows: [string, string][] = [];
  const shape: string[] = [];
  for (const [key, def] of Object.entries(defs)) {
    if (isPositional(def)) {
      const shown = `${positionalName(key, def)}${def.variadic ? "..." : ""}`;
      shape.push(def.required === false ? `[${shown}]` : shown);
      positionalRows.push([positionalName(key, def), def.description ?? ""]);
    } else {
      const spelled = [...aliasSpellings(def, false), spell(key)].join(", ");
      flagRows.push([`${spelled.startsWith("--") ? "    " : ""}${spelled}${valueHint(def)}`, flagDetails(def)]);
    }
  }
  lines.push("Usage:");
  if (command.run) lines.push(`  ${[name, ...shape].join(" ")} [flags]`);
  if (Object.keys(subCommands).length > 0) lines.push(`  ${name} <command> [flags]`);
  lines.push("");

  // Several words may name one command (Hydra v2's `get client`, `get oauth2-client`):
  // it is listed once, under all its words.
  // Pairs in an array, not a Map: iterating a Map compiles its iterator at the first use.
  const byCommand: [AnyCommand, string[]][] = [];
  for (const [sub, loader] of Object.entries(subCommands)) {
    const loaded = await resolve(loader as AnyCommand);
    let entry: [AnyCommand, string[]] | undefined;
    for (const pair of byCommand) if (pair[0] === loaded) entry = pair;
    if (entry) entry[1].push(sub);
    else byCommand.push([loaded, [sub]]);
  }
  const commandRows: [string, string][] = [];
  for (const [loaded, words] of byCommand) {
    const subMeta = await resolve(loaded.meta ?? {});
    if (!subMeta.hidden) commandRows.push([words.join(", "), summary(subMeta.description)]);
  }
  if (commandRows.length) lines.push("Commands:", ...columns(commandRows), "");

  if (positionalRows.length) lines.push("Arguments:", ...columns(positionalRows), "");

  // The command as it was named: `token client`'s help is client's, not client-credentials'.
  flagRows.push(["-h, --help", `help for ${path.at(-1) ?? meta.name ?? PROGRAM}`]);
  lines.push("Flags:", ...columns(flagRows), "");

  if (commandRows.length) lines.push(`Use "${name} <command> --help" for more about a command.`, "");
  return lines.join("\n");
}

function columns(rows: [string, string][]): string[] {
  let width = 0;
  for (const [left] of rows) if (left.length > width) width = left.length;
  const lines: string[] = [];
  // Not Math.max: it is built at its first use, and every --help runs this.
  for (const [left, right] of rows) lines.push(`  ${padEnd(left, width)}   ${right}`.trimEnd());
  return lines;
}
