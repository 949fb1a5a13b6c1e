import * as oauth from "oauth4webapi";
import { decodeBase64 } from "../base64.ts";
import { InputError } from "../errors.ts";

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";

/** Who the client is and how it proves it at the token, revocation and device endpoints. */
export interface ClientIdentity {
  clientId: string;
  method: ClientAuthMethod;
  /** For client_secret_basic and client_secret_post. */
  secret?: string;
  /** For private_key_jwt: signs the client assertion (RFC 7523). */
  privateKey?: oauth.PrivateKey;
}

/**
 * The method a token endpoint says the client is registered for, where it refused the one
 * used (Hydra: "… supports client authentication method 'client_secret_post', but method
 * 'client_secret_basic' was requested"; v1.8 quotes it with double quotes). `error` is what
 * oauth4webapi threw, or an error caused by it.
 */
export function registeredMethod(error: unknown): string | undefined {
  return /supports client authentication method ['"]([a-z_]+)['"]/.exec(clientRefusal(error)?.error_description ?? "")?.[1];
}

/** Whether a token endpoint refused the client itself (invalid_client); `error` as for registeredMethod. */
export function clientRefused(error: unknown): boolean {
  return clientRefusal(error) !== undefined;
}

function clientRefusal(error: unknown): oauth.ResponseBodyError | undefined {
  const refusal = error instanceof oauth.ResponseBodyError ? error : (error as { cause?: unknown } | undefined)?.cause;
  return refusal instanceof oauth.ResponseBodyError && refusal.error === "invalid_client" ? refusal : undefined;
}

export function oauthClient(identity: ClientIdentity): oauth.Client {
  return { client_id: identity.clientId, token_endpoint_auth_method: identity.method };
}

export function clientAuthentication(identity: ClientIdentity): oauth.ClientAuth {
  switch (identity.method) {
    case "client_secret_basic":
      return oauth.ClientSecretBasic(identity.secret ?? "");
    case "client_secret_post":
      return oauth.ClientSecretPost(identity.secret ?? "");
    case "private_key_jwt":
      return privateKeyJwt(identity.privateKey!);
    case "none":
      return oauth.None();
  }
}

/**
 * private_key_jwt with the token endpoint as the assertion's audience, where oauth4webapi
 * puts the issuer: OpenID Connect Core §9 says it SHOULD be the token endpoint, and Hydra
 * (fosite) accepts nothing else, at the revocation endpoint too, since it checks every
 * client assertion against its token URL. One string, not a list: Hydra v1.8 reads no other.
 */
function privateKeyJwt(key: oauth.PrivateKey): oauth.ClientAuth {
  return (server, client, body, headers) => {
    const audience = server.token_endpoint ?? server.issuer;
    const sign = oauth.PrivateKeyJwt(key, {
      [oauth.modifyAssertion]: (header, payload) => {
        payload.aud = audience;
        // oauth4webapi names an Ed25519 signature "Ed25519" (RFC 9864's name); servers and the
        // keys registered with them say "EdDSA", the same signature, and refuse the new name.
        if (header.alg === "Ed25519") header.alg = "EdDSA";
      },
    });
    return sign(server, client, body, headers);
  };
}

type ImportAlgorithm = RsaHashedImportParams | EcKeyImportParams | Algorithm;

// What a JWK's members say about the WebCrypto algorithm to import it with.
function jwkAlgorithm(jwk: JsonWebKey & { alg?: string }): ImportAlgorithm | undefined {
  const hash = (bits: string | undefined) => `SHA-${bits ?? "256"}`;
  if (jwk.kty === "RSA") {
    const [, family, bits] = jwk.alg?.match(/^(RS|PS)(256|384|512)$/) ?? [];
    return { name: family === "PS" ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: hash(bits) };
  }
  if (jwk.kty === "EC" && jwk.crv) return { name: "ECDSA", namedCurve: jwk.crv };
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return { name: "Ed25519" };
  return undefined;
}

// A PKCS#8 key names its algorithm inside; WebCrypto reads it but needs a guess to
// start from, so each signing algorithm private_key_jwt allows is tried in turn.
const PKCS8_CANDIDATES: ImportAlgorithm[] = [
  { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  { name: "ECDSA", namedCurve: "P-256" },
  { name: "ECDSA", namedCurve: "P-384" },
  { name: "ECDSA", namedCurve: "P-521" },
  { name: "Ed25519" },
];

/**
 * A private signing key from a private JWK (its `kid` is sent in the assertion's header)
 * or a PKCS#8 PEM file, imported by WebCrypto.
 */
export async function importPrivateKey(bytes: Uint8Array): Promise<oauth.PrivateKey> {
  const text = new TextDecoder().decode(bytes).trim();
  if (text.startsWith("{")) {
    let jwk: JsonWebKey & { kid?: string; alg?: string };
    try {
      jwk = JSON.parse(text);
    } catch (error) {
      throw new InputError("the private key is not valid JSON", { cause: error });
    }
    if (Array.isArray((jwk as { keys?: unknown }).keys)) throw new InputError("the private key is a JWK Set; give a single private JWK");
    if ((jwk.kty === "EC" || jwk.kty === "OKP") && jwk.crv === undefined) throw new InputError(`the private JWK is ${jwk.kty} but has no "crv" to name its curve`);
    const algorithm = jwkAlgorithm(jwk);
    if (!algorithm) throw new InputError(`the private key's JWK type ${JSON.stringify(jwk.kty)} cannot sign a client assertion (RSA, EC or Ed25519 only)`);
    if (jwk.d === undefined) throw new InputError("the JWK is a public key; a client assertion needs the private one");
    const { kid, alg: _alg, key_ops: _ops, use: _use, ...material } = jwk as JsonWebKey & { kid?: string; alg?: string; use?: string };
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey("jwk", material, algorithm, false, ["sign"]);
    } catch (error) {
      // WebCrypto's words stay in the cause.
      throw new InputError("the private JWK cannot be imported: its members do not make a usable key", { cause: error });
    }
    return strongEnough({ key, kid });
  }
  // Loaded here, not with this module: every token command loads this one at its start, and a
  // module more on that path costs each start its share of the engine's heap (README, Performance).
  const { decryptHint, isEncrypted, pemBlocks } = await import("../keys/pem.ts");
  for (const [, label, body] of pemBlocks(text)) {
    if (isEncrypted(label!, body!)) throw new InputError(`the private key is encrypted; ${decryptHint("KEY")}`);
  }
  // The older PKCS#1 and SEC 1 forms (openssl's default for years), as import jwk reads them.
  if (text.includes("-----BEGIN RSA PRIVATE KEY-----") || text.includes("-----BEGIN EC PRIVATE KEY-----")) {
    const { readKeys } = await import("../keys/read.ts");
    const keys = await readKeys(bytes, "the private key");
    if (keys.length !== 1 || !keys[0]!.private) throw new InputError("the private key's PEM holds more than one key; give the one that signs");
    return await importPrivateKey(new TextEncoder().encode(JSON.stringify(keys[0]!.jwk)));
  }
  const pem = text.match(/-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/);
  if (!pem) {
    // A public key given where its private half belongs: the commonest slip, said as such.
    if (/-----BEGIN (?:RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(text)) throw new InputError("this is a public key or certificate; a client assertion is signed with the private key");
    throw new InputError("the private key is neither a private JWK nor a PEM private key (PKCS#8 \"PRIVATE KEY\", or \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")");
  }
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = decodeBase64(pem[1]!.replace(/\s+/g, ""));
  } catch (error) {
    throw new InputError("the private key's PEM body is not base64", { cause: error });
  }
  for (const algorithm of PKCS8_CANDIDATES) {
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey("pkcs8", der, algorithm, false, ["sign"]);
    } catch {
      // Not this algorithm (or curve): try the next.
      continue;
    }
    return strongEnough({ key });
  }
  throw new InputError("the private key is not an RSA, EC (P-256, P-384, P-521) or Ed25519 PKCS#8 key");
}

/** oauth4webapi signs with RSA keys of 2048 bits or more only: said here, before anything is sent. */
function strongEnough(imported: oauth.PrivateKey): oauth.PrivateKey {
  const { modulusLength } = imported.key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  if (modulusLength !== undefined && modulusLength < 2048) throw new InputError(`the private key is RSA of ${modulusLength} bits; a client assertion needs 2048 or more`);
  return imported;
}
