import * as oauth from "oauth4webapi";
import { type ClientIdentity, clientAuthentication, oauthClient } from "./client-auth.ts";
import { type GrantResult, grantResult, type HttpOptions, oauthFailure } from "./tokens.ts";

/**
 * The Refresh Token grant (RFC 6749 §6). A new ID token, if the server sends one, is
 * checked like the first: signature, issuer, audience, expiry.
 */
export async function refreshTokens(
  server: oauth.AuthorizationServer,
  client: ClientIdentity,
  refreshToken: string,
  scopes: readonly string[],
  http: HttpOptions,
): Promise<GrantResult> {
  const additionalParameters = scopes.length ? { scope: scopes.join(" ") } : undefined;
  try {
    const response = await oauth.refreshTokenGrantRequest(server, oauthClient(client), clientAuthentication(client), refreshToken, { ...http, additionalParameters });
    const result = await oauth.processRefreshTokenResponse(server, oauthClient(client), response);
    return await grantResult(server, response, result, http);
  } catch (error) {
    throw oauthFailure(error, "the token endpoint");
  }
}
