import { ApiError, UncertainOutcomeError } from "../errors.ts";
import type { ApiClient } from "../http/api.ts";
import { apiError } from "../http/api.ts";
import { readJson } from "../http/body.ts";

/** The fields of Hydra's OAuth2Client that hydractl sets or shows (Hydra v1.8 and v2). */
export interface OAuth2Client {
  client_id?: string;
  client_name?: string;
  client_secret?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  scope?: string;
  audience?: string[];
  token_endpoint_auth_method?: string;
  jwks_uri?: string;
  policy_uri?: string;
  tos_uri?: string;
  client_uri?: string;
  logo_uri?: string;
  allowed_cors_origins?: string[];
  subject_type?: string;
  post_logout_redirect_uris?: string[];
  owner?: string;
  contacts?: string[];
  metadata?: Record<string, unknown>;
  skip_consent?: boolean;
  access_token_strategy?: string;
  request_object_signing_alg?: string;
  request_uris?: string[];
  sector_identifier_uri?: string;
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  frontchannel_logout_uri?: string;
  frontchannel_logout_session_required?: boolean;
  [field: string]: unknown;
}

const WHAT = "creating the client (POST /clients)";

/**
 * Sends the client to Hydra. `/clients` is v1.8's path, which v2 still serves beside
 * `/admin/clients`, so one request works with both.
 */
export function createClientRequest(api: ApiClient, client: OAuth2Client): Promise<Response> {
  return api.send("POST", "/clients", client);
}

/** Returns the created client, or throws Hydra's own description of what was wrong. */
export async function processCreateClientResponse(response: Response): Promise<OAuth2Client> {
  if (response.status !== 201 && response.status !== 200) throw await apiError(response, WHAT);
  let body: unknown;
  try {
    body = await readJson(response, WHAT);
  } catch (error) {
    // Hydra said it created the client: sending it again would make a second one.
    throw new UncertainOutcomeError(`${(error as Error).message}. Hydra answered ${response.status}, so the client was most likely created, but its answer, and a generated secret, are lost`, {
      cause: error,
    });
  }
  if (!body || typeof body !== "object" || typeof (body as OAuth2Client).client_id !== "string") {
    throw new ApiError(`${WHAT} answered without a client_id; is --endpoint Hydra's admin API?`, 0);
  }
  return body as OAuth2Client;
}
