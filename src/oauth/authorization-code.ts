import * as oauth from "oauth4webapi";
import { FlowError, hideInErrors } from "../errors.ts";
import { withoutUserinfo } from "../http/endpoint.ts";
import type { Fetch } from "../runtime/index.ts";
import { type ClientAuthMethod, clientAuthentication, registeredMethod } from "./client-auth.ts";
import { oauthHttpOptions } from "./http.ts";
import { challengeError, dpopNote, type GrantResult, grantResult, oauthFailure, oneLine, rejectedIdToken } from "./tokens.ts";

export type { ClientAuthMethod };

/** The code of the error for a token response without the ID token that openid asked for. */
export const NO_ID_TOKEN = "E_NO_ID_TOKEN";

/** The code of the error the server sent back to the callback (access_denied, invalid_scope, …). */
export const AUTHORIZATION_ERROR = "E_AUTHORIZATION_ERROR";

export interface FlowSettings {
  server: oauth.AuthorizationServer;
  clientId: string;
  clientSecret?: string;
  /** For private_key_jwt: signs the client assertion. */
  privateKey?: oauth.PrivateKey;
  authMethod: ClientAuthMethod;
  redirectUri: string;
  scopes: string[];
  prompt: string[];
  maxAge?: number;
  audience: string[];
  /** `--state`: the same state every time. Insecure; the command warns. */
  forcedState?: string;
  pkce: boolean;
  /**
   * Push the request's parameters to the server first (RFC 9126) and send the browser only
   * the request_uri it answers with: what a server or client that requires PAR takes.
   */
  par?: boolean;
  responseMode?: "query" | "form_post";
  fetch: Fetch;
  allowHttp: boolean;
  /** How long each exchange with the server may take (default OAUTH_TIMEOUT_MS). */
  timeoutMs?: number;
  /**
   * `authMethod` is a default, not a choice: a client_secret_basic the token endpoint refuses
   * for a client registered for client_secret_post sends the secret again that way (as Go's
   * oauth2, and so Hydra's CLIs, do), and from then on; `onMethodAdopted` is told once.
   */
  adoptRegisteredMethod?: boolean;
  onMethodAdopted?(method: "client_secret_post"): void;
}

/** The token response whole, as client credentials gives it, with the ID token's checked claims. */
export type FlowResult = GrantResult & {
  /** The scope granted, where it leaves out the openid asked for (a consent page let the user untick it): no ID token came. */
  openidNotGranted?: string;
};

interface PendingRequest {
  state: string;
  /** With openid only: the nonce, like the ID token it comes back in, is OpenID Connect's. */
  nonce?: string;
  codeVerifier?: string;
}

/**
 * A callback refused before anything was sent (a wrong or missing state, no code, no
 * request waiting): whatever request is pending still waits for its own. Anyone can send
 * one (a page the browser opens, a stale tab), so it must not end the run.
 */
export class CallbackRejected extends FlowError {
  override name = "CallbackRejected";
}

/**
 * One client doing the Authorization Code flow. Each `start()` makes a fresh state, nonce
 * and PKCE verifier; `finish()` takes them back, so a callback can be used only once and
 * only for the request last started.
 */
export class AuthorizationCodeFlow {
  #settings: FlowSettings;
  readonly #client: oauth.Client;
  #pending: PendingRequest | undefined;
  #pushedLifetime: number | undefined;

  constructor(settings: FlowSettings) {
    this.#settings = settings;
    this.#client = { client_id: settings.clientId, token_endpoint_auth_method: settings.authMethod };
  }

  get clientId(): string {
    return this.#settings.clientId;
  }

  /** How many seconds the server holds the request last pushed (its expires_in), with `par`. */
  get pushedRequestLifetime(): number | undefined {
    return this.#pushedLifetime;
  }

