import { defineCommand } from "citty";
import { transportFromFlags } from "../../cli/api-options.ts";
import { certificateFromFlags } from "../../cli/https-options.ts";
import { booleanFlag, type CommandContext, formatFlag, integerFlag, listFlag, notifier, stringFlag } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { formatTable, render } from "../../cli/output.ts";
import { UsageError } from "../../errors.ts";
import { LoginConsentApi } from "../../hydra/login-consent.ts";
import { ApiClient } from "../../http/api.ts";
import { parseEndpoint, parseHttpUrl } from "../../http/endpoint.ts";
import { AuthorizationCodeFlow, type ClientAuthMethod, type Tokens } from "../../oauth/authorization-code.ts";
import { findMetadata, responseModeWarning } from "../../oauth/metadata.ts";
import { runLocalClient } from "../../server/local-client.ts";
import { configFlags, outputFlags, transportFlags } from "../_shared.ts";

const args = {
  "client-id": { type: "string", env: "OAUTH2_CLIENT_ID", description: "The OAuth 2.0 client ID" },
  "client-secret": { type: "string", env: "OAUTH2_CLIENT_SECRET", description: "The OAuth 2.0 client secret" },
  "token-endpoint-auth-method": {
    type: "enum",
    options: ["client_secret_basic", "client_secret_post", "none"],
    description: "How the client authenticates at the token endpoint (default client_secret_basic with a secret, none without)",
  },
  endpoint: { type: "string", alias: "e", env: "ORY_SDK_URL", valueHint: "url", description: "The issuer (Hydra's public URL); its OpenID discovery document gives the endpoints" },
  "admin-endpoint": { type: "string", env: "HYDRA_ADMIN_URL", valueHint: "url", description: "Hydra's admin API, for the login and consent pages (default: --endpoint)" },
  "auth-url": { type: "string", valueHint: "url", description: "Use this authorization endpoint instead of the discovered one" },
  "token-url": { type: "string", valueHint: "url", description: "Use this token endpoint instead of the discovered one" },
  port: { type: "string", alias: "p", default: "4446", valueHint: "int", description: "Port of the local web client on 127.0.0.1 (0: any free port)" },
  scope: { type: "string", list: "comma", default: "offline,openid", description: "Scopes to request" },
  prompt: { type: "string", list: "comma", description: "The OpenID Connect prompt parameter (none, login, consent, select_account)" },
  "max-age": { type: "string", valueHint: "seconds", description: "The OpenID Connect max_age parameter" },
  audience: { type: "string", list: "comma", description: "Access token audiences to request" },
  state: { type: "string", description: "Force this state value. Insecure: the state then protects nothing" },
  redirect: { type: "string", valueHint: "url", description: "Send this redirect URI instead of the local callback URL" },
  "response-mode": { type: "enum", options: ["query", "form_post"], description: "How the server returns the code" },
  "no-pkce": { type: "boolean", description: "Do not use PKCE (for a server that refuses it)" },
  skip: { type: "boolean", description: "Accept login and consent without asking when Hydra says they may be skipped" },
  "no-open": { type: "boolean", description: "Do not open the browser" },
  "no-shutdown": { type: "boolean", description: "Keep running after a flow; every new flow gets a fresh state, nonce and PKCE verifier" },
  https: { type: "boolean", description: "Serve the local web client over HTTPS with a self-signed certificate kept in your cache directory" },
  "https-cert": { type: "string", valueHint: "file", description: "Serve HTTPS with this PEM certificate (e.g. from mkcert) instead; needs --https-key" },
  "https-key": { type: "string", valueHint: "file", description: "The PEM private key of --https-cert" },
  ...transportFlags,
  ...outputFlags,
  ...configFlags,
} as const satisfies FlagDefs;

