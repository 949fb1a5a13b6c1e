import { withoutTrailing } from "../chars.ts";
import { type CommandContext, readSecret, readSource, stdinReadOnce } from "../cli/context.ts";
import type { ClientAuthMethod } from "../oauth/client-auth.ts";
import type { Args, FlagDefs, Parser } from "../cli/flags.ts";
import { FORMAT_WORDS } from "../cli/output.ts";
import { bearerToken, duration, endpoint, format, header } from "../cli/parsers.ts";
import { DryRunStop, hideInErrors, InputError, noticeLine, OutputError, type ShownRequest, UsageError } from "../errors.ts";
import { HydraAdmin } from "../hydra/admin.ts";
import { ApiClient } from "../http/api.ts";
import { type Endpoint, isLoopbackName } from "../http/endpoint.ts";
import { hideBasicCredentials, isCredentialHeader, parseJson } from "../http/body.ts";
import { createTransport, type TransportSettings } from "../http/transport.ts";
import type { Fetch } from "../runtime/index.ts";
import type { PrivateKey } from "oauth4webapi";

// Flag fragments several commands share, and the wiring built from them. Their long names
// are also the config file's keys.

export const configFlags = {
  config: { type: "string", valueHint: "file", description: "Config file whose keys are long flag names (default $HOME/.hydra.yaml)" },
} as const satisfies FlagDefs;

export const outputFlags = {
  format: {
    type: "string",
    default: "default",
    valueHint: "format",
    parse: format,
    suggest: FORMAT_WORDS,
    description: "Output format: default, table, json, json-pretty, yaml, jsonpath=<path> or jsonpointer=<pointer>",
  },
  quiet: { type: "boolean", alias: "q", description: "Print only what identifies the result (a client ID, a key ID, the access token), as Hydra v2 does; no progress or notices" },
} as const satisfies FlagDefs;

/**
 * Hydra v1.8's `token client`, `token revoke` and `token user` took --fail-after; here it
 * bounds each exchange with the server, since a token request is never sent twice.
 */
export const exchangeLimitFlags = {
  "fail-after": {
    type: "string",
    parse: duration,
    valueHint: "duration",
    description: "How long each exchange with the server may take (default 10s, as 0 gives too; e.g. 30s); token requests are not retried",
  },
} as const satisfies FlagDefs;

/** What --fail-after makes of each exchange's limit: 0, one attempt, is what every exchange is, so the usual limit. */
export function exchangeTimeoutMs(args: Args<typeof exchangeLimitFlags>): number | undefined {
  return args["fail-after"] || undefined;
}

/** A client secret as every command that authenticates a client takes it. */
export const clientSecretFlag = {
  type: "string",
  env: "OAUTH2_CLIENT_SECRET",
  valueHint: "secret",
  secret: true,
  description: "The client secret; - reads it from stdin (safer than the command line; not shown as typed)",
} as const;

/** private_key_jwt (RFC 7523): the key that signs the client's assertion, and its kid. */
export const privateKeyFlags = {
  "private-key": {
    type: "string",
    valueHint: "file",
    description: "Sign a client assertion (private_key_jwt) with this private key: a JWK, or PEM (PKCS#8, PKCS#1 or SEC 1: RSA, EC or Ed25519); - reads stdin (not shown as pasted)",
  },
  "private-key-id": {
    type: "string",
    valueHint: "kid",
    description: "The key ID (kid) the client assertion names, as in the client's JWKS; a JWK's own kid otherwise (Hydra v1.8 requires one)",
  },
} as const satisfies FlagDefs;

/**
 * --private-key's key, read whole and imported, named by --private-key-id where given (a PEM
 * key carries no kid; the flag also wins over a JWK's own). Checked on the command line first.
 */