  get authorizationEndpoint(): string {
    return withoutUserinfo(this.#settings.server.authorization_endpoint!).href;
  }

  /** Starts a new authorization request, forgetting any earlier one, and returns its URL. */
  async start(): Promise<URL> {
    const s = this.#settings;
    const pending: PendingRequest = {
      state: s.forcedState ?? oauth.generateRandomState(),
      nonce: s.scopes.includes("openid") ? oauth.generateRandomNonce() : undefined,
      codeVerifier: s.pkce ? oauth.generateRandomCodeVerifier() : undefined,
    };
    // Without the user and password that an issuer given as https://user:pw@host lends Hydra's
    // paths (no discovery document): they are this run's, not the browser's to keep in its history.
    const url = withoutUserinfo(s.server.authorization_endpoint!);
    const params = s.par ? new URLSearchParams() : url.searchParams;
    params.set("client_id", s.clientId);
    params.set("redirect_uri", s.redirectUri);
    params.set("response_type", "code");
    params.set("scope", s.scopes.join(" "));
    params.set("state", pending.state);
    if (pending.nonce) params.set("nonce", pending.nonce);
    if (pending.codeVerifier) {
      params.set("code_challenge", await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
      params.set("code_challenge_method", "S256");
    }
    if (s.prompt.length) params.set("prompt", s.prompt.join(" "));
    if (s.maxAge !== undefined) params.set("max_age", String(s.maxAge));
    if (s.audience.length) params.set("audience", s.audience.join(" "));
    if (s.responseMode) params.set("response_mode", s.responseMode);
    if (s.par) {
      url.searchParams.set("client_id", s.clientId);
      url.searchParams.set("request_uri", await this.#push(params));
    }
    this.#pending = pending;
    return url;
  }

  /**
   * Sends the authorization request's parameters to the PAR endpoint; its request_uri stands
   * for them. The client authenticates there as at the token endpoint, and a push changes
   * nothing, so it may be sent again as the client is registered (#asRegistered).
   */
  #push(params: URLSearchParams): Promise<string> {
    return this.#asRegistered(() => this.#pushOnce(params), (error) => this.#pushError(error));
  }

  /**
   * Runs `attempt`, which authenticates the client. A client_secret_basic refused for a client
   * registered for client_secret_post (`adoptRegisteredMethod`) is sent that way again, and
   * from then on; any other failure, or the second one, is thrown as `failure` words it.
   */
  async #asRegistered<T>(attempt: () => Promise<T>, failure: (error: unknown) => Error): Promise<T> {
    const s = this.#settings;
    try {
      return await attempt();
    } catch (error) {
      if (!s.adoptRegisteredMethod || s.authMethod !== "client_secret_basic" || registeredMethod(error) !== "client_secret_post") throw failure(error);
    }
    this.#settings = { ...s, authMethod: "client_secret_post" };
    s.onMethodAdopted?.("client_secret_post");
    try {
      return await attempt();
    } catch (error) {
      throw failure(error);
    }
  }

  async #pushOnce(params: URLSearchParams): Promise<string> {
    const s = this.#settings;
    const http = oauthHttpOptions(s.fetch, s.allowHttp, s.timeoutMs);
    const client = { ...this.#client, token_endpoint_auth_method: s.authMethod };
    const auth = clientAuthentication({ clientId: s.clientId, method: s.authMethod, secret: s.clientSecret, privateKey: s.privateKey });
    const response = await oauth.pushedAuthorizationRequest(s.server, client, auth, params, http);
    const pushed = await oauth.processPushedAuthorizationResponse(s.server, client, response);
    this.#pushedLifetime = pushed.expires_in;
    return pushed.request_uri;
  }

  /** One line for the PAR endpoint's refusal, explained as the request's or the client's. */
  #pushError(error: unknown): Error {
    const s = this.#settings;
    const endpoint = "the pushed authorization request endpoint";
    // The error in the body, or in a WWW-Authenticate challenge (a refused client, RFC 6750 §3).
    const refusal =
      error instanceof oauth.ResponseBodyError
        ? { status: error.status, code: error.error, description: error.error_description }
        : error instanceof oauth.WWWAuthenticateChallengeError
          ? { status: error.status, ...challengeError(error) }
          : undefined;
    if (!refusal) return oauthFailure(error, endpoint, s.server.pushed_authorization_request_endpoint);
    // The server checks the request here that it would otherwise check at the authorization endpoint, and the client as the token endpoint does.
    const description = refusal.description ? `: ${oneLine(refusal.description)}` : "";
    const explanation = refusal.code === "invalid_client" ? explainTokenError(refusal.code, s, registeredMethod(error)) : explainAuthorizationError(refusal.code, s, refusal.description);
    return new FlowError(`${endpoint} refused the request (${refusal.status}): ${refusal.code}${description}${explanation ? ` (${explanation})` : ""}`, AUTHORIZATION_ERROR, { cause: error });
  }

