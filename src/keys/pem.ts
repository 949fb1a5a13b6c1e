// What a PEM file says before any ASN.1 is read, shared by `import jwk` (src/keys/der.ts) and
// the token commands' private key reader (src/oauth/client-auth.ts), which loads no ASN.1
// and loads this only for a key given.

/** The PEM blocks of `text`: each one's label, then its body (headers such as Proc-Type, and the base64). */
export function pemBlocks(text: string): IterableIterator<RegExpMatchArray> {
  return text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g);
}

/**
 * Whether a block holds an encrypted private key: PKCS#8's ENCRYPTED PRIVATE KEY, or
 * OpenSSL's older Proc-Type header. Nothing here asks for a passphrase.
 */
export function isEncrypted(label: string, body: string): boolean {
  return label === "ENCRYPTED PRIVATE KEY" || /^Proc-Type:.*ENCRYPTED/m.test(body);
}

/** What to do with an encrypted key in `file`, to end the error that refuses it. */
export function decryptHint(file: string): string {
  return `decrypt it first (e.g. openssl pkey -in ${file} -out plain.pem)`;
}
