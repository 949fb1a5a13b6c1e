import { escapeControls } from "../../chars.ts";
import { command } from "../../cli/context.ts";
import type { FlagDefs } from "../../cli/flags.ts";
import { endpoint, httpUrl, integer, nonEmpty } from "../../cli/parsers.ts";
import { ADDRESS_IN_USE, errorLine, FlowError, hideInErrors, type InterruptSignal, InterruptedError, NetworkError, UsageError } from "../../errors.ts";
import { HydraAdmin } from "../../hydra/admin.ts";
import { LoginConsentApi } from "../../hydra/login-consent.ts";
import { ApiClient, mayHaveReachedServer } from "../../http/api.ts";
import { untilAborted } from "../../http/deadline.ts";
import type { OAuth2Client } from "../../hydra/clients.ts";
import { AuthorizationCodeFlow, type FlowResult } from "../../oauth/authorization-code.ts";
import { findMetadata, responseModeWarning } from "../../oauth/metadata.ts";
import { runLocalClient } from "../../server/local-client.ts";
import {
  adminFlags,
  type ClientAuthChoice,
  clientAuthFromArgs,
  clientSecretFlag,
  configFlags,
  exchangeLimitFlags,
  exchangeTimeoutMs,
  outputFlags,
  plainHttpAllowed,
  privateKeyFlags,
  privateKeyFromArgs,
  readLine,
  sdkUrl,
  sentAsRegistered,
  transportFlags,
  transportFromArgs,
  unauthorizedHint,
  warnEvenQuiet,
  writeDone,
} from "../_shared.ts";
import type { RunNeeds } from "./_hydra-client.ts";
import { certificateFromArgs, wantsHttps } from "./_https.ts";

