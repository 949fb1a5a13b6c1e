// Hydra's token admin API as request/process pairs: introspection (RFC 7662), deleting a
// client's access tokens, and v1.8's flush of inactive tokens, which v2 moved into
// `hydra janitor` on the server.
import { ApiError } from "../errors.ts";
import { apiError, FormPayload } from "../http/api.ts";
import { readJson, readNothing } from "../http/body.ts";
import type { HydraAdmin } from "./admin.ts";

/** What Hydra says of a token (RFC 7662); only `active` is always there. */
export interface Introspection {
  active: boolean;
  sub?: string;
  client_id?: string;
  scope?: string;
  exp?: number;
  iat?: number;
  nbf?: number;
  iss?: string;
  aud?: string[] | null;
  token_type?: string;
  token_use?: string;
  username?: string;
  obfuscated_subject?: string;
  ext?: Record<string, unknown>;
  [claim: string]: unknown;
}

/** `scope`: the scopes the token must also have been granted to be reported active. */
export function introspectTokenRequest(admin: HydraAdmin, token: string, scope: string[]): Promise<Response> {
  const form = new URLSearchParams({ token });
  if (scope.length > 0) form.set("scope", scope.join(" "));
  // Introspection reads: sent again after a failure, as any read is.
  return admin.send("POST", "/oauth2/introspect", new FormPayload(form), { readOnly: true, what: INTROSPECTING });
}

const INTROSPECTING = "introspecting the token";

export async function processIntrospectTokenResponse(response: Response): Promise<Introspection> {
  const what = INTROSPECTING;
  if (response.status !== 200) throw await apiError(response, what);
  const body = await readJson(response, what);
  if (!body || typeof body !== "object" || typeof (body as Introspection).active !== "boolean") {
    throw new ApiError(`${what}: the answer has no "active"; is the endpoint Hydra's admin API?`, 0);
  }
  return body as Introspection;
}

/** Deletes every access token issued to the client; Hydra answers 204 for a client without any, or none at all. */
export function deleteAccessTokensRequest(admin: HydraAdmin, clientId: string): Promise<Response> {
  return admin.send("DELETE", `/oauth2/tokens?${new URLSearchParams({ client_id: clientId })}`, undefined, { what: deletingTokens(clientId) });
}

const deletingTokens = (clientId: string) => `deleting the access tokens of client "${clientId}"`;

export async function processDeleteAccessTokensResponse(response: Response, clientId: string): Promise<void> {
  if (response.status === 204 || response.status === 200) return await readNothing(response, deletingTokens(clientId));
  throw await apiError(response, deletingTokens(clientId));
}

/** The server has no flush endpoint: Hydra v2 flushes with `hydra janitor`, run beside its database. */
export class FlushUnsupportedError extends ApiError {
  override name = "FlushUnsupportedError";
  constructor(display: string) {
    super(
      `${display} has no token flush endpoint (POST /oauth2/flush): Hydra v2 removed it; flush inactive tokens on the server with \`hydra janitor --tokens\``,
      404,
    );
  }
}

const FLUSHING = "flushing inactive tokens";

/**
 * Removes tokens that expired before `notAfter` (Hydra v1.8). A server with the route under
 * neither path is no Hydra admin API at all (v2's answers its /admin path in JSON, below):
 * RouteNotFoundError says so, rather than that Hydra v2 removed the route.
 */
export function flushTokensRequest(admin: HydraAdmin, notAfter: Date): Promise<Response> {
  return admin.send("POST", "/oauth2/flush", { notAfter: notAfter.toISOString() }, {
    routeMayBeMissing: true,
    what: FLUSHING,
    legacyNote: "only Hydra v1.8 has this endpoint, and no /admin routes: there the path is /oauth2/flush (Hydra v2 flushes with hydra janitor --tokens)",
  });
}

export async function processFlushTokensResponse(response: Response, admin: HydraAdmin): Promise<void> {
  if (response.status === 204 || response.status === 200) return await readNothing(response, FLUSHING);
  // Hydra v2 answers its /admin path with a JSON 404 saying the route does not exist; v1.8
  // has the route, so a 404 is v2 whenever the server was not found to be v1.8.
  if (response.status === 404 && !admin.legacy) {
    await response.body?.cancel();
    throw new FlushUnsupportedError(admin.display);
  }
  throw await apiError(response, FLUSHING);
}
