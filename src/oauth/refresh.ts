import * as oauth from "oauth4webapi";
import { FlowError, NetworkError } from "../errors.ts";
import { mayHaveReachedServer } from "../http/api.ts";
import { type ClientIdentity, clientAuthentication, oauthClient } from "./client-auth.ts";
import { type GrantResult, grantResult, type HttpOptions, ID_TOKEN_REJECTED, oauthFailure, rejectedIdToken, type TokenSet, tokenSet } from "./tokens.ts";

/**
 * The server issued new tokens, so the refresh token given is spent (Hydra rotates it), but
 * their ID token was rejected. `tokens` are the others, which the rejection does not touch:
 * dropping them too would lose the session for nothing.
 */
export class IdTokenRejectedError extends FlowError {
  override name = "IdTokenRejectedError";
  readonly tokens: TokenSet;
  constructor(message: string, tokens: TokenSet, options?: { cause?: unknown }) {
    super(message, ID_TOKEN_REJECTED, options);
    this.tokens = tokens;
  }
}

/**
 * The Refresh Token grant (RFC 6749 §6). A new ID token, if the server sends one, is
 * checked like the first: signature, issuer, audience, expiry, azp, iat and at_hash.
 */
export async function refreshTokens(
  server: oauth.AuthorizationServer,
  client: ClientIdentity,
  refreshToken: string,
  scopes: readonly string[],
  http: HttpOptions,
): Promise<GrantResult> {
  const additionalParameters = scopes.length ? { scope: scopes.join(" ") } : undefined;
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(server, oauthClient(client), clientAuthentication(client), refreshToken, { ...http, additionalParameters });
  } catch (error) {
    const failure = oauthFailure(error, "the token endpoint", server.token_endpoint, server);
    // Lost once sent (a time limit, a reset): the server may have rotated the token all the same.
    throw mayHaveReachedServer(failure)
      ? noted(failure, "if the server got the request, the refresh token given may be used up (Hydra rotates them): try it once more, and sign in again if it is refused")
      : failure;
  }
  // The answer as received, for the tokens an ID token that fails its checks leaves sound.
  const received = response.clone();
  try {
    const result = await oauth.processRefreshTokenResponse(server, oauthClient(client), response);
    return await grantResult(server, response, result, http);
  } catch (error) {
    const failure = oauthFailure(error, "the token endpoint", server.token_endpoint, server, refusedToken);
    const rejected = await rejectedIdToken(received, error, failure, (without) => oauth.processRefreshTokenResponse(server, oauthClient(client), without));
    if (rejected) throw new IdTokenRejectedError(rejected.failure.message, tokenSet(rejected.others), { cause: rejected.failure });
    throw response.ok ? spent(failure, response.status) : failure;
  }
}

/** What a refusal of the refresh token given most likely means: the commonest, an old token. */
function refusedToken(code: string): string | undefined {
  return code === "invalid_grant" ? "the refresh token given is expired, revoked or used up: a rotated one works once, so use the newest" : undefined;
}

/**
 * A refresh the server granted (2xx) whose answer could not be used: the refresh token given
 * is most likely spent (Hydra rotates them), and any new one was in that answer. Said, so
 * that no one retries with the old token and wonders why the session ended.
 */
function spent(failure: Error, status: number): Error {
  return noted(failure, `the server answered ${status}, so the refresh token given was most likely used up, and a new one, if any, was in that answer: sign in again`);
}

/** The failure, of the same kind, with what it means for the refresh token given. */
function noted(failure: Error, note: string): Error {
  const message = `${failure.message}; ${note}`;
  if (failure instanceof NetworkError) return new NetworkError(message, failure.code, { cause: failure });
  if (failure instanceof FlowError) return new FlowError(message, failure.code, { cause: failure });
  return failure;
}
