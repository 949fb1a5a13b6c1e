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
    throw oauthFailure(error, "the userinfo endpoint");
  }
}
