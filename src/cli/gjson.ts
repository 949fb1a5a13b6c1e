// Hydra v2's `--format jsonpath=` is not JSONPath: its CLI reads the path with tidwall/gjson
// (https://github.com/tidwall/gjson/blob/master/SYNTAX.md), and so does hydractl for every
// path written as Hydra's CLI reads paths, so that scripts written for `hydra` keep working:
// keys and indexes (`client_id`, `redirect_uris.0`, `metadata.a\.b`), `#` (`items.#.client_id`,
// `redirect_uris.#`), queries (`items.#(owner=="a").client_id`, `#(…)#`), wildcards
// (`client_*`) and multipaths (`{client_id,client_name}`, `items.#.[client_id,owner]`).
// JSONPath's own spellings (`$.…`, `.…`, `{.…}`, brackets) go to JSONPath instead.

/**
 * Whether `path` is written as Hydra v2's CLI reads paths (gjson: `client_id`,
 * `redirect_uris.0`, `{client_id,owner}`), not as JSONPath (`$.client_id`, `.client_id`,
 * `[0]`) or kubectl (`{.client_id}`), which Hydra's CLI does not read.
 */
export function writtenForHydra(path: string): boolean {
  return !/^(?:[$.]|\{\.|\[(?![A-Za-z_#]))/.test(path);
}

/**
 * Whether hydractl reads `path` with gjson alone, as Hydra v2's CLI does. Not a path written
 * for Hydra with brackets within a part (`items[*].client_id`, `redirect_uris[0]`), for which
 * Hydra's CLI looks up a key of those characters and most often prints null: JSONPath reads
 * it too, where no key has them (src/cli/output.ts).
 */
export function isGjsonPath(path: string): boolean {
  return writtenForHydra(path) && !allParts(path).some((part) => !isMultipath(part) && !part.startsWith("#(") && /[[\]]/.test(part));
}

/**
 * What of gjson's syntax a path Hydra's CLI would read with gjson uses that hydractl does
 * not read: said before any request, where JSONPath would otherwise read it its own way and
 * match nothing, or something else (`a|b`, `@reverse`).
 */
export function gjsonUnreadable(path: string): string | undefined {
  if (!writtenForHydra(path)) return undefined;
  const parts = allParts(path).filter((part) => !isMultipath(part));
  const said = (what: string) => `${what}, which hydractl does not read (it reads keys, indexes, #, #(…) queries, * ? wildcards and {…} […] multipaths): pipe the JSON output to jq instead`;
  if (parts.some((part) => part.startsWith("@"))) return said("gjson's modifiers (@this, @reverse, …)");
  if (parts.some((part) => part.startsWith("!"))) return said("gjson's literals (!true, …)");
  if (parts.some((part) => outsideQueries(part).includes("|"))) return said("gjson's pipe (|)");
  return undefined;
}

/** `part` with its #(…) queries taken out, where | and @ are an operand's own characters. */
function outsideQueries(part: string): string {
  return part.startsWith("#(") ? part.slice(part.lastIndexOf(")") + 1) : part;
}

/** Whether a part is a multipath, `{a,b}` or `[a,b]`: an object or array of what each of its paths selects. */
function isMultipath(part: string): boolean {
  return (part.startsWith("{") && part.endsWith("}")) || (part.startsWith("[") && part.endsWith("]"));
}

/** The path's parts, and those of the paths within its multipaths. */
function allParts(path: string): string[] {
  const parts: string[] = [];
  for (const part of splitPath(path)) {
    parts.push(part);
    if (isMultipath(part)) for (const selector of multipathSelectors(part) ?? []) parts.push(...allParts(selector.path));
  }
  return parts;
}

/** What is wrong with a gjson path's shape, before any request; undefined when nothing is. */
export function gjsonShapeError(path: string): string | undefined {
  for (const part of splitPath(path)) {
    if (part === "") return "an empty part between dots";
    if (isMultipath(part)) {
      const selectors = multipathSelectors(part);
      if (!selectors || selectors.some((selector) => selector.path === "")) return `a multipath it cannot read: ${part}`;
      for (const selector of selectors) {
        const wrong = gjsonShapeError(selector.path);
        if (wrong) return wrong;
      }
      continue;
    }
    if (/^[[{]/.test(part)) return `a multipath it cannot read: ${part}`;
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

/**
 * The path's parts: split at dots outside quotes, parentheses and multipaths' brackets. An
 * escape stays in its part (`a\.b`, `\*`), where it makes a character a key's own.
 */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let part = "";
  let depth = 0;
  let quoted = false;
  for (let at = 0; at < path.length; at++) {
    const char = path[at]!;
    if (char === "\\" && at + 1 < path.length) {
      part += char + path[at + 1];
      at++;
    } else if (quoted) {
      part += char;
      if (char === '"') quoted = false;
    } else if (char === '"' && depth > 0) {
      part += char;
      quoted = true;
    } else if (char === "." && depth === 0) {
      parts.push(part);
      part = "";
    } else {
      if (char === "(" || char === "[" || char === "{") depth++;
      else if ((char === ")" || char === "]" || char === "}") && depth > 0) depth--;
      part += char;
    }
  }
  parts.push(part);
  return parts;
}

interface Selector {
  /** The key it is given in a `{…}` multipath: its own (`"id":client_id`) or its path's last part. */
  name: string;
  path: string;
}

/** A multipath's paths, split at commas outside brackets and quotes; undefined when unreadable. */
function multipathSelectors(part: string): Selector[] | undefined {
  const named = part.startsWith("{");
  const selectors: Selector[] = [];
  let start = 1;
  let colon = -1;
  let depth = 0;
  const push = (end: number) => {
    const text = part.slice(start, end);
    const path = colon < 0 ? text : part.slice(colon + 1, end);
    const written = colon < 0 ? undefined : part.slice(start, colon);
    selectors.push({ name: written === undefined ? lastName(path) : keyName(written), path });
    start = end + 1;
    colon = -1;
  };
  for (let at = 1; at < part.length - 1; at++) {
    const char = part[at]!;
    if (char === "\\") at++;
    else if (char === '"') {
      for (at++; at < part.length - 1 && part[at] !== '"'; at++) if (part[at] === "\\") at++;
    } else if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") depth--;
    else if (char === ":" && depth === 0 && colon < 0 && named) colon = at;
    else if (char === "," && depth === 0) push(at);
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  push(part.length - 1);
  return selectors;
}

/** A multipath's own name for a value: a JSON string (`"id"`) or the characters as written. */
function keyName(written: string): string {
  if (!written.startsWith('"')) return written;
  try {
    return JSON.parse(written) as string;
  } catch {
    return written;
  }
}

/** gjson's name for a value a `{…}` multipath selects without one: its path's last part, or `_`. */
function lastName(path: string): string {
  let at = path.length - 1;
  while (at >= 0 && !((path[at] === "." || path[at] === "|") && path[at - 1] !== "\\")) at--;
  const last = path.slice(at + 1);
  return /[\u0000-\u001f[\]{}()#|!]/.test(last) ? "_" : last;
}

/** A key written with escapes, as the key itself: `a\.b` is `a.b`. */
function unescaped(part: string): string {
  return part.replace(/\\(.)/gs, "$1");
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
  if (isMultipath(part)) return walk(multipath(value, part), rest);
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(part) ? walk(value[Number(part)], rest) : undefined;
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  if (!/^(?:[^\\*?]|\\.)*[*?]/s.test(part)) {
    const key = unescaped(part);
    return Object.hasOwn(record, key) ? walk(record[key], rest) : undefined;
  }
  // A wildcard selects the first key it matches, as gjson does.
  const pattern = wildcard(part);
  for (const key of Object.keys(record)) if (pattern.test(key)) return walk(record[key], rest);
  return undefined;
}

/**
 * The object (`{…}`) or array (`[…]`) of what each of the multipath's paths selects in
 * `value`, leaving out those that select nothing, as gjson builds it.
 */
function multipath(value: unknown, part: string): unknown {
  const selectors = multipathSelectors(part) ?? [];
  if (part.startsWith("[")) {
    const values: unknown[] = [];
    for (const { path } of selectors) {
      const selected = walk(value, splitPath(path));
      if (selected !== undefined) values.push(selected);
    }
    return values;
  }
  const built: Record<string, unknown> = {};
  for (const { name, path } of selectors) {
    const selected = walk(value, splitPath(path));
    if (selected !== undefined) built[name] = selected;
  }
  return built;
}

/** gjson's wildcards: `*` any run of characters, `?` any one; an escaped one is itself. */
function wildcard(pattern: string): RegExp {
  let source = "";
  for (let at = 0; at < pattern.length; at++) {
    const char = pattern[at]!;
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else source += (char === "\\" && at + 1 < pattern.length ? pattern[++at]! : char).replace(/[.+*?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
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