export default defineCommand({
  meta: {
    name: "authorization-code",
    description:
      "Run the OAuth 2.0 Authorization Code flow with a local web client\n\n" +
      "Starts a web server on 127.0.0.1 that acts as an OAuth 2.0 client, sends you through the\n" +
      "server's login and consent, checks what comes back (state, PKCE, the ID token's signature,\n" +
      "issuer, audience, expiry and nonce) and prints the tokens. It also serves login and consent\n" +
      "pages for Hydra at /login and /consent. For manual testing and demos only.",
  },
  args,
  async run({ data }) {
    const context = data as CommandContext;
    const { flags, runtime } = context;
    const notify = notifier(context);

    const clientId = stringFlag(flags, "client-id");
    if (!clientId) throw new UsageError("no OAuth 2.0 client ID given: set --client-id or the OAUTH2_CLIENT_ID environment variable");
    const clientSecret = stringFlag(flags, "client-secret");
    if (context.given.has("client-secret")) {
      notify("warning: a secret given on the command line can end up in your shell history; OAUTH2_CLIENT_SECRET keeps it off");
    }
    const authMethod = (stringFlag(flags, "token-endpoint-auth-method") ?? (clientSecret ? "client_secret_basic" : "none")) as ClientAuthMethod;
    if (authMethod !== "none" && !clientSecret) throw new UsageError(`--token-endpoint-auth-method ${authMethod} needs --client-secret or OAUTH2_CLIENT_SECRET`);
    if (authMethod === "none" && clientSecret) throw new UsageError("--token-endpoint-auth-method none sends no secret; leave out --client-secret");

    const port = integerFlag(flags, "port")!;
    if (port < 0 || port > 65535) throw new UsageError(`invalid value "${port}" for --port: expected 0 to 65535`);
    const maxAge = integerFlag(flags, "max-age");
    if (maxAge !== undefined && maxAge < 0) throw new UsageError(`invalid value "${maxAge}" for --max-age: expected seconds, 0 or more`);
    const issuer = optionalUrl(context, "endpoint");
    const authUrl = optionalUrl(context, "auth-url");
    const tokenUrl = optionalUrl(context, "token-url");
    const redirect = optionalUrl(context, "redirect");
    if (!issuer && !(authUrl && tokenUrl)) {
      throw new UsageError("no endpoint given: set --endpoint or the ORY_SDK_URL environment variable (or both --auth-url and --token-url)");
    }
    const adminValue = stringFlag(flags, "admin-endpoint") ?? stringFlag(flags, "endpoint");
    const admin = adminValue ? parseEndpoint(adminValue, stringFlag(flags, "admin-endpoint") ? "admin-endpoint" : "endpoint") : undefined;
    const format = formatFlag(flags);

    const state = stringFlag(flags, "state");
    if (state !== undefined) notify("warning: --state is set; a fixed state is insecure, it no longer protects the callback against forgery");
    for (const url of [issuer, authUrl, tokenUrl]) {
      if (url?.protocol === "http:" && !isLoopback(url)) notify(`warning: ${url.origin} is plain http; codes and tokens cross the network unencrypted`);
    }

    const fetch = transportFromFlags(context);
    const allowHttp = [issuer, authUrl, tokenUrl].some((url) => url?.protocol === "http:");
    const loginConsent = admin
      ? new LoginConsentApi(
          new ApiClient({ endpoint: admin, fetch: admin.unixSocket ? transportFromFlags(context, admin.unixSocket) : fetch, failAfterMs: 10_000, onRetry: notify }),
        )
      : undefined;

    await runLocalClient({
      runtime,
      port,
      tls: await certificateFromFlags(context, redirect, notify),
      redirect,
      open: !booleanFlag(flags, "no-open"),
      keepRunning: booleanFlag(flags, "no-shutdown"),
      skip: booleanFlag(flags, "skip"),
      clientId,
      loginConsent,
      notify,
      async createFlow(redirectUri) {
        const { server, source } = await findMetadata({ issuer, authUrl, tokenUrl, fetch, allowHttp });
        if (source === "hydra-defaults") notify(`No OpenID discovery document; using ${server.authorization_endpoint} and ${server.token_endpoint}`);
        const responseMode = stringFlag(flags, "response-mode");
        const modeWarning = responseModeWarning(server, responseMode);
        if (modeWarning) notify(modeWarning);
        return new AuthorizationCodeFlow({
          server,
          clientId,
          clientSecret,
          authMethod,
          redirectUri,
          scopes: listFlag(flags, "scope"),
          prompt: listFlag(flags, "prompt"),
          maxAge,
          audience: listFlag(flags, "audience"),
          forcedState: state,
          pkce: !booleanFlag(flags, "no-pkce"),
          responseMode: responseMode as "query" | "form_post" | undefined,
          fetch,
          allowHttp,
        });
      },
      async onTokens({ tokens }) {
        await runtime.writeStdout(await render(tokens, format, { text: () => formatTable(tokenRows(tokens)), table: () => tokenRows(tokens) }));
      },
    });
  },
});

/** Hydra's two columns, one token a row. */
function tokenRows(tokens: Tokens): string[][] {
  return [
    ["ACCESS TOKEN", tokens.access_token],
    ["REFRESH TOKEN", tokens.refresh_token ?? ""],
    ["ID TOKEN", tokens.id_token ?? ""],
    ["EXPIRY", tokens.expiry ?? ""],
  ];
}

function optionalUrl(context: CommandContext, flag: string): URL | undefined {
  const value = stringFlag(context.flags, flag);
  if (value === undefined) return undefined;
  return parseHttpUrl(value, `--${flag}`);
}

function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) || url.hostname.endsWith(".localhost");
}
