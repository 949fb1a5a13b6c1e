// What the client commands share: the client's fields as flags (create, update), the
// client read from files (create, update, import), secrets shown once or encrypted, and
// the views each Hydra generation prints.
import { displayWidth, escapeControls, padEnd } from "../../chars.ts";
import { type CommandContext, readSecret, readSource, stdinReadOnce } from "../../cli/context.ts";
import type { Args, FlagDefs, Parser } from "../../cli/flags.ts";
import { render } from "../../cli/output.ts";
import { closest } from "../../cli/suggest.ts";
import { absoluteUrl, base64, httpUrl, isAbsoluteUrl, json, nonEmpty, unaddressable } from "../../cli/parsers.ts";
import { hideInErrors, InputError, UncertainOutcomeError, UsageError } from "../../errors.ts";
import type { HydraAdmin } from "../../hydra/admin.ts";
import { createClientRequest, type OAuth2Client, processCreateClientResponse } from "../../hydra/clients.ts";
import { isLoopbackName } from "../../http/endpoint.ts";
import { createTransport } from "../../http/transport.ts";
import { KEYBASE_DEFAULT, type KeySource, keybaseKeyUrl } from "../../secrets/key-source.ts";
import { type EncryptionKey, loadEncryptionKey } from "../../secrets/pgp.ts";
import { isV18WordOrder, readJsonSource, warnEvenQuiet } from "../_shared.ts";

const urlList = (description: string) => ({ type: "string", list: "comma", parse: absoluteUrl, valueHint: "urls", description }) as const;
const url = (description: string) => ({ type: "string", parse: absoluteUrl, valueHint: "url", description }) as const;

/**
 * create's ID flag; update names the client by its argument instead. An ID that no request
 * could name in its URL is refused: no command could read, change or delete the client.
 */
export const clientIdFlag = {
  id: { type: "string", parse: clientId, description: "Give the client this ID instead of a generated one (it wins over --file's)" },
} as const satisfies FlagDefs;

function clientId(value: string, name: string): string {
  // `--id "$ID"` with ID unset: a generated ID instead would go unnoticed by the script.
  if (value === "") throw new UsageError(`${name} is empty (leave it out for an ID Hydra generates)`);
  const problem = unaddressable(value);
  if (problem) throw new UsageError(`invalid ${name} "${value}": ${problem}, so the client could not be read, changed or deleted once created`);
  const unreported = uncreatable(value);
  if (unreported) throw new UsageError(`invalid ${name} "${value}": ${unreported}`);
  return value;
}

/**
 * Why Hydra would create a client with this ID but no HTTP client could read its answer:
 * Hydra echoes the ID raw in the answer's Location header, and a header holding a control
 * character (a tab aside) is refused as malformed. The client would be made, and the secret
 * Hydra generated lost, while the run reports it as not created.
 */
export function uncreatable(id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  for (let at = 0; at < id.length; at++) {
    const code = id.charCodeAt(at);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      return "it holds a control character, which Hydra echoes in its answer's Location header, where no HTTP client reads it: the client would be created, and reported as not";
    }
  }
  return undefined;
}

