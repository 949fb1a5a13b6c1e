// A fetch that sends nothing: it shows each request as the curl command line that would
// send it, for a POSIX shell, and stops the command there (DryRunStop). Secrets are shown
// as shell variables, so the line can be pasted and run with them set.
import { percentDecoded } from "../chars.ts";
import { DryRunStop } from "../errors.ts";
import type { Fetch } from "../runtime/index.ts";
import { shellQuote } from "../shell.ts";
import { isCredentialHeader, isRawJson, parseJson, SECRET_FIELD_NAMES } from "./body.ts";
import { withoutUserinfo } from "./endpoint.ts";

export interface CurlOptions {
  /** Sent over this unix socket: `curl --unix-socket`. */
  unixSocket?: string;
  /** Certificates are not checked: `curl -k`. */
  insecure?: boolean;
  /** Secret values, each with the shell variable shown in its place (token → OAUTH2_ACCESS_TOKEN). */
  secrets?: ReadonlyMap<string, string>;
  /** The variables this run's earlier requests showed for secret fields (see FieldVariables). */
  fieldVariables?: FieldVariables;
}

/**
 * The variable a secret field's value is shown as: one per distinct value in a run, so that
 * the lines of an import that sets two clients' secrets (`$CLIENT_SECRET`,
 * `$CLIENT_SECRET_2`) do not give both clients the same one when run.
 */
export class FieldVariables {
  readonly #byValue = new Map<string, string>();
  readonly #counts = new Map<string, number>();

  of(field: string, value: string): string {
    const base = variableName(field);
    const key = `${base}\u0000${value}`;
    let variable = this.#byValue.get(key);
    if (variable === undefined) {
      const count = (this.#counts.get(base) ?? 0) + 1;
      this.#counts.set(base, count);
      variable = count === 1 ? base : `${base}_${count}`;
      this.#byValue.set(key, variable);
    }
    return variable;
  }
}

/** Body fields whose values are secrets: a form's `token` is one (introspection, revocation). */
const SECRET_FIELDS = new Set([...SECRET_FIELD_NAMES, "token"]);

/** A JSON Web Key's private members (RFC 7518 §6): a key imported is shown without them. */
const PRIVATE_KEY_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "k"]);

/** Part of a shell word: literal text, or a variable expanded in its place. */
type Piece = string | { variable: string };

export function dryRunFetch(options: CurlOptions): Fetch {
  options = { ...options, fieldVariables: options.fieldVariables ?? new FieldVariables() };
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? await request.text() : undefined;
    throw new DryRunStop([{ command: curlCommand(request.method, new URL(request.url), request.headers, body, options), notes: [] }]);
  };
}

/** The curl command line that sends this request, each word quoted for a POSIX shell. */
export function curlCommand(method: string, url: URL, headers: Headers, body?: string, options: CurlOptions = {}): string {
  const secrets = options.secrets ?? new Map<string, string>();
  const words = ["curl"];
  if (method !== "GET") words.push("-X", shellQuote(method));
  if (options.unixSocket) words.push("--unix-socket", shellQuote(options.unixSocket));
  if (options.insecure) words.push("-k");
  // curl reads [] and {} in a URL as ranges to expand; here they are literal.
  if (/[[\]{}]/.test(url.href)) words.push("-g");
  // No secret goes in a URL: a short one would only match a path's text (a token "adm" in /admin).
  // A user and password in it (`http://admin:pw@host`, sent as Basic) go as curl's -u, the
  // password as a variable.
  if (url.username || url.password) {
    words.push(shellQuote(withoutUserinfo(url).href), "-u", shellWord([`${percentDecoded(url.username)}:`, ...(url.password ? [{ variable: "ENDPOINT_PASSWORD" }] : [])]));
  } else {
    words.push(shellQuote(url.href));
  }
  for (const [name, value] of headers) {
    // A credential header holds a secret among other words (`Bearer …`); any other only as its whole value.
    const credential = isCredentialHeader(name);
    const pieces = credential ? withSecrets(value, secrets) : whole(value, secrets);
    const hidden = pieces.length === 1 && typeof pieces[0] === "string" && credential ? [{ variable: variableName(name) }] : pieces;
    words.push("-H", shellWord([`${titleCase(name)}: `, ...hidden]));
  }
  if (body !== undefined) words.push(...bodyWords(body, headers.get("content-type") ?? "", secrets, options.fieldVariables ?? new FieldVariables()));
  return words.join(" ");
}

