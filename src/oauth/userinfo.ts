import * as oauth from "oauth4webapi";
import { FlowError } from "../errors.ts";
import { type HttpOptions, oauthFailure } from "./tokens.ts";

/** The claims the userinfo endpoint (OpenID Connect Core §5.3) returns for an access token. */
export async function fetchUserInfo(server: oauth.AuthorizationServer, clientId: string | undefined, accessToken: string, http: HttpOptions): Promise<oauth.UserInfoResponse> {
  if (!server.userinfo_endpoint) throw new FlowError("the server announces no userinfo endpoint", "E_NO_ENDPOINT");
  // The client ID only counts when the server signs its answer (then it must be the
  // audience); a plain JSON answer needs none, and oauth4webapi just wants a non-empty one.
  const client: oauth.Client = { client_id: clientId || "unknown-client" };
  try {
    const response = await oauth.userInfoRequest(server, client, accessToken, http);
    // The subject is whatever the token belongs to: there is no earlier ID token to hold it to.
    return await oauth.processUserInfoResponse(server, client, oauth.skipSubjectCheck, response);
  } catch (error) {
    throw oauthFailure((await errorInBody(error)) ?? error, "the userinfo endpoint");
  }
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