/** The client's own fields, with Hydra v1.8's spellings first and v2's as aliases. */
export const clientFieldFlags = {
  name: { type: "string", alias: "n", description: "A human-readable name for the client" },
  callbacks: { ...urlList("Redirect URIs the client may use (comma-separated or repeated)"), alias: ["c", "redirect-uri"] },
  "grant-types": {
    type: "string",
    alias: ["g", "grant-type"],
    list: "comma",
    default: "authorization_code",
    description: "Grant types the client may use, e.g. authorization_code,refresh_token,client_credentials",
  },
  "response-types": {
    type: "string",
    alias: ["r", "response-type"],
    list: "comma",
    default: "code",
    description: "Response types the client may use, e.g. code,id_token,token",
  },
  scope: { type: "string", alias: "a", list: "words", description: "Scopes the client may request (sent space-separated)" },
  audience: { type: "string", list: "comma", description: "Audiences the client may request for its tokens" },
  "token-endpoint-auth-method": {
    type: "enum",
    options: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
    default: "client_secret_basic",
    description: "How the client authenticates at the token endpoint",
  },
  "jwks-uri": url("Where the client's JSON Web Key Set is published (for private_key_jwt)"),
  "policy-uri": url("A page describing how the client uses personal data"),
  "tos-uri": url("A page with the client's terms of service"),
  "client-uri": url("A page with information about the client"),
  "logo-uri": url("The client's logo"),
  "allowed-cors-origins": {
    ...urlList("Origins allowed to make CORS requests (needs CORS enabled in Hydra)"),
    alias: "allowed-cors-origin",
  },
  "subject-type": {
    type: "enum",
    options: ["public", "pairwise"],
    default: "public",
    description: "How subject identifiers are given to this client",
  },
  secret: {
    type: "string",
    // `--secret "$SECRET"` with SECRET unset would give the client a secret nothing can send.
    parse: nonEmpty,
    secret: true,
    description: "Set the client's secret instead of letting Hydra generate one; - reads it from stdin (not shown as typed)",
  },
  "post-logout-callbacks": { ...urlList("URLs the client may send users to after logout"), alias: "post-logout-callback" },
  owner: { type: "string", description: "Who owns the client" },
  contact: { type: "string", list: "comma", description: "Contacts for the client (e.g. e-mail addresses)" },
  // Hydra stores any JSON here (its schema says a raw JSON message): a client whose metadata is
  // an array must be as easy to create, and to restore from its own --format json, as any other.
  metadata: { type: "string", valueHint: "json", parse: json, description: "Free-form metadata, as JSON (most often an object)" },
  "skip-consent": { type: "boolean", description: "Skip the consent screen for this client (trusted first-party clients only)" },
  "skip-logout-consent": { type: "boolean", description: "Skip the logout consent screen for this client" },
  "access-token-strategy": { type: "enum", options: ["jwt", "opaque"], description: "Issue JWT or opaque access tokens" },
  "request-object-signing-alg": { type: "string", description: "Algorithm the client signs request objects with" },
  "request-uri": urlList("Allowed request_uri values"),
  "sector-identifier-uri": url("URL of the client's redirect URIs for pairwise subject identifiers"),
  "backchannel-logout-callback": url("Where Hydra sends back-channel logout tokens"),
  "backchannel-logout-session-required": { type: "boolean", description: "Include the session ID in back-channel logout tokens" },
  "frontchannel-logout-callback": url("The client's front-channel logout URL"),
  "frontchannel-logout-session-required": { type: "boolean", description: "Send iss and sid to the front-channel logout URL" },
  file: { type: "string", valueHint: "path", description: "Read the client as JSON from a file (- for stdin); client flags are then ignored" },
} as const satisfies FlagDefs;

const keybaseUser: Parser<string> = (user, name) => {
  if (!/^[A-Za-z0-9_]{2,16}$/.test(user)) throw new UsageError(`invalid ${name} "${user}": a keybase username has 2 to 16 letters, digits or underscores`);
  return user;
};

/** Where a generated secret is encrypted to (create, update, import). */
export const encryptionFlags = {
  "pgp-key": {
    type: "string",
    valueHint: "base64",
    parse: base64("a PGP public key (e.g. gpg --export --armor KEY | base64 -w0)"), description: "Encrypt the generated secret to this base64-encoded PGP public key" },
  "pgp-key-url": { type: "string", valueHint: "url", parse: httpUrl, description: "Encrypt the generated secret to the PGP public key at this URL" },
  keybase: { type: "string", valueHint: "user", parse: keybaseUser, description: "Encrypt the generated secret to this keybase user's PGP key" },
} as const satisfies FlagDefs;

type FieldArgs = Args<typeof clientFieldFlags> & { readonly id?: string };

