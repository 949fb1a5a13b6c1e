import type { ArgDef } from "citty";
import { UsageError } from "../errors.ts";
import { closest } from "./suggest.ts";

/**
 * Turns the text of a flag or argument into the value a command works with, or throws a
 * UsageError. `name` is how the user wrote it: `--endpoint`, `HYDRA_ADMIN_URL`, `ID`, …
 */
export type Parser<T> = (text: string, name: string) => T;

/**
 * One entry of a command's table: a citty argument definition plus what hydractl adds.
 * The table is the only source of truth: parsing, environment, config file, help and the
 * type of the `args` a command's `run` receives are all derived from it.
 */
export type FlagDef = ArgDef & {
  /** Environment variables read, in order, when the flag is not given. */
  env?: string | readonly string[];
  /**
   * A list flag. `comma`: `-c a,b` and `-c a -c b` both give [a, b], as Hydra's are.
   * `repeat`: each use adds its value whole (headers, whose values hold commas).
   * `words`: as `comma`, and a space separates too, for scopes, which hold none (RFC 6749
   * §3.3): `--scope 'openid offline'` is the protocol's own way to write two, and Hydra's
   * CLIs, joining the list with spaces, send it as two.
   */
  list?: "comma" | "repeat" | "words";
  /** Checks and converts each value (defaults, environment and config values too). */
  parse?: Parser<unknown>;
  /** A positional that takes every remaining argument (it must be the last positional). */
  variadic?: boolean;
  /** Words each use of a list flag takes (`--add PATH VALUE`: 2); 1 by default. */
  arity?: number;
  /** Values shell completion offers where the parser takes more than a list (`--format`'s `jsonpath=`). */
  suggest?: readonly string[];
  /** Taken and ignored (Hydra v1.8's global flags on `version` and `help`): a `config` so marked reads no file. */
  unused?: true;
  /**
   * A secret the command works with (the token it revokes, a client's secret). A word such a
   * command did not expect is not repeated in its error, as it may be another one:
   * `revoke token "$A" "$B"`, or a secret written where no flag takes it, would otherwise
   * put it on the screen and in a CI job's log.
   */
  secret?: true;
  /**
   * Given empty (`--endpoint "$URL"` with URL unset), as if not given: its variables and the
   * config file are read, as Hydra's CLIs read the environment for an empty --endpoint.
   */
  emptyIsUnset?: true;
};
export type FlagDefs = Record<string, FlagDef>;

/** What the command line, environment and config file hold before parsing. */
export type RawValue = string | boolean | string[];
export type RawValues = Record<string, RawValue | undefined>;

type ValueOf<D> = D extends { parse: Parser<infer T> }
  ? T
  : D extends { type: "boolean" }
    ? boolean
    : D extends { type: "enum"; options: readonly (infer O)[] }
      ? O
      : string;

type ArgValue<D> = D extends { type: "positional"; variadic: true }
  ? ValueOf<D>[]
  : D extends { list: "comma" | "repeat" | "words" }
    ? ValueOf<D>[]
    : D extends { type: "boolean" }
      ? boolean
      : D extends { type: "positional"; required: false }
        ? ValueOf<D> | undefined
        : D extends { type: "positional" } | { required: true } | { default: string }
          ? ValueOf<D>
          : ValueOf<D> | undefined;

/** The typed arguments a command's `run` receives, derived from its table. */
export type Args<A extends FlagDefs> = { readonly [K in keyof A]: ArgValue<A[K]> };

export interface ParsedLine {
  values: RawValues;
  positionals: string[];
  /** How each flag given was written (`--redirect-uri`, `-c`), where every use wrote it alike. */
  spelled: Sources;
  /** The flags as they came, one entry each time one was written: an order a command may keep (patch's operations). */
  sequence: string[];
}

export function aliasesOf(def: FlagDef): readonly string[] {
  // No .flat() here or below: every start parses its line (see src/chars.ts).
  const alias = "alias" in def ? def.alias : undefined;
  return alias === undefined ? [] : typeof alias === "string" ? [alias] : alias;
}

