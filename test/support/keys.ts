// Keys for tests in which hydractl signs with a private key it reads, and checks of what it signed.

/** A PKCS#8 private key as the PEM openssl writes: its base64 in lines of 64. */
export function pkcs8Pem(der: ArrayBuffer): string {
  const base64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN PRIVATE KEY-----\n${base64.replace(/(.{64})/g, "$1\n")}\n-----END PRIVATE KEY-----\n`;
}

/** The bytes of a base64url part of a JWS, padded or not. */
export function base64urlBytes(part: string): Uint8Array<ArrayBuffer> {
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * An RS256 ID token for `claims` with a signature that is not one: for checks that come
 * before the signature's (the issuer's, say).
 */
export function idTokenUnsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${part({ alg: "RS256", kid: "k" })}.${part(claims)}.c2ln`;
}

/** Whether a compact JWS is signed with ES256 by this public key. */
export function es256SignedBy(jws: string, key: CryptoKey): Promise<boolean> {
  const [header, payload, signature] = jws.split(".");
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, base64urlBytes(signature!), new TextEncoder().encode(`${header}.${payload}`));
}
