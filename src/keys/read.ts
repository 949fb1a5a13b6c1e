// Keys from files: a JWK, a JWK Set, PEM or DER. Every key goes through WebCrypto, which
// refuses a malformed one (a modulus that is no number, a point off its curve), and comes
// back as WebCrypto exports it, so what is sent is a key the runtime could use. PEM and
// DER need an ASN.1 reader (src/keys/der.ts), loaded only when a file holds one.
import { decodeBase64, encodeBase64Url } from "../base64.ts";
import { InputError } from "../errors.ts";
import type { Jwk } from "./jwk.ts";

/** One key read from a file, as Hydra would store it but for `kid`, `alg` and `use` where the file gave none. */
export interface ReadKey {
  jwk: Jwk;
  private: boolean;
  /** Where it came from, for messages: "key.pem", "keys.json (key 2)". */
  source: string;
  /** Read from PEM or DER, which carry no kid, alg or use. */
  encoded: boolean;
}

/** How WebCrypto is told what kind of key it imports; the hash is only there to satisfy RSA's import. */
export type KeyAlgorithm = { name: "RSASSA-PKCS1-v1_5"; hash: "SHA-256" } | { name: "ECDSA"; namedCurve: string } | { name: "Ed25519" };

/** The curves WebCrypto imports everywhere hydractl runs. */
const CURVES = ["P-256", "P-384", "P-521"];

/** The members a JWK may carry besides the key itself; they are checked here, not by WebCrypto. */
const METADATA = ["kid", "alg", "use", "key_ops", "ext", "x5c", "x5t", "x5t#S256", "x5u"];

/** Reads every key in `bytes` (the content of `name`). Throws an InputError naming the file for anything unusable. */
export async function readKeys(bytes: Uint8Array, name: string): Promise<ReadKey[]> {
  const whole = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const text = whole.trim();
  if (text === "") throw new InputError(`${name} is empty`);
  // The whole text, so that a syntax error's line and column are the file's.
  if (text.startsWith("{")) return await readJwkDocument(whole, name);
  const { readPem, readDer } = await import("./der.ts");
  const encoded = text.startsWith("-----BEGIN ") || text.includes("\n-----BEGIN ") ? readPem(text, name) : [readDer(bytes, name)];
  const keys: ReadKey[] = [];
  for (const [index, key] of encoded.entries()) {
    const source = encoded.length > 1 ? `${name} (key ${index + 1})` : name;
    const jwk = await checked(key.format, key.der, key.algorithm, source);
    keys.push({ jwk, private: key.format === "pkcs8", source, encoded: true });
  }
  // A private key's file may carry its public half too (a PUBLIC KEY block; certificates
  // beside a private key are passed over by readPem): one key, imported once.
  return keys.filter((key) => key.private || !keys.some((other) => other.private && samePublicKey(other.jwk, key.jwk)));
}

/** Whether two keys are halves of one pair (or the same public key). */
function samePublicKey(a: Jwk, b: Jwk): boolean {
  return a.kty === b.kty && a.crv === b.crv && a.n === b.n && a.e === b.e && a.x === b.x && a.y === b.y;
}

async function readJwkDocument(text: string, name: string): Promise<ReadKey[]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError((await import("../json-problem.ts")).notJson(name, text), { cause: error });
  }
  const record = document as Record<string, unknown>;
  const keys = record?.keys;
  if (Array.isArray(keys)) {
    if (keys.length === 0) throw new InputError(`${name} is a JSON Web Key Set without keys`);
    return await Promise.all(keys.map((key, i) => readJwk(key, keys.length > 1 ? `${name} (key ${i + 1})` : name)));
  }
  if (typeof record?.kty === "string") return [await readJwk(record, name)];
  throw new InputError(`${name} is neither a JSON Web Key (no "kty") nor a JSON Web Key Set (no "keys")`);
}

async function readJwk(value: unknown, source: string): Promise<ReadKey> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(`${source} is not a JSON Web Key (not an object)`);
  const given = value as Jwk;
  for (const member of ["kid", "alg", "use"]) {
    if (member in given && typeof given[member] !== "string") throw new InputError(`${source}: "${member}" must be a string`);
  }
  // Go writes a key without certificates with "x5c": null, as Hydra v1.8 gives every key.
  if (given.x5c != null && !(Array.isArray(given.x5c) && given.x5c.every((cert) => typeof cert === "string"))) {
    throw new InputError(`${source}: "x5c" must be a list of base64 certificates`);
  }
  const material: Record<string, unknown> = { ...given };
  for (const member of METADATA) delete material[member];
  const jwk = await checked("jwk", withCrtMembers(material) as JsonWebKey, jwkAlgorithm(given, source), source);
  for (const member of ["kid", "alg", "use"] as const) if (given[member]) jwk[member] = given[member];
  if (given.x5c) jwk.x5c = given.x5c;
  return { jwk, private: typeof given.d === "string", source, encoded: false };
}

/**
 * An RSA private key given by d, p and q without the members that speed up its use (dp, dq,
 * qi), as Hydra v1.8 makes and stores its keys: WebCrypto imports none without them, and
 * they follow from the others (RFC 8017, section 3.2). Any other key is left as it is, for
 * WebCrypto to take or refuse.
 */