export async function privateKeyFromArgs(context: CommandContext, source: string, keyId: string | undefined): Promise<PrivateKey> {
  const bytes = await readSource(context, source, "the private key", { unshown: true });
  // Loaded here: oauth4webapi is no part of the admin commands' start.
  const { importPrivateKey } = await import("../oauth/client-auth.ts");
  try {
    const privateKey = await importPrivateKey(bytes);
    return keyId ? { ...privateKey, kid: keyId } : privateKey;
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`--private-key ${source}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** How a client authenticates, as the command line chose it; nothing is read yet. */
export interface ClientAuthChoice {
  method: ClientAuthMethod;
  /** The secret, or `-` for stdin. */
  secretSource?: string;
  /** The private key's file, or `-` for stdin. */
  keySource?: string;
  keyId?: string;
}

/**
 * The method, secret and key that --token-endpoint-auth-method, --client-secret and
 * --private-key (or their variables and config keys) choose, with every check that needs
 * nothing read, in one order for every command. `stdinTakenBy`: the flag or argument that
 * already reads stdin, if any.
 */
export function clientAuthFromArgs(
  args: { readonly "token-endpoint-auth-method"?: ClientAuthMethod; readonly "client-secret"?: string; readonly "private-key"?: string; readonly "private-key-id"?: string },
  context: CommandContext,
  stdinTakenBy?: string,
): ClientAuthChoice {
  // An empty value (OAUTH2_CLIENT_SECRET= in a script) means none, as in Hydra.
  const secretSource = args["client-secret"] || undefined;
  const keySource = args["private-key"] || undefined;
  const keyId = args["private-key-id"];
  // Loops, not .filter/.some: each is compiled at its first use, and every token command runs this.
  const stdinReaders: string[] = [];
  for (const reader of [stdinTakenBy, secretSource === "-" && "--client-secret -", keySource === "-" && "--private-key -"]) if (reader) stdinReaders.push(reader);
  stdinReadOnce(stdinReaders);
  const given = args["token-endpoint-auth-method"];
  const method: ClientAuthMethod = given ?? (keySource ? "private_key_jwt" : secretSource ? "client_secret_basic" : "none");
  if (method === "private_key_jwt" && !keySource) throw new UsageError("--token-endpoint-auth-method private_key_jwt needs --private-key");
  if (method !== "private_key_jwt" && keySource) throw new UsageError(`--private-key signs a private_key_jwt assertion; it does not go with --token-endpoint-auth-method ${method}`);
  // A PEM key carries no kid: the flag gives one (and wins over a JWK's own).
  if (keyId !== undefined && !keySource) throw new UsageError("--private-key-id names the key of --private-key; give that too");
  if (keyId === "") throw new UsageError("--private-key-id is empty");
  if (method.startsWith("client_secret") && !secretSource) throw new UsageError(`--token-endpoint-auth-method ${method} needs --client-secret or OAUTH2_CLIENT_SECRET`);
  if ((method === "none" || method === "private_key_jwt") && secretSource) {
    // Neither may be on this command line at all: an exported variable is easily forgotten.
    const from = context.given.has("client-secret") ? "--client-secret" : "the OAUTH2_CLIENT_SECRET environment variable (or the config file)";
    const how = given ? `--token-endpoint-auth-method ${method}` : context.given.has("private-key") ? "--private-key" : "the config file's private-key";
    throw new UsageError(`${how} sends no secret, but ${from} gives one; leave it out`);
  }
  // An empty --client-secret "" is no secret, in no history.
  if (context.given.has("client-secret") && secretSource !== undefined && secretSource !== "-") {
    context.notify("warning: a secret given on the command line can end up in your shell history; OAUTH2_CLIENT_SECRET or --client-secret - keeps it off");
  }
  return { method, secretSource, keySource, keyId };
}

export const transportFlags = {
  "http-header": {
    type: "string",
    alias: "H",
    list: "repeat",
    parse: header,
    valueHint: "'Name: value'",
    description: "An extra HTTP header for every request; repeat for more",
  },
  "skip-tls-verify": {
    type: "boolean",
    description: "Accept any TLS certificate. Insecure: only for servers you trust, never in production",
  },
} as const satisfies FlagDefs;

/** The flags every command that talks to Hydra's admin API inherits, as in Hydra v1.8. */
export const adminFlags = {
  endpoint: {
    type: "string",
    alias: "e",
    // Hydra v1.8 reads HYDRA_ADMIN_URL, then HYDRA_URL (its `Remote()`; `token delete` that
    // alone), v2 ORY_SDK_URL: scripts written for either keep working. HYDRA_URL comes last,
    // since it names the public API where the others are set.
    env: ["HYDRA_ADMIN_URL", "ORY_SDK_URL", "HYDRA_URL"],
    emptyIsUnset: true,
    required: true,
    parse: endpoint,
    valueHint: "url",
    description: "Hydra's admin API URL, or unix:///path/to/socket",
  },
  "access-token": {
    type: "string",
    env: "OAUTH2_ACCESS_TOKEN",
    parse: bearerToken,
    description: "Send this access token as a bearer token with every request",
  },
  "fail-after": {
    type: "string",
    parse: duration,
    valueHint: "duration",
    description: "Keep retrying an unreachable server or a 5xx answer this long (e.g. 30s, 1m30s); by default 1m in Hydra v1.8's word order, and one attempt in v2's, as each Hydra CLI does",
  },
  "fake-tls-termination": {
    type: "boolean",
    description: 'Add "X-Forwarded-Proto: https" to requests, as a TLS-terminating proxy would',
  },
  "dry-run": {
    type: "boolean",
    description: "Check everything, then print each request as a curl command line instead of sending it (secrets as $VARIABLES)",
  },
  ...transportFlags,
  ...outputFlags,
  ...configFlags,
} as const satisfies FlagDefs;

type TransportArgs = Args<typeof transportFlags> & { readonly "fake-tls-termination"?: boolean };

/** The command line whose transport warnings were said: a process runs one. */
let warnedFor: TransportArgs | undefined;

export interface TransportOptions {
  unixSocket?: string;
  /** Show each request as a curl command line instead of sending it. */
  dryRun?: TransportSettings["dryRun"];
  /**
   * The servers the command line names, where the command may be sent on to others (the
   * endpoints and keys a discovery document names): `-H` goes to their origins alone, as
   * curl keeps a credential from the hosts a redirect leads to. Unset: every request.
   */
  servers?: readonly (URL | undefined)[];
}

/**
 * The fetch that carries `-H`, `--skip-tls-verify`, `--fake-tls-termination`, proxies and
 * sockets; with `dryRun`, one that shows each request as a curl command line instead.
 */
export function transportFromArgs(args: TransportArgs, context: CommandContext, { unixSocket, dryRun, servers }: TransportOptions = {}): Fetch {
  // A command with two transports (perform's admin API on a socket) warns once.
  const warn = warnedFor !== args;
  warnedFor = args;
  if (warn && args["skip-tls-verify"]) context.notify("warning: --skip-tls-verify is set; TLS certificates are not checked");
  const headers: [string, string][] = [];
  for (const [name, value] of args["http-header"] ?? []) {
    // Hydra's CLI sends the first value of a header given twice; so does hydractl, saying so.
    const lower = name.toLowerCase();
    if (headers.some(([kept]) => kept.toLowerCase() === lower)) {
      if (warn) context.notify(`warning: -H ${name} is given more than once; only its first value is sent, as Hydra's CLI sends it`);
      continue;
    }
    headers.push([name, value]);
    // A header that carries a credential is a secret this run sends, as --access-token is.
    if (!isCredentialHeader(name)) continue;
    hideInErrors(value);
    // `Bearer …`, `Basic …`: the credential alone, as a server may quote it, and Basic's decoded.
    if (!value.includes(" ")) continue;
    const credential = value.slice(value.indexOf(" ") + 1).trim();
    hideInErrors(credential);
    if (/^basic$/i.test(value.slice(0, value.indexOf(" ")))) hideBasicCredentials(credential);
  }
  // A loop, not .flatMap: an array builtin is compiled from source at its first use (README, Performance).
  const headerOrigins: string[] | undefined = servers && [];
  for (const url of servers ?? []) if (url && !headerOrigins!.includes(url.origin)) headerOrigins!.push(url.origin);
  return createTransport(context.runtime, {
    unixSocket,
    skipTlsVerify: args["skip-tls-verify"],
    headers,
    headerOrigins,
    onWithheld: (origin) => context.notify(`note: the -H headers are not sent to ${origin}, which the server's metadata names: they go only to the servers given (${headerOrigins!.join(", ")})`),
    // -H wins over hydractl's own headers: a token or client credentials not sent are said, not dropped unseen.
    onReplaced: (name) => {
      const carried = name.toLowerCase() === "authorization" ? " (the token or client credentials it was given)" : "";
      context.notify(`warning: -H ${name} replaces the ${name} header hydractl sends${carried}; -H's value is sent`);
    },
    fakeTlsTermination: args["fake-tls-termination"],
    insecureHint: "if you trust this server, --skip-tls-verify skips the certificate check",
    dryRun,
  });
}

