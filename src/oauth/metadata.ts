import * as oauth from "oauth4webapi";
import { withoutTrailing } from "../chars.ts";
import { FlowError, HydractlError, NetworkError } from "../errors.ts";
import type { Fetch } from "../runtime/index.ts";
import { oauthHttpOptions } from "./http.ts";

/** Endpoints the user named, which win over whatever discovery says. */
export interface GivenEndpoints {
  authUrl?: URL;
  tokenUrl?: URL;
  revocationUrl?: URL;
}

/** The code of the error for a discovery document that announces another issuer than the one asked. */
export const ISSUER_MISMATCH = "E_ISSUER";

/** A discovery document that announces another issuer than the one asked: Hydra reached under another name, often. */
export class IssuerMismatchError extends FlowError {
  override name = "IssuerMismatchError";
  /** The issuer the document announces, as it wrote it. */
  readonly announced: unknown;
  constructor(message: string, announced: unknown, options?: { cause?: unknown }) {
    super(message, ISSUER_MISMATCH, options);
    this.announced = announced;
  }
}

/** Discovery finds the endpoints a flow needs; a revocation URL given needs none (see givenServer). */
export interface MetadataOptions extends Omit<GivenEndpoints, "revocationUrl"> {
  /** `--endpoint`: the issuer, where discovery is tried first. */
  issuer?: URL;
  fetch: Fetch;
  allowHttp: boolean;
  /** How long the discovery request may take (default OAUTH_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface Metadata {
  server: oauth.AuthorizationServer;
  /** How the endpoints were found, for the start-up notice. */
  source: "discovery" | "hydra-defaults";
}

/**
 * Finds the authorization server's endpoints: OpenID discovery at the issuer, so any
 * OpenID provider works; when the issuer has no discovery document (404), Hydra's fixed
 * paths, including the JWKS Hydra serves, so the ID token signature is still checked.
 */
export async function findMetadata(options: MetadataOptions): Promise<Metadata> {
  const { issuer, authUrl, tokenUrl } = options;
  // Both URLs were forced (the command checks this).
  if (!issuer) return { server: givenServer(undefined, { authUrl, tokenUrl }), source: "hydra-defaults" };
  const http = oauthHttpOptions(options.fetch, options.allowHttp, options.timeoutMs);
  let response: Response;
  try {
    response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...http });
  } catch (error) {
    throw error instanceof NetworkError ? error : new FlowError(`OpenID discovery at ${issuer.href} failed: ${(error as Error).message}`, "E_DISCOVERY", { cause: error });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return { server: hydraDefaults(issuer, { authUrl, tokenUrl }), source: "hydra-defaults" };
  }
  let server: oauth.AuthorizationServer;
  try {
    server = await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    // A body that broke off or stalled is our transport's NetworkError, wrapped by oauth4webapi.
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof HydractlError) throw cause;
    const message = `OpenID discovery at ${wellKnown(issuer)} failed: ${describe(error, response, issuer)}`;
    if ((error as { code?: string }).code === oauth.JSON_ATTRIBUTE_COMPARISON) throw new IssuerMismatchError(message, announcedIssuer(error), { cause: error });
    throw new FlowError(message, "E_DISCOVERY", { cause: error });
  }
  // An endpoint is an http(s) URL: the browser is sent to one (a `javascript:` one would run
  // in the local page's place), and a `file:` token endpoint would fail only after sign-in.
  // One call a member, its scheme read as text: a list of the members, or parsing each URL,
  // took `perform client-credentials` past the heap's warm-up threshold (120 page faults);
  // oauth4webapi parses each endpoint it uses. Under an https issuer, the three a sign-in
  // goes through must be https as well, said before the browser opens: plain http would send
  // the user's password in clear, and oauth4webapi refuses the token endpoint and the keys
  // only after the code came back. The rest it refuses at their one request.
  const found = wellKnown(issuer);
  const httpsOnly = !options.allowHttp;
  checkScheme(server.authorization_endpoint, "authorization_endpoint", found, httpsOnly && !authUrl);
  checkScheme(server.token_endpoint, "token_endpoint", found, httpsOnly && !tokenUrl);
  checkScheme(server.jwks_uri, "jwks_uri", found, httpsOnly);
  checkScheme(server.userinfo_endpoint, "userinfo_endpoint", found);
  checkScheme(server.revocation_endpoint, "revocation_endpoint", found);
  checkScheme(server.introspection_endpoint, "introspection_endpoint", found);
  checkScheme(server.device_authorization_endpoint, "device_authorization_endpoint", found);
  return {
    server: {
      ...server,
      authorization_endpoint: authUrl?.href ?? server.authorization_endpoint,
      token_endpoint: tokenUrl?.href ?? server.token_endpoint,
    },
    source: "discovery",
  };
}

