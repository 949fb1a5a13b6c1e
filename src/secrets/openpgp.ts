import type * as OpenPgp from "openpgp";

/**
 * openpgp.js's lightweight build, the one its README offers as `openpgp/lightweight`: it
 * loads curve and legacy-cipher code only for keys that need them and never imports
 * node:crypto, so `clients create --pgp-key` starts sooner and peaks ~5 MiB lower in the
 * compiled binary (50 → 45.5 MiB). The package exports it only under the `browser`
 * condition, which neither Bun nor Deno resolves, hence the path to that same public file.
 * Its unminified form: the build minifies it anyway, and first makes its AES tables lazy
 * (scripts/openpgp-lazy-aes.ts), which needs the names the minified form has lost.
 */
export async function loadOpenPgp(): Promise<typeof OpenPgp> {
  // The file has no types of its own (Deno would infer them from its code); it is the
  // same API as the package entry, whose declarations are the ones to check against.
  const lightweight: unknown = await import("../../node_modules/openpgp/dist/lightweight/openpgp.mjs");
  return lightweight as typeof OpenPgp;
}