/**
 * Whether any of the server's URLs is plain http, which the OAuth layer must then be told to
 * accept. Each one off this machine gets a warning naming what crosses the network in clear.
 */
export function plainHttpAllowed(urls: readonly (URL | undefined)[], context: CommandContext, exposed: string): boolean {
  let allowed = false;
  for (const url of urls) {
    if (url?.protocol !== "http:") continue;
    allowed = true;
    if (!isLoopback(url)) context.notify(`warning: ${url.origin} is plain http; ${exposed} cross the network unencrypted`);
  }
  return allowed;
}

function isLoopback(url: URL): boolean {
  return isLoopbackName(url.hostname) || url.hostname.endsWith(".localhost");
}

/**
 * A warning that the result is not what was asked for (a field the server did not keep, a
 * secret not shown, a client kept): said even with -q, which silences notices, since a script
 * that asked for quiet still needs to know. Shown as a notice is.
 */
export function warnEvenQuiet(context: CommandContext, message: string): Promise<void> {
  return context.runtime.writeStderr(noticeLine(message));
}

/** Hydra v1.8 named the group first (`clients create`, `keys get`, `token flush`), v2 the verb. */
export function isV18WordOrder(context: CommandContext): boolean {
  const group = context.path[0];
  return group === "clients" || group === "keys" || group === "token";
}