/**
 * The endpoints given, and Hydra's paths around the issuer for the rest, with no discovery.
 * Without an issuer it is guessed from the token or revocation URL (Hydra's are
 * `{issuer}/oauth2/token` and `/oauth2/revoke`): an ID token is checked against it, and
 * its token URL is a client assertion's audience.
 */
export function givenServer(issuer: URL | undefined, given: GivenEndpoints): oauth.AuthorizationServer {
  const url = given.tokenUrl ?? given.revocationUrl;
  return hydraDefaults(issuer ?? new URL(url!.href.match(/^(.*)\/oauth2\/(?:token|revoke)\/?$/)?.[1] ?? url!.origin), given);
}

function hydraDefaults(issuer: URL, { authUrl, tokenUrl, revocationUrl }: GivenEndpoints): oauth.AuthorizationServer {
  const base = issuer.href.replace(/\/?$/, "/");
  return {
    issuer: withoutTrailing(issuer.href, "/"),
    authorization_endpoint: authUrl?.href ?? new URL("oauth2/auth", base).href,
    token_endpoint: tokenUrl?.href ?? new URL("oauth2/token", base).href,
    jwks_uri: new URL(".well-known/jwks.json", base).href,
    revocation_endpoint: revocationUrl?.href ?? new URL("oauth2/revoke", base).href,
    userinfo_endpoint: new URL("userinfo", base).href,
  };
}

/** Where OpenID discovery looks for an issuer's document. */
export function wellKnown(issuer: URL): string {
  return `${withoutTrailing(issuer.href, "/")}/.well-known/openid-configuration`;
}

/** Throws unless a discovery document's member, where it has one, is an http(s) URL (`httpsOnly`: https). */
function checkScheme(value: unknown, member: string, document: string, httpsOnly = false): void {
  if (value === undefined) return;
  const scheme = typeof value === "string" ? value.slice(0, value.indexOf(":") + 1).toLowerCase() : "";
  if (scheme === "http:" && httpsOnly) {
    throw new FlowError(`OpenID discovery at ${document} failed: its ${member} ${JSON.stringify(value)} is plain http under an https issuer, which would send sign-ins and tokens unencrypted`, "E_DISCOVERY");
  }
  if (scheme !== "https:" && scheme !== "http:") throw new FlowError(`OpenID discovery at ${document} failed: its ${member} ${JSON.stringify(value)} is not an http(s) URL`, "E_DISCOVERY");
}

/** The issuer a discovery document oauth4webapi refused for it announces. */
function announcedIssuer(error: unknown): unknown {
  return (error as { cause?: { body?: { issuer?: unknown } } }).cause?.body?.issuer;
}

function describe(error: unknown, response: Response, issuer: URL): string {
  const { code } = error as { code?: string };
  if (code === oauth.RESPONSE_IS_NOT_CONFORM) return `the server answered ${response.status}`;
  if (code === oauth.JSON_ATTRIBUTE_COMPARISON) {
    const announced = announcedIssuer(error);
    // The endpoint as given, not as a URL spells it: the "/" a URL adds to a bare origin, which
    // the user never typed, would read as the difference. One typed after a path is kept.
    const given = issuer.pathname === "/" ? withoutTrailing(issuer.href, "/") : issuer.href;
    const slash = given.endsWith("/") && announced === withoutTrailing(given, "/") ? " (the same but for the trailing /: give it without)" : "";
    return `it announces the issuer ${JSON.stringify(announced)}, not ${given}${slash}; the endpoint must be the issuer URL itself`;
  }
  return (error as Error).message;
}

/**
 * A warning when the server does not announce the response mode asked for: Hydra v1.8 has
 * no form_post and answers in the query instead, which would otherwise go unnoticed.
 */
export function responseModeWarning(server: oauth.AuthorizationServer, mode: string | undefined): string | undefined {
  const supported = server.response_modes_supported;
  if (!mode || !supported || supported.includes(mode)) return undefined;
  return `warning: the server announces response modes ${supported.join(", ")}, not ${mode}; it may answer otherwise`;
}