/** Flag → OAuth2Client field, for the flags whose value goes into the body as it is. */
const FIELD_OF = {
  id: "client_id",
  name: "client_name",
  callbacks: "redirect_uris",
  "grant-types": "grant_types",
  "response-types": "response_types",
  audience: "audience",
  "token-endpoint-auth-method": "token_endpoint_auth_method",
  "jwks-uri": "jwks_uri",
  "policy-uri": "policy_uri",
  "tos-uri": "tos_uri",
  "client-uri": "client_uri",
  "logo-uri": "logo_uri",
  "allowed-cors-origins": "allowed_cors_origins",
  "subject-type": "subject_type",
  "post-logout-callbacks": "post_logout_redirect_uris",
  owner: "owner",
  contact: "contacts",
  metadata: "metadata",
  "skip-consent": "skip_consent",
  "skip-logout-consent": "skip_logout_consent",
  "access-token-strategy": "access_token_strategy",
  "request-object-signing-alg": "request_object_signing_alg",
  "request-uri": "request_uris",
  "sector-identifier-uri": "sector_identifier_uri",
  "backchannel-logout-callback": "backchannel_logout_uri",
  "backchannel-logout-session-required": "backchannel_logout_session_required",
  "frontchannel-logout-callback": "frontchannel_logout_uri",
  "frontchannel-logout-session-required": "frontchannel_logout_session_required",
} as const satisfies Partial<Record<keyof FieldArgs, keyof OAuth2Client>>;

/** The client the flags describe: the fields that were set, plus the v1.8 defaults. */
export function clientFromArgs(args: FieldArgs): OAuth2Client {
  const client: OAuth2Client = {};
  for (const [flag, field] of Object.entries(FIELD_OF)) {
    const value = args[flag as keyof typeof FIELD_OF];
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) (client as Record<string, unknown>)[field] = value;
  }
  if (args.scope.length > 0) client.scope = args.scope.join(" ");
  return client;
}

/**
 * The flags that describe this client to `update` (the reverse of clientFromArgs), for a
 * command line to show; the ID and secret are left out. List items are repeated flags.
 */
export function clientAsFlags(client: OAuth2Client): string[] {
  const flags: string[] = [];
  for (const [flag, field] of Object.entries(FIELD_OF)) {
    const value = client[field];
    if (flag === "id" || value === undefined || value === null || value === false || value === "") continue;
    // --metadata takes JSON, whatever it holds (an array, a string): the one flag that does.
    if (field === "metadata") {
      if (typeof value !== "object" || Object.keys(value).length > 0) flags.push(`--${flag}`, JSON.stringify(value));
    } else if (value === true) flags.push(`--${flag}`);
    else if (Array.isArray(value)) for (const item of value) flags.push(`--${flag}`, String(item));
    else flags.push(`--${flag}`, String(value));
  }
  for (const scope of typeof client.scope === "string" ? client.scope.split(" ").filter(Boolean) : []) flags.push("--scope", scope);
  return flags;
}

/** What Hydra keeps of a client by itself, or shows only: no update restates these. */
const KEPT_BY_HYDRA = ["client_id", "client_secret", "scope", "created_at", "updated_at", "client_secret_expires_at", "registration_access_token", "registration_client_uri"];

/** Values Hydra gives a field no flag sets, which an update that leaves it out gives it again. */
const DEFAULT_OF: Record<string, unknown> = { userinfo_signed_response_alg: "none" };

/**
 * The client's fields that hold something no flag restates (`jwks`, a signing algorithm
 * other than the default): an update from flags alone, which replaces the whole client,
 * would drop them.
 */
export function fieldsWithoutFlags(client: OAuth2Client): string[] {
  const flagged = new Set<string>([...Object.values(FIELD_OF), ...KEPT_BY_HYDRA]);
  const fields: string[] = [];
  for (const [field, value] of Object.entries(client)) {
    const empty = value === undefined || value === null || value === "" || value === false || value === DEFAULT_OF[field] || (typeof value === "object" && Object.keys(value).length === 0);
    if (!flagged.has(field) && !empty) fields.push(field);
  }
  return fields;
}

