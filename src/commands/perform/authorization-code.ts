import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { formatTable, render } from "../../cli/output.ts";
import { endpoint, httpUrl, integer } from "../../cli/parsers.ts";
import { UsageError } from "../../errors.ts";
import { HydraAdmin } from "../../hydra/admin.ts";
import { LoginConsentApi } from "../../hydra/login-consent.ts";
import { ApiClient } from "../../http/api.ts";
import { AuthorizationCodeFlow, type ClientAuthMethod, type Tokens } from "../../oauth/authorization-code.ts";
import { findMetadata, responseModeWarning } from "../../oauth/metadata.ts";
import { runLocalClient } from "../../server/local-client.ts";
import { configFlags, outputFlags, transportFlags, transportFromArgs } from "../_shared.ts";

const args = {
  "client-id": { type: "string", env: "OAUTH2_CLIENT_ID", description: "The OAuth 2.0 client ID" },
  "client-secret": { type: "string", env: "OAUTH2_CLIENT_SECRET", description: "The OAuth 2.0 client secret" },
  "token-endpoint-auth-method": {
    type: "enum",
    options: ["client_secret_basic", "client_secret_post", "none"],
    description: "How the client authenticates at the token endpoint (default client_secret_basic with a secret, none without)",
  },
  endpoint: { type: "string", alias: "e", env: "ORY_SDK_URL", parse: httpUrl, valueHint: "url", description: "The issuer (Hydra's public URL); its OpenID discovery document gives the endpoints" },
  "admin-endpoint": { type: "string", env: "HYDRA_ADMIN_URL", parse: endpoint, valueHint: "url", description: "Hydra's admin API, for the login and consent pages (default: --endpoint)" },
  "auth-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Use this authorization endpoint instead of the discovered one" },
  "token-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Use this token endpoint instead of the discovered one" },
  port: { type: "string", alias: "p", default: "4446", parse: integer(0, 65535), valueHint: "int", description: "Port of the local web client on 127.0.0.1 (0: any free port)" },
  scope: { type: "string", list: "comma", default: "offline,openid", description: "Scopes to request" },
  prompt: { type: "string", list: "comma", description: "The OpenID Connect prompt parameter (none, login, consent, select_account)" },
  "max-age": { type: "string", parse: integer(0, 2 ** 31 - 1, "seconds"), valueHint: "seconds", description: "The OpenID Connect max_age parameter" },
  audience: { type: "string", list: "comma", description: "Access token audiences to request" },
  state: { type: "string", description: "Force this state value. Insecure: the state then protects nothing" },
  redirect: { type: "string", parse: httpUrl, valueHint: "url", description: "Send this redirect URI instead of the local callback URL" },
  "response-mode": { type: "enum", options: ["query", "form_post"], description: "How the server returns the code" },
  "no-pkce": { type: "boolean", description: "Do not use PKCE (for a server that refuses it)" },
  skip: { type: "boolean", description: "Accept login and consent without asking when Hydra says they may be skipped" },
  "no-open": { type: "boolean", description: "Do not open the browser" },
  "no-shutdown": { type: "boolean", description: "Keep running after a flow; every new flow gets a fresh state, nonce and PKCE verifier" },
  https: { type: "boolean", description: "Serve the local web client over HTTPS with a certificate generated at each start" },
  ...transportFlags,
  ...outputFlags,
  ...configFlags,
} as const satisfies FlagDefs;

export default command({
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
  async run(args, context) {
    const { runtime, notify } = context;
    const clientId = args["client-id"];
    if (!clientId) throw new UsageError("no OAuth 2.0 client ID given: set --client-id or the OAUTH2_CLIENT_ID environment variable");
    const clientSecret = args["client-secret"];
    if (context.given.has("client-secret")) {
      notify("warning: a secret given on the command line can end up in your shell history; OAUTH2_CLIENT_SECRET keeps it off");
    }
    const authMethod: ClientAuthMethod = args["token-endpoint-auth-method"] ?? (clientSecret ? "client_secret_basic" : "none");
    if (authMethod !== "none" && !clientSecret) throw new UsageError(`--token-endpoint-auth-method ${authMethod} needs --client-secret or OAUTH2_CLIENT_SECRET`);
    if (authMethod === "none" && clientSecret) throw new UsageError("--token-endpoint-auth-method none sends no secret; leave out --client-secret");

    const { endpoint: issuer, "auth-url": authUrl, "token-url": tokenUrl } = args;
    if (!issuer && !(authUrl && tokenUrl)) {
      throw new UsageError("no endpoint given: set --endpoint or the ORY_SDK_URL environment variable (or both --auth-url and --token-url)");
    }
    // The admin API for login and consent: its own flag, else the issuer's server.
    const admin = args["admin-endpoint"] ?? (issuer ? endpoint(issuer.href, "--endpoint") : undefined);

    if (args.state !== undefined) notify("warning: --state is set; a fixed state is insecure, it no longer protects the callback against forgery");
    for (const url of [issuer, authUrl, tokenUrl]) {
      if (url?.protocol === "http:" && !isLoopback(url)) notify(`warning: ${url.origin} is plain http; codes and tokens cross the network unencrypted`);
    }

    const fetch = transportFromArgs(args, context);
    const allowHttp = [issuer, authUrl, tokenUrl].some((url) => url?.protocol === "http:");
    const loginConsent = admin
      ? new LoginConsentApi(
          new HydraAdmin(
            new ApiClient({ endpoint: admin, fetch: admin.unixSocket ? transportFromArgs(args, context, admin.unixSocket) : fetch, failAfterMs: 10_000, onRetry: notify }),
          ),
        )
      : undefined;

    await runLocalClient({
      runtime,
      port: args.port,
      https: args.https,
      redirect: args.redirect,
      open: !args["no-open"],
      keepRunning: args["no-shutdown"],
      skip: args.skip,
      clientId,
      loginConsent,
      notify,
      async createFlow(redirectUri) {
        const { server, source } = await findMetadata({ issuer, authUrl, tokenUrl, fetch, allowHttp });
        if (source === "hydra-defaults") notify(`No OpenID discovery document; using ${server.authorization_endpoint} and ${server.token_endpoint}`);
        const responseMode = args["response-mode"];
        const modeWarning = responseModeWarning(server, responseMode);
        if (modeWarning) notify(modeWarning);
        return new AuthorizationCodeFlow({
          server,
          clientId,
          clientSecret,
          authMethod,
          redirectUri,
          scopes: args.scope,
          prompt: args.prompt,
          maxAge: args["max-age"],
          audience: args.audience,
          forcedState: args.state,
          pkce: !args["no-pkce"],
          responseMode,
          fetch,
          allowHttp,
        });
      },
      async onTokens({ tokens }) {
        await runtime.writeStdout(await render(tokens, args.format, { text: () => formatTable(tokenRows(tokens)), table: () => tokenRows(tokens) }));
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

function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) || url.hostname.endsWith(".localhost");
}