/** How a flag or alias is written on the command line: `-c` or `--callbacks`. */
export function spell(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** The name a positional is shown by in usage and messages: its value hint, or its key in capitals. */
export function positionalName(name: string, def: FlagDef): string {
  return def.valueHint ?? name.toUpperCase().replaceAll("-", "_");
}

export function envNames(def: FlagDef): readonly string[] {
  return def.env === undefined ? [] : typeof def.env === "string" ? [def.env] : def.env;
}

export function isPositional(def: FlagDef): boolean {
  return def.type === "positional";
}

/** Dashes that are not "-": what a word processor or a web page makes of "--" and "-". */
function isDashLike(code: number): boolean {
  return (code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0xfe58 || code === 0xfe63 || code === 0xff0d;
}

/**
 * `—endpoint`, pasted from a document, would pass for a value or an argument (a client ID):
 * refused, with the flag it was meant to be, since a flag name starts with a letter.
 */
function typographicDash(arg: string): UsageError {
  let at = 0;
  while (at < arg.length && isDashLike(arg.charCodeAt(at))) at++;
  const name = arg.slice(at).split("=")[0]!;
  return new UsageError(`"${arg}" starts with a dash that is not "-" (pasted from a document?); write ${name.length === 1 ? "-" : "--"}${name}`);
}

/**
 * A strict parser over the table: citty's own parser accepts unknown flags and keeps only
 * the last of repeated ones, while hydractl must reject typos (exit 2) and accumulate list
 * flags the way Hydra's `-c a -c b` does.
 */
export function parseLine(line: readonly string[], defs: FlagDefs): ParsedLine {
  const values: RawValues = {};
  const positionals: string[] = [];
  const spelled: Sources = {};
  const sequence: string[] = [];
  // Grows when short switches written together (`-qe URL`) are taken apart.
  let rawArgs = line;
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (isDashLike(arg.charCodeAt(0)) && arg.length > 1) throw typographicDash(arg);
      positionals.push(arg);
      continue;
    }
    let written = arg;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) [written, inline] = [arg.slice(0, eq), arg.slice(eq + 1)];
    } else if (arg.length > 2) {
      // `-endpoint`, `-format`: a long flag with one dash, which cobra would read as -e ndpoint.
      const long = arg.indexOf("=") > 0 ? arg.slice(0, arg.indexOf("=")) : arg;
      if (flagNamed(`-${long}`, defs)) throw new UsageError(`unknown flag: ${long} (did you mean -${long}?)`);
      [written, inline] = [arg.slice(0, 2), arg.slice(2).replace(/^=/, "")];
    }
    const name = flagNamed(written, defs);
    if (!name) throw new UsageError(`unknown flag: ${written}${dashedValueHint(arg, defs) || meantFlag(written, defs)}`);
    // A message about the value names it as written; a flag written two ways, by its name.
    spelled[name] = spelled[name] === undefined || spelled[name] === written ? written : spell(name);
    sequence.push(name);
    const def = defs[name]!;
    if (def.type === "boolean") {
      // `-qe URL`: short switches written together, as cobra takes them; what follows the
      // switch is the next short flag (`-q=false` still gives the switch a value).
      if (inline !== undefined && !arg.startsWith("--") && arg[2] !== "=") {
        values[name] = true;
        rawArgs = [...rawArgs.slice(0, i + 1), `-${inline}`, ...rawArgs.slice(i + 1)];
        continue;
      }
      values[name] = inline === undefined ? true : parseBoolean(inline, written);
      continue;
    }
    const words = inline === undefined ? [] : [inline];
    while (words.length < (def.arity ?? 1)) {
      const next = rawArgs[i + 1];
      if (next === undefined || next.startsWith("--") || (next.length === 2 && next[0] === "-" && flagNamed(next, defs) !== undefined)) {
        throw new UsageError(`flag needs ${def.arity ? `${def.arity} values` : "a value"}: ${written}`);
      }
      words.push(next);
      i++;
    }
    if (!def.list) {
      values[name] = words[0]!;
      continue;
    }
    const list = (values[name] as string[] | undefined) ?? [];
    for (const word of words) list.push(...listItems(def, word));
    values[name] = list;
  }
  return { values, positionals, spelled, sequence };
}

