import * as oauth from "oauth4webapi";
import { decodeBase64, encodeBase64Url } from "../base64.ts";
import { FlowError, HydractlError, InterruptedError } from "../errors.ts";
import type { oauthHttpOptions } from "./http.ts";

export type HttpOptions = ReturnType<typeof oauthHttpOptions>;

/** The code of the error for an ID token that fails its checks: signature, issuer, audience, times. */
export const ID_TOKEN_REJECTED = "E_ID_TOKEN";

/** Every field of a token response, and when the access token expires (as Hydra's CLI prints it). */
export type TokenSet = oauth.TokenEndpointResponse & { expiry?: string };

export interface GrantResult {
  tokens: TokenSet;
  /** The ID token's claims, once its signature, issuer, audience, expiry, azp, iat and at_hash were checked. */
  idTokenClaims?: Record<string, unknown>;
}

/** The token response as received, with the expiry computed from `expires_in` at `now`. */
export function tokenSet(response: oauth.TokenEndpointResponse, now = Date.now()): TokenSet {
  const { expires_in: expiresIn } = response;
  const expiry = typeof expiresIn === "number" ? isoTime(now + expiresIn * 1000) : undefined;
  return expiry ? { ...response, expiry } : { ...response };
}

/** The time `ms` after the epoch, or nothing for one no date can hold (an `expires_in` of 1e308). */
function isoTime(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Finishes a token response that oauth4webapi has validated: oauth4webapi leaves the
 * signature of an ID token from the token endpoint to TLS; hydractl checks it anyway,
 * since these commands exist to show whether a server is set up right.
 */
export async function grantResult(server: oauth.AuthorizationServer, response: Response, result: oauth.TokenEndpointResponse, http: HttpOptions): Promise<GrantResult> {
  if (result.id_token) await checkSignature(server, response, http, "the ID token's signature", ID_TOKEN_REJECTED);
  const idTokenClaims = oauth.getValidatedIdTokenClaims(result) as Record<string, unknown> | undefined;
  if (idTokenClaims) await checkIdTokenBindings(idTokenClaims, result);
  return { tokens: tokenSet(result), idTokenClaims };
}

/**
 * What oauth4webapi leaves to the client of an ID token's claims: an `azp` beside a single
 * audience that is not it (OpenID Connect Core §3.1.3.7, as corrected in 2023: the client
 * SHOULD check it), an `iat` in the future (step 10), and an `at_hash` that is not the
 * access token's (§3.2.2.9; optional there, and a server that sends one wrong is set up wrong).
 */
async function checkIdTokenBindings(claims: Record<string, unknown>, result: oauth.TokenEndpointResponse): Promise<void> {
  const { aud, azp, iat, at_hash: atHash } = claims;
  const audience = Array.isArray(aud) ? (aud.length === 1 ? aud[0] : undefined) : aud;
  if (azp !== undefined && audience !== undefined && azp !== audience) {
    throw new FlowError(`invalid ID token: its azp (authorized party) ${JSON.stringify(azp)} is not ${JSON.stringify(audience)}, the client it was issued to`, ID_TOKEN_REJECTED);
  }
  const ahead = typeof iat === "number" ? iat - Date.now() / 1000 : 0;
  if (ahead > FUTURE_IAT_LEEWAY_S) {
    throw new FlowError(`invalid ID token: it was issued ${Math.round(ahead)} s in the future (its iat); is this machine's clock, or the server's, wrong?`, ID_TOKEN_REJECTED);
  }
  if (typeof atHash !== "string") return;
  // The left half of the access token's hash, by the hash of the ID token's own algorithm.
  const alg = String(JSON.parse(new TextDecoder().decode(decodeBase64(result.id_token!.split(".")[0]!))).alg);
  const hash = alg.endsWith("384") ? "SHA-384" : alg.endsWith("512") || alg === "EdDSA" || alg === "Ed25519" ? "SHA-512" : "SHA-256";
  const digest = new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(result.access_token)));
  const expected = encodeBase64Url(digest.subarray(0, digest.length / 2));
  if (atHash !== expected) throw new FlowError("invalid ID token: its at_hash is not the hash of the access token it came with", ID_TOKEN_REJECTED);
}

/** How far in the future an ID token's iat may be: clocks differ, by minutes at most where they are kept. */
const FUTURE_IAT_LEEWAY_S = 300;

