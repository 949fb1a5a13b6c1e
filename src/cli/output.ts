import { displayWidth, escapeControls, padEnd } from "../chars.ts";
import { InputError, UsageError } from "../errors.ts";
import { isRawJson } from "../http/body.ts";
import { gjsonShapeError, gjsonUnreadable, isGjsonPath, selectGjson, writtenForHydra } from "./gjson.ts";

export type Format =
  | { kind: "default" | "table" | "json" | "json-pretty" | "yaml" }
  /** `-q`, as in Hydra v2: each result's identifier alone, one a line (set by the kernel, not --format). */
  | { kind: "ids" }
  | { kind: "jsonpath"; path: string }
  | { kind: "jsonpointer"; pointer: string };

const PLAIN = ["default", "table", "json", "json-pretty", "yaml"] as const;

/** What shell completion offers for `--format`: the plain formats, and the starts of the others. */
export const FORMAT_WORDS = [...PLAIN, "jsonpath=", "jsonpointer="] as const;

export function parseFormat(value: string, name = "--format"): Format {
  if ((PLAIN as readonly string[]).includes(value)) return { kind: value as (typeof PLAIN)[number] };
  // `--format "$FORMAT"` with the variable unset: the default, as Hydra's CLIs take it.
  if (value === "") return { kind: "default" };
  const [kind, expression] = [value.slice(0, value.indexOf("=")), value.slice(value.indexOf("=") + 1)];
  if (kind === "jsonpath" && expression) {
    const wrong = gjsonUnreadable(expression) ?? (isGjsonPath(expression) ? gjsonShapeError(expression) : jsonPathShapeError(expression));
    if (wrong) throw new UsageError(`invalid ${name} "${value}": ${wrong}`);
    return { kind, path: expression };
  }
  if (kind === "jsonpointer") {
    if (expression !== "" && !expression.startsWith("/")) {
      throw new UsageError(`invalid ${name} "${value}": a JSON pointer starts with / (e.g. jsonpointer=/client_id)`);
    }
    // RFC 6901 escapes only ~0 (~) and ~1 (/).
    for (let at = expression.indexOf("~"); at >= 0; at = expression.indexOf("~", at + 1)) {
      if (expression[at + 1] !== "0" && expression[at + 1] !== "1") throw new UsageError(`invalid ${name} "${value}": in a JSON pointer ~ is written ~0 and / is written ~1`);
    }
    return { kind, pointer: expression };
  }
  // Formats are lower case (Hydra's are too): `JSON` is most likely `json`.
  const lower = value.toLowerCase();
  const meant = lower !== value && (PLAIN as readonly string[]).includes(lower) ? ` (did you mean ${lower}?)` : "";
  throw new UsageError(
    `invalid ${name} "${value}": expected default, table, json, json-pretty, yaml, jsonpath=<path> or jsonpointer=<pointer>${meant}`,
  );
}

/**
 * What is wrong with a JSONPath's shape, checked before any request: jsonpath-plus takes a
 * path cut short (`$..[`, `$.uris[0`) for the whole document, and refuses a filter or script
 * expression, or an `@` outside one, only once there is a result, which for `clients create`
 * is after the client exists and its secret would be lost.
 */
function jsonPathShapeError(path: string): string | undefined {
  const open: string[] = [];
  let quote = "";
  for (let at = 0; at < path.length; at++) {
    const char = path[at]!;
    if (quote) {
      if (char === "\\") at++;
      else if (char === quote) quote = "";
    } else if (char === "'" || char === '"') quote = char;
    // The current item (`@`) and jsonpath-plus's type selectors (`@string()`) are a filter's:
    // outside one, it fails only once it meets the result.
    else if (char === "@") return "@ belongs to filter expressions, which are not evaluated";
    else if (char === "[" || char === "(" || char === "{") {
      if (char === "(" || (char === "[" && path[at + 1] === "?")) return "filter and script expressions (?(…), (…)) are not evaluated";
      open.push(char === "[" ? "]" : "}");
    } else if (char === "]" || char === ")" || char === "}") {
      if (open.pop() !== char) return `an unmatched ${char}`;
    }
  }
  if (quote) return `an unclosed ${quote}`;
  if (open.length > 0) return `an unclosed ${open[open.length - 1] === "]" ? "[" : "{"}`;
  return undefined;
}

