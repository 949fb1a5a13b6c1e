import * as oauth from "oauth4webapi";
import { FlowError } from "../errors.ts";
import { checkSignature, type HttpOptions, oauthFailure } from "./tokens.ts";

/** The code of the error for a signed userinfo answer that fails its checks. */
export const USERINFO_REJECTED = "E_USERINFO";
/** The code of the error for a signed userinfo answer made out to another client than the one given (or to one, where none was). */
export const USERINFO_FOR_ANOTHER_CLIENT = "E_USERINFO_AUDIENCE";

/**
 * The claims the userinfo endpoint (OpenID Connect Core §5.3) returns for an access token.
 * A signed answer (a JWT, §5.3.2) is held to what an ID token is: its signature against the
 * server's JWKS, the client as its audience, the issuer and the times (§5.3.4).
 */
export async function fetchUserInfo(server: oauth.AuthorizationServer, clientId: string | undefined, accessToken: string, http: HttpOptions): Promise<oauth.UserInfoResponse> {
  if (!server.userinfo_endpoint) throw new FlowError("the server announces no userinfo endpoint", "E_NO_ENDPOINT");
  // The client ID only counts when the server signs its answer (then it must be the
  // audience); a plain JSON answer needs none, and oauth4webapi just wants a non-empty one.
  const client: oauth.Client = { client_id: clientId || "unknown-client" };
  let response: Response | undefined;
  let claims: oauth.UserInfoResponse;
  try {
    response = await oauth.userInfoRequest(server, client, accessToken, http);
    // The subject is whatever the token belongs to: there is no earlier ID token to hold it to.
    claims = await oauth.processUserInfoResponse(server, client, oauth.skipSubjectCheck, response);
  } catch (error) {
    const inBody = await errorInBody(error);
    if (!inBody && response && isJwt(response)) throw signedAnswerFailure(error, clientId);
    throw oauthFailure(inBody ?? error, "the userinfo endpoint", server.userinfo_endpoint);
  }
  if (isJwt(response)) await checkSignature(server, response, http, "the signature of the userinfo endpoint's answer", USERINFO_REJECTED);
  return claims;
}

/** Content-Type application/jwt, as oauth4webapi reads it: the answer is signed. */
function isJwt(response: Response): boolean {
  return response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() === "application/jwt";
}

/** A signed answer's claims that oauth4webapi refused: said as the userinfo answer's, not as an ID token's. */
function signedAnswerFailure(error: unknown, clientId: string | undefined): Error {
  const { code, message, cause } = error as { code?: string; message?: string; cause?: { claim?: unknown } };
  if (code !== oauth.JWT_CLAIM_COMPARISON && code !== oauth.JWT_TIMESTAMP_CHECK && code !== oauth.INVALID_RESPONSE) return oauthFailure(error, "the userinfo endpoint");
  if (code === oauth.JWT_CLAIM_COMPARISON && cause?.claim === "aud") {
    const problem = clientId ? `its signed answer is made out to another client than "${clientId}" (its aud claim)` : "it signs its answer for a client, and none was given";
    return new FlowError(`the userinfo endpoint's answer was rejected: ${problem}`, USERINFO_FOR_ANOTHER_CLIENT, { cause: error });
  }
  return new FlowError(`the userinfo endpoint's signed answer was rejected: ${message}`, USERINFO_REJECTED, { cause: error });
}

/**
 * oauth4webapi reads a userinfo error from the WWW-Authenticate challenge only (RFC 6750
 * §3); Hydra v1.8 writes a challenge without its scheme, which cannot be parsed, and the
 * same error in the body, read here as the token endpoint's would be. An answer without a
 * subject (Hydra v2 leaves `sub` out, v1.8 sends it empty) is about a token that was issued
 * to a client alone: said so, not as a malformed answer.
 */
async function errorInBody(error: unknown): Promise<Error | undefined> {
  const { code, cause } = error as { code?: string; cause?: unknown };
  if (code === oauth.RESPONSE_IS_NOT_CONFORM && cause instanceof Response && cause.status >= 400 && cause.status < 500) {
    const body = await cause.json().catch(() => undefined);
    if (typeof body?.error === "string" && body.error) return new oauth.ResponseBodyError("server responded with an error in the response body", { cause: body, response: cause });
  }
  const claims = (cause as { body?: { sub?: unknown } } | undefined)?.body;
  if (code === oauth.INVALID_RESPONSE && claims && (typeof claims.sub !== "string" || claims.sub === "")) {
    return new FlowError("the token has no subject: userinfo answers for a token issued to a user (the authorization code or device flow), not to a client alone (client credentials)", "E_NO_SUBJECT", { cause: error });
  }
  return undefined;
}