const LIST_FIELDS = ["redirect_uris", "grant_types", "response_types", "audience", "allowed_cors_origins", "post_logout_redirect_uris", "contacts", "request_uris"];
const URL_FIELDS = ["redirect_uris", "allowed_cors_origins", "post_logout_redirect_uris", "request_uris", "jwks_uri", "policy_uri", "tos_uri", "client_uri", "logo_uri", "sector_identifier_uri", "backchannel_logout_uri", "frontchannel_logout_uri"];

/**
 * Checks what would make Hydra refuse a client read from a file (`import`, `--file`), so that
 * a bad one stops the command before anything is sent.
 */
export function checkClient(value: unknown, origin: string): OAuth2Client {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(`${origin}: a client must be a JSON object`);
  const client = value as OAuth2Client;
  for (const field of ["client_id", "client_secret", "client_name", "scope", "owner"]) {
    if (client[field] !== undefined && typeof client[field] !== "string") throw new InputError(`${origin}: "${field}" must be a string`);
  }
  const problem = typeof client.client_id === "string" ? unaddressable(client.client_id) : undefined;
  if (problem) throw new InputError(`${origin}: "client_id" is "${client.client_id}": ${problem}, so the client could not be read, changed or deleted once created`);
  for (const field of LIST_FIELDS) {
    const list = client[field];
    if (list !== undefined && list !== null && !(Array.isArray(list) && list.every((item) => typeof item === "string"))) {
      throw new InputError(`${origin}: "${field}" must be a list of strings`);
    }
  }
  for (const field of URL_FIELDS) {
    for (const url of [client[field] ?? []].flat()) {
      if (typeof url !== "string") throw new InputError(`${origin}: "${field}" must be a URL`);
      if (url !== "" && !isAbsoluteUrl(url)) throw new InputError(`${origin}: "${field}" holds "${url}", not an absolute URL`);
    }
  }
  return client;
}

/** One client from `--file` (a JSON object), warning about the client flags it overrides. */
export async function clientFromFile(context: CommandContext, path: string): Promise<OAuth2Client> {
  const value = await readJsonSource(context, path, "the client file");
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(`--file ${path} must hold a JSON object`);
  checkClient(value, `--file ${path}`);
  // --secret and create's --id are the flags that still apply (clientToSend, create).
  const ignored = Object.keys(clientFieldFlags).filter((flag) => flag !== "file" && flag !== "secret" && context.given.has(flag));
  if (ignored.length > 0) context.notify(`warning: --file is set, so ${ignored.map((f) => `--${f}`).join(", ")} ${ignored.length === 1 ? "is" : "are"} ignored`);
  return value as OAuth2Client;
}

/**
 * The client of `create`/`update`: from `--file` or the flags, with the secret the user
 * chose (`--secret -` reads stdin). Everything is checked before anything is sent.
 */
