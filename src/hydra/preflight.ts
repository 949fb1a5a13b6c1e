// Whether a Hydra client can run a given Authorization Code flow, decided from the client
// as the admin API returns it, before any browser is involved. Hydra only says so on an
// error page in the browser (or, for a missing refresh_token grant, by silently issuing no
// refresh token); reading the client first turns that into a list of exact differences.
import type { OAuth2Client, PatchOperation } from "./clients.ts";

/** What one run of the flow needs from its client. */
export interface FlowNeeds {
  redirectUri: string;
  scopes: string[];
  audience: string[];
  /** How this run authenticates at the token endpoint. */
  authMethod: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
  /**
   * Which IPv4 addresses the server takes for loopback when it lets a redirect URI use any
   * port (RFC 8252 §7.3): Hydra v2 any in 127.0.0.0/8, v1.8.5 only 127.0.0.1 (both: [::1]).
   */
  loopbackBlock: boolean;
}

/** The client fields a run can disagree with. */
export type CheckedField = "redirect_uris" | "grant_types" | "response_types" | "scope" | "audience" | "token_endpoint_auth_method";

/** One difference: the values this run needs that the client's field lacks, and what the field holds. */
export interface Mismatch {
  field: CheckedField;
  missing: string[];
  has: string[];
}

/** The scopes for which Hydra issues a refresh token, when the client may use that grant. */
export const OFFLINE_SCOPES = ["offline", "offline_access"];

/** Hydra's defaults for fields a client was created without. */
const DEFAULTS: Record<"grant_types" | "response_types" | "token_endpoint_auth_method", string[]> = {
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: ["client_secret_basic"],
};

/** The grant types a run needs: refresh_token too when it asks for offline access. */
export function neededGrantTypes(scopes: string[]): string[] {
  return scopes.some((scope) => OFFLINE_SCOPES.includes(scope)) ? ["authorization_code", "refresh_token"] : ["authorization_code"];
}

/** Compares the client with the run; an empty list means Hydra should accept the flow. */
export function compareClient(client: OAuth2Client, needs: FlowNeeds): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const check = (field: CheckedField, has: string[], wanted: string[], allows: (has: string[], value: string) => boolean) => {
    const missing = wanted.filter((value) => !allows(has, value));
    if (missing.length > 0) mismatches.push({ field, missing, has });
  };
  const list = (field: "redirect_uris" | "grant_types" | "response_types" | "audience") => {
    const value = client[field];
    if (Array.isArray(value) && value.length > 0) return value;
    return field === "grant_types" || field === "response_types" ? DEFAULTS[field] : [];
  };

  check("redirect_uris", list("redirect_uris"), [needs.redirectUri], (has, uri) => has.some((allowed) => redirectUriMatches(allowed, uri, needs.loopbackBlock)));
  check("grant_types", list("grant_types"), neededGrantTypes(needs.scopes), (has, grant) => has.includes(grant));
  // Hydra lists each combination ("code id_token") as one entry; this flow asks for "code" alone.
  check("response_types", list("response_types"), ["code"], (has, type) => has.includes(type));
  const scope = typeof client.scope === "string" ? client.scope.split(" ").filter(Boolean) : [];
  check("scope", scope, needs.scopes, (has, wanted) => has.some((allowed) => scopeMatches(allowed, wanted)));
  check("audience", list("audience"), needs.audience, (has, wanted) => has.some((allowed) => audienceMatches(allowed, wanted)));
  const method = client.token_endpoint_auth_method || DEFAULTS.token_endpoint_auth_method[0]!;
  check("token_endpoint_auth_method", [method], [needs.authMethod], (has, wanted) => has[0] === wanted);
  return mismatches;
}

/**
 * Whether the mismatch is the run's to fix, not the client's: a run without a secret of a
 * client that has one. Made to accept "none", the client would turn public, and anyone who
 * knows its ID could get tokens as it; the run needs the client's secret instead.
 */
export function runLacksSecret({ field, missing, has }: Mismatch): boolean {
  return field === "token_endpoint_auth_method" && missing[0] === "none" && has[0] !== "none";
}

/** A difference in anything but the authentication method: the client's to fix. */
export type ClientMismatch = Mismatch & { field: Exclude<CheckedField, "token_endpoint_auth_method"> };

export const isClientMismatch = (mismatch: Mismatch): mismatch is ClientMismatch => mismatch.field !== "token_endpoint_auth_method";

