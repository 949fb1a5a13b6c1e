// Hydra v2's `--format jsonpath=` is not JSONPath: its CLI reads the path with tidwall/gjson
// (https://github.com/tidwall/gjson/blob/master/SYNTAX.md). Plain paths (`client_id`,
// `redirect_uris.0`) mean the same in both, and go to JSONPath; a path with gjson's `#`
// comes here, so that scripts written for `hydra` keep working: `items.#.client_id` (a
// field of every item), `redirect_uris.#` (how many), `items.#(owner=="a").client_id` and
// `#(…)#` (the first item, or all, that a condition holds for).

/**
 * Whether `path` is written as Hydra v2's CLI reads paths (gjson: `client_id`,
 * `redirect_uris.0`), not as JSONPath (`$.client_id`, `.client_id`, `[0]`) or kubectl
 * (`{.client_id}`), which Hydra's CLI does not read.
 */
export function writtenForHydra(path: string): boolean {
  return !/^[$.[{]/.test(path);
}

/**
 * Whether `path` needs gjson: it uses `#`, which JSONPath has no meaning for, or a wildcard
 * within a key (`client_*`), which JSONPath would take as the key's own characters.
 */
export function isGjsonPath(path: string): boolean {
  return writtenForHydra(path) && splitPath(path).some((part) => part === "#" || part.startsWith("#(") || /^[^\\]*[*?]/.test(part));
}

/**
 * What of gjson's syntax a path Hydra's CLI would read with gjson uses that hydractl does
 * not read: said before any request, where JSONPath would otherwise read it its own way and
 * match nothing, or something else (`a|b`, `@reverse`).
 */
export function gjsonUnreadable(path: string): string | undefined {
  if (!writtenForHydra(path)) return undefined;
  const parts = splitPath(path);
  const said = (what: string) => `${what}, which hydractl does not read (it reads keys, indexes, #, #(…) queries and * ? wildcards): pipe the JSON output to jq instead`;
  if (parts.some((part) => part.startsWith("@"))) return said("gjson's modifiers (@this, @reverse, …)");
  if (parts.some((part) => part.startsWith("!"))) return said("gjson's literals (!true, …)");
  if (parts.some((part) => outsideQueries(part).includes("|"))) return said("gjson's pipe (|)");
  return undefined;
}

/** `part` with its #(…) queries taken out, where | and @ are an operand's own characters. */
function outsideQueries(part: string): string {
  return part.startsWith("#(") ? part.slice(part.lastIndexOf(")") + 1) : part;
}

/** What is wrong with a gjson path's shape, before any request; undefined when nothing is. */
export function gjsonShapeError(path: string): string | undefined {
  for (const part of splitPath(path)) {
    if (part === "") return "an empty part between dots";
    if (part.startsWith("#(")) {
      const query = part.endsWith(")#") ? part.slice(2, -2) : part.endsWith(")") ? part.slice(2, -1) : undefined;
      if (query === undefined || parseQuery(query) === undefined) return `a query it cannot read: ${part}`;
    }
  }
  return undefined;
}

/** The value `path` selects in `data`; undefined when it selects nothing. */
export function selectGjson(data: unknown, path: string): unknown {
  return walk(data, splitPath(path));
}

/** The path's parts: split at dots outside quotes and parentheses, `\.` a dot of a key. */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let part = "";
  let depth = 0;
  let quoted = false;
  for (let at = 0; at < path.length; at++) {
    const char = path[at]!;
    if (char === "\\" && at + 1 < path.length) {
      part += quoted || depth > 0 ? char + path[at + 1] : path[at + 1];
      at++;
    } else if (quoted) {
      part += char;
      if (char === '"') quoted = false;
    } else if (char === '"' && depth > 0) {
      part += char;
      quoted = true;
    } else if (char === "(" || char === ")") {
      depth += char === "(" ? 1 : -1;
      part += char;
    } else if (char === "." && depth === 0) {
      parts.push(part);
      part = "";
    } else {
      part += char;
    }
  }
  parts.push(part);
  return parts;
}

function walk(value: unknown, parts: string[]): unknown {
  if (parts.length === 0) return value;
  const [part, ...rest] = parts as [string, ...string[]];
  if (part === "#") {
    if (!Array.isArray(value)) return undefined;
    if (rest.length === 0) return value.length;
    return value.map((item) => walk(item, rest)).filter((item) => item !== undefined);
  }
  if (part.startsWith("#(")) {
    if (!Array.isArray(value)) return undefined;
    const all = part.endsWith(")#");
    const query = parseQuery(part.slice(2, all ? -2 : -1));
    if (!query) return undefined;
    const matches = value.filter((item) => holds(item, query));
    if (all) return matches.map((item) => walk(item, rest)).filter((item) => item !== undefined);
    return matches.length > 0 ? walk(matches[0], rest) : undefined;
  }
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(part) ? walk(value[Number(part)], rest) : undefined;
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  if (!/[*?]/.test(part)) return Object.hasOwn(record, part) ? walk(record[part], rest) : undefined;
  // A wildcard selects the first key it matches, as gjson does.
  const pattern = wildcard(part);
  for (const key of Object.keys(record)) if (pattern.test(key)) return walk(record[key], rest);
  return undefined;
}

/** gjson's wildcards: `*` any run of characters, `?` any one. */
function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`, "s");
}

interface Query {
  /** The item's field to test (a path), or none: the item itself. */
  path: string[];
  /** Without an operator, the query asks that the field exist. */
  operator?: "==" | "!=" | "<" | "<=" | ">" | ">=" | "%" | "!%";
  operand?: string | number | boolean | null;
}

/** `key`, `key==value`, `key!="text"`, `==value` (for items that are values themselves)…; undefined when unreadable. */
function parseQuery(text: string): Query | undefined {
  const match = /^(.*?)\s*(==|!=|<=|>=|!%|<|>|%)\s*(.*)$/s.exec(text);
  if (!match) return text.trim() ? { path: splitPath(text.trim()) } : undefined;
  const [, field, operator, written] = match as unknown as [string, string, Query["operator"], string];
  const operand = literal(written.trim());
  if (operand === undefined) return undefined;
  return { path: field!.trim() ? splitPath(field!.trim()) : [], operator, operand };
}

/** A query's value: a JSON string, number, true, false or null. */
function literal(text: string): Query["operand"] | undefined {
  if (text === "true" || text === "false" || text === "null" || /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) || /^"(?:[^"\\]|\\.)*"$/.test(text)) {
    return JSON.parse(text) as Query["operand"];
  }
  return undefined;
}

function holds(item: unknown, query: Query): boolean {
  const value = walk(item, query.path);
  if (!query.operator) return value !== undefined;
  const { operand } = query;
  switch (query.operator) {
    case "==":
      return value === operand;
    case "!=":
      return value !== undefined && value !== operand;
    case "%":
    case "!%":
      return typeof value === "string" && typeof operand === "string" && wildcard(operand).test(value) === (query.operator === "%");
    default: {
      if (typeof value !== typeof operand || (typeof value !== "number" && typeof value !== "string")) return false;
      const [a, b] = [value as number | string, operand as number | string];
      return query.operator === "<" ? a < b : query.operator === "<=" ? a <= b : query.operator === ">" ? a > b : a >= b;
    }
  }
}
