// Hydra's client admin API as request/process pairs: the request functions send and return
// the Response; the process functions check it and return data or throw. Paths are v2's
// and v1.8's alike (src/hydra/admin.ts picks the prefix).
import { isDigits, sentence } from "../chars.ts";
import { ApiError, UncertainOutcomeError } from "../errors.ts";
import { apiError } from "../http/api.ts";
import { isJson, readJson, readNothing } from "../http/body.ts";
import { type HydraAdmin, isUnknownClient, isUnknownId } from "./admin.ts";

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
  /** Any JSON: Hydra stores what it is given. */
  metadata?: unknown;
  skip_consent?: boolean;
  skip_logout_consent?: boolean;
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

/** The client with this ID does not exist. */
export class ClientNotFoundError extends ApiError {
  override name = "ClientNotFoundError";
  readonly clientId: string;

  constructor(clientId: string) {
    super(`no client "${clientId}"`, 404);
    this.clientId = clientId;
  }
}

const clientPath = (id: string) => `/clients/${encodeURIComponent(id)}`;
// What each request does, in its errors: those of the answer and the credentials' refusal alike.
const CREATING = "creating the client";
const reading = (id: string) => `reading client "${id}"`;
const updating = (id: string) => `updating client "${id}"`;
const patching = (id: string) => `patching client "${id}"`;
const deleting = (id: string) => `deleting client "${id}"`;

export function createClientRequest(admin: HydraAdmin, client: OAuth2Client): Promise<Response> {
  return admin.send("POST", "/clients", client, { what: CREATING });
}

export async function processCreateClientResponse(response: Response): Promise<OAuth2Client> {
  const what = CREATING;
  if (response.status !== 201 && response.status !== 200) throw await apiError(response, what);
  try {
    return await processClient(response, what, [201, 200]);
  } catch (error) {
    // Hydra said it created the client: sending it again would make a second one.
    throw new UncertainOutcomeError(
      `${sentence((error as Error).message)} Hydra answered ${response.status}, so the client was most likely created, but its answer, and a generated secret, are lost`,
      { cause: error },
    );
  }
}

export function getClientRequest(admin: HydraAdmin, id: string): Promise<Response> {
  return admin.send("GET", clientPath(id), undefined, { what: reading(id) });
}

export function processGetClientResponse(response: Response, id: string): Promise<OAuth2Client> {
  return processClient(response, reading(id), [200], id);
}

/** Replaces the whole client, as Hydra's PUT does: fields left out are reset. */
export function updateClientRequest(admin: HydraAdmin, id: string, client: OAuth2Client): Promise<Response> {
  return admin.send("PUT", clientPath(id), client, { what: updating(id) });
}

export function processUpdateClientResponse(response: Response, id: string): Promise<OAuth2Client> {
  return processClient(response, updating(id), [200], id);
}

export interface PatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

/**
 * The JSON Patch operations Hydra applies to a client. It refuses move, copy and test, with
 * a 500 that names no cause (ory/x's jsonx.ApplyJSONPatch, which Hydra v2 applies patches with).
 */
export const PATCH_OPERATIONS: readonly PatchOperation["op"][] = ["add", "remove", "replace"];

/** Applies a JSON Patch (RFC 6902) on the server; Hydra v1.8 has no PATCH route. */
export function patchClientRequest(admin: HydraAdmin, id: string, patch: PatchOperation[]): Promise<Response> {
  return admin.send("PATCH", clientPath(id), patch, { what: patching(id) });
}

/** The server has no PATCH for clients (Hydra v1.8). */
export class PatchUnsupportedError extends ApiError {
  override name = "PatchUnsupportedError";
  constructor(display: string) {
    super(`${display} cannot patch clients (Hydra v1.8 has no PATCH); use update, which replaces the whole client`, 405);
  }
}

export async function processPatchClientResponse(response: Response, id: string, admin: HydraAdmin): Promise<OAuth2Client> {
  if (response.status === 405 || (admin.legacy && response.status === 404 && !isJson(response))) {
    await response.body?.cancel();
    throw new PatchUnsupportedError(admin.display);
  }
  return processClient(response, patching(id), [200], id);
}

export function deleteClientRequest(admin: HydraAdmin, id: string): Promise<Response> {
  return admin.send("DELETE", clientPath(id), undefined, { what: deleting(id) });
}

export async function processDeleteClientResponse(response: Response, id: string): Promise<void> {
  if (response.status === 204 || response.status === 200) return await readNothing(response, deleting(id));
  if (await isNotFound(response)) {
    await response.body?.cancel();
    throw new ClientNotFoundError(id);
  }
  throw await apiError(response, deleting(id));
}

