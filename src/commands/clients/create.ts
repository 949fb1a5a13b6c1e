import { defineCommand } from "citty";
import { adminApiFromFlags } from "../../cli/api-options.ts";
import { booleanFlag, type CommandContext, formatFlag, listFlag, notifier, stringFlag } from "../../cli/context.ts";
import type { FlagDefs, FlagValues } from "../../cli/flags.ts";
import { render } from "../../cli/output.ts";
import { InputError, UncertainOutcomeError, UsageError } from "../../errors.ts";
import { createClientRequest, type OAuth2Client, processCreateClientResponse } from "../../hydra/clients.ts";
import { createTransport } from "../../http/transport.ts";
import { type KeySource, keySourceFromFlags } from "../../secrets/key-source.ts";
import { type EncryptionKey, loadEncryptionKey } from "../../secrets/pgp.ts";
import { adminFlags } from "../_shared.ts";

const urlList = (description: string) => ({ type: "string", list: "comma", valueHint: "urls", description }) as const;
const url = (description: string) => ({ type: "string", valueHint: "url", description }) as const;

/** The client's own fields; the inherited admin flags come from _shared.ts. */
const clientFlags = {
  id: { type: "string", description: "Give the client this ID instead of a generated one" },
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
  scope: { type: "string", alias: "a", list: "comma", description: "Scopes the client may request (sent space-separated)" },
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
    description: "Set the client's secret instead of letting Hydra generate one; - reads it from stdin",
  },
  "post-logout-callbacks": { ...urlList("URLs the client may send users to after logout"), alias: "post-logout-callback" },
  owner: { type: "string", description: "Who owns the client" },
  contact: { type: "string", list: "comma", description: "Contacts for the client (e.g. e-mail addresses)" },
  metadata: { type: "string", valueHint: "json", description: "Free-form metadata, a JSON object" },
  "skip-consent": { type: "boolean", description: "Skip the consent screen for this client (trusted first-party clients only)" },
  "access-token-strategy": { type: "enum", options: ["jwt", "opaque"], description: "Issue JWT or opaque access tokens" },
  "request-object-signing-alg": { type: "string", description: "Algorithm the client signs request objects with" },
  "request-uri": urlList("Allowed request_uri values"),
  "sector-identifier-uri": url("URL of the client's redirect URIs for pairwise subject identifiers"),
  "backchannel-logout-callback": url("Where Hydra sends back-channel logout tokens"),
  "backchannel-logout-session-required": { type: "boolean", description: "Include the session ID in back-channel logout tokens" },
  "frontchannel-logout-callback": url("The client's front-channel logout URL"),
  "frontchannel-logout-session-required": { type: "boolean", description: "Send iss and sid to the front-channel logout URL" },
  file: { type: "string", valueHint: "path", description: "Read the client as JSON from a file (- for stdin); client flags are then ignored" },
  "pgp-key": { type: "string", valueHint: "base64", description: "Encrypt the generated secret to this base64-encoded PGP public key" },
  "pgp-key-url": { type: "string", valueHint: "url", description: "Encrypt the generated secret to the PGP public key at this URL" },
  keybase: { type: "string", valueHint: "user", description: "Encrypt the generated secret to this keybase user's PGP key" },
} as const satisfies FlagDefs;

/** Flag → OAuth2Client field, for the flags whose value goes into the body as it is. */
const FIELD_OF = {
  id: "client_id",
  name: "client_name",
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
  "skip-consent": "skip_consent",
  "access-token-strategy": "access_token_strategy",
  "request-object-signing-alg": "request_object_signing_alg",
  "request-uri": "request_uris",
  "sector-identifier-uri": "sector_identifier_uri",
  "backchannel-logout-callback": "backchannel_logout_uri",
  "backchannel-logout-session-required": "backchannel_logout_session_required",
  "frontchannel-logout-callback": "frontchannel_logout_uri",
  "frontchannel-logout-session-required": "frontchannel_logout_session_required",
} as const satisfies Partial<Record<keyof typeof clientFlags, string>>;

const URL_FLAGS = Object.entries(clientFlags as FlagDefs)
  .filter(([flag, def]) => (def.valueHint === "url" || def.valueHint === "urls") && flag !== "pgp-key-url")
  .map(([flag]) => flag);

/** Builds the request body from the flags: the fields that were set, plus the v1.8 defaults. */
export function clientFromFlags(flags: FlagValues): OAuth2Client {
  for (const flag of URL_FLAGS) {
    for (const value of [flags[flag] ?? []].flat()) {
      if (typeof value === "string" && !isAbsoluteUrl(value)) {
        throw new UsageError(`invalid --${flag} "${value}": expected an absolute URL such as https://example.com/callback`);
      }
    }
  }
  const client: OAuth2Client = {};
  for (const [flag, field] of Object.entries(FIELD_OF)) {
    const value = flags[flag];
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) (client as Record<string, unknown>)[field] = value;
  }
  const redirects = listFlag(flags, "callbacks");
  if (redirects.length > 0) client.redirect_uris = redirects;
  const scopes = listFlag(flags, "scope");
  if (scopes.length > 0) client.scope = scopes.join(" ");
  const metadata = stringFlag(flags, "metadata");
  if (metadata !== undefined) client.metadata = parseMetadata(metadata);
  return client;
}

function isAbsoluteUrl(value: string): boolean {
  return URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z][a-z0-9+.-]*:\d/i.test(value);
}

