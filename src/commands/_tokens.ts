import { withoutTrailing } from "../chars.ts";
import type { CommandContext } from "../cli/context.ts";
import type { Args, FlagDefs } from "../cli/flags.ts";
import { formatTable, render } from "../cli/output.ts";
import { httpUrl } from "../cli/parsers.ts";
import { FlowError, hideInErrors, UsageError } from "../errors.ts";
import type * as oauth from "oauth4webapi";
import { type ClientIdentity, clientRefused, registeredMethod } from "../oauth/client-auth.ts";
import { oauthHttpOptions } from "../oauth/http.ts";
import { findMetadata, givenServer, IssuerMismatchError, wellKnown } from "../oauth/metadata.ts";
import type { HttpOptions, TokenSet } from "../oauth/tokens.ts";
import { adminFlags, clientAuthFromArgs, clientSecretFlag, configFlags, exchangeLimitFlags, exchangeTimeoutMs, outputFlags, plainHttpAllowed, privateKeyFlags, privateKeyFromArgs, readLine, sdkUrl, sentAsRegistered, transportFlags, transportFromArgs } from "./_shared.ts";

// What the OAuth 2.0 protocol commands (perform client-credentials and device-code,
// revoke token, token refresh and userinfo) share: where the server is, who the client
// is, and how tokens print.

/** The issuer, and the flags every protocol command inherits. */
export const serverFlags = {
  endpoint: {
    type: "string",
    alias: "e",
    // Hydra v1.8's token commands read HYDRA_URL (the public URL), v2 ORY_SDK_URL.
    env: ["HYDRA_URL", "ORY_SDK_URL"],
    emptyIsUnset: true,
    parse: httpUrl,
    valueHint: "url",
    description: "The issuer (Hydra's public URL); its OpenID discovery document gives the endpoints, Hydra's paths without one",
  },
  "fake-tls-termination": adminFlags["fake-tls-termination"],
  ...exchangeLimitFlags,
  ...transportFlags,
  ...outputFlags,
  ...configFlags,
} as const satisfies FlagDefs;

export const clientFlags = {
  "client-id": { type: "string", env: "OAUTH2_CLIENT_ID", description: "The OAuth 2.0 client ID" },
  "client-secret": clientSecretFlag,
  "token-endpoint-auth-method": {
    type: "enum",
    options: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
    description: "How the client authenticates (default: private_key_jwt with --private-key, client_secret_basic with a secret, else none)",
  },
  ...privateKeyFlags,
} as const satisfies FlagDefs;

type ClientArgs = Args<typeof clientFlags>;

/**
 * Sends a token request as the client. Where Hydra refuses it for authenticating another way
 * than the one it is registered for, which it names ("supports client authentication method
 * 'client_secret_post'"), and the way was hydractl's default (Basic), the request goes once
 * more with the secret in the body, as it does from Hydra's CLIs (Go's oauth2 tries Basic,
 * then the body, on any error); a method the run asked for is kept, and the error names the
 * --token-endpoint-auth-method that fits. No request is spent by a refused client: Hydra
 * checks the client first.
 */
export async function asRegistered<T>(
  client: ClientIdentity,
  args: Pick<ClientArgs, "token-endpoint-auth-method">,
  context: CommandContext,
  send: (client: ClientIdentity) => Promise<T>,
): Promise<T> {
  try {
    return await send(client);
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    // Sent with no secret, as a public client is: a confidential one is refused for it.
    if (client.method === "none" && clientRefused(error)) {
      throw new FlowError(`${error.message} (no client secret was given, so the request went as a public client's: give --client-secret or OAUTH2_CLIENT_SECRET)`, error.code, { cause: error });
    }
    const registered = registeredMethod(error);
    if (!registered) throw error;
    if (args["token-endpoint-auth-method"] !== undefined || client.method !== "client_secret_basic" || registered !== "client_secret_post") {
      throw new FlowError(`${error.message} (give --token-endpoint-auth-method ${registered}, the way it is registered for)`, error.code, { cause: error });
    }
    context.notify(sentAsRegistered(client.clientId, "client_secret_post"));
    return await send({ ...client, method: "client_secret_post" });
  }
}

export interface ClientOptions {
  /** The grant needs a confidential client (client credentials): no secret or key is a usage error. */
  confidential?: boolean;
  /** The flag or argument that already reads stdin, if any. */
  stdinTakenBy?: string;
}

/**
 * The client as the flags describe it. Every check on the command line comes before any
 * input is read, and all input is read before anything is sent.
 */
