import { decodeBase64 } from "../base64.ts";
import { UsageError } from "../errors.ts";
import { parseHttpUrl } from "../http/endpoint.ts";

/** Where the OpenPGP public key that encrypts a generated client secret comes from. */
export type KeySource =
  | { flag: "pgp-key"; bytes: Uint8Array }
  | { flag: "pgp-key-url"; url: URL }
  | { flag: "keybase"; user: string; url: URL };

export const KEYBASE_DEFAULT = "https://keybase.io";

/**
 * Reads `--pgp-key`, `--pgp-key-url` and `--keybase` (at most one) without any I/O, so a
 * malformed value stops the command before anything is sent. `keybaseBase` lets mirrors,
 * air-gapped installs and tests stand in for keybase.io.
 */
export function keySourceFromFlags(
  flags: { "pgp-key"?: string; "pgp-key-url"?: string; keybase?: string },
  keybaseBase = KEYBASE_DEFAULT,
): KeySource | undefined {
  const given = (["pgp-key", "pgp-key-url", "keybase"] as const).filter((flag) => flags[flag] !== undefined);
  if (given.length > 1) throw new UsageError(`use only one of ${given.map((f) => `--${f}`).join(", ")}`);
  if (flags["pgp-key"] !== undefined) return { flag: "pgp-key", bytes: keyBytes(flags["pgp-key"]) };
  if (flags["pgp-key-url"] !== undefined) return { flag: "pgp-key-url", url: parseHttpUrl(flags["pgp-key-url"], "--pgp-key-url") };
  if (flags.keybase !== undefined) {
    const user = flags.keybase;
    if (!/^[A-Za-z0-9_]{2,16}$/.test(user)) {
      throw new UsageError(`invalid --keybase "${user}": a keybase username has 2 to 16 letters, digits or underscores`);
    }
    const base = parseHttpUrl(keybaseBase, "HYDRACTL_KEYBASE_URL");
    return { flag: "keybase", user, url: new URL(`${user}/pgp_keys.asc`, base.href.endsWith("/") ? base : `${base.href}/`) };
  }
  return undefined;
}

function keyBytes(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, "");
  if (compact === "" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    throw new UsageError("invalid --pgp-key: expected the base64 encoding of a PGP public key (e.g. gpg --export --armor KEY | base64 -w0)");
  }
  return decodeBase64(compact);
}
