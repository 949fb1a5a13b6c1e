// Floor of `clients create --pgp-key`'s own work: openpgp.js loaded as hydractl loads it,
// the key from argv[2] (base64, armored or binary) read, 32 bytes encrypted to it, base64
// of the binary message printed. No request, nothing else of hydractl.
import { encodeBase64 } from "../../../src/base64.ts";
import { loadOpenPgp } from "../../../src/secrets/openpgp.ts";

const keyBytes = Uint8Array.from(atob(process.argv[2]!), (c) => c.charCodeAt(0));
const openpgp = await loadOpenPgp();
const text = new TextDecoder().decode(keyBytes);
const key = text.includes("-----BEGIN PGP") ? await openpgp.readKey({ armoredKey: text }) : await openpgp.readKey({ binaryKey: keyBytes });
const message = await openpgp.encrypt({
  message: await openpgp.createMessage({ binary: crypto.getRandomValues(new Uint8Array(32)) }),
  encryptionKeys: key,
  format: "binary",
});
console.log(encodeBase64(message));
