// Compiles one program into a standalone binary, the way every hydractl binary and every
// benchmark floor is built (scripts/build calls it; it is Bun.build rather than `bun build`
// because only the API takes a plugin).
//   bun scripts/compile.ts ENTRY OUTFILE [TARGET]     TARGET e.g. linux-arm64; default this machine
import { resolve } from "node:path";
import type { BunPlugin } from "bun";
import { renderUsage } from "../src/cli/usage.ts";
import { versionText } from "../src/cli/version.ts";
import root from "../src/commands/index.ts";
import { bunRuntime } from "../src/runtime/bun.ts";
import { lazyAesTablesPlugin } from "./openpgp-lazy-aes.ts";

const [entry, outfile, target] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error("usage: bun scripts/compile.ts ENTRY OUTFILE [TARGET]");
  process.exit(2);
}

const git = Bun.spawnSync(["git", "describe", "--always", "--dirty", "--abbrev=7", "--exclude=*"], { stderr: "ignore" });
const commit = git.exitCode === 0 ? git.stdout.toString().trim() : "";

// hydractl's binary carries its answers to `--help` and `--version`, rendered here by the
// code that renders them at run time, and gives them without loading its kernel
// (src/main.ts). A floor carries none.
const answers: Record<string, string> =
  resolve(entry) === resolve(import.meta.dir, "../src/main.ts")
    ? { HYDRACTL_ROOT_HELP: JSON.stringify(await renderUsage(root, [])), HYDRACTL_VERSION_TEXT: JSON.stringify(versionText(bunRuntime, commit)) }
    : {};

// jsonpath-plus's Node build is its browser build plus node:vm, for script expressions, which
// `--format jsonpath=` never evaluates (`eval: false`, src/cli/output.ts). The binary takes
// the browser build, so that the output's JSONPath does not load node:vm (1.7 ms).
const jsonpathWithoutVm: BunPlugin = {
  name: "jsonpath-plus without node:vm",
  setup(build) {
    build.onResolve({ filter: /^jsonpath-plus$/ }, () => ({
      path: Bun.resolveSync("jsonpath-plus/package.json", import.meta.dir).replace(/package\.json$/, "dist/index-browser-esm.js"),
    }));
  },
};

const result = await Bun.build({
  entrypoints: [entry],
  target: "bun",
  format: "esm",
  // Bytecode halves start-up time; splitting keeps openpgp.js, selfsigned and YAML in chunks
  // that load only when used (scripts/bench-startup).
  minify: true,
  bytecode: true,
  splitting: true,
  // Chunks named after their first module, as `bun build` names them: stack traces and
  // profiles say where they are (/$bunfs/root/openpgp-….js), and test/cli/binary.test.ts
  // looks for what must and must not be embedded.
  naming: { chunk: "[name]-[hash].[ext]" },
  compile: {
    outfile,
    ...(target ? { target: `bun-${target}` as Bun.Build.CompileTarget } : {}),
    // A JIT policy of 100 keeps run-once start-up code in the interpreter instead of paying
    // to compile it (-10% on every bench); a listening server restores the normal policy.
    jitPolicy: 100,
    // A binary must not read .env or bunfig.toml from whatever directory it is run in: a
    // stray .env could point HYDRA_ADMIN_URL or HTTPS_PROXY elsewhere, a bunfig.toml preload code.
    autoloadDotenv: false,
    autoloadBunfig: false,
  },
  // The binary runs only on Bun, so Deno's runtime code folds away.
  define: {
    HYDRACTL_COMPILED_FOR_BUN: "true",
    HYDRACTL_COMMIT: JSON.stringify(commit),
    ...answers,
  },
  // Nothing goes in that no path uses: openpgp.js's lazily imported Argon2 (for passphrases),
  // bzip2 (for decompressing) and legacy ciphers (CAST5 and the like, for decrypting old
  // messages) are left out: hydractl only reads public keys and encrypts to them, with AES.
  external: ["*/argon2id.mjs", "*/unbzip2-stream.mjs", "*/legacy_ciphers.mjs"],
  plugins: [lazyAesTablesPlugin, jsonpathWithoutVm],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
