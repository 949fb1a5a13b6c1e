import * as oauth from "oauth4webapi";
import { type ClientIdentity, clientAuthentication, oauthClient } from "./client-auth.ts";
import { type GrantResult, grantResult, type HttpOptions, oauthFailure } from "./tokens.ts";

export interface ClientCredentialsRequest {
  server: oauth.AuthorizationServer;
  client: ClientIdentity;
  scopes: readonly string[];
  /** Hydra's `audience` parameter (space-separated), sent only when not empty. */
  audience: readonly string[];
  http: HttpOptions;
}

/** The Client Credentials grant (RFC 6749 §4.4): one request, one validated answer. */
export async function clientCredentialsGrant(request: ClientCredentialsRequest): Promise<GrantResult> {
  const { server, client, http } = request;
  const parameters = new URLSearchParams();
  if (request.scopes.length) parameters.set("scope", request.scopes.join(" "));
  if (request.audience.length) parameters.set("audience", request.audience.join(" "));
  try {
    const response = await oauth.clientCredentialsGrantRequest(server, oauthClient(client), clientAuthentication(client), parameters, http);
    const result = await oauth.processClientCredentialsResponse(server, oauthClient(client), response);
    return await grantResult(server, response, result, http);
  } catch (error) {
    throw oauthFailure(error, "the token endpoint", server.token_endpoint, server);
  }
}