function bodyWords(body: string, type: string, secrets: ReadonlyMap<string, string>, fields: FieldVariables): string[] {
  if (type.includes("application/x-www-form-urlencoded")) {
    // --data-urlencode encodes each value itself, so a variable can stand in for one.
    return [...new URLSearchParams(body)].flatMap(([name, value]) => [
      "--data-urlencode",
      shellWord([`${name}=`, ...(SECRET_FIELDS.has(name) ? [{ variable: fields.of(name, value) }] : whole(value, secrets))]),
    ]);
  }
  if (type.includes("json")) {
    try {
      return ["--data-raw", shellWord(jsonPieces(parseJson(body), secrets, fields))];
    } catch {
      // Not JSON after all: shown as it is, below.
    }
  }
  return ["--data-raw", shellWord(whole(body, secrets))];
}

/**
 * The JSON text with each secret string replaced by its variable: a member named like a
 * secret (`client_secret`), or a string equal to a known secret. The text is otherwise
 * what JSON.stringify sent.
 */
function jsonPieces(document: unknown, secrets: ReadonlyMap<string, string>, fields: FieldVariables): Piece[] {
  const marker = `\u0001${crypto.randomUUID()}\u0001`;
  const variables: string[] = [];
  const hide = (variable: string) => `${marker}${variables.push(variable) - 1}${marker}`;
  const walk = (value: unknown, key?: string, inKey = false, patched?: string): unknown => {
    if (typeof value === "string") {
      if (key !== undefined && SECRET_FIELDS.has(key)) return hide(fields.of(key, value));
      // A JSON Patch operation's value for a secret field (`{"op":"replace","path":"/client_secret","value":…}`).
      if (key === "value" && patched !== undefined) return hide(fields.of(patched, value));
      if (inKey && key !== undefined && PRIVATE_KEY_MEMBERS.has(key)) return hide(`JWK_${variableName(key)}`);
      return secrets.has(value) ? hide(secrets.get(value)!) : value;
    }
    if (Array.isArray(value)) return value.map((item) => walk(item));
    // A number kept as written (parseJson) is written as it came.
    if (value && typeof value === "object" && !isRawJson(value)) {
      const { kty, path } = value as { kty?: unknown; path?: unknown };
      const field = typeof path === "string" ? path.slice(path.lastIndexOf("/") + 1) : undefined;
      const secret = field !== undefined && SECRET_FIELDS.has(field) ? field : undefined;
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, name, typeof kty === "string", secret)]));
    }
    return value;
  };
  // JSON.stringify escapes U+0001, so the marker is split on in its escaped form.
  const escaped = JSON.stringify(marker).slice(1, -1);
  return JSON.stringify(walk(document))
    .split(escaped)
    .map((part, index) => (index % 2 === 1 ? { variable: variables[Number(part)]! } : part));
}

/** `text`, or its variable when it is a known secret. */
function whole(text: string, secrets: ReadonlyMap<string, string>): Piece[] {
  const variable = secrets.get(text);
  return variable === undefined || text === "" ? [text] : [{ variable }];
}

/** `text` cut at every occurrence of a known secret, each replaced by its variable. */
function withSecrets(text: string, secrets: ReadonlyMap<string, string>): Piece[] {
  let pieces: Piece[] = [text];
  // Longest first, so a secret that contains another is replaced whole.
  for (const [secret, variable] of [...secrets].filter(([secret]) => secret !== "").sort(([a], [b]) => b.length - a.length)) {
    pieces = pieces.flatMap((piece) =>
      typeof piece === "string" ? piece.split(secret).flatMap((part, index) => (index === 0 ? [part] : [{ variable }, part])) : [piece],
    );
  }
  return pieces.filter((piece) => piece !== "");
}

/** One shell word: literal parts in single quotes, variables in double quotes, side by side. */
function shellWord(pieces: Piece[]): string {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (typeof piece === "string" && typeof last === "string") merged[merged.length - 1] = last + piece;
    else merged.push(piece);
  }
  return merged.map((piece) => (typeof piece === "string" ? shellQuote(piece) : `"$${piece.variable}"`)).join("") || "''";
}

function variableName(field: string): string {
  return field.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
}

function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
