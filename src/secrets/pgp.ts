import { encodeBase64 } from "../base64.ts";
import { InputError } from "../errors.ts";
import { readBytes } from "../http/body.ts";
import type { Fetch } from "../runtime/index.ts";
import type { KeySource } from "./key-source.ts";
import { loadOpenPgp } from "./openpgp.ts";

/** A public key that has been read and checked: it can encrypt, today. */
export interface EncryptionKey {
  /** Upper-case hex fingerprint, for messages. */
  fingerprint: string;
  /**
   * Encrypts text and returns base64 of the binary OpenPGP message: the encoding Hydra v1.8.5
   * prints, and one `base64 -d | gpg --decrypt` reads as it is.
   */
  encrypt(text: string): Promise<string>;
}

const KEY_LIMIT = 1024 * 1024;

/**
 * Loads the key and proves it usable before any client is created, so a bad key never
 * leaves behind a client whose secret nobody can read. The key is fetched without `-H`
 * headers or `--skip-tls-verify`: those are meant for Hydra, and a key served through an
 * unverified connection could be an attacker's.
 */
export async function loadEncryptionKey(source: KeySource, fetch: Fetch): Promise<EncryptionKey> {
  // openpgp.js evaluates while the key downloads: both come before the client is created.
  const [bytes, openpgp] = await Promise.all([source.kind === "key" ? source.bytes : download(source, fetch), loadOpenPgp()]);
  const text = new TextDecoder().decode(bytes);
  let key: Awaited<ReturnType<typeof openpgp.readKey>>;
  try {
    key = text.includes("-----BEGIN PGP")
      ? await openpgp.readKey({ armoredKey: text })
      : await openpgp.readKey({ binaryKey: bytes });
  } catch (error) {
    // openpgp.js's own words ("Error during parsing. This message / key probably…") stay in the cause, for HYDRACTL_DEBUG.
    throw new InputError(`${source.described} is not a PGP public key: it reads as no OpenPGP key, ASCII-armored or binary`, { cause: error });
  }
  const publicKey = key.isPrivate() ? key.toPublic() : key;
  try {
    await publicKey.getEncryptionKey();
  } catch (error) {
    throw new InputError(`${source.described} cannot encrypt (${(error as Error).message}); is it expired, revoked or signing-only?`, {
      cause: error,
    });
  }
  return {
    fingerprint: publicKey.getFingerprint().toUpperCase(),
    async encrypt(secret) {
      const binary = await openpgp.encrypt({
        message: await openpgp.createMessage({ text: secret }),
        encryptionKeys: publicKey,
        format: "binary",
      });
      return encodeBase64(binary);
    },
  };
}

/** Hops a key's download follows, as a browser would, before it gives up. */
const MAX_REDIRECTS = 5;

/**
 * Downloads the key, following redirects by hand: one to plain HTTP after HTTPS would let
 * anyone on the way hand over their own key, which the new secret would then be encrypted
 * to, and one to another scheme (`file:`) is no download. Errors name the URL that failed.
 */
async function download(source: Extract<KeySource, { kind: "url" }>, fetch: Fetch): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(10_000);
  const get = (target: URL) => fetch(target, { headers: { Accept: "application/pgp-keys, text/plain" }, redirect: "manual", signal });
  let url = source.url;
  let response = await get(url);
  for (let hops = 0; response.status >= 300 && response.status < 400 && response.headers.has("location"); hops++) {
    await response.body?.cancel();
    const location = response.headers.get("location")!;
    const next = URL.canParse(location, url) ? new URL(location, url) : undefined;
    const refused = !next || (next.protocol !== "https:" && next.protocol !== "http:")
      ? "a URL that is no http(s) download"
      : url.protocol === "https:" && next.protocol === "http:"
        ? `${next.href}, plain HTTP after HTTPS, where anyone on the way could hand over a key of their own`
        : hops >= MAX_REDIRECTS
          ? `${next.href} after ${MAX_REDIRECTS} redirects already`
          : undefined;
    if (refused) throw new InputError(`fetching ${source.described}: ${url.href} redirects to ${refused}; refused`);
    url = next!;
    response = await get(url);
  }
  const what = url.href === source.url.href ? `fetching ${source.described}` : `fetching ${source.described} (redirected to ${url.href})`;
  if (!response.ok) {
    await response.body?.cancel();
    const hint = source.keybaseUser && response.status === 404 ? `; is "${source.keybaseUser}" a keybase user with a PGP key?` : "";
    throw new InputError(`${what} failed: ${response.status} ${response.statusText}${hint}`);
  }
  return await readBytes(response, what, KEY_LIMIT);
}