export async function clientFromArgs(args: ClientArgs, context: CommandContext, options: ClientOptions = {}): Promise<ClientIdentity> {
  const clientId = args["client-id"];
  if (!clientId) throw new UsageError("no OAuth 2.0 client ID given: set --client-id or the OAUTH2_CLIENT_ID environment variable");
  const { method, secretSource, keySource, keyId } = clientAuthFromArgs(args, context, options.stdinTakenBy);
  if (method === "none" && options.confidential) {
    throw new UsageError("no client secret given: set --client-secret or OAUTH2_CLIENT_SECRET (or --private-key for private_key_jwt)");
  }
  if (secretSource !== undefined) {
    const secret = secretSource === "-" ? await readLine(context, "client secret") : secretSource;
    hideInErrors(secret, clientId);
    return { clientId, method, secret };
  }
  if (keySource !== undefined) return { clientId, method, privateKey: await privateKeyFromArgs(context, keySource, keyId) };
  return { clientId, method };
}

export interface ServerAccess {
  server: oauth.AuthorizationServer;
  http: HttpOptions;
}

type EndpointFlag = "token-url" | "revocation-url";

/**
 * The server's endpoints: OpenID discovery at the issuer, Hydra's paths without it;
 * `--token-url` wins over the discovered one. `direct` is the flag that names the only
 * endpoint the command sends to: given, it is used with no discovery at all, as Hydra's CLI
 * does. The issuer check guards the endpoints discovery finds. Where it fails, a command
 * with such an endpoint (no ID token to check against the issuer) sends to Hydra's path
 * under the endpoint given, as Hydra's CLI does, and trusts nothing the document says: that
 * is Hydra reached under another name than its issuer (localhost, a port-forward, a
 * container's name), which Hydra's CLI reaches.
 */
export async function serverFromArgs(
  args: Args<typeof serverFlags> & { readonly [flag in EndpointFlag]?: URL },
  context: CommandContext,
  direct?: EndpointFlag,
): Promise<ServerAccess> {
  const { "token-url": tokenUrl, "revocation-url": revocationUrl } = args;
  const issuer = sdkUrl(context, "HYDRA_URL", httpUrl) ?? args.endpoint;
  const given = direct && args[direct];
  if (!issuer && !tokenUrl && !given) throw new UsageError("no endpoint given: set --endpoint or the HYDRA_URL or ORY_SDK_URL environment variable");
  const allowHttp = plainHttpAllowed(given ? [given] : [issuer, tokenUrl], context, "secrets and tokens");
  const fetch = transportFromArgs(args, context, { servers: [issuer, tokenUrl, revocationUrl, given] });
  const timeoutMs = exchangeTimeoutMs(args);
  const http = oauthHttpOptions(fetch, allowHttp, timeoutMs);
  if (given) return { server: givenServer(issuer, { tokenUrl, revocationUrl }), http };
  const { server, source } = await findMetadata({ issuer, tokenUrl, fetch, allowHttp, timeoutMs }).catch((error) => {
    if (!(direct && issuer && error instanceof IssuerMismatchError)) throw error;
    const server = givenServer(issuer, { tokenUrl, revocationUrl });
    const used = direct === "token-url" ? server.token_endpoint : server.revocation_endpoint;
    context.notify(
      `note: ${withoutTrailing(issuer.href, "/")} announces the issuer ${JSON.stringify(error.announced)}; its discovery document is not used, and Hydra's path under the endpoint given is, as Hydra's CLI uses it: ${used} (--${direct} names it at once)`,
    );
    return { server, source: "given" as const };
  });
  // The URL looked at, whole: an endpoint given with a path (…/oauth2/token) shows as such.
  if (source === "hydra-defaults" && issuer) context.notify(`No OpenID discovery document at ${wellKnown(issuer)}; using Hydra's paths under ${withoutTrailing(issuer.href, "/")}`);
  return { server, http };
}

/** Hydra's two columns, one token a row. */
export function tokenRows(tokens: TokenSet): string[][] {
  return [
    ["ACCESS TOKEN", tokens.access_token],
    ["REFRESH TOKEN", tokens.refresh_token ?? ""],
    ["ID TOKEN", tokens.id_token ?? ""],
    ["EXPIRY", tokens.expiry ?? ""],
  ];
}

/** Tokens as Hydra v2 prints them by default; JSON and YAML hold every field of the token response. */
export function renderTokens(tokens: TokenSet, format: Args<typeof outputFlags>["format"], text = () => formatTable(tokenRows(tokens))): Promise<string> {
  return render(tokens, format, { text, table: () => tokenRows(tokens), ids: () => [tokens.access_token] });
}