/** One page of a client list, in whichever of Hydra's two pagination schemes the server speaks. */
export interface ListQuery {
  /** v2: `page_size`, `page_token`; v1.8: `limit`, `offset`. */
  pageSize?: number;
  pageToken?: string;
  limit?: number;
  offset?: number;
  clientName?: string;
  owner?: string;
}

export interface ClientPage {
  clients: OAuth2Client[];
  /** v2's token for the next page; absent on the last page. */
  nextPageToken?: string;
  /** v1.8's offset of the next page, read from its Link header; absent on the last page. */
  nextOffset?: number;
  /** A next page the Link header names with neither a page token nor an offset (its target, as written). */
  unfollowable?: string;
}

/** v2 pages by token and filters by name and owner; v1.8 pages by offset and cannot filter. */
export function listClientsRequest(admin: HydraAdmin, query: ListQuery): Promise<Response> {
  return admin.send("GET", (legacy) => {
    const search = new URLSearchParams();
    const set = (name: string, value: string | number | undefined) => value !== undefined && search.set(name, String(value));
    if (legacy) {
      set("limit", query.limit);
      set("offset", query.offset);
    } else {
      set("page_size", query.pageSize);
      set("page_token", query.pageToken);
      set("client_name", query.clientName);
      set("owner", query.owner);
    }
    const text = search.toString();
    return `/clients${text ? `?${text}` : ""}`;
  }, undefined, { what: LISTING });
}

const LISTING = "listing clients";

export async function processListClientsResponse(response: Response): Promise<ClientPage> {
  const what = LISTING;
  if (response.status !== 200) throw await apiError(response, what);
  const body = await readJson(response, what);
  if (!Array.isArray(body) || !isListOfObjects(body)) {
    throw new ApiError(`${what}: the answer is not a list of clients; is the endpoint Hydra's admin API?`, 0);
  }
  // Both Hydras name a next page after an empty one when they hold no clients at all (v1.8
  // by offset, v2 by a token that holds one), and then after that one, for ever: a walk
  // would never end. Nothing follows an empty page.
  const next = body.length === 0 ? undefined : nextLink(response.headers.get("link"));
  const url = next === undefined ? undefined : linkTarget(next);
  const nextPageToken = url?.searchParams.get("page_token") || undefined;
  const offset = url?.searchParams.get("offset");
  const nextOffset = offset && isDigits(offset) ? Number(offset) : undefined;
  // One shape of page, whatever it holds (each other shape is the engine's to make, at every `list`).
  return { clients: body as OAuth2Client[], nextPageToken, nextOffset, unfollowable: next !== undefined && nextPageToken === undefined && nextOffset === undefined ? next : undefined };
}

/** A loop, not .some: compiled at its first use, which is every `list` start. */
function isListOfObjects(items: unknown[]): boolean {
  for (const item of items) if (!item || typeof item !== "object") return false;
  return true;
}

/** A Link target, resolved against a dummy base: only its query is read. */
function linkTarget(target: string): URL | undefined {
  try {
    return new URL(target, "http://link.invalid/");
  } catch {
    return undefined;
  }
}

/** The `rel="next"` target of a Link header (RFC 8288), as written. */
function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(/,(?=\s*<)/) ?? []) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1]!;
  }
  return undefined;
}

/** Hydra's "no such client": its JSON 404 for an unknown ID, or v1.8's 401 that says the client does not exist. */
async function isNotFound(response: Response): Promise<boolean> {
  return (await isUnknownId(response)) || (await isUnknownClient(response));
}

async function processClient(response: Response, what: string, ok: number[], id?: string): Promise<OAuth2Client> {
  if (!ok.includes(response.status)) {
    if (id !== undefined && (await isNotFound(response))) {
      await response.body?.cancel();
      throw new ClientNotFoundError(id);
    }
    throw await apiError(response, what);
  }
  const body = await readJson(response, what);
  if (!body || typeof body !== "object" || typeof (body as OAuth2Client).client_id !== "string") {
    throw new ApiError(`${what}: the answer has no client_id; is the endpoint Hydra's admin API?`, 0);
  }
  // The secret is shown once, or encrypted: it must be the text Hydra sends.
  const secret = (body as OAuth2Client).client_secret;
  if (secret !== undefined && secret !== null && typeof secret !== "string") throw new ApiError(`${what} answered a client_secret that is not text; is the endpoint Hydra's admin API?`, 0);
  return body as OAuth2Client;
}