/**
 * Where the variables of Hydra's two generations name different servers, the one that the
 * word order's generation reads, said in a note. In v2's word order, ORY_SDK_URL over
 * `v18Variable` (HYDRA_ADMIN_URL for the admin API, HYDRA_URL for the public one), which the
 * table reads first: Hydra v2's CLI reads ORY_SDK_URL alone. In v1.8's, for the admin API
 * without HYDRA_ADMIN_URL, HYDRA_URL over ORY_SDK_URL, which the table reads before it: Hydra
 * v1.8's CLI falls back to HYDRA_URL there. A variable left from one generation must not send
 * the other's script to its server; where HYDRA_URL is the public API, the request fails, as
 * it does from Hydra v1.8's CLI, and the note says why.
 */
export function sdkUrl<T>(context: CommandContext, v18Variable: "HYDRA_ADMIN_URL" | "HYDRA_URL", parse: Parser<T>): T | undefined {
  if (context.given.has("endpoint")) return undefined;
  const { env } = context.runtime;
  const sdk = env("ORY_SDK_URL");
  if (!isV18WordOrder(context)) {
    const v18 = env(v18Variable);
    if (!sdk || !v18 || sameServer(sdk, v18)) return undefined;
    context.notify(`note: ${v18Variable} and ORY_SDK_URL name different servers; this word order is Hydra v2's, which reads ORY_SDK_URL`);
    return parse(sdk, "ORY_SDK_URL");
  }
  const fallback = env("HYDRA_URL");
  if (v18Variable !== "HYDRA_ADMIN_URL" || env("HYDRA_ADMIN_URL") || !sdk || !fallback || sameServer(sdk, fallback)) return undefined;
  context.notify("note: HYDRA_URL and ORY_SDK_URL name different servers; this word order is Hydra v1.8's, which reads HYDRA_URL where HYDRA_ADMIN_URL is unset");
  return parse(fallback, "HYDRA_URL");
}

/** Two variables' URLs, alike but for a trailing slash, name one server. */
function sameServer(a: string, b: string): boolean {
  return withoutTrailing(a.trim(), "/") === withoutTrailing(b.trim(), "/");
}

/** Hydra's admin API as the inherited flags describe it. */
export function adminFromArgs(args: Args<typeof adminFlags>, context: CommandContext): HydraAdmin {
  const token = args["access-token"];
  hideInErrors(token);
  // The token is shown as the variable it can come from, so the printed line runs as it is.
  const dryRun = args["dry-run"] ? { secrets: new Map(token ? [[token, adminFlags["access-token"].env]] : []) } : undefined;
  const legacy = isV18WordOrder(context);
  const target = sdkUrl(context, "HYDRA_ADMIN_URL", endpoint) ?? args.endpoint;
  const api = new ApiClient({
    endpoint: target,
    fetch: transportFromArgs(args, context, { unixSocket: target.unixSocket, dryRun }),
    accessToken: args["access-token"],
    failAfterMs: args["fail-after"] ?? (legacy ? 60_000 : 0),
    // An import's requests meet the same trouble alike: said once, not once a client.
    onRetry: (message) => {
      if (message !== lastRetry) context.notify(message);
      lastRetry = message;
    },
    budgetHint: "--fail-after sets how long to wait",
  });
  let lastRetry: string | undefined;
  return new HydraAdmin(api, { unauthorizedHint: unauthorizedHint(args["access-token"]) });
}

