// JSON Web Keys (RFC 7517) as Hydra stores them: the members it knows, which half of a key
// pair a key is, and which JWS/JWE algorithms fit which key. No flag names here: the
// command layer says which flag a value came from.
import { hideInErrors, InputError } from "../errors.ts";

/** A JSON Web Key with the members Hydra's API names (`kid`, `alg` and `use` are required there). */
export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  n?: string;
  e?: string;
  x?: string;
  y?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  k?: string;
  x5c?: string[];
  [member: string]: unknown;
}

export interface JwkSet {
  keys: Jwk[];
}

/** The members that hold secret material (RFC 7518, section 6). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

export function isPrivateJwk(key: Jwk): boolean {
  return PRIVATE_MEMBERS.some((member) => member in key);
}

/**
 * Hides a key's secret members in every error line: a gateway that quotes back the request
 * that carried the key would otherwise print it.
 */
export function hideSecretMembers(key: Jwk): void {
  for (const member of PRIVATE_MEMBERS) {
    const value = key[member];
    if (typeof value === "string") hideInErrors(value);
  }
}

/** The public half of a key: the same members without the secret ones. */
export function publicJwk(key: Jwk): Jwk {
  const copy: Jwk = { ...key };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy;
}

/** What each algorithm needs of a key: its type and, for EC and OKP keys, its curve. */
const KEY_FOR_ALG: Record<string, { kty: string; crv?: string }> = {
  RS256: { kty: "RSA" },
  RS384: { kty: "RSA" },
  RS512: { kty: "RSA" },
  PS256: { kty: "RSA" },
  PS384: { kty: "RSA" },
  PS512: { kty: "RSA" },
  "RSA-OAEP": { kty: "RSA" },
  "RSA-OAEP-256": { kty: "RSA" },
  ES256: { kty: "EC", crv: "P-256" },
  ES384: { kty: "EC", crv: "P-384" },
  ES512: { kty: "EC", crv: "P-521" },
  "ECDH-ES": { kty: "EC" },
  EdDSA: { kty: "OKP", crv: "Ed25519" },
};

/**
 * The algorithm a key is most often used with: to sign, the only one for an EC curve or
 * Ed25519, and RS256 for RSA (what Hydra makes by default, and what OpenID Connect requires
 * providers to support); to encrypt (`use` "enc"), RSA-OAEP and ECDH-ES, and none for Ed25519.
 */
export function usualAlgorithm(key: Pick<Jwk, "kty" | "crv">, use?: string): string | undefined {
  if (use === "enc") return key.kty === "RSA" ? "RSA-OAEP" : key.kty === "EC" ? "ECDH-ES" : undefined;
  if (key.kty === "RSA") return "RS256";
  if (key.kty === "OKP" && key.crv === "Ed25519") return "EdDSA";
  if (key.kty !== "EC") return undefined;
  return key.crv === "P-256" ? "ES256" : key.crv === "P-384" ? "ES384" : key.crv === "P-521" ? "ES512" : undefined;
}

/** The algorithms an imported key may carry. */
export const IMPORT_ALGORITHMS = Object.keys(KEY_FOR_ALG);

/** Key uses RFC 7517 defines. */
export const KEY_USES = ["sig", "enc"] as const;

/** The algorithms above that encrypt (JWE key management); the others sign. */
const ENCRYPTING = new Set(["RSA-OAEP", "RSA-OAEP-256", "ECDH-ES"]);

/** What a key with this algorithm is for: "sig" or "enc" (RFC 7517, section 4.2). */
export function useOf(alg: string): (typeof KEY_USES)[number] {
  return ENCRYPTING.has(alg) ? "enc" : "sig";
}

/** "an RSA key", "an EC P-256 key", "an OKP Ed25519 key". */
export function describeKey(key: Pick<Jwk, "kty" | "crv">): string {
  const kind = [key.kty, key.crv].filter(Boolean).join(" ");
  return `${/^[AEIOR]/.test(kind) ? "an" : "a"} ${kind} key`;
}

/** Throws unless `alg` is a known algorithm that `key` can serve; `source` names the key in the message. */
export function checkAlgorithm(key: Jwk, alg: string, source: string): void {
  const needed = KEY_FOR_ALG[alg];
  if (!needed) throw new InputError(`${source}: unsupported alg "${alg}" (expected one of ${IMPORT_ALGORITHMS.join(", ")})`);
  if (needed.kty !== key.kty || (needed.crv && needed.crv !== key.crv)) {
    throw new InputError(`${source} holds ${describeKey(key)}, which cannot be used with ${alg} (it needs ${describeKey(needed)})`);
  }
}
