// PEM and DER keys, turned into what WebCrypto imports: SPKI for a public key, PKCS#8 for a
// private one. WebCrypto reads those two itself but not PKCS#1 (RSA) or SEC1 (EC), which
// OpenSSL still writes by default, nor certificates; @peculiar's ASN.1 schemas (already
// shipped for selfsigned) parse them and re-wrap the same key, so no ASN.1 is written by
// hand. They also name the algorithm and curve WebCrypto must be told on import.
import { ECParameters, ECPrivateKey, id_ecPublicKey, id_secp256r1, id_secp384r1, id_secp521r1 } from "@peculiar/asn1-ecc";
import { PrivateKeyInfo } from "@peculiar/asn1-pkcs8";
import { id_rsaEncryption, RSAPrivateKey, RSAPublicKey } from "@peculiar/asn1-rsa";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { decodeBase64 } from "../base64.ts";
import { InputError } from "../errors.ts";
import { decryptHint, isEncrypted, pemBlocks } from "./pem.ts";
import type { KeyAlgorithm } from "./read.ts";

/** A key ready for crypto.subtle.importKey. */
export interface EncodedKey {
  format: "spki" | "pkcs8";
  der: Uint8Array<ArrayBuffer>;
  algorithm: KeyAlgorithm;
}

const id_Ed25519 = "1.3.101.112";
const CURVE_NAMES: Record<string, string> = { [id_secp256r1]: "P-256", [id_secp384r1]: "P-384", [id_secp521r1]: "P-521" };

type Structure = "spki" | "pkcs8" | "pkcs1-private" | "pkcs1-public" | "sec1" | "certificate";

/** The layouts of a private key. */
const PRIVATE_STRUCTURES: (Structure | undefined)[] = ["pkcs8", "pkcs1-private", "sec1"];

/** The PEM labels that hold a key, and how each is laid out. */
const LABELS: Record<string, Structure> = {
  "PUBLIC KEY": "spki",
  "PRIVATE KEY": "pkcs8",
  "RSA PRIVATE KEY": "pkcs1-private",
  "RSA PUBLIC KEY": "pkcs1-public",
  "EC PRIVATE KEY": "sec1",
  CERTIFICATE: "certificate",
};

/**
 * Every key block of a PEM file; `openssl ecparam -genkey`'s EC PARAMETERS block is passed
 * over, and so are the certificates that are not a key of their own: beside a private key,
 * every one (that key's certificate and chain, as `cat privkey.pem fullchain.pem` gives), and
 * without one, every certificate after the first (the chain that issued it). Imported, a CA's
 * key would sit in the set as a signing key. Hydra's CLI reads a file's first block only.
 */
export function readPem(text: string, name: string): EncodedKey[] {
  const blocks = [...pemBlocks(text)].filter(([, label]) => label !== "EC PARAMETERS");
  const withPrivateKey = blocks.some(([, label]) => PRIVATE_STRUCTURES.includes(LABELS[label!]));
  let certificates = 0;
  const keys: EncodedKey[] = [];
  for (const [, label, body] of blocks) {
    if (isEncrypted(label!, body!)) throw new InputError(`${name} holds an encrypted private key; ${decryptHint(name)}`);
    const structure = LABELS[label!];
    if (!structure) throw new InputError(`${name} holds a PEM "${label}" block, which is no key (expected PUBLIC KEY, PRIVATE KEY, RSA or EC PRIVATE KEY, RSA PUBLIC KEY or CERTIFICATE)`);
    if (structure === "certificate" && (withPrivateKey || certificates++ > 0)) continue;
    let der: Uint8Array<ArrayBuffer>;
    try {
      der = decodeBase64(body!.replace(/\s+/g, ""));
    } catch (error) {
      throw new InputError(`${name}: the PEM "${label}" block is not base64`, { cause: error });
    }
    keys.push(fromStructure(structure, der, `${name}: the PEM "${label}" block`));
  }
  if (keys.length === 0) throw new InputError(`${name} holds no complete PEM block (-----BEGIN …----- to -----END …-----)`);
  return keys;
}