function withCrtMembers(key: Record<string, unknown>): Record<string, unknown> {
  const { d, p, q } = key;
  if (key.kty !== "RSA" || typeof d !== "string" || typeof p !== "string" || typeof q !== "string") return key;
  if ("dp" in key || "dq" in key || "qi" in key) return key;
  const [exponent, first, second] = [unsigned(d), unsigned(p), unsigned(q)];
  const qi = first > 1n && second > 1n ? inverse(second, first) : undefined;
  if (qi === undefined) return key;
  return { ...key, dp: base64url(exponent % (first - 1n)), dq: base64url(exponent % (second - 1n)), qi: base64url(qi) };
}

/** A JWK's base64url big-endian unsigned integer (RFC 7518, section 2). */
function unsigned(member: string): bigint {
  let hex = "0x0";
  for (const byte of decodeBase64(member)) hex += byte.toString(16).padStart(2, "0");
  return BigInt(hex);
}

function base64url(value: bigint): string {
  const hex = value.toString(16);
  const even = hex.length % 2 ? `0${hex}` : hex;
  const bytes = new Uint8Array(even.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(even.slice(2 * i, 2 * i + 2), 16);
  return encodeBase64Url(bytes);
}

/** The inverse of `value` modulo `modulus`, if there is one (extended Euclid). */
function inverse(value: bigint, modulus: bigint): bigint | undefined {
  let [a, b, x, y] = [value % modulus, modulus, 1n, 0n];
  while (b !== 0n) {
    const quotient = a / b;
    [a, b, x, y] = [b, a - quotient * b, y, x - quotient * y];
  }
  return a === 1n ? ((x % modulus) + modulus) % modulus : undefined;
}

function jwkAlgorithm(key: Jwk, source: string): KeyAlgorithm {
  if (key.kty === "RSA") return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  if (key.kty === "EC" && typeof key.crv === "string" && CURVES.includes(key.crv)) return { name: "ECDSA", namedCurve: key.crv };
  if (key.kty === "OKP" && key.crv === "Ed25519") return { name: "Ed25519" };
  if ((key.kty === "EC" || key.kty === "OKP") && key.crv === undefined) throw new InputError(`${source}: the ${key.kty} key has no "crv" to name its curve`);
  if (key.kty === "oct") throw new InputError(`${source} is a symmetric key (kty "oct"); hydractl imports RSA, EC and Ed25519 key pairs only`);
  throw new InputError(`${source}: unsupported key type ${[key.kty, key.crv].filter(Boolean).join(" ")} (expected RSA, EC P-256/P-384/P-521 or OKP Ed25519)`);
}

/** Imports the key into WebCrypto, which validates it, and returns it as WebCrypto exports it, metadata stripped. */
async function checked(format: "jwk" | "spki" | "pkcs8", data: JsonWebKey | Uint8Array, algorithm: KeyAlgorithm, source: string): Promise<Jwk> {
  const isPrivate = format === "pkcs8" || (format === "jwk" && typeof (data as JsonWebKey).d === "string");
  let key: CryptoKey;
  try {
    key = format === "jwk"
      ? await crypto.subtle.importKey("jwk", data as JsonWebKey, algorithm, true, [isPrivate ? "sign" : "verify"])
      : await crypto.subtle.importKey(format, data as Uint8Array<ArrayBuffer>, algorithm, true, [isPrivate ? "sign" : "verify"]);
    // Deno imports an EC point that is off its curve from a JWK and refuses it only on
    // export to DER; exporting once makes both runtimes check the same.
    await crypto.subtle.exportKey(isPrivate ? "pkcs8" : "spki", key);
  } catch (error) {
    // WebCrypto's words ("Invalid keyData", "The operation failed for an operation-specific reason") stay in the cause.
    throw new InputError(`${source} does not hold a valid ${describe(algorithm)} ${isPrivate ? "private" : "public"} key: its members do not make one`, { cause: error });
  }
  const exported = (await crypto.subtle.exportKey("jwk", key)) as Jwk;
  const mismatch = exported.kty === "RSA" && isPrivate ? rsaMismatch(exported) : undefined;
  if (mismatch) throw new InputError(`${source} does not hold a valid RSA private key: ${mismatch}`);
  for (const member of METADATA) delete exported[member];
  // In one order on every runtime (Bun exports the members sorted, Deno in RFC 7518's
  // order), so that a key prints, and is sent, the same wherever hydractl runs.
  const sorted = {} as Jwk;
  for (const member of Object.keys(exported).sort()) sorted[member] = exported[member];
  return sorted;
}

/**
 * Why an RSA private key's members do not make one key, or undefined. WebCrypto takes a key
 * whose d does not fit the rest (it signs with the CRT members), which Hydra then refuses, or
 * which would sign wrong: these are the checks of Go's rsa.PrivateKey.Validate, which Hydra
 * and its CLIs make.
 */
function rsaMismatch(key: Jwk): string | undefined {
  const [n, e, d, p, q, dp, dq, qi] = [key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qi].map((member) => (typeof member === "string" ? unsigned(member) : 0n)) as bigint[];
  if (p! * q! !== n) return "p × q is not n";
  if ((d! * e!) % (p! - 1n) !== 1n || (d! * e!) % (q! - 1n) !== 1n) return "d is not the inverse of e";
  if (dp !== d! % (p! - 1n) || dq !== d! % (q! - 1n) || (qi! * q!) % p! !== 1n) return "dp, dq or qi does not follow from d, p and q";
  return undefined;
}

function describe(algorithm: KeyAlgorithm): string {
  if (algorithm.name === "ECDSA") return `EC ${algorithm.namedCurve}`;
  return algorithm.name === "Ed25519" ? "Ed25519" : "RSA";
}