const args = {
  "client-id": { type: "string", env: "OAUTH2_CLIENT_ID", description: "The OAuth 2.0 client ID" },
  "client-secret": clientSecretFlag,
  "token-endpoint-auth-method": {
    type: "enum",
    options: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
    description: "How the client authenticates at the token endpoint (default: private_key_jwt with --private-key, client_secret_basic with a secret, else none)",
  },
  ...privateKeyFlags,
  // Hydra v1.8's token commands read HYDRA_URL (the public URL), v2 ORY_SDK_URL.
  endpoint: { type: "string", alias: "e", env: ["HYDRA_URL", "ORY_SDK_URL"], emptyIsUnset: true, parse: httpUrl, valueHint: "url", description: "The issuer (Hydra's public URL); its OpenID discovery document gives the endpoints" },
  "admin-endpoint": {
    type: "string",
    env: "HYDRA_ADMIN_URL",
    emptyIsUnset: true,
    parse: endpoint,
    valueHint: "url",
    description: "Hydra's admin API, for the login and consent pages (default: --endpoint); when given, the client is also checked before the flow",
  },
  "create-client": {
    type: "boolean",
    description: "Create a client for this run through the admin API (public with PKCE, or with a generated secret when --token-endpoint-auth-method asks for one) and delete it when the run ends",
  },
  "keep-client": {
    type: "boolean",
    description: "With --create-client: keep the client after a run that got tokens, since Hydra revokes a client's tokens with it; the command that deletes it is printed",
  },
  "access-token": {
    ...adminFlags["access-token"],
    description: "Send this access token as a bearer token to the admin API (never to the OAuth 2.0 endpoints)",
  },
  "no-preflight": { type: "boolean", description: "Do not check the client through the admin API before opening the browser" },
  paste: {
    type: "boolean",
    description: "Serve nothing: print the authorization URL and read the URL the browser was sent to (or its query) from stdin. A wrong paste is refused and asked for again; end of input exits 1",
  },
  "auth-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Use this authorization endpoint instead of the discovered one" },
  "token-url": { type: "string", parse: httpUrl, valueHint: "url", description: "Use this token endpoint instead of the discovered one" },
  port: { type: "string", alias: "p", default: "4446", parse: integer(0, 65535), valueHint: "int", description: "Port of the local web client on 127.0.0.1 (0: any free port)" },
  scope: { type: "string", list: "words", default: "offline,openid", description: "Scopes to request" },
  prompt: { type: "string", list: "comma", description: "The OpenID Connect prompt parameter (none, login, consent, select_account)" },
  // -1 is Hydra v2's CLI's default, and how its users say "none".
  "max-age": { type: "string", parse: integer(-1, 2 ** 31 - 1, "seconds"), valueHint: "seconds", description: "The OpenID Connect max_age parameter (-1: none, as in Hydra v2's CLI)" },
  audience: { type: "string", list: "comma", description: "Access token audiences to request" },
  state: { type: "string", parse: nonEmpty, description: "Force this state value. Insecure: the state then protects nothing" },
  redirect: { type: "string", parse: httpUrl, valueHint: "url", description: "Send this redirect URI instead of the local callback URL" },
  "response-mode": { type: "enum", options: ["query", "form_post"], description: "How the server returns the code" },
  "no-pkce": { type: "boolean", description: "Do not use PKCE (for a server that refuses it)" },
  par: {
    type: "boolean",
    description: "Send the request's parameters to the server first (a pushed authorization request, RFC 9126) and the browser only a reference to them; done anyway where the server requires it",
  },
  skip: { type: "boolean", description: "Accept login and consent without asking when Hydra says they may be skipped" },
  "no-open": { type: "boolean", description: "Do not open the browser" },
  "no-shutdown": { type: "boolean", description: "Keep running after a flow; every new flow gets a fresh state, nonce and PKCE verifier" },
  https: { type: "boolean", description: "Serve the local web client over HTTPS with a self-signed certificate kept in your cache directory" },
  "https-cert": { type: "string", valueHint: "file", description: "Serve HTTPS with this PEM certificate (e.g. from mkcert) instead; needs --https-key" },
  "https-key": { type: "string", valueHint: "file", description: "The PEM private key of --https-cert" },
  "fake-tls-termination": adminFlags["fake-tls-termination"],
  ...exchangeLimitFlags,
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
      "issuer, audience, expiry, nonce, azp, iat and at_hash) and prints the tokens. It also\n" +
      "serves login and consent pages for Hydra at /login and /consent. For manual testing and\n" +
      "demos only.\n\n" +
      "With Hydra's admin API given (--admin-endpoint, HYDRA_ADMIN_URL or the config file's\n" +
      "admin-endpoint), the client is read first and compared with this run: redirect URI,\n" +
      "grant and response types, scopes, audiences and authentication method. Each difference\n" +
      "is printed with the hydractl command that fixes it, and nothing opens (exit 1).\n" +
      "--create-client makes a client for the run instead and deletes it afterwards.\n\n" +
      "--paste is for a terminal no browser can reach (SSH): open the printed URL on any device,\n" +
      "sign in, and paste back the address the browser ends on (it fails to load there). A paste\n" +
      "with the wrong state or no code is refused in one line and asked for again; the end of\n" +
      "input (Ctrl+D) exits 1. No local server runs, so Hydra's login and consent must be served\n" +
      "by your own login app.\n\n" +
      "Examples:\n" +
      "  hydractl perform authorization-code -e http://127.0.0.1:4444 --admin-endpoint http://127.0.0.1:4445 --create-client\n" +
      "  hydractl perform authorization-code -e https://auth.example --client-id my-app --paste",
  },
  args,
  async run(args, context) {
    const { runtime, notify } = context;
    const createClient = args["create-client"];
    if (createClient) {
      for (const flag of ["client-id", "client-secret", "private-key", "private-key-id"]) {
        if (context.given.has(flag)) throw new UsageError(`--create-client makes its own client; leave out --${flag}`);
      }
      // Its client would need the key's public half registered, which this run does not have.
      if (args["token-endpoint-auth-method"] === "private_key_jwt") {
        throw new UsageError("--create-client makes a client with a generated secret, or a public one; for private_key_jwt, create the client with its keys (hydractl create client --token-endpoint-auth-method private_key_jwt --jwks-uri …) and run with --client-id and --private-key");
      }
      if (!args["admin-endpoint"]) throw new UsageError("--create-client needs Hydra's admin API: set --admin-endpoint or HYDRA_ADMIN_URL");
    } else if (context.given.has("keep-client")) {
      // (Set in the config file, it waits for a --create-client.)
      throw new UsageError("--keep-client keeps the client that --create-client makes; give --create-client too");
    }
    // With --create-client, a client from the environment or config file is not this run's.
    const clientId = createClient ? undefined : args["client-id"];
    if (!createClient && !clientId) throw new UsageError("no OAuth 2.0 client ID given: set --client-id or the OAUTH2_CLIENT_ID environment variable (or use --create-client)");
    const paste = args.paste ? "--paste" : undefined;
    const { method: authMethod, secretSource, keySource, keyId }: ClientAuthChoice = createClient
      ? { method: args["token-endpoint-auth-method"] ?? "none" }
      : clientAuthFromArgs(args, context, paste);
    // RFC 6749 §3.1.2: the server would refuse it, and the code would never reach a fragment.
    if (args.redirect?.href.includes("#")) throw new UsageError("--redirect must not hold a fragment (#…): a redirect URI has none (RFC 6749 §3.1.2)");
    if (args.paste) {
      if (args["response-mode"] === "form_post") throw new UsageError("--paste needs the code in the redirect URL; --response-mode form_post sends it in a POST");
      if (args["no-shutdown"]) throw new UsageError("--paste runs one flow; leave out --no-shutdown");
      if (!args.redirect && args.port === 0) throw new UsageError("--paste needs the redirect URI before the flow starts: give a --port other than 0, or --redirect");
    }

    const { "auth-url": authUrl, "token-url": tokenUrl } = args;
    const issuer = sdkUrl(context, "HYDRA_URL", httpUrl) ?? args.endpoint;
    if (!issuer && !(authUrl && tokenUrl)) {
      throw new UsageError("no endpoint given: set --endpoint or the HYDRA_URL or ORY_SDK_URL environment variable (or both --auth-url and --token-url)");
    }
    // The admin API for login and consent: its own flag, else the issuer's server. Only one
    // given explicitly is trusted to hold the client, for the check and --create-client.
    const admin = args["admin-endpoint"] ?? (issuer ? endpoint(issuer.href, "--endpoint") : undefined);

    if (args.state !== undefined) notify("warning: --state is set; a fixed state is insecure, it no longer protects the callback against forgery");
    const allowHttp = plainHttpAllowed([issuer, authUrl, tokenUrl], context, "codes and tokens");

    // Read once the command line is known to be good, and before anything is sent or listens.
    const clientSecret = secretSource === "-" ? await readLine(context, "client secret") : secretSource;
    const privateKey = keySource === undefined ? undefined : await privateKeyFromArgs(context, keySource, keyId);
    // A token endpoint that quotes the request back in an error must not show it.
    hideInErrors(clientSecret, clientId);
    // -H goes to the servers named here alone, not to the hosts a discovery document names.
    const fetch = transportFromArgs(args, context, { servers: [issuer, tokenUrl, admin?.unixSocket ? undefined : admin?.baseUrl] });
    const timeoutMs = exchangeTimeoutMs(args);
    const accessToken = args["access-token"];
    hideInErrors(accessToken);
    const hydra = admin
      ? new HydraAdmin(
          new ApiClient({ endpoint: admin, fetch: admin.unixSocket ? transportFromArgs(args, context, { unixSocket: admin.unixSocket }) : fetch, accessToken, failAfterMs: 10_000, onRetry: notify }),
          {
            unauthorizedHint: unauthorizedHint(accessToken),
            // Found at the issuer for want of one given: Hydra serves it on a port of its own.
            notAdminHint: args["admin-endpoint"] ? undefined : "Hydra's admin API, which the login and consent pages accept through, is on a port of its own (4445 by default): give it with --admin-endpoint or HYDRA_ADMIN_URL",
          },
        )
      : undefined;
    const clientAdmin = args["admin-endpoint"] ? hydra : undefined;

    // Ctrl+C must not end the process before the run's client is deleted, nor leave stdin waiting.
    const stop = new AbortController();
    if (createClient || args.paste) runtime.onInterrupt((signal) => stop.abort(signal));
    const interrupted = () => new InterruptedError("interrupted before the flow finished", { signal: stop.signal.reason });
    // A request made before the flow starts (discovery, the client's check or creation) ends
    // at Ctrl+C, not when a server that hangs gives up.
    const untilStopped = <T>(work: Promise<T>): Promise<T> =>
      untilAborted(stop.signal, work).catch((error: unknown) => {
        throw stop.signal.aborted && error === stop.signal.reason ? interrupted() : error;
      });
    let made: (OAuth2Client & { client_id: string }) | undefined;
    // The run's client while its creation is under way or its answer was lost: it may exist.
    let making: { id: string; creation: Promise<unknown> } | undefined;
    // The client checks and the throwaway client (with their client tables), and --paste, load
    // only when asked for: a plain run is lighter by their modules, which start-up pays for.
    const hydraClient = () => import("./_hydra-client.ts");

    // The method the flow authenticates with: a default the client's registration may change (below).
    let method: RunNeeds["authMethod"] = authMethod;
    let portNoted = false;
    const createFlow = async (redirectUri: string) => {
      const { server, source } = await untilStopped(findMetadata({ issuer, authUrl, tokenUrl, fetch, allowHttp, timeoutMs }));
      if (source === "hydra-defaults") notify(`No OpenID discovery document; using ${server.authorization_endpoint} and ${server.token_endpoint}`);
      // A server that requires PAR of every client says so in its metadata (RFC 9126 §5).
      const required = server.require_pushed_authorization_requests === true;
      if ((args.par || required) && !server.pushed_authorization_request_endpoint) {
        const who = args.par ? "--par: the server" : "the server requires pushed authorization requests but";
        throw new FlowError(`${who} announces no pushed_authorization_request_endpoint (RFC 9126)`, "E_DISCOVERY");
      }
      if (required && !args.par) notify("note: the server requires pushed authorization requests (RFC 9126): this run sends them");
      const responseMode = args["response-mode"];
      const modeWarning = responseModeWarning(server, responseMode);
      if (modeWarning) notify(modeWarning);
      // `offline` is Hydra's name for offline access (its default here, as in Hydra's CLIs);
      // OpenID Connect's is offline_access, and a provider that knows only that one issues
      // no refresh token, without a word. (With Hydra's admin API given, the server is Hydra.)
      const announced = server.scopes_supported;
      if (!clientAdmin && args.scope.includes("offline") && !args.scope.includes("offline_access") && announced?.includes("offline_access") && !announced.includes("offline")) {
        notify("note: the server announces the scope offline_access, not offline: for a refresh token, ask for it (--scope openid,offline_access; an OpenID provider may also want --prompt consent)");
      }
      // A method the server does not take fails at the token endpoint, after the user has
      // signed in and used up the code: said now, before anything opens. Said, not refused:
      // the list may be partial (Keycloak takes public clients and leaves none out of it).
      const methods = server.token_endpoint_auth_methods_supported;
      const methodGiven = args["token-endpoint-auth-method"] !== undefined;
      if (Array.isArray(methods) && methods.length > 0 && method !== "none" && !methods.includes(method)) {
        if (!methodGiven && method === "client_secret_basic" && methods.includes("client_secret_post")) {
          method = "client_secret_post";
          notify("note: the server announces client_secret_post and not client_secret_basic: this run sends the client secret so");
        } else {
          notify(
            `warning: the server announces client authentication by ${methods.join(", ")} (its token_endpoint_auth_methods_supported), not ${method}, this run's: its token endpoint may refuse it after the sign-in (--token-endpoint-auth-method chooses)`,
          );
        }
      }
      const needs: RunNeeds = { redirectUri, scopes: args.scope, audience: args.audience, authMethod: method, authMethodGiven: methodGiven };
      if (clientAdmin && createClient) {
        if (stop.signal.aborted) throw interrupted();
        if (!made) {
          const { createThrowawayClient, throwawayClientId } = await hydraClient();
          const id = throwawayClientId();
          const creation = createThrowawayClient(clientAdmin, needs, id);
          making = { id, creation };
          made = await untilStopped(creation);
          making = undefined;
          hideInErrors(made.client_secret, made.client_id);
          notify(`Created client ${made.client_id} for this run; it is deleted when the run ends${args["keep-client"] ? ", unless the run gets tokens (--keep-client)" : ""}`);
        }
        if (stop.signal.aborted) throw interrupted();
      } else if (clientAdmin && !args["no-preflight"]) {
        const checked = await untilStopped((await hydraClient()).preflight(clientAdmin, clientId!, needs));
        if (checked.warning) notify(checked.warning);
        if (checked.registeredMethod) {
          method = checked.registeredMethod;
          notify(
            method === "none"
              ? `note: client "${clientId}" is public (registered for none): this run sends it no secret`
              : `note: client "${clientId}" is registered for ${method}: this run authenticates so (--token-endpoint-auth-method chooses)`,
          );
        }
      }
      // Said once the client is known to fit, before the address it names (a flow for each
      // visit with --no-shutdown: once).
      if (args.port === 0 && clientAdmin && !portNoted) {
        // Even with --quiet: without it, a browser sent to Hydra's login would meet nothing, unsaid.
        await warnEvenQuiet(context, "note: with --port 0, Hydra's URLS_LOGIN and URLS_CONSENT must name the port picked (below) for Hydra to send the browser to the login and consent pages served here");
        portNoted = true;
      }
      return new AuthorizationCodeFlow({
        server,
        clientId: made?.client_id ?? clientId!,
        clientSecret: made ? made.client_secret : method === "none" ? undefined : clientSecret,
        privateKey,
        authMethod: method,
        // Without the flag, a client registered for client_secret_post gets its secret so, as with Hydra's CLIs.
        adoptRegisteredMethod: !made && args["token-endpoint-auth-method"] === undefined,
        onMethodAdopted: (adopted) => {
          method = adopted;
          notify(sentAsRegistered(clientId!, adopted));
        },
        redirectUri,
        scopes: args.scope,
        prompt: args.prompt,
        maxAge: args["max-age"] === -1 ? undefined : args["max-age"],
        audience: args.audience,
        forcedState: args.state,
        pkce: !args["no-pkce"],
        par: args.par || required,
        responseMode,
        fetch,
        allowHttp,
        timeoutMs,
      });
    };
    // Tokens shown: Hydra revokes them with the run's client, which --keep-client then keeps.
    let shown = false;
    const printTokens = async ({ tokens, openidNotGranted: granted }: FlowResult) => {
      if (granted !== undefined) {
        await warnEvenQuiet(context, `warning: the server granted ${granted ? `the scope "${granted}"` : "no scope"}, without the openid asked for (a consent page may let it be unticked), so no ID token came`);
      }
      // The token commands' module (its flag tables) loads once there are tokens to show:
      // at start it would cost every run its heap (README, Performance: the 64 heap blocks).
      const { renderTokens } = await import("../_tokens.ts");
      await writeDone(context, "tokens were issued", () => renderTokens(tokens, args.format), true);
      shown = true;
    };

    let failure: { error: unknown } | undefined;
    try {
      if (args.paste) {
        const redirectUri = args.redirect?.href ?? `${wantsHttps(args) ? "https" : "http"}://127.0.0.1:${args.port}/callback`;
        const flow = await createFlow(redirectUri);
        const [{ pasteBack }, { readLines }] = await Promise.all([import("../../oauth/paste-back.ts"), import("../../runtime/lines.ts")]);
        const result = await pasteBack({
          flow,
          redirectUri,
          lines: readLines(runtime.stdin()),
          // Shown even with --quiet: without it there is nothing to paste.
          ask: (url) => void runtime.writeStderr(pastePrompt(url, redirectUri, flow.pushedRequestLifetime)),
          refused: (message) => void runtime.writeStderr(`Error: ${escapeControls(message)}; paste it again:\n`),
          stop: stop.signal,
        });
        await printTokens(result);
      } else {
        await runLocalClient({
          runtime,
          port: args.port,
          tls: await certificateFromArgs(args, context),
          redirect: args.redirect,
          open: !args["no-open"],
          keepRunning: args["no-shutdown"],
          skip: args.skip,
          loginConsent: hydra ? new LoginConsentApi(hydra) : undefined,
          notify,
          // Shown even with --quiet, as the paste prompt is: without it there is nowhere to go.
          prompt: (message) => void runtime.writeStderr(`${message}\n`),
          createFlow,
          stop: stop.signal,
          onTokens: printTokens,
        });
      }
    } catch (error) {
      const busy = error instanceof NetworkError && error.code === ADDRESS_IN_USE;
      // Hydra sends the browser to the login and consent URLs of its own configuration: a
      // port picked here must be named there, so "any free one" is no answer with Hydra.
      const another = clientAdmin ? "give another --port, and name it in Hydra's URLS_LOGIN and URLS_CONSENT" : "give another --port (0 picks any free one)";
      failure = { error: busy ? new NetworkError(`${error.message}: ${another}`, ADDRESS_IN_USE, { cause: error }) : error };
    }
    // A creation that was interrupted, or whose answer was lost, may have made the client.
    const perhaps = making && failure && (failure.error instanceof InterruptedError || mayHaveReachedServer(failure.error)) ? making : undefined;
    const throwaway = made?.client_id ?? perhaps?.id;
    if (throwaway && shown && args["keep-client"]) {
      // Even with --quiet: a client left on the server must be named.
      await warnEvenQuiet(context, `Kept client ${throwaway} (--keep-client), so that its tokens stay valid; ${(await hydraClient()).deleteByHand(clientAdmin!, throwaway)}`);
    } else if (throwaway) {
      // Ctrl+C now stops waiting for a deletion that an admin API that hangs holds up.
      let giveUp!: (signal: InterruptSignal) => void;
      const givenUp = new Promise<InterruptSignal>((resolve) => (giveUp = resolve));
      const stopWatching = runtime.onInterrupt((signal) => giveUp(signal));
      if (perhaps && failure?.error instanceof InterruptedError) {
        void runtime.writeStderr(`Interrupted: waiting for the creation of client ${throwaway} under way, to delete it (Ctrl+C again to leave it)\n`);
      }
      const problem = await (await hydraClient()).deleteThrowawayClient(clientAdmin!, throwaway, givenUp, perhaps?.creation);
      stopWatching();
      if (typeof problem === "string") notify(shown ? `${problem}, and with it the tokens Hydra issued to it (--keep-client keeps both)` : problem);
      // The run's own failure is the error; this one must still be seen, even with --quiet.
      else if (problem && failure) await runtime.writeStderr(`${errorLine(problem)}\n`);
      else if (problem) failure = { error: problem };
    }
    if (failure) throw failure.error;
  },
});

/** `pushedLifetime`: the seconds the server holds a pushed request, which the URL stands for. */
function pastePrompt(url: URL, redirectUri: string, pushedLifetime: number | undefined): string {
  return [
    "Open this URL in a browser on any device and sign in:",
    "",
    `  ${url.href}`,
    "",
    ...(pushedLifetime === undefined ? [] : [`It stands for a pushed request, which the server holds for ${pushedLifetime} seconds: open it before then.`]),
    `The browser is then sent to ${redirectUri}?…, which fails to load there.`,
    "Paste that whole address (or just its query) here and press Enter:",
    "",
  ].join("\n");
}