function parseMetadata(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`invalid --metadata: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new UsageError("invalid --metadata: expected a JSON object");
  return value as Record<string, unknown>;
}

async function readInput(context: CommandContext, source: string, what: string): Promise<Uint8Array> {
  const { runtime } = context;
  if (source !== "-") {
    const bytes = await runtime.readFile(source);
    if (!bytes) throw new InputError(`${what} ${source} does not exist`);
    return bytes;
  }
  if (runtime.isTerminal("stdin")) notifier(context)(`reading ${what} from stdin; end with Ctrl+D`);
  return runtime.readStdin();
}

async function clientFromFile(context: CommandContext, path: string): Promise<OAuth2Client> {
  const text = new TextDecoder().decode(await readInput(context, path, "the client file"));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--file ${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(`--file ${path} must hold a JSON object`);
  const ignored = Object.keys(clientFlags).filter(
    (flag) => flag !== "file" && !flag.startsWith("pgp") && flag !== "keybase" && context.given.has(flag),
  );
  if (ignored.length > 0) notifier(context)(`warning: --file is set, so ${ignored.map((f) => `--${f}`).join(", ")} ignored`);
  return value as OAuth2Client;
}

/** The secret the user chose, if any; it is never echoed back. */
async function chosenSecret(context: CommandContext): Promise<string | undefined> {
  const secret = stringFlag(context.flags, "secret");
  if (secret === undefined) return undefined;
  if (secret !== "-") {
    notifier(context)("warning: a secret given on the command line can end up in your shell history; use --secret - to read it from stdin");
    return secret;
  }
  const read = new TextDecoder().decode(await readInput(context, "-", "the client secret")).replace(/\r?\n$/, "");
  if (read === "") throw new InputError("--secret -: stdin was empty");
  return read;
}

function describeSecret(shown: OAuth2Client, secretWasChosen: boolean, encrypted: boolean): string | undefined {
  if (!shown.client_secret) return secretWasChosen ? undefined : "This OAuth 2.0 Client has no secret";
  return `OAuth 2.0 ${encrypted ? "Encrypted " : ""}Client Secret: ${shown.client_secret}`;
}

const join = (items: unknown) => (Array.isArray(items) ? items.join(", ") : String(items ?? ""));

export default defineCommand({
  meta: {
    name: "create",
    description:
      "Create an OAuth 2.0 client\n\n" +
      "Registers a client in Hydra through its admin API, for the Authorization Code, Implicit,\n" +
      "Client Credentials or Refresh Token flows. Most fields of OpenID Connect Dynamic Client\n" +
      "Registration have a flag.\n\n" +
      "A secret Hydra generates is shown once. To keep it off the screen, encrypt it to a PGP\n" +
      "key with --pgp-key, --pgp-key-url or --keybase and decrypt it later with\n" +
      "  base64 -d | gpg --decrypt\n\n" +
      "Examples:\n" +
      '  hydractl clients create -n "my app" -c http://localhost/cb -g authorization_code -r code -a core,foobar\n' +
      '  hydractl clients create -n "my app" -g client_credentials -r token -a core --pgp-key "$(gpg --export --armor me | base64 -w0)"\n' +
      "  printf %s \"$SECRET\" | hydractl clients create --id my-app --secret - -c https://app.example/cb",
  },
  args: { ...clientFlags, ...adminFlags },
  async run({ data }) {
    const context = data as CommandContext;
    const { flags } = context;
    // Everything that can be wrong with the input is found before the first request.
    const format = formatFlag(flags);
    const keySource: KeySource | undefined = keySourceFromFlags(
      { "pgp-key": stringFlag(flags, "pgp-key"), "pgp-key-url": stringFlag(flags, "pgp-key-url"), keybase: stringFlag(flags, "keybase") },
      context.runtime.env("HYDRACTL_KEYBASE_URL"),
    );
    const file = stringFlag(flags, "file");
    if (file === "-" && stringFlag(flags, "secret") === "-") throw new UsageError("--file - and --secret - cannot both read stdin");
    const client = file === undefined ? clientFromFlags(flags) : await clientFromFile(context, file);
    const api = adminApiFromFlags(context);
    const secret = await chosenSecret(context);
    if (secret !== undefined) client.client_secret = secret;
    const secretWasChosen = typeof client.client_secret === "string" && client.client_secret !== "";
    if (keySource && secretWasChosen) notifier(context)("note: the secret you chose is not printed, so there is nothing to encrypt");
    const key: EncryptionKey | undefined =
      keySource && !secretWasChosen ? await loadEncryptionKey(keySource, createTransport(context.runtime, {})) : undefined;

    let created: OAuth2Client;
    try {
      created = await processCreateClientResponse(await createClientRequest(api, client));
    } catch (error) {
      if (!(error instanceof UncertainOutcomeError)) throw error;
      const check = client.client_id
        ? `check with 'hydractl clients get ${client.client_id}' before creating it again`
        : "Hydra chose its ID: look for it with 'hydractl clients list' before creating it again";
      throw new UncertainOutcomeError(`${error.message}; ${check}`, { cause: error });
    }

    const shown: OAuth2Client = { ...created };
    if (secretWasChosen) delete shown.client_secret;
    else if (key && created.client_secret) shown.client_secret = await key.encrypt(created.client_secret);
    const encrypted = Boolean(key && created.client_secret);
    const text = [`OAuth 2.0 Client ID: ${created.client_id}`, describeSecret(shown, secretWasChosen, encrypted)];
    await context.runtime.writeStdout(
      await render(shown, format, {
        text: () => text.filter(Boolean).join("\n"),
        table: () => [
          ["CLIENT ID", "CLIENT SECRET", "GRANT TYPES", "RESPONSE TYPES", "SCOPE", "AUDIENCE", "REDIRECT URIS"],
          [
            String(shown.client_id),
            shown.client_secret ?? "",
            join(shown.grant_types),
            join(shown.response_types),
            shown.scope ?? "",
            join(shown.audience),
            join(shown.redirect_uris),
          ],
        ],
      }),
    );
  },
});