export async function clientToSend(args: FieldArgs, context: CommandContext): Promise<{ client: OAuth2Client; secretChosen: boolean }> {
  if (args.file === "-" && args.secret === "-") stdinReadOnce(["--file -", "--secret -"]);
  const client = args.file === undefined ? clientFromArgs(args) : await clientFromFile(context, args.file);
  if (args.secret !== undefined) {
    const inFile = client.client_secret;
    client.client_secret = await chosenSecret(args.secret, context);
    // The flag wins, as over every setting; the file's own secret is not dropped without a word.
    if (typeof inFile === "string" && inFile !== "" && inFile !== client.client_secret) context.notify(`warning: --secret replaces the client_secret in --file ${args.file}`);
  }
  warnLikelyTypos(client.grant_types, ["authorization_code", "refresh_token", "client_credentials", "implicit", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:device_code"], "grant type", context);
  warnLikelyTypos(client.response_types, ["code", "token", "id_token", "none"], "response type", context);
  return { client, secretChosen: typeof client.client_secret === "string" && client.client_secret !== "" };
}

/**
 * A grant or response type the OAuth 2.0 and OpenID specifications do not name, an edit or
 * two from one they do (`client-credentials`): Hydra stores it as it is, and the client then
 * fails at its first token request. Said, not refused: a server may know grants of its own.
 */
function warnLikelyTypos(values: unknown, known: string[], what: string, context: CommandContext): void {
  if (!Array.isArray(values)) return;
  for (const value of values) {
    if (typeof value !== "string") continue;
    // A response type may combine several ("code id_token").
    for (const part of value.split(" ")) {
      if (part === "" || known.includes(part)) continue;
      const meant = closest(part, known);
      if (meant) context.notify(`warning: ${what} "${part}" is not a standard one; did you mean ${meant}?`);
    }
  }
}

async function chosenSecret(secret: string, context: CommandContext): Promise<string> {
  if (secret !== "-") {
    // Only a secret on the command line itself: a config file's is no shell history's.
    if (context.given.has("secret")) context.notify("warning: a secret given on the command line can end up in your shell history; use --secret - to read it from stdin");
    hideInErrors(secret);
    return secret;
  }
  const read = (await readSecret(context, "the client secret")).replace(/\r?\n$/, "");
  if (read === "") throw new InputError("--secret -: stdin was empty");
  hideInErrors(read);
  return read;
}

/** `--pgp-key`, `--pgp-key-url` or `--keybase` (at most one), read without any I/O. */
export function keySourceFromArgs(args: Args<typeof encryptionFlags>, context: CommandContext): KeySource | undefined {
  const given: string[] = [];
  for (const flag of ["pgp-key", "pgp-key-url", "keybase"] as const) if (args[flag] !== undefined) given.push(flag);
  if (given.length > 1) throw new UsageError(`use only one of ${given.map((f) => `--${f}`).join(", ")}`);
  if (args["pgp-key"]) return { kind: "key", bytes: args["pgp-key"], described: "the key given with --pgp-key" };
  if (args["pgp-key-url"]) return { kind: "url", url: args["pgp-key-url"], described: `the key at ${args["pgp-key-url"].href}` };
  if (args.keybase !== undefined) {
    const base = httpUrl(context.runtime.env("HYDRACTL_KEYBASE_URL") || KEYBASE_DEFAULT, "HYDRACTL_KEYBASE_URL");
    const url = keybaseKeyUrl(args.keybase, base);
    return { kind: "url", url, keybaseUser: args.keybase, described: `the key of keybase user ${args.keybase} (${url.href})` };
  }
  return undefined;
}

/**
 * The key that will encrypt generated secrets, loaded and proven before any client is
 * sent, so that a bad key never leaves behind a client whose secret nobody can read. It is
 * fetched without `-H` or `--skip-tls-verify`: those are meant for Hydra, and a key served
 * through an unverified connection could be an attacker's.
 */
export async function encryptionKeyFromArgs(
  args: Args<typeof encryptionFlags> & { readonly "dry-run"?: boolean },
  context: CommandContext,
  secretChosen: boolean,
): Promise<EncryptionKey | undefined> {
  const source = keySourceFromArgs(args, context);
  if (!source) return undefined;
  if (secretChosen) {
    // A key given inline is checked all the same: a mistake in it is one on the command line.
    if (source.kind === "key") await loadEncryptionKey(source, createTransport(context.runtime, {}));
    context.notify("note: the secret you chose is not printed, so there is nothing to encrypt");
    return undefined;
  }
  if (source.kind === "url" && source.url.protocol === "http:" && !isLoopbackName(source.url.hostname)) {
    context.notify(`warning: ${source.described} comes over plain http: anyone on the way could hand over a key of their own, and the secret would be encrypted to it (an https:// URL prevents that)`);
  }
  // A dry run sends nothing, not even for a key; a key given inline is still checked.
  if (args["dry-run"] && source.kind === "url") {
    context.notify(`note: dry run: ${source.described} is not downloaded`);
    return undefined;
  }
  return loadEncryptionKey(source, createTransport(context.runtime, {}));
}

/**
 * Whether a secret the user chose is printed back: not in the tables a person reads (they
 * have it already), nor when a PGP key was given to keep secrets off the screen; but in the
 * formats a script reads the client from (JSON, YAML, a path into them) it is, as Hydra
 * prints it there: scripts read it so (`--format json | jq -r .client_secret`), and a
 * `null` in its place would break them without a word.
 */
export function echoesChosenSecret(format: Parameters<typeof render>[1], args: Partial<Args<typeof encryptionFlags>>): boolean {
  if (format.kind === "default" || format.kind === "table" || format.kind === "ids") return false;
  return args["pgp-key"] === undefined && args["pgp-key-url"] === undefined && args.keybase === undefined;
}

/**
 * The client as it may be shown: a secret the user chose is left out where `hideChosen`
 * (see echoesChosenSecret), a generated one is encrypted when a key was given.
 */
export async function shownClient(client: OAuth2Client, secretChosen: boolean, hideChosen: boolean, key: EncryptionKey | undefined): Promise<OAuth2Client> {
  const shown: OAuth2Client = { ...client };
  if (secretChosen) {
    if (hideChosen) delete shown.client_secret;
  }
  else if (key && client.client_secret) shown.client_secret = await key.encrypt(client.client_secret);
  return shown;
}

/**
 * Creates the client; when the request may have taken effect without an answer, says how
 * to check instead of sending it a second time. A server that created it under another ID
 * than the one asked for is said to have: whatever refers to the client by that ID later
 * (`clients get ID`, a deployment's configuration) would not find it.
 */
export async function createClient(admin: HydraAdmin, client: OAuth2Client, context: CommandContext): Promise<OAuth2Client> {
  try {
    const created = await processCreateClientResponse(await createClientRequest(admin, client));
    if (client.client_id && created.client_id !== client.client_id) {
      context.notify(`warning: the server created the client as "${created.client_id}", not as "${client.client_id}", the ID asked for`);
    }
    warnFieldsDropped(admin, client, created, context);
    return created;
  } catch (error) {
    if (!(error instanceof UncertainOutcomeError)) throw error;
    // In the words the run used, so that the line reads as the user's own commands.
    const [get, list] = isV18WordOrder(context) ? ["clients get", "clients list"] : ["get client", "list clients"];
    const check = client.client_id
      ? `check with 'hydractl ${get} ${client.client_id}' before creating it again`
      : `Hydra chose its ID: look for it with 'hydractl ${list}' before creating it again`;
    throw new UncertainOutcomeError(`${error.message}; ${check}`, { cause: error });
  }
}

/**
 * Hydra v1.8 has none of the fields v2 added and drops them without a word: said, so that
 * a script does not count on a client that skips consent or issues JWTs.
 */
export function warnFieldsDropped(admin: HydraAdmin, sent: OAuth2Client, kept: OAuth2Client, context: CommandContext): void {
  if (!admin.legacy) return;
  const dropped: string[] = [];
  for (const field of ["skip_consent", "skip_logout_consent", "access_token_strategy"] as const) if (sent[field] !== undefined && kept[field] === undefined) dropped.push(field);
  if (dropped.length > 0) void warnEvenQuiet(context, `warning: Hydra v1.8 has no ${dropped.join(", ")}: the server did not keep ${dropped.length === 1 ? "it" : "them"}`);
}


const join = (items: unknown) => (Array.isArray(items) ? items.join(", ") : text(items));

/** A field as a cell shows it: its text, nothing for none, and JSON for a value that should have been text. */
function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
}

const COLUMNS = ["CLIENT ID", "CLIENT SECRET", "GRANT TYPES", "RESPONSE TYPES", "SCOPE", "AUDIENCE", "REDIRECT URIS"];

function clientRow(client: OAuth2Client): string[] {
  return [
    text(client.client_id),
    text(client.client_secret),
    join(client.grant_types),
    join(client.response_types),
    text(client.scope),
    // Hydra v2 joins the audience without a space, unlike the other lists.
    Array.isArray(client.audience) ? client.audience.join(",") : text(client.audience),
    join(client.redirect_uris),
  ];
}

/** Clients as a table: a header row, then a row each. */
export function clientRows(clients: OAuth2Client[]): string[][] {
  const rows = [COLUMNS];
  for (const client of clients) rows.push(clientRow(client));
  return rows;
}

/** Hydra v2's view of clients: one client as two columns, several as a table with a header row. */
export function clientsTable(clients: OAuth2Client[]): string[][] {
  if (clients.length === 1) {
    const row = clientRow(clients[0]!);
    const rows: string[][] = [];
    for (let i = 0; i < COLUMNS.length; i++) rows.push([COLUMNS[i]!, row[i]!]);
    return rows;
  }
  return clientRows(clients);
}

/**
 * Hydra v1.8's `clients list`, laid out as its table library (olekukonko/tablewriter v0.0.1)
 * lays it out: a Markdown-style table with centred headings, each cell wrapped (see
 * wrappedCell), a row as tall as its tallest cell, and a number aligned to the right.
 */
export function markdownTable(rows: string[][]): string {
  const widths: number[] = [];
  const cells = rows.map((row) =>
    row.map((cell, i) => {
      const { lines, width } = wrappedCell(cell);
      if (widths[i] === undefined || width > widths[i]!) widths[i] = width;
      return lines;
    }),
  );
  const centre = (cell: string, width: number) => padEnd(" ".repeat((width - displayWidth(cell)) >> 1) + cell, width);
  const aligned = (cell: string, width: number) => (DECIMAL.test(cell.trim()) ? " ".repeat(width - displayWidth(cell)) + cell : padEnd(cell, width));
  const lines = (row: string[][], pad: (cell: string, width: number) => string) => {
    let height = 0;
    for (const cell of row) if (cell.length > height) height = cell.length;
    let text = "";
    for (let at = 0; at < height; at++) {
      text += "|";
      for (let i = 0; i < row.length; i++) text += ` ${pad(row[i]![at] ?? "", widths[i]!)} |`;
      text += "\n";
    }
    return text;
  };
  let rule = "|";
  for (const width of widths) rule += `${"-".repeat(width + 2)}|`;
  let text = lines(cells[0]!, centre) + `${rule}\n`;
  for (let i = 1; i < cells.length; i++) text += lines(cells[i]!, aligned);
  return text;
}

/** What tablewriter takes for a number, and aligns to the right. */
const DECIMAL = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;

/** The widest a cell's lines grow before tablewriter wraps them, unless a word is wider. */
const CELL_WIDTH = 30;

/**
 * A cell's lines as tablewriter shows them: its lines, their control characters escaped,
 * joined into one paragraph and wrapped again to the widest of them (at most 30 columns,
 * or the widest word) with the least raggedness: the sum over lines of the square of what
 * each lacks of that width, a line wider than it costing 100,000 more (its WrapWords).
 * A line break a server put in a value is a space there: whatever a value holds stays within
 * its own column. The cell's width is the widest of its lines as given (at most 30) or as
 * wrapped.
 */
function wrappedCell(cell: string): { lines: string[]; width: number } {
  const lines = cell.split("\n").map((line) => escapeControls(line));
  let limit = 0;
  for (const line of lines) if (displayWidth(line) > limit) limit = displayWidth(line);
  if (limit > CELL_WIDTH) limit = CELL_WIDTH;
  let width = limit;
  const words = lines.join(" ").split(" ");
  const widths = words.map(displayWidth);
  for (const wordWidth of widths) if (wordWidth > limit) limit = wordWidth;
  // ends[i]: where the line starting at word i ends; cost[i]: the least cost from word i on.
  const count = words.length;
  const ends: number[] = [];
  const cost: number[] = [];
  for (let first = count - 1; first >= 0; first--) {
    let length = -1;
    for (let next = first; next < count; next++) length += widths[next]! + 1;
    if (length <= limit) {
      [cost[first], ends[first]] = [0, count];
      continue;
    }
    cost[first] = Infinity;
    length = -1;
    for (let next = first + 1; next < count; next++) {
      length += widths[next - 1]! + 1;
      const lacking = limit - length;
      const total = lacking * lacking + cost[next]! + (length > limit ? 100_000 : 0);
      if (total < cost[first]!) [cost[first], ends[first]] = [total, next];
    }
  }
  const wrapped: string[] = [];
  for (let first = 0; first < count; first = ends[first]!) {
    const line = words.slice(first, ends[first]).join(" ");
    if (displayWidth(line) > width) width = displayWidth(line);
    wrapped.push(line);
  }
  return { lines: wrapped, width };
}

const LEGACY_LIST_COLUMNS = ["CLIENT ID", "NAME", "RESPONSE TYPES", "SCOPE", "REDIRECT URIS", "GRANT TYPES", "TOKEN ENDPOINT AUTH METHOD"];

/**
 * Hydra v1.8's `clients list` rows: a header row, then a row each, its lists joined by bare
 * commas and its redirect URIs by `uriSeparator`: a line each in the cell, as v1.8 joins them
 * for its table, or (in a tab-separated line, whose cells have no lines) another.
 */
export function legacyRows(clients: OAuth2Client[], uriSeparator = "\n"): string[][] {
  const rows = [LEGACY_LIST_COLUMNS];
  const tight = (items: unknown) => (Array.isArray(items) ? items.join(",") : text(items));
  for (const client of clients) {
    const uris = Array.isArray(client.redirect_uris) ? client.redirect_uris.map(String) : [];
    rows.push([text(client.client_id), text(client.client_name), tight(client.response_types), text(client.scope), uris.join(uriSeparator), tight(client.grant_types), text(client.token_endpoint_auth_method)]);
  }
  return rows;
}

/** What `-q` prints for clients: their IDs. */
export function clientIds(clients: readonly OAuth2Client[]): string[] {
  const ids: string[] = [];
  for (const client of clients) if (client.client_id) ids.push(client.client_id);
  return ids;
}

/** Clients in any `--format`; `text` is what the default format prints. */
export function renderClients(data: unknown, clients: OAuth2Client[], format: Parameters<typeof render>[1], text: () => string): Promise<string> {
  return render(data, format, { text, table: () => clientsTable(clients), ids: () => clientIds(clients) });
}

/**
 * `-q` prints IDs alone, and a JSONPath or pointer may select anything but the secret, so a
 * secret Hydra generated, which it shows only once, would go unseen without a word: said on
 * stderr, naming the clients, never the secret. `written` is what went to stdout.
 */
export async function warnSecretsNotShown(format: Parameters<typeof render>[1], clients: OAuth2Client[], context: CommandContext, written: string): Promise<void> {
  if (format.kind !== "ids" && format.kind !== "jsonpath" && format.kind !== "jsonpointer") return;
  const ids: string[] = [];
  for (const client of clients) if (client.client_secret && !written.includes(client.client_secret)) ids.push(client.client_id ?? "");
  if (ids.length === 0) return;
  const which = ids.length === 1 ? `client ${ids[0]}` : `${ids.length} clients (${ids.join(", ")})`;
  const why = format.kind === "ids" ? "-q prints IDs only" : `--format ${format.kind}=${format.kind === "jsonpath" ? format.path : format.pointer} leaves it out`;
  await warnEvenQuiet(context, `warning: ${why}: the secret Hydra generated for ${which} is not shown`);
}