/**
 * The JSON Patch (RFC 6902) that makes the client accept what the mismatch names, keeping
 * everything else. Not for the authentication method: the run changes its own, since
 * changing the client's would lock out everything else that uses it (see fixedClient).
 */
export function fixOperations(mismatch: ClientMismatch, client: OAuth2Client): PatchOperation[] {
  const { field, missing, has } = mismatch;
  if (field === "scope") return [{ op: client.scope ? "replace" : "add", path: "/scope", value: [...has, ...missing].join(" ") }];
  const current = client[field];
  // A field Hydra filled in from its defaults is absent or empty on the client: set it whole.
  if (!Array.isArray(current) || current.length === 0) return [{ op: "add", path: `/${field}`, value: [...has, ...missing] }];
  return missing.map((value) => ({ op: "add", path: `/${field}/-`, value }));
}

/**
 * The client with every mismatch fixed: what a whole-client update (Hydra v1.8 has no PATCH)
 * must send (Hydra keeps the stored secret when an update sends none). The authentication
 * method stays: the run is to authenticate as the client is registered, not the client to
 * change for the run (a public app cannot hold a secret; a confidential one would be locked out).
 */
export function fixedClient(client: OAuth2Client, mismatches: Mismatch[]): OAuth2Client {
  const fixed: OAuth2Client = { ...client };
  for (const { field, missing, has } of mismatches) {
    if (field === "token_endpoint_auth_method") continue;
    if (field === "scope") fixed.scope = [...has, ...missing].join(" ");
    else fixed[field] = [...has, ...missing];
  }
  return fixed;
}

/**
 * Hydra (fosite) compares redirect URIs exactly, except for a loopback redirect over http
 * (RFC 8252 §7.3): then the port is ignored, and so is the registered URI's scheme; host,
 * path and query must still be equal. Checked against real Hydra v2.3.0 and v1.8.5, which
 * differ only in what counts as loopback (`loopbackBlock`).
 */
export function redirectUriMatches(allowed: string, requested: string, loopbackBlock: boolean): boolean {
  if (allowed === requested) return true;
  const a = URL.parse(allowed);
  const r = URL.parse(requested);
  if (!a || !r || r.protocol !== "http:" || !isLoopbackHost(r.hostname, loopbackBlock)) return false;
  return a.hostname === r.hostname && a.pathname === r.pathname && a.search === r.search;
}

function isLoopbackHost(hostname: string, loopbackBlock: boolean): boolean {
  return hostname === "[::1]" || hostname === "127.0.0.1" || (loopbackBlock && /^127\.\d+\.\d+\.\d+$/.test(hostname));
}

/**
 * Hydra's default scope strategy (fosite's wildcard strategy): scopes are dot-separated
 * parts; `*` stands for one non-empty part, and a trailing `*` for any number of them.
 * It accepts everything the "exact" strategy accepts: against a server set to exact a
 * difference may go unreported (Hydra then says so in the browser), but none is invented.
 */
export function scopeMatches(allowed: string, requested: string): boolean {
  if (allowed === requested) return true;
  const want = requested.split(".");
  const have = allowed.split(".");
  if (have.length > want.length) return false;
  for (let i = 0; i < have.length; i++) {
    const last = i === have.length - 1;
    if (have[i] === "*" && want[i] !== "") {
      if (last) return true;
      continue;
    }
    if (have[i] !== want[i]) return false;
  }
  return have.length === want.length;
}

/**
 * Hydra's audience matching (fosite's default): a requested audience is allowed when it
 * equals an allowed one, or is a URL on the same scheme and host at or below its path.
 */
export function audienceMatches(allowed: string, requested: string): boolean {
  if (allowed === requested) return true;
  const a = URL.parse(allowed);
  const r = URL.parse(requested);
  if (!a || !r || a.protocol !== r.protocol || a.host !== r.host) return false;
  const base = a.pathname.replace(/\/+$/, "");
  return r.pathname.replace(/\/+$/, "") === base || r.pathname.startsWith(`${base}/`);
}

/**
 * A client made for one run, which compareClient finds nothing wrong with. Public (PKCE
 * only) when the run authenticates with "none"; otherwise Hydra generates its secret.
 */
export function clientFor(needs: Omit<FlowNeeds, "loopbackBlock">, name: string): OAuth2Client {
  return {
    client_name: name,
    redirect_uris: [needs.redirectUri],
    grant_types: neededGrantTypes(needs.scopes),
    response_types: ["code"],
    scope: needs.scopes.join(" "),
    audience: needs.audience,
    token_endpoint_auth_method: needs.authMethod,
  };
}
