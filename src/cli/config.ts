import { withoutTrailing } from "../chars.ts";
import { ConfigError, InputError } from "../errors.ts";
import { isCredentialHeader } from "../http/credential-header.ts";
import { absentWords } from "../runtime/failure.ts";
import type { Runtime } from "../runtime/index.ts";
import { envNames, type FlagDef, type FlagDefs, isPositional, listItems, type RawValue, type RawValues, type Sources, spell, splitWords } from "./flags.ts";

export type ConfigFile = {
  path: string;
  values: Record<string, unknown>;
  /** Why the default file, which the run goes on without, could not be read. */
  unread?: string;
};

/** More aliases than a config file of flag values could want. */
const MAX_ALIASES = 100;
/**
 * More bytes than a config file of flag values could want: a file of megabytes is another
 * file, which YAML would take seconds and gigabytes to parse. Checked before it is read.
 */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Loads `--config FILE`, or `$HOME/.hydra.yaml` when none is named. A missing default
 * file is normal; a named file that is missing, or one that is not a YAML mapping, is an
 * error naming it. The default file that cannot be read is gone without (`unread` says why):
 * Hydra's CLIs read nothing there, and a file left there (a server's, a broken one) must not
 * stop a script that runs either. The YAML parser is only loaded when there is a file to read.
 */
export async function loadConfig(runtime: Runtime, explicitPath: string | undefined): Promise<ConfigFile | undefined> {
  // `--config "$CONFIG"` with CONFIG unset must not quietly fall back to no file at all.
  if (explicitPath === "") throw new ConfigError("--config is empty (is a shell variable unset?)");
  const home = runtime.homeDir();
  const path = explicitPath ?? (home ? `${withoutTrailing(home, "/\\")}/.hydra.yaml` : undefined);
  if (!path) return undefined;
  if (explicitPath !== undefined) return await readConfig(runtime, path, true);
  try {
    return await readConfig(runtime, path, false);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { path, values: {}, unread: error.message };
  }
}

async function readConfig(runtime: Runtime, path: string, named: boolean): Promise<ConfigFile | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await runtime.readFile(path, MAX_CONFIG_BYTES);
  } catch (error) {
    // The runtime's InputError says what the path is instead ("… is a directory, not a file").
    if (error instanceof InputError) throw new ConfigError(`config file ${error.message}`, { cause: error });
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!bytes) {
    if (named) throw new ConfigError(`config file ${path} ${absentWords(await runtime.absence(path))}`);
    return undefined;
  }
  return { path, values: await parseConfig(path, bytes) };
}

/**
 * The settings of a config file that hold a credential, when users other than its owner
 * may read it (its group or everyone): said at each run, as kubectl and helm say it.
 */
export async function exposedCredentials(runtime: Runtime, config: ConfigFile): Promise<string[]> {
  const held: string[] = [];
  for (const key of ["secret", "client-secret", "access-token", "refresh-token"]) if (config.values[key]) held.push(key);
  // A URL's password too (`endpoint: https://admin:pw@…`), whatever the key.
  for (const [key, value] of Object.entries(config.values)) if (typeof value === "string" && /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]+@/i.test(value)) held.push(key);
  const headers = config.values["http-header"];
  for (const header of Array.isArray(headers) ? headers : [headers]) {
    const name = typeof header === "string" && header.includes(":") ? header.slice(0, header.indexOf(":")).trim() : "";
    if (name && isCredentialHeader(name)) held.push(`http-header ${name}`);
  }
  if (held.length === 0) return held;
  const mode = await runtime.fileMode(config.path).catch(() => undefined);
  return mode !== undefined && (mode & 0o044) !== 0 ? held : [];
}

/**
 * Parses the file into its one mapping. Kept apart from loadConfig, which every command
 * runs (mostly to find no file): naming TextDecoder there would build it at every start
 * (see FormPayload in src/http/api.ts).
 */
async function parseConfig(path: string, bytes: Uint8Array): Promise<Record<string, unknown>> {
  const { loadAll, YAMLException } = await import("js-yaml");
  let documents: unknown[];
  try {
    // YAML 1.2's core schema. A key given twice and an unknown tag (`!env`) are errors: the
    // file may not mean what it reads as. Aliases are capped, as the yaml package capped
    // them: thirty lines of nested aliases otherwise stand for 10^30 values.
    documents = loadAll(new TextDecoder().decode(bytes), { maxAliases: MAX_ALIASES });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // The reason and where, not the package's message, which quotes the lines around it:
    // a config file can hold a secret.
    const at = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
    throw new ConfigError(`config file ${path} is not valid YAML: ${error.reason}${at}`);
  }
  // An empty document (a `---` with nothing after it, comments only) holds no settings.
  documents = documents.filter((document) => document != null);
  if (documents.length > 1) throw new ConfigError(`config file ${path} holds ${documents.length} YAML documents; it must hold one`);
  const values = documents[0] ?? {};
  if (typeof values !== "object" || Array.isArray(values)) {
    throw new ConfigError(`config file ${path} must be a mapping of flag names to values`);
  }
  return values as Record<string, unknown>;
}

/**
 * Fills in what the command line left out, in order: the flag's environment variable,
 * then the config file (keys are the long flag names), then the flag's default. Also says
 * where each value came from, so that a bad one is named as the user wrote it (`spelled`:
 * how the command line wrote each flag it gives).
 */
export function applyFallbacks(
  given: RawValues,
  defs: FlagDefs,
  env: (name: string) => string | undefined,
  config: ConfigFile | undefined,
  spelled: Sources = {},
): { values: RawValues; sources: Sources } {
  // Loops over the keys: the entries' pairs and a spread would be built at every start.
  const values: RawValues = {};
  for (const name in given) values[name] = given[name];
  const sources: Sources = {};
  for (const name in defs) {
    const def = defs[name]!;
    if (isPositional(def)) continue;
    if (values[name] !== undefined) {
      sources[name] = spelled[name] ?? spell(name);
      continue;
    }
    let variable: string | undefined;
    for (const candidate of envNames(def)) if (!variable && (env(candidate) ?? "") !== "") variable = candidate;
    if (variable) {
      const fromEnv = env(variable)!;
      values[name] = def.list ? listItems(def, fromEnv) : fromEnv;
      sources[name] = variable;
      continue;
    }
    if (config && name in config.values) {
      values[name] = fromConfig(config, name, def);
      sources[name] = `"${name}" in ${config.path}`;
      continue;
    }
    if (def.default !== undefined) {
      values[name] = def.list ? listItems(def, String(def.default)) : (def.default as RawValue);
      sources[name] = `the default of ${spell(name)}`;
    }
  }
  return { values, sources };
}

/** A value for a message: a scalar as JSON, cut short; a list or mapping by its kind (it can be any size). */
function shown(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function fromConfig(config: ConfigFile, key: string, def: FlagDef): RawValue {
  const value = config.values[key];
  const wrong = (expected: string) => new ConfigError(`config file ${config.path}: "${key}" must be ${expected}, got ${shown(value)}`);
  if (def.type === "boolean") {
    if (typeof value !== "boolean") throw wrong("true or false");
    return value;
  }
  if (def.list) {
    // A string as the flag takes one; each item of a YAML list whole, but for its spaces.
    if (typeof value === "string") return listItems(def, value);
    if (Array.isArray(value) && value.every((item) => ["string", "number"].includes(typeof item))) {
      return def.list === "words" ? value.flatMap((item) => splitWords(String(item))) : value.map(String);
    }
    throw wrong("a list of strings");
  }
  if (typeof value !== "string" && typeof value !== "number") throw wrong("a string");
  return String(value);
}