/**
 * The signature of the JWT in an answer oauth4webapi has processed (an ID token, a signed
 * userinfo answer), against the server's JWKS; `signature` names it ("the ID token's signature").
 */
export async function checkSignature(server: oauth.AuthorizationServer, response: Response, http: HttpOptions, signature: string, code: string): Promise<void> {
  if (!server.jwks_uri) throw new FlowError(`cannot check ${signature}: the server announces no jwks_uri`, code);
  try {
    await oauth.validateApplicationLevelSignature(server, response, http);
  } catch (error) {
    if (error instanceof HydractlError) throw error;
    throw new FlowError(`${signature} does not verify against ${server.jwks_uri}: ${(error as Error).message}`, code, { cause: error });
  }
}

/**
 * Whether it was the ID token that failed a 2xx token answer, and the answer's other tokens:
 * the same answer without it, processed again (`processWithout`), is sound. oauth4webapi's
 * words do not always say so (an "alg" it does not take, an encrypted token it cannot read),
 * and a refresh whose new refresh token went with them would lose the session.
 * `error` is what the first processing threw, `failure` what oauthFailure made of it.
 */
export async function rejectedIdToken(
  received: Response,
  error: unknown,
  failure: Error,
  processWithout: (answer: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<{ failure: HydractlError; others: oauth.TokenEndpointResponse } | undefined> {
  if (!received.ok) return undefined;
  const body = (await received.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object" || typeof body.id_token !== "string") return undefined;
  const { id_token: idToken, ...rest } = body;
  let others: oauth.TokenEndpointResponse;
  try {
    others = await processWithout(new Response(JSON.stringify(rest), { status: received.status, headers: { "content-type": "application/json" } }));
  } catch {
    return undefined;
  }
  // Our own errors, which oauthFailure passes through, say what happened as they are (the key
  // set unreachable, a time-out); a Ctrl+C is no answer's fault at all, and ends the run as one.
  if (failure instanceof InterruptedError) return undefined;
  const ours = error instanceof HydractlError || (error as { cause?: unknown } | undefined)?.cause instanceof HydractlError;
  if (ours || (failure instanceof FlowError && failure.code === ID_TOKEN_REJECTED)) return { failure: failure as HydractlError, others };
  // A JWE has five parts: the provider encrypts this client's ID tokens.
  const why =
    (idToken as string).split(".").length === 5
      ? "it is encrypted (JWE), which hydractl does not decrypt: the client is registered with an id_token_encrypted_response_alg"
      : ((failure.cause as Error | undefined)?.message ?? failure.message);
  return { failure: new FlowError(`invalid ID token: ${why}`, ID_TOKEN_REJECTED, { cause: failure }), others };
}

/**
 * What a token endpoint's refusal may also mean where the server takes DPoP proofs (RFC 9449):
 * a client registered for DPoP-bound tokens is refused without one, in words that name no
 * DPoP (oidc-provider: "invalid_grant: grant request is invalid"). hydractl sends none: a
 * token bound to a key that lives in one run could not be used after it.
 */
export function dpopNote(server: oauth.AuthorizationServer, error: string): string | undefined {
  const algs = server.dpop_signing_alg_values_supported;
  if (!Array.isArray(algs) || algs.length === 0) return undefined;
  if (error !== "invalid_grant" && error !== "invalid_request" && error !== "invalid_dpop_proof" && error !== "use_dpop_nonce") return undefined;
  return "if the client is registered for DPoP-bound tokens: the server takes DPoP proofs (RFC 9449), which hydractl does not send";
}

/** The OAuth 2.0 error put in a WWW-Authenticate challenge (RFC 6750 §3) instead of the body: the first challenge's. */
export function challengeError(error: oauth.WWWAuthenticateChallengeError): { code: string; description?: string } {
  const { error: code = "", error_description: description } = error.cause[0]?.parameters ?? {};
  return { code, description };
}

/**
 * A server's error description on one line: Hydra v1.8.5 appends its hint after a blank
 * line ("…malformed\n\nThe OAuth 2.0 Client is not allowed to request scope …").
 */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/**
 * One line for what oauth4webapi rejected or the server refused at `endpoint` (e.g.
 * "the token endpoint", at `url`); our own errors (network, TLS) pass through. `explain`:
 * what a refusal's error code most likely means for this grant, said first.
 */
export function oauthFailure(error: unknown, endpoint: string, url?: string, server?: oauth.AuthorizationServer, explain?: (code: string) => string | undefined): Error {
  if (error instanceof HydractlError) return error;
  // A body that broke off or stalled is our transport's NetworkError, wrapped by oauth4webapi.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof HydractlError) return cause;
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? `: ${oneLine(error.error_description)}` : "";
    const notes: string[] = [];
    for (const note of [explain?.(error.error), server && dpopNote(server, error.error)]) if (note) notes.push(note);
    return new FlowError(`${endpoint} answered ${error.status} ${error.error}${description}${notes.length ? ` (${notes.join("; or ")})` : ""}`, "E_OAUTH_ERROR", { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const { code, description } = challengeError(error);
    return new FlowError(`${endpoint} answered ${error.status} ${code}${description ? `: ${oneLine(description)}` : ""}`.trimEnd(), "E_OAUTH_ERROR", { cause: error });
  }
  const { code, message } = error as { code?: string; message?: string };
  // The server's metadata is at fault, not an answer: no request was sent.
  if (code === oauth.MISSING_SERVER_METADATA || code === oauth.INVALID_SERVER_METADATA) {
    const attribute = (error as { cause?: { attribute?: string } }).cause?.attribute ?? "endpoint";
    const what = code === oauth.MISSING_SERVER_METADATA ? `names no ${attribute}` : `has a ${attribute} that is not a URL`;
    return new FlowError(`the server's metadata (its OpenID discovery document) ${what}, so ${endpoint} cannot be asked`, "E_DISCOVERY", { cause: error });
  }
  if (code === oauth.REQUEST_PROTOCOL_FORBIDDEN || code === oauth.HTTP_REQUEST_FORBIDDEN) {
    const url = (error as { cause?: unknown }).cause;
    const where = url instanceof URL ? ` (${url.protocol}//…)` : "";
    const allowed = code === oauth.HTTP_REQUEST_FORBIDDEN ? "https://" : "http:// or https://";
    return new FlowError(`${endpoint} in the server's metadata is not an ${allowed} URL${where}, so it cannot be asked`, "E_DISCOVERY", { cause: error });
  }
  if (code === oauth.JWT_CLAIM_COMPARISON || code === oauth.JWT_TIMESTAMP_CHECK || /id_token|ID Token/.test(message ?? "")) {
    // An issuer or audience that differs is said with both: a server reached under another
    // name, or a token made out to another client, is the usual cause.
    const { claim, expected, claims } = ((error as { cause?: unknown }).cause ?? {}) as { claim?: string; expected?: unknown; claims?: { iss?: unknown; aud?: unknown } };
    const issuers = claim === "iss" && typeof claims?.iss === "string" && typeof expected === "string" ? ` ("${claims.iss}", where the issuer is "${expected}")` : "";
    const audiences = claim === "aud" && claims?.aud !== undefined && typeof expected === "string" ? ` (${JSON.stringify(claims.aud)}, where the client is "${expected}")` : "";
    return new FlowError(`invalid ID token: ${message}${issuers}${audiences}`, ID_TOKEN_REJECTED, { cause: error });
  }
  // oauth4webapi names the answer '"response" body': said as the answer's own member.
  const said = (message ?? "")
    .replace(/^"response" body must /, "its body must ")
    .replace(/^"response" (?:body |(?=content-type))/, "its ")
    .replace(/^"response" /, "it ");
  const answer = (error as { cause?: unknown }).cause;
  const notOAuth = code === oauth.RESPONSE_IS_NOT_CONFORM || code === oauth.RESPONSE_IS_NOT_JSON;
  // An error page (a 404 from the wrong port, a proxy's 429) is said by its status, whatever its body.
  if (notOAuth && answer instanceof Response && answer.status !== 200) {
    // Named by its URL: an error page most often means the wrong server or port.
    const at = url ? ` (${url})` : "";
    return new FlowError(`${endpoint}${at} answered ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}, with no OAuth 2.0 error in its body`, "E_RESPONSE", { cause: error });
  }
  if (notOAuth) {
    return new FlowError(`${endpoint} gave an answer that is not OAuth 2.0: ${said}`, "E_RESPONSE", { cause: error });
  }
  return new FlowError(`${endpoint}'s answer was rejected: ${said}`, "E_FLOW", { cause: error });
}