/**
 * The table's name for a flag as written: `--callbacks`, `--redirect-uri` or `-c`. Found in
 * the table itself, not in a map of every spelling built first: a command line names a few
 * of a command's dozens of flags, and every start parses one.
 */
function flagNamed(written: string, defs: FlagDefs): string | undefined {
  const long = written.startsWith("--");
  const word = written.slice(long ? 2 : 1);
  if (long && Object.hasOwn(defs, word) && !isPositional(defs[word]!)) return word;
  // An alias of one letter is written -c, a longer one --redirect-uri.
  if (long !== word.length > 1) return undefined;
  for (const name in defs) {
    const def = defs[name]!;
    const alias = "alias" in def ? def.alias : undefined;
    if (alias === undefined || isPositional(def)) continue;
    if (typeof alias === "string" ? alias === word : alias.includes(word)) return name;
  }
  return undefined;
}

export function parseBoolean(text: string, flag: string): boolean {
  // Go's strconv.ParseBool, which Hydra's CLIs read flags with, takes t and f too.
  if (/^(true|t|1|yes)$/i.test(text)) return true;
  if (/^(false|f|0|no)$/i.test(text)) return false;
  throw new UsageError(`invalid value "${text}" for ${flag}: expected true or false`);
}

export function listItems(def: FlagDef, value: string): string[] {
  if (def.list === "repeat") return [value];
  const items = splitList(value);
  if (def.list !== "words") return items;
  // Loops, not .flatMap(): perform's default scopes come through here at every start.
  const words: string[] = [];
  for (const item of items) words.push(...splitWords(item));
  return words;
}

/** The words of `text`, split at spaces and tabs; by hand, where a regex's first use costs every start. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  for (const char of text) {
    if (char !== " " && char !== "\t") word += char;
    else if (word) {
      words.push(word);
      word = "";
    }
  }
  if (word) words.push(word);
  return words;
}

/**
 * Hydra's list flags take comma-separated values, read as CSV (pflag's string slices): an
 * item in double quotes keeps its commas, `""` in it is one quote. Items are trimmed, and
 * empty ones dropped.
 */
export function splitList(value: string): string[] {
  const items: string[] = [];
  let at = 0;
  while (at <= value.length) {
    let start = at;
    while (value[start] === " " || value[start] === "\t") start++;
    if (value[start] !== '"') {
      const comma = value.indexOf(",", start);
      const end = comma < 0 ? value.length : comma;
      const item = value.slice(start, end).trim();
      if (item !== "") items.push(item);
      at = end + 1;
      continue;
    }
    let item = "";
    let next = start + 1;
    while (next < value.length && !(value[next] === '"' && value[next + 1] !== '"')) {
      item += value[next];
      next += value[next] === '"' ? 2 : 1;
    }
    if (item !== "") items.push(item);
    const comma = value.indexOf(",", next);
    at = comma < 0 ? value.length + 1 : comma + 1;
  }
  return items;
}

/** Where a raw value came from, to name it in an error: `--endpoint`, `HYDRA_ADMIN_URL`… */
export type Sources = Record<string, string | undefined>;

/** A long flag mistyped (`--nmae`): the spelling it most likely meant, as a hint. */
function meantFlag(written: string, defs: FlagDefs): string {
  if (!written.startsWith("--")) return "";
  const spellings: string[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (isPositional(def)) continue;
    spellings.push(name);
    for (const alias of aliasesOf(def)) if (alias.length > 1) spellings.push(alias);
  }
  // The same thing under another command's name (the token commands' --client-secret is
  // the client commands' --secret; create's --redirect-uri is perform's --redirect).
  const word = written.slice(2);
  const elsewhere: Record<string, string[]> = {
    "client-secret": ["secret"],
    "client-id": ["id"],
    secret: ["client-secret"],
    id: ["client-id"],
    callback: ["redirect", "redirect-uri"],
    callbacks: ["redirect", "redirect-uri"],
    "redirect-uri": ["redirect"],
    redirect: ["redirect-uri"],
  };
  let meant: string | undefined;
  for (const other of Object.hasOwn(elsewhere, word) ? elsewhere[word]! : []) if (!meant && spellings.includes(other)) meant = other;
  meant ??= closest(word, spellings);
  return meant ? ` (did you mean --${meant}?)` : "";
}