  /**
   * Validates the callback's parameters, exchanges the code and validates the ID token.
   * A state mismatch, or a callback with neither a code nor an error, is rejected before
   * anything is sent and leaves the pending request in place: a forged callback must not
   * cancel the user's real one, and a mistaken paste may be followed by the right one.
   */
  async finish(parameters: URLSearchParams): Promise<FlowResult> {
    const pending = this.#pending;
    if (!pending) {
      throw new CallbackRejected("unexpected callback: no authorization request is waiting for one (it was already used, or none was started)", "E_NO_PENDING_REQUEST");
    }
    const state = parameters.get("state");
    if (state !== pending.state) {
      // A server's error without the state is no proof that the server sent it: its code alone
      // is named (an error_description is anyone's text), as what the callback claims.
      const error = parameters.get("error");
      const claims = error === null ? "" : ` (it claims error=${error.length > 64 ? `${error.slice(0, 64)}…` : error}, which only a matching state would vouch for)`;
      throw new CallbackRejected(
        state === null ? `the callback has no state parameter; rejected${claims}` : `the callback's state does not match the request's; rejected (possible CSRF or a stale tab)${claims}`,
        "E_STATE_MISMATCH",
      );
    }
    if (!parameters.has("code") && !parameters.has("error")) {
      throw new CallbackRejected("the callback has no code parameter (nor an error); rejected", "E_NO_CODE");
    }
    this.#pending = undefined;
    // The exchange sends both: a token endpoint that quotes its request back in an error
    // (inside a JSON string, where no field name marks them) must not show them.
    hideInErrors(parameters.get("code") ?? undefined);
    hideInErrors(pending.codeVerifier);
    const s = this.#settings;
    let callback: URLSearchParams;
    try {
      callback = oauth.validateAuthResponse(s.server, this.#client, parameters, pending.state);
    } catch (error) {
      throw authorizationResponseError(error, s);
    }
    // Hydra authenticates the client before it reads the code: a refused method leaves the code unused.
    return await this.#asRegistered(
      () => this.#exchange(callback, pending),
      (error) => tokenResponseError(error, this.#settings),
    );
  }

  async #exchange(callback: URLSearchParams, pending: PendingRequest): Promise<FlowResult> {
    const s = this.#settings;
    const http = oauthHttpOptions(s.fetch, s.allowHttp, s.timeoutMs);
    const client = { ...this.#client, token_endpoint_auth_method: s.authMethod };
    const auth = clientAuthentication({ clientId: s.clientId, method: s.authMethod, secret: s.clientSecret, privateKey: s.privateKey });
    const response = await oauth.authorizationCodeGrantRequest(s.server, client, auth, callback, s.redirectUri, pending.codeVerifier ?? oauth.nopkce, http);
    // Without openid the flow is plain OAuth 2.0: no ID token is due (Hydra sends none),
    // and one that comes anyway is still checked, for carrying no nonce among the rest.
    const openid = pending.nonce ? { expectedNonce: pending.nonce, requireIdToken: true, maxAge: s.maxAge } : undefined;
    const received = response.clone();
    try {
      const result = await oauth.processAuthorizationCodeResponse(s.server, client, response, openid);
      return await grantResult(s.server, response, result, http);
    } catch (error) {
      // No ID token, for a scope granted without openid: the tokens are sound, and nothing is left to check.
      const granted = withoutIdToken(error)?.scope;
      if (typeof granted === "string" && !granted.split(" ").includes("openid")) {
        const result = await oauth.processAuthorizationCodeResponse(s.server, client, received);
        return { ...(await grantResult(s.server, received, result, http)), openidNotGranted: granted };
      }
      // Said as the ID token's fault where it is, whatever oauth4webapi's words (its "alg", a JWE).
      const failure = oauthFailure(error, "the token endpoint", s.server.token_endpoint);
      const rejected = await rejectedIdToken(received, error, failure, (without) => oauth.processAuthorizationCodeResponse(s.server, client, without));
      throw rejected?.failure ?? error;
    }
  }
}

/** One line for an error the server sent back to the callback, or a callback oauth4webapi refused. */
function authorizationResponseError(error: unknown, settings: FlowSettings): Error {
  if (error instanceof oauth.AuthorizationResponseError) {
    const description = error.error_description ? `: ${oneLine(error.error_description)}` : "";
    const explanation = explainAuthorizationError(error.error, settings, error.error_description);
    return new FlowError(
      `the authorization server answered with an error: ${error.error}${description}${explanation ? ` (${explanation})` : ""}`,
      AUTHORIZATION_ERROR,
      { cause: error },
    );
  }
  return new FlowError(`the authorization response was rejected: ${(error as Error).message}`, "E_FLOW", { cause: error });
}

/**
 * The token response that oauth4webapi refused for want of an ID token, which requireIdToken
 * asked for; its `scope`, where there is one, says what was granted (RFC 6749 §5.1).
 */
function withoutIdToken(error: unknown): { scope?: unknown } | undefined {
  const { code, message, cause } = error as { code?: string; message?: string; cause?: { body?: { id_token?: unknown; scope?: unknown } } };
  const body = cause?.body;
  return code === oauth.INVALID_RESPONSE && body && !body.id_token && message?.includes('"id_token" property') ? body : undefined;
}

/**
 * One line for the token endpoint's refusal, with what it means for this run, or for an
 * answer oauth4webapi rejected, in the words the other grants use (oauthFailure).
 */
function tokenResponseError(error: unknown, settings: FlowSettings): Error {
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? `: ${oneLine(error.error_description)}` : "";
    const found = [explainTokenError(error.error, settings, registeredMethod(error)), dpopNote(settings.server, error.error)].filter(Boolean);
    const explanation = found.length ? found.join("; or ") : undefined;
    return new FlowError(`the token endpoint refused the code (${error.status}): ${error.error}${description}${explanation ? ` (${explanation})` : ""}`, "E_TOKEN_ERROR", {
      cause: error,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const { code, description } = challengeError(error);
    const detail = [code, description].filter(Boolean).join(": ");
    const explanation = code ? explainTokenError(code, settings) : undefined;
    return new FlowError(`the token endpoint refused the client's credentials (${error.status})${detail ? `: ${detail}` : ""}${explanation ? ` (${explanation})` : ""}`, "E_TOKEN_ERROR", {
      cause: error,
    });
  }
  if (withoutIdToken(error)) return new FlowError("no ID token in the token response (openid was asked for)", NO_ID_TOKEN, { cause: error });
  return oauthFailure(error, "the token endpoint", settings.server.token_endpoint);
}

/**
 * What an error from the token endpoint means for this run. Hydra checks the client's grant
 * types only here, after login and consent (unauthorized_client), and its authentication.
 */
export function explainTokenError(
  code: string,
  settings: Pick<FlowSettings, "clientId" | "scopes" | "audience" | "redirectUri" | "authMethod">,
  registered?: string,
): string | undefined {
  const client = `client "${settings.clientId}"`;
  switch (code) {
    case "unauthorized_client":
      return explainAuthorizationError(code, settings);
    case "invalid_client":
      if (registered && registered !== settings.authMethod) return `${client} is registered for ${registered}, not ${settings.authMethod}, this run's`;
      if (settings.authMethod === "none") return `${client} may not authenticate with none (no secret): check that its token endpoint auth method is none, or give its secret`;
      // Hydra also refuses an assertion whose alg differs from the client's token_endpoint_auth_signing_alg.
      if (settings.authMethod === "private_key_jwt") {
        return `${client} could not authenticate with private_key_jwt: check that its JWKS (jwks or jwks_uri) holds the public half of the key, under the kid the assertion names, and that its token endpoint auth method is private_key_jwt and its signing alg the key's`;
      }
      return `${client} could not authenticate with ${settings.authMethod}: check its secret and that its token endpoint auth method is ${settings.authMethod}`;
    case "invalid_grant":
      return `the code expired or was used already, or this run's redirect URI (${settings.redirectUri}) or PKCE verifier differs from the authorization request's`;
    default:
      return undefined;
  }
}

/**
 * What an error code sent back to the callback means, and what to look at (RFC 6749
 * §4.1.2.1, OpenID Connect Core §3.1.2.6, and the codes Hydra adds), with this request's
 * own values where they are the likely culprit. Undefined for a code we know nothing about.
 */
export function explainAuthorizationError(
  code: string,
  settings: Pick<FlowSettings, "clientId" | "scopes" | "audience" | "redirectUri"> & { pkce?: boolean; par?: boolean },
  description = "",
): string | undefined {
  const list = (values: string[]) => (values.length ? values.join(" ") : "none");
  const client = `client "${settings.clientId}"`;
  // What a server requires that a plain request lacks, as its description says it: the
  // parameters below would be the wrong place to look.
  if (code === "invalid_request" && settings.pkce === false && /PKCE|code_challenge/i.test(description)) return "the server requires PKCE, which this run left out";
  if (code === "invalid_request" && !settings.par && /pushed authorization request/i.test(description)) {
    return `the server requires pushed authorization requests (PAR, RFC 9126) for ${client}, and this request was sent without one`;
  }
  if (code === "invalid_request" && /request object/i.test(description)) {
    return `the server requires a signed request object (JAR, RFC 9101) for ${client}, which hydractl does not send`;
  }
  switch (code) {
    case "invalid_scope":
      return `a requested scope is unknown to the server or not allowed for ${client}: check that the client's scopes include each of: ${list(settings.scopes)}`;
    case "unauthorized_client":
      return `${client} may not use this flow: check that its grant types include authorization_code (and refresh_token for offline access) and its response types include code`;
    case "unsupported_response_type":
      return `the server will not answer with a code for ${client}: check that its response types include code`;
    case "invalid_request":
      return `the server found a parameter missing, repeated or not allowed: check ${client}'s redirect URIs (this run sends ${settings.redirectUri}) and audiences (requested: ${list(settings.audience)})`;
    case "invalid_client":
      return `the server does not know ${client} or refused it: check the client ID`;
    case "access_denied":
      return "the user, or the login or consent app, refused the request";
    case "invalid_state":
      return "the server finds the state parameter missing or too short (Hydra wants at least 8 characters)";
    case "request_forbidden":
      return `the server does not allow this request for ${client}: check its settings and the server's logs`;
    case "server_error":
      return "the server failed while handling the request: its logs say why";
    case "temporarily_unavailable":
      return "the server is overloaded or down for maintenance: try again later";
    case "login_required":
      return "prompt=none was sent but the user must sign in first";
    case "consent_required":
      return "prompt=none was sent but the user has not consented to this client yet";
    case "interaction_required":
      return "prompt=none was sent but the server needs to show the user a page";
    case "account_selection_required":
      return "prompt=none was sent but the user must choose an account";
    default:
      return undefined;
  }
}
