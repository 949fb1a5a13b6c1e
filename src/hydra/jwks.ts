// Hydra's JSON Web Key admin API as request/process pairs. Paths are written without the
// /admin prefix (src/hydra/admin.ts adds it for v2). Hydra v1.8 can only add keys by
// replacing a whole set (its PUT of one key updates a key that exists), v2 by key.
import { sentence } from "../chars.ts";
import { ApiError, UncertainOutcomeError } from "../errors.ts";
import { apiError } from "../http/api.ts";
import { readJson, readNothing } from "../http/body.ts";
import type { Jwk, JwkSet } from "../keys/jwk.ts";
import { type HydraAdmin, isUnknownId } from "./admin.ts";

/** The set does not exist (or holds no key, which Hydra answers the same way). */
export class KeySetNotFoundError extends ApiError {
  override name = "KeySetNotFoundError";
  readonly set: string;

  constructor(set: string) {
    super(`no JSON Web Key Set "${set}"`, 404);
    this.set = set;
  }
}

export interface KeyRequest {
  alg: string;
  use: string;
  /** Empty: Hydra picks one (a UUID; v1.8 prefixes it with private: and public:). */
  kid: string;
}

const setPath = (set: string) => `/keys/${encodeURIComponent(set)}`;
// What each request does, in its errors: those of the answer and the credentials' refusal alike.
const creating = (set: string) => `creating a key in set "${set}"`;
const reading = (set: string) => `reading JSON Web Key Set "${set}"`;
const deleting = (set: string) => `deleting JSON Web Key Set "${set}"`;
const importing = (set: string, kid: string) => `importing key "${kid}" into set "${set}"`;
const replacing = (set: string) => `replacing JSON Web Key Set "${set}"`;

/** Asks Hydra to generate a key into `set`, creating the set if need be. */
export function createKeyRequest(admin: HydraAdmin, set: string, key: KeyRequest): Promise<Response> {
  return admin.send("POST", setPath(set), key, { what: creating(set) });
}

export async function processCreateKeyResponse(response: Response, set: string): Promise<JwkSet> {
  const what = creating(set);
  if (response.status !== 201 && response.status !== 200) throw await apiError(response, what);
  try {
    const created = await readKeySet(response, what);
    // Hydra answers with the key it made: a set without one says nothing of it.
    if (created.keys.length === 0) throw new ApiError(`${what}: the answer holds no key`, 0);
    return created;
  } catch (error) {
    throw new UncertainOutcomeError(`${sentence((error as Error).message)} Hydra answered ${response.status}, so the key was most likely created; see it with: get jwks ${set}`, {
      cause: error,
    });
  }
}

export function getKeySetRequest(admin: HydraAdmin, set: string): Promise<Response> {
  return admin.send("GET", setPath(set), undefined, { what: reading(set) });
}

export async function processGetKeySetResponse(response: Response, set: string): Promise<JwkSet> {
  if (await isUnknownId(response)) {
    await response.body?.cancel();
    throw new KeySetNotFoundError(set);
  }
  if (response.status !== 200) throw await apiError(response, reading(set));
  return await readKeySet(response, reading(set));
}

export function deleteKeySetRequest(admin: HydraAdmin, set: string): Promise<Response> {
  return admin.send("DELETE", setPath(set), undefined, { what: deleting(set) });
}

export async function processDeleteKeySetResponse(response: Response, set: string): Promise<void> {
  if (response.status === 204 || response.status === 200) return await readNothing(response, deleting(set));
  if (await isUnknownId(response)) {
    await response.body?.cancel();
    throw new KeySetNotFoundError(set);
  }
  throw await apiError(response, deleting(set));
}

/** Hydra v2: adds the key to the set under its kid (replacing a key with that kid), creating the set if need be. */
export function setKeyRequest(admin: HydraAdmin, set: string, key: Jwk): Promise<Response> {
  // Hydra v1.8 adds a key by replacing its set (setKeySetRequest), which a dry run says.
  const legacyNote = `Hydra v1.8 has no /admin routes and adds keys by replacing the set: there this is PUT ${setPath(set)} with the set as it is plus the new keys`;
  return admin.send("PUT", `${setPath(set)}/${encodeURIComponent(key.kid ?? "")}`, key, { legacyNote, what: importing(set, key.kid ?? "") });
}

export async function processSetKeyResponse(response: Response, set: string, kid: string): Promise<Jwk> {
  const what = importing(set, kid);
  if (response.status !== 200) throw await apiError(response, what);
  const body = await readJson(response, what);
  if (!isJwk(body)) throw new ApiError(`${what}: the answer is not a JSON Web Key; is the endpoint Hydra's admin API?`, 0);
  return body;
}

/** Hydra v1.8: replaces the whole set with `keys` (the caller read the set first and kept its keys). */
export function setKeySetRequest(admin: HydraAdmin, set: string, keys: JwkSet): Promise<Response> {
  return admin.send("PUT", setPath(set), keys, { what: replacing(set) });
}

export async function processSetKeySetResponse(response: Response, set: string): Promise<JwkSet> {
  const what = replacing(set);
  if (response.status !== 200) throw await apiError(response, what);
  return await readKeySet(response, what);
}

async function readKeySet(response: Response, what: string): Promise<JwkSet> {
  const body = await readJson(response, what);
  const keys = (body as JwkSet | null)?.keys;
  if (!Array.isArray(keys) || !keys.every(isJwk)) throw new ApiError(`${what}: the answer is not a JSON Web Key Set; is the endpoint Hydra's admin API?`, 0);
  return { keys };
}

function isJwk(value: unknown): value is Jwk {
  return !!value && typeof value === "object" && typeof (value as Jwk).kty === "string";
}