/** How a command shows its result where the format leaves it free. */
export interface Views {
  /** The human text of `--format default`. */
  text(): string;
  /** Rows for `--format table`: a header row first. */
  table(): string[][];
  /** What `-q` prints: what identifies each result (a client's ID, a key's, the access token). */
  ids(): string[];
}

/** Renders `data` in the chosen format; the result ends with a newline. */
export async function render(data: unknown, format: Format, views: Views): Promise<string> {
  // JSON.stringify, YAML and JSONPath recurse; JSON.parse does not, so an answer can be read
  // that is nested too deeply (100,000 levels) to be written back.
  try {
    switch (format.kind) {
      case "default":
        return ensureNewline(escapeControls(views.text(), true));
      case "table":
        return formatTable(views.table());
      case "json":
        return `${JSON.stringify(data)}\n`;
      case "json-pretty":
        return `${JSON.stringify(data, null, 2)}\n`;
      case "yaml":
        return await yaml(data);
      case "jsonpath":
        return renderValue(await selectPath(data, format.path));
      case "jsonpointer":
        return renderValue(selectPointer(data, format.pointer));
      case "ids":
        return idLines(views);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new InputError("the answer is nested too deeply to be shown in this format", { cause: error });
    throw error;
  }
}

/** One identifier a line, control characters escaped as in a table; nothing for no result. */
function idLines(views: Views): string {
  let text = "";
  for (const id of views.ids()) text += `${escapeControls(id)}\n`;
  return text;
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * The value as JSON, indented by two spaces, as Hydra v2 prints it (a string in quotes), so
 * that a script reading it with `jq -r .` works with either CLI. `-q` prints an ID bare.
 */
function renderValue(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The widest cell of each column. */
export function columnWidths(rows: readonly string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    // A column whose cells are all empty still gets a width (0), so that it is padded and ruled.
    for (let i = 0; i < row.length; i++) {
      const width = displayWidth(row[i]!);
      if (widths[i] === undefined || width > widths[i]!) widths[i] = width;
    }
  }
  return widths;
}

/**
 * Columns padded to their widest cell, separated by two spaces at least (tabs break with
 * long tokens). Loops and no `Math` or `padEnd`: the engine builds each of those at its
 * first use, a few tenths of a millisecond, and a table is the last step of many commands.
 */
export function formatTable(rows: string[][]): string {
  if (rows.length === 0) return "\n";
  rows = visibleCells(rows);
  const widths = columnWidths(rows);
  let text = "";
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < row.length; i++) line += i === row.length - 1 ? row[i] : padEnd(row[i]!, widths[i]! + 2);
    text += `${line.trimEnd()}\n`;
  }
  return text;
}

/** Cells with their control characters shown as escapes: a cell is one line of plain text. */
export function visibleCells(rows: readonly string[][]): string[][] {
  const shown: string[][] = [];
  for (const row of rows) {
    const cells: string[] = [];
    for (const cell of row) cells.push(escapeControls(cell));
    shown.push(cells);
  }
  return shown;
}

/** A `--format` path or pointer that selects nothing in the result (a valid one: a bad one is a plain UsageError). */
export class NothingMatched extends UsageError {
  override name = "NothingMatched";
}

/**
 * A path written as Hydra v2's CLI reads paths goes to gjson, as there (src/cli/gjson.ts);
 * any other is JSONPath (RFC 9535, as jsonpath-plus reads it), where `.client_id` and
 * kubectl's `{.client_id}` are taken as `$.client_id`. A path written as Hydra v2 reads it
 * that matches nothing gives null, as Hydra v2 prints (a script may ask for a field the
 * server leaves out, such as `jwks_uri`); a JSONPath one, which Hydra's CLI does not read,
 * is said to match nothing.
 */
