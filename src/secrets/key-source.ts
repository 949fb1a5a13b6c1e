/** Where the OpenPGP public key that encrypts a generated client secret comes from. */
export type KeySource =
  | { kind: "key"; bytes: Uint8Array; described: string }
  | { kind: "url"; url: URL; described: string; keybaseUser?: string };

export const KEYBASE_DEFAULT = "https://keybase.io";

/** Where keybase (or a mirror at `base`) publishes a user's public key. */
export function keybaseKeyUrl(user: string, base: URL): URL {
  return new URL(`${encodeURIComponent(user)}/pgp_keys.asc`, base.href.endsWith("/") ? base : `${base.href}/`);
}
