// Unit: the build's change to openpgp.js (scripts/openpgp-lazy-aes.ts), on the installed openpgp.js.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as OpenPgp from "openpgp";
import { lazyAesTables, OPENPGP_FILE } from "../../scripts/openpgp-lazy-aes.ts";
import { tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

// The file hydractl imports (src/secrets/openpgp.ts), as written there and as it resolves.
const loader = new URL("../../src/secrets/openpgp.ts", import.meta.url);
const imported = readFileSync(fileURLToPath(loader.href), "utf8").match(/import\("([^"]+)"\)/)![1]!;
const installed = fileURLToPath(new URL(imported, loader).href);

test("the build's filter matches the openpgp.js file that hydractl imports", () => {
  assert.match(imported, OPENPGP_FILE);
  assert.match(installed, OPENPGP_FILE);
});

test("the installed openpgp.js builds its AES tables at first use once changed, and they are the right tables", async () => {
  const changed = lazyAesTables(readFileSync(installed, "utf8"));
  assert.doesNotMatch(changed, /const table(En|De)coding = \/\* @__PURE__ \*\/ genTtable\(/);
  // Decrypting runs openpgp.js's own AES (encrypting runs WebCrypto's), so a round trip
  // through the changed module fails if the lazily built tables are wrong or never built.
  const openpgp = (await import(pathToFileURL(dir.write("openpgp.mjs", changed)).href)) as typeof OpenPgp;
  const encrypted = await openpgp.encrypt({ message: await openpgp.createMessage({ text: "the secret" }), passwords: ["pw"], format: "binary" });
  const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: encrypted }), passwords: ["pw"] });
  assert.equal(data, "the secret");
});

test("code that does not look as expected stops the build, naming what to revisit", () => {
  assert.throws(() => lazyAesTables("const tableEncoding = genTtable(sbox);"), /openpgp\.js changed: .*tableEncoding.*revisit scripts\/openpgp-lazy-aes\.ts/);
  const doubled = readFileSync(installed, "utf8").replace("= tableDecoding;", "= tableDecoding; x = tableDecoding;");
  assert.throws(() => lazyAesTables(doubled), /found 1 and 3/);
});