async function selectPath(data: unknown, path: string): Promise<unknown> {
  if (isGjsonPath(path)) return keysSorted(selectGjson(data, path) ?? null);
  // Brackets in a path written for Hydra are a key's own characters to its CLI (`metadata.a[0]`),
  // and JSONPath's index or wildcard where no key has them (`redirect_uris[0]`, where Hydra's prints null).
  const keyed = writtenForHydra(path) ? selectGjson(data, path) : undefined;
  if (keyed !== undefined) return keysSorted(keyed);
  const expression = path.replace(/^\{(.*)\}$/, "$1");
  const normalized = expression.startsWith("$") ? expression : `$${expression.startsWith(".") || expression.startsWith("[") ? "" : "."}${expression}`;
  const { JSONPath } = await import("jsonpath-plus");
  let matches: unknown[];
  try {
    matches = JSONPath({ path: normalized, json: data as object, wrap: true, eval: false }) as unknown[];
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new UsageError(`invalid --format jsonpath "${path}": ${(error as Error).message}`, { cause: error });
  }
  if (matches.length === 0) {
    if (writtenForHydra(path)) return null;
    throw new NothingMatched(`--format jsonpath "${path}" matches nothing in the result`);
  }
  return matches.length === 1 ? matches[0] : matches;
}

/**
 * YAML, a number kept as written (parseJson) printed as that number: js-yaml has no way to
 * print one, so it goes in as a marked string and comes out of the document as a plain int
 * (or float) scalar.
 */
async function yaml(data: unknown): Promise<string> {
  const { dump, visit, SCALAR_STYLE_PLAIN } = await import("js-yaml");
  const mark = `\u0000${crypto.randomUUID()}:`;
  let marked = false;
  const walk = (value: unknown): unknown => {
    if (isRawJson(value)) {
      marked = true;
      return `${mark}${JSON.stringify(value)}`;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== "object") return value;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = walk((value as Record<string, unknown>)[key]);
    return copy;
  };
  const prepared = walk(data);
  if (!marked) return dump(data);
  return dump(prepared, {
    transform: (documents) =>
      visit(documents, (node) => {
        if (node.kind !== "scalar" || !node.value.startsWith(mark)) return;
        node.value = node.value.slice(mark.length);
        node.tag = /^-?\d+$/.test(node.value) ? "tag:yaml.org,2002:int" : "tag:yaml.org,2002:float";
        node.style = SCALAR_STYLE_PLAIN;
      }),
  });
}

/**
 * The value with every object's keys in order, as Hydra v2's CLI prints what a path selects
 * (it decodes the value into Go maps, which encode sorted): `{client_name,client_id}` prints
 * `client_id` first there.
 */
function keysSorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysSorted);
  if (!value || typeof value !== "object" || isRawJson(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = keysSorted((value as Record<string, unknown>)[key]);
  return sorted;
}

/** RFC 6901: `/a/0/b`, with `~1` for `/` and `~0` for `~`; `` (empty) is the whole document. */
export function selectPointer(data: unknown, pointer: string): unknown {
  let current = data;
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    const container = current as Record<string, unknown> | unknown[] | null;
    const found =
      Array.isArray(container)
        ? /^(0|[1-9]\d*)$/.test(token) && Number(token) < container.length
        : typeof container === "object" && container !== null && Object.hasOwn(container, token);
    if (!found) throw new NothingMatched(`--format jsonpointer "${pointer}" matches nothing in the result (at "${token}")`);
    current = (container as Record<string, unknown>)[token];
  }
  return current;
}

/**
 * One item of a streamed list in `format`: JSON array members (the caller writes the
 * brackets), YAML sequence entries, one line per item for tables, JSON path/pointer and
 * `-q` (`ids`: the item's identifier).
 */
export async function renderItem(item: unknown, format: Format, first: boolean, row: () => string, ids: () => string[]): Promise<string> {
  switch (format.kind) {
    case "default":
    case "table":
      return `${escapeControls(row(), true)}\n`;
    case "json":
      return `${first ? "" : ","}${JSON.stringify(item)}`;
    case "json-pretty":
      return `${first ? "\n" : ",\n"}${JSON.stringify(item, null, 2).replace(/^/gm, "  ")}`;
    case "yaml":
      return await yaml([item]);
    case "jsonpath":
    case "jsonpointer":
    case "ids":
      return await render(item, format, { text: row, table: () => [], ids });
  }
}
