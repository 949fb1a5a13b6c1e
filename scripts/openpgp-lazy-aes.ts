// A build-time change to openpgp.js (scripts/compile.ts applies it to every binary).
//
// openpgp.js bundles @noble/ciphers, whose software AES builds its lookup tables when the
// module loads: 131,072 loop turns filling six 64 Ki-entry typed arrays, 14 ms of every
// `--pgp-key` start in the compiled binary and 1.4 MiB. hydractl never runs that AES:
// openpgp.js encrypts with WebCrypto's AES wherever the runtime has it, as Bun and Deno
// both do, and keeps the software one for decrypting and for runtimes without WebCrypto.
// The change builds the two tables at their first use instead, the same tables, once.
//
// It looks for exactly the code it expects and throws otherwise, so that an upgrade of
// openpgp.js that reshapes it stops the build instead of shipping unchanged or broken.
// test/unit/openpgp-lazy-aes.test.ts checks it against the installed openpgp.js.
import type { BunPlugin } from "bun";

/** The file the change applies to: the lightweight build, not minified (Bun minifies it). */
export const OPENPGP_FILE = /[\\/]openpgp[\\/]dist[\\/]lightweight[\\/]openpgp\.mjs$/;

const TABLES = [
  { name: "tableEncoding", uses: 3 },
  { name: "tableDecoding", uses: 2 },
] as const;

/** openpgp.js's source with the AES tables built at first use; throws where it does not look as expected. */
export function lazyAesTables(source: string): string {
  let result = source;
  for (const { name, uses } of TABLES) {
    const declaration = `const ${name} = /* @__PURE__ */ genTtable(`;
    const use = `= ${name};`;
    const found = { declarations: count(result, declaration), uses: count(result, use) };
    if (found.declarations !== 1 || found.uses !== uses) {
      throw new Error(
        `openpgp.js changed: expected 1 declaration and ${uses} uses of the AES table ${name}, found ${found.declarations} and ${found.uses}; ` +
          "revisit scripts/openpgp-lazy-aes.ts",
      );
    }
    // `??=` builds the table once; genTtable returns an object, never a falsy value.
    result = result
      .replace(declaration, `let ${name}Built;\nconst ${name}Of = () => ${name}Built ??= genTtable(`)
      .replaceAll(use, `= ${name}Of();`);
  }
  return result;
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** The change as a plugin for Bun.build. */
export const lazyAesTablesPlugin: BunPlugin = {
  name: "openpgp-lazy-aes-tables",
  setup(build) {
    build.onLoad({ filter: OPENPGP_FILE }, async ({ path }) => ({ contents: lazyAesTables(await Bun.file(path).text()), loader: "js" }));
  },
};