/** What a 401 or 403 from the admin API is told, by whether a token was sent. */
export function unauthorizedHint(accessToken: string | undefined): string {
  return accessToken ? "check the token given with --access-token or OAUTH2_ACCESS_TOKEN" : "if the admin API needs a token, give it with --access-token or OAUTH2_ACCESS_TOKEN";
}

/**
 * Writes what a change the server has made came to. When that fails, the error says the
 * change was made (`done`: "client my-app was created"), so that it is not made again for
 * want of seeing it. A reader that went away (`| head`) is told nothing more, unless the
 * output held something shown only once (`shownOnce`): a secret Hydra generated, tokens.
 */
export async function writeDone(context: CommandContext, done: string, output: () => Promise<string>, shownOnce = false): Promise<void> {
  try {
    await context.runtime.writeStdout(await output());
  } catch (error) {
    if (error instanceof OutputError) {
      throw new OutputError(`${done}, but the output could not be written: ${error.reason}`, error.reason, { cause: error, quiet: error.quiet && !shownOnce });
    }
    // A --format path that matches nothing, or an answer too deep to write, is only known from the answer.
    if (error instanceof UsageError || error instanceof InputError) throw new OutputError(`${done}, but ${error.message}`, error.message, { cause: error });
    throw error;
  }
}

/**
 * Reads a JSON document from a file or stdin (`-`), naming the file when it is empty, not
 * UTF-8 (JSON's encoding: a decoder that replaced the bytes would change a client's ID
 * without a word), not JSON, or nested too deeply to be sent: JSON.parse reads any depth,
 * but writing a request's body back recurses, and that is said before the first request,
 * not as a stack overflow part-way through an import.
 */
export async function readJsonSource(context: CommandContext, source: string, what: string): Promise<unknown> {
  const bytes = await readSource(context, source, what);
  const named = `${what} ${source === "-" ? "(stdin)" : source}`;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InputError(`${named} is not UTF-8 text`, { cause: error });
  }
  // Said as such: each runtime's parser words nothing at all as a syntax error of its own.
  if (text.trim() === "") throw new InputError(`${named} is empty`);
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    // The parser's words differ by runtime and name no place on Bun: they stay in the cause.
    throw new InputError((await import("../json-problem.ts")).notJson(named, text), { cause: error });
  }
  try {
    JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InputError(`${named} is nested too deeply to be sent`, { cause: error });
  }
  return value;
}

/**
 * For commands that send one request per item, none needing another's answer (get A B,
 * delete A B, import). A dry run stops at the first request it shows; a command that hands
 * each item's failure to `keep` goes on to the next item, and `stop` ends the run once
 * every item's request is shown.
 */
export class ShownRequests {
  readonly #shown: ShownRequest[] = [];

  /** True when `error` is a dry run's stop, now kept; false for anything else. */
  keep(error: unknown): boolean {
    if (!(error instanceof DryRunStop)) return false;
    this.#shown.push(...error.shown);
    return true;
  }

  /** Ends a dry run with every request kept; does nothing when none was. */
  stop(): void {
    if (this.#shown.length > 0) throw new DryRunStop(this.#shown);
  }
}

/** Said when a refused client_secret_basic went again as client_secret_post, the method the client is registered for. */
export function sentAsRegistered(clientId: string, method: string): string {
  return `note: client "${clientId}" is registered for ${method}; its secret was sent again that way (--token-endpoint-auth-method ${method} sends it so at once)`;
}

/** A token (or secret) from stdin: one line, its line ending dropped; nothing at all is an error. */
export async function readLine(context: CommandContext, what: string): Promise<string> {
  const text = (await readSecret(context, `the ${what}`)).replace(/\r?\n$/, "");
  if (text.trim() === "") throw new InputError(`no ${what} on stdin`);
  if (/[\r\n]/.test(text)) throw new InputError(`${what} on stdin spans several lines; give one`);
  return text;
}

/**
 * A token given as an argument, or `-` for stdin (one line), the spaces and line breaks
 * around it dropped: no token starts or ends with one, and a `"$TOKEN"` read from a file
 * with Windows line ends carries a CR, which would have Hydra revoke nothing and say so
 * with a 200. An empty one is refused before anything is sent.
 */
export async function tokenArgument(context: CommandContext, value: string, what: string): Promise<string> {
  const token = value === "-" ? (await readLine(context, what)).trim() : value.trim();
  if (value !== "-" && value.trim() === "") throw new UsageError(`the ${what} is empty`);
  hideInErrors(token);
  return token;
}
