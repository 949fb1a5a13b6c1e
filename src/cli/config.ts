import { ConfigError, InputError } from "../errors.ts";
import type { Runtime } from "../runtime/index.ts";
import { type FlagDefs, type FlagValue, type FlagValues, listItems, splitList } from "./flags.ts";

export type ConfigFile = { path: string; values: Record<string, unknown> };

/**
 * Loads `--config FILE`, or `$HOME/.hydra.yaml` when none is named. A missing default
 * file is normal; a named file that is missing, or any file that is not a YAML mapping,
 * is an error naming it. YAML is only loaded when there is a file to read.
 */
export async function loadConfig(runtime: Runtime, explicitPath: string | undefined): Promise<ConfigFile | undefined> {
  const home = runtime.homeDir();
  const path = explicitPath ?? (home ? `${home.replace(/[\\/]$/, "")}/.hydra.yaml` : undefined);
  if (!path) return undefined;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await runtime.readFile(path);
  } catch (error) {
    // The runtime's InputError says what the path is instead ("… is a directory, not a file").
    if (error instanceof InputError) throw new ConfigError(`config file ${error.message}`, { cause: error });
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!bytes) {
    if (explicitPath) throw new ConfigError(`config file ${path} does not exist`);
    return undefined;
  }
  const { parse } = await import("yaml");
  let values: unknown;
  try {
    values = parse(new TextDecoder().decode(bytes));
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new ConfigError(`config file ${path} is not valid YAML: ${reason}`, { cause: error });
  }
  values ??= {};
  if (typeof values !== "object" || Array.isArray(values)) {
    throw new ConfigError(`config file ${path} must be a mapping of flag names to values`);
  }
  return { path, values: values as Record<string, unknown> };
}

/**
 * Fills in what the command line left out, in order: the flag's environment variable,
 * then the config file (keys are the long flag names), then the flag's default.
 */
export function applyFallbacks(
  given: FlagValues,
  defs: FlagDefs,
  env: (name: string) => string | undefined,
  config: ConfigFile | undefined,
): FlagValues {
  const values: FlagValues = { ...given };
  for (const [name, def] of Object.entries(defs)) {
    if (values[name] !== undefined) continue;
    const fromEnv = def.env ? env(def.env) : undefined;
    if (fromEnv !== undefined && fromEnv !== "") {
      values[name] = def.list ? listItems(def, fromEnv) : fromEnv;
      continue;
    }
    if (config && name in config.values) {
      values[name] = fromConfig(config, name, def.type === "boolean" ? "boolean" : def.list ? "list" : "string");
      continue;
    }
    if (def.default !== undefined) values[name] = def.list ? listItems(def, String(def.default)) : def.default;
  }
  return values;
}

function fromConfig(config: ConfigFile, key: string, kind: "boolean" | "list" | "string"): FlagValue {
  const value = config.values[key];
  const wrong = (expected: string) =>
    new ConfigError(`config file ${config.path}: "${key}" must be ${expected}, got ${JSON.stringify(value)}`);
  switch (kind) {
    case "boolean":
      if (typeof value !== "boolean") throw wrong("true or false");
      return value;
    case "list":
      if (typeof value === "string") return splitList(value);
      if (Array.isArray(value) && value.every((item) => ["string", "number"].includes(typeof item))) {
        return value.map(String);
      }
      throw wrong("a list of strings");
    case "string":
      if (typeof value !== "string" && typeof value !== "number") throw wrong("a string");
      return String(value);
  }
}