/**
 * A random value such as a token can begin with "-" and then reads as a cluster of short
 * flags; the hint names the way through without quoting the value, which may be a secret.
 */
function dashedValueHint(arg: string, defs: FlagDefs): string {
  const positional = Object.entries(defs).find(([, def]) => isPositional(def));
  if (!positional || arg.startsWith("--") || arg.length <= 2) return "";
  return ` (if it is the ${positionalName(...positional)}, put it after --)`;
}

/**
 * Turns the raw values (after environment, config and defaults) and the positionals into
 * the typed arguments the table promises: required flags and arguments present, enums
 * within their options, every value through its parser, no argument left over.
 */
export function finishArgs<A extends FlagDefs>(defs: A, raw: RawValues, positionals: readonly string[], sources: Sources = {}): Args<A> {
  const args: Record<string, unknown> = {};
  const rest = [...positionals];
  for (const name in defs) {
    const def = defs[name]!;
    if (isPositional(def)) {
      const shown = positionalName(name, def);
      const taken = def.variadic ? rest.splice(0) : rest.splice(0, 1);
      if (taken.length === 0 && def.required !== false) throw new UsageError(`missing argument ${shown}`);
      const values: unknown[] = [];
      for (const text of taken) {
        // An ID, a set, a token or a file is never empty: `hydractl delete client "$ID"` with
        // ID unset must not reach the server as /admin/clients/.
        if (text === "") throw new UsageError(`empty argument ${shown} (is a shell variable unset?)`);
        values.push(convert(def, text, shown));
      }
      args[name] = def.variadic ? values : values[0];
      continue;
    }
    const value = raw[name];
    if (value === undefined) {
      if (def.required) {
        const variables = envNames(def);
        throw new UsageError(`missing ${spell(name)}${variables.length ? ` (or the ${variables.join(" or ")} environment variable)` : ""}`);
      }
      args[name] = def.type === "boolean" ? false : def.list ? [] : undefined;
      continue;
    }
    const shown = sources[name] ?? spell(name);
    if (typeof value === "boolean") {
      args[name] = value;
    } else if (Array.isArray(value)) {
      // Loops, not .map(): every start runs this (see src/chars.ts).
      const items: unknown[] = [];
      for (const item of value) items.push(convert(def, item, shown));
      args[name] = items;
    } else {
      args[name] = convert(def, value, shown);
    }
  }
  if (rest.length > 0) throw unexpected(defs, rest[0]!);
  return args as Args<A>;
}

function unexpected(defs: FlagDefs, word: string): UsageError {
  let last: string | undefined;
  let secret = false;
  for (const name in defs) {
    const def = defs[name]!;
    if (def.secret) secret = true;
    if (isPositional(def)) last = positionalName(name, def);
  }
  // A long word is more likely a token or secret pasted in the wrong place than a word of the command's.
  if (!secret) return new UsageError(`unexpected argument "${word.length > 24 ? `${word.slice(0, 4)}…` : word}"`);
  return new UsageError(`unexpected argument${last ? ` after ${last}` : ""} (not repeated here, as it may be a secret)`);
}

function convert(def: FlagDef, text: string, shown: string): unknown {
  if (text.includes("\uFFFD")) {
    // The runtime hands over argv as UTF-16 and replaces bytes that are not UTF-8 with
    // U+FFFD; sending that on would change the value behind the user's back.
    throw new UsageError(`invalid value for ${shown}: it holds bytes that are not UTF-8`);
  }
  if (def.type === "enum" && def.options && !def.options.includes(text)) {
    // Only a value in another case: an option one letter off may be another algorithm (HS384, RS384).
    const lower = text.toLowerCase();
    let meant: string | undefined;
    for (const option of def.options) if (option.toLowerCase() === lower) meant = option;
    throw new UsageError(`invalid value "${text}" for ${shown}: expected one of ${def.options.join(", ")}${meant ? ` (did you mean ${meant}?)` : ""}`);
  }
  return def.parse ? def.parse(text, shown) : text;
}
