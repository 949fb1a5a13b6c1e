import * as oauth from "oauth4webapi";
import { type ClientIdentity, clientAuthentication, oauthClient } from "./client-auth.ts";
import { type HttpOptions, oauthFailure } from "./tokens.ts";

/**
 * Token revocation (RFC 7009). The server answers 200 for a token it does not know too,
 * so success means "this token no longer works", not "it existed".
 */
export async function revokeToken(server: oauth.AuthorizationServer, client: ClientIdentity, token: string, http: HttpOptions): Promise<void> {
  try {
    const response = await oauth.revocationRequest(server, oauthClient(client), clientAuthentication(client), token, http);
    await oauth.processRevocationResponse(response);
  } catch (error) {
    throw oauthFailure(error, "the revocation endpoint", server.revocation_endpoint);
  }
}