/** A DER file, whose layout is not labelled: the first structure it parses as. */
export function readDer(der: Uint8Array, name: string): EncodedKey {
  const bytes = new Uint8Array(der);
  for (const structure of ["pkcs8", "spki", "pkcs1-private", "sec1", "pkcs1-public", "certificate"] as const) {
    try {
      return fromStructure(structure, bytes, name);
    } catch (error) {
      if (error instanceof InputError && !(error.cause instanceof Error)) throw error;
    }
  }
  throw new InputError(`${name} is not a key hydractl can read (a JSON Web Key or Key Set, or a PEM or DER public key, private key or certificate)`);
}

/**
 * Reads one structure and returns the key as SPKI or PKCS#8. A parse failure is an
 * InputError with the parser's error as its cause; an unsupported algorithm one without.
 */
function fromStructure(structure: Structure, der: Uint8Array<ArrayBuffer>, source: string): EncodedKey {
  try {
    switch (structure) {
      case "spki": {
        const info = AsnConvert.parse(der, SubjectPublicKeyInfo);
        return { format: "spki", der, algorithm: algorithmOf(info.algorithm, source) };
      }
      case "pkcs8": {
        const info = AsnConvert.parse(der, PrivateKeyInfo);
        return { format: "pkcs8", der, algorithm: algorithmOf(info.privateKeyAlgorithm, source) };
      }
      case "certificate": {
        const spki = AsnConvert.parse(der, Certificate).tbsCertificate.subjectPublicKeyInfo;
        return { format: "spki", der: new Uint8Array(AsnConvert.serialize(spki)), algorithm: algorithmOf(spki.algorithm, source) };
      }
      case "pkcs1-public": {
        AsnConvert.parse(der, RSAPublicKey);
        const spki = new SubjectPublicKeyInfo({ algorithm: rsaAlgorithm(), subjectPublicKey: der.buffer });
        return { format: "spki", der: new Uint8Array(AsnConvert.serialize(spki)), algorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } };
      }
      case "pkcs1-private": {
        AsnConvert.parse(der, RSAPrivateKey);
        const info = new PrivateKeyInfo({ privateKeyAlgorithm: rsaAlgorithm(), privateKey: new OctetString(der) });
        return { format: "pkcs8", der: new Uint8Array(AsnConvert.serialize(info)), algorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } };
      }
      case "sec1": {
        const key = AsnConvert.parse(der, ECPrivateKey);
        const curve = key.parameters?.namedCurve;
        if (!curve) throw new InputError(`${source} names no curve`);
        const algorithm = new AlgorithmIdentifier({ algorithm: id_ecPublicKey, parameters: AsnConvert.serialize(new ECParameters({ namedCurve: curve })) });
        const info = new PrivateKeyInfo({ privateKeyAlgorithm: algorithm, privateKey: new OctetString(der) });
        return { format: "pkcs8", der: new Uint8Array(AsnConvert.serialize(info)), algorithm: { name: "ECDSA", namedCurve: curveName(curve, source) } };
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // The ASN.1 parser's own words ("Data does not match to … ASN1 schema") stay in the cause.
    throw new InputError(`${source} is not a valid ${structure} key: its DER does not read as one`, { cause: error });
  }
}

/** rsaEncryption with the NULL parameters RFC 8017 asks for. */
function rsaAlgorithm(): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null });
}

function algorithmOf(identifier: AlgorithmIdentifier, source: string): KeyAlgorithm {
  if (identifier.algorithm === id_rsaEncryption) return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  if (identifier.algorithm === id_Ed25519) return { name: "Ed25519" };
  if (identifier.algorithm === id_ecPublicKey) {
    if (!identifier.parameters) throw new InputError(`${source} names no curve`);
    const curve = AsnConvert.parse(identifier.parameters, ECParameters).namedCurve;
    if (!curve) throw new InputError(`${source} uses explicit curve parameters; only named curves (P-256, P-384, P-521) are supported`);
    return { name: "ECDSA", namedCurve: curveName(curve, source) };
  }
  throw new InputError(`${source} is a key of algorithm ${identifier.algorithm}; hydractl imports RSA, EC P-256/P-384/P-521 and Ed25519 keys`);
}

function curveName(oid: string, source: string): string {
  const name = CURVE_NAMES[oid];
  if (!name) throw new InputError(`${source} is on curve ${oid}; hydractl imports EC keys on P-256, P-384 and P-521`);
  return name;
}
