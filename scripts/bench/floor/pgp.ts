// Floor of bench-create --pgp-key: the same fetch, plus hydractl's own key loading and
// encryption (openpgp.js) and nothing else of hydractl.
import { decodeBase64 } from "../../../src/base64.ts";
import { loadEncryptionKey } from "../../../src/secrets/pgp.ts";

const key = await loadEncryptionKey({ kind: "key", bytes: decodeBase64(process.argv[4]!), described: "the key" }, fetch);
const response = await fetch(`${process.argv[2]}/clients`, {
  method: "POST",
  headers: { "Content-Type": "application/json", Accept: "application/json" },
  body: process.argv[3],
});
const client = (await response.json()) as { client_id: string; client_secret: string };
console.log(`OAuth 2.0 Client ID: ${client.client_id}\nOAuth 2.0 Encrypted Client Secret: ${await key.encrypt(client.client_secret)}`);
