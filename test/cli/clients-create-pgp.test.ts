// Secret encryption with keys made by real gpg, decrypted by gpg and by openpgp.js.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { decodeBase64 } from "../../src/base64.ts";
import { run } from "../support/cli.ts";
import { type FakeHydra, fakeHydra } from "../support/fake-hydra.ts";
import { type GpgKeyring, gpgKeyring, skipWithoutGpg } from "../support/gpg.ts";
import { serveLocal } from "../support/runtime.ts";

const skip = skipWithoutGpg;
let fake: FakeHydra;
let hydra: Awaited<ReturnType<typeof serveLocal>>;
let keys: Awaited<ReturnType<typeof serveLocal>>;
let keyring: GpgKeyring;

before(async () => {
  if (skip) return;
  keyring = gpgKeyring();
  fake = fakeHydra({ generatedSecret: "hydra-generated-secret-42" });
  hydra = await serveLocal(fake.handler);
  // Plays both a key server (/key.asc) and keybase (/<user>/pgp_keys.asc).
  keys = await serveLocal((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/key.asc" || path === "/alice_1/pgp_keys.asc") return new Response(keyring.armoredPublicKey);
    if (path === "/garbage.asc") return new Response("this is not a key");
    if (path === "/moved.asc") return new Response(null, { status: 301, headers: { Location: "/key.asc" } });
    return new Response("not found", { status: 404 });
  });
});
after(async () => {
  await hydra?.close();
  await keys?.close();
  keyring?.remove();
});

const create = (args: string[], env: Record<string, string> = {}) =>
  run(["clients", "create", "--endpoint", hydra.url, ...args], { env });
const encryptedFrom = (stdout: string) => /^OAuth 2\.0 Encrypted Client Secret: (\S+)$/m.exec(stdout)?.[1];

test("--pgp-key: base64 of an armored key; gpg decrypts the secret", { skip }, async () => {
  const result = await create(["--id", "pgp-armored", "--pgp-key", btoa(keyring.armoredPublicKey)]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^OAuth 2\.0 Client ID: pgp-armored\nOAuth 2\.0 Encrypted Client Secret: [A-Za-z0-9+/=]+\n$/);
  assert.doesNotMatch(result.stdout + result.stderr, /hydra-generated-secret-42/);
  const encrypted = encryptedFrom(result.stdout)!;
  // Base64 of the binary message, as Hydra v1.8.5 prints it: a public-key encrypted session
  // key packet first (new format, tag 1), not "-----BEGIN PGP MESSAGE-----".
  assert.equal(decodeBase64(encrypted)[0], 0xc1);
  assert.equal(keyring.decryptBase64(encrypted), "hydra-generated-secret-42");
});

test("--pgp-key: base64 of a binary key; openpgp.js decrypts too", { skip }, async () => {
  const openpgp = await import("openpgp");
  const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: "t" }], format: "binary", type: "ecc" });
  const binary = String.fromCharCode(...publicKey);
  const result = await create(["--id", "pgp-binary", "--pgp-key", btoa(binary), "--format", "json"]);
  assert.equal(result.code, 0, result.stderr);
  // --format json holds the same encoding as the text output: base64 of the binary message.
  const binaryMessage = decodeBase64(JSON.parse(result.stdout).client_secret);
  const { data } = await openpgp.decrypt({
    message: await openpgp.readMessage({ binaryMessage }),
    decryptionKeys: await openpgp.readPrivateKey({ binaryKey: privateKey }),
  });
  assert.equal(data, "hydra-generated-secret-42");
});

test("--pgp-key-url (through a redirect too) and --keybase fetch the key", { skip }, async () => {
  for (const [id, path] of [["pgp-url", "key.asc"], ["pgp-moved", "moved.asc"]]) {
    const byUrl = await create(["--id", id!, "--pgp-key-url", `${keys.url}/${path}`]);
    assert.equal(byUrl.code, 0, byUrl.stderr);
    assert.equal(keyring.decryptBase64(encryptedFrom(byUrl.stdout)!), "hydra-generated-secret-42");
  }
  const byKeybase = await create(["--id", "pgp-keybase", "--keybase", "alice_1"], { HYDRACTL_KEYBASE_URL: keys.url });
  assert.equal(byKeybase.code, 0, byKeybase.stderr);
  assert.equal(keyring.decryptBase64(encryptedFrom(byKeybase.stdout)!), "hydra-generated-secret-42");
});

test("--pgp-key-url over plain http to another host is warned of: anyone on the way could swap the key", { skip }, async () => {
  // Through a proxy that is the key server itself, as keys.example would be reached.
  const result = await create(["--id", "pgp-plain-http", "--pgp-key-url", "http://keys.example/key.asc"], { HTTP_PROXY: keys.url, NO_PROXY: "127.0.0.1" });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^warning: the key at http:\/\/keys\.example\/key\.asc comes over plain http: anyone on the way could hand over a key of their own/m);
  assert.equal(keyring.decryptBase64(encryptedFrom(result.stdout)!), "hydra-generated-secret-42");
  // On this machine it is not said.
  const local = await create(["--id", "pgp-loopback", "--pgp-key-url", `${keys.url}/key.asc`]);
  assert.doesNotMatch(local.stderr, /plain http/);
});

test("a bad key, URL or user stops before any client is created", { skip }, async () => {
  const before = fake.received.length;
  const cases: [string[], RegExp][] = [
    [["--pgp-key", btoa("not a key at all")], /^Error: the key given with --pgp-key is not a PGP public key: it reads as no OpenPGP key, ASCII-armored or binary\n$/],
    // Checked even when there is nothing to encrypt, as every value on the command line is.
    [["--secret", "mine-0123456789", "--pgp-key", btoa("not a key at all")], /\nError: the key given with --pgp-key is not a PGP public key: /],
    [["--pgp-key-url", `${keys.url}/garbage.asc`], /^Error: the key at http:\/\/127\.0\.0\.1:\d+\/garbage\.asc is not a PGP public key/],
    [["--pgp-key-url", `${keys.url}/missing.asc`], /^Error: fetching the key at .*\/missing\.asc failed: 404/],
    [["--keybase", "nobody"], /^Error: fetching the key of keybase user nobody .* failed: 404 .*is "nobody" a keybase user with a PGP key\?/],
  ];
  for (const [args, message] of cases) {
    const result = await create(args, { HYDRACTL_KEYBASE_URL: keys.url });
    assert.equal(result.code, 1, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, "");
  }
  assert.equal(fake.received.length, before);
});

test("a secret the user chose is neither printed nor encrypted", { skip }, async () => {
  const empty = await create(["--id", "pgp-chosen", "--secret", "-", "--pgp-key", btoa(keyring.armoredPublicKey)]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /Error: --secret -: stdin was empty/);
  const piped = await run(["clients", "create", "--endpoint", hydra.url, "--id", "pgp-chosen", "--secret", "-", "--pgp-key", btoa(keyring.armoredPublicKey)], {
    stdin: "mine-chosen",
  });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stdout, "OAuth 2.0 Client ID: pgp-chosen\n");
  assert.match(piped.stderr, /the secret you chose is not printed, so there is nothing to encrypt/);
  // A key given keeps it out of the JSON too, where a script would otherwise read it.
  const json = await run(["create", "client", "--endpoint", hydra.url, "--id", "pgp-chosen-json", "--secret", "-", "--pgp-key", btoa(keyring.armoredPublicKey), "--format", "json"], {
    stdin: "mine-chosen",
  });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).client_secret, undefined);
});

test("clients import --pgp-key: Hydra v1.8's lines, the encrypted secret on a line of its own", { skip }, async () => {
  const result = await run(["clients", "import", "-", "--endpoint", hydra.url, "--pgp-key", btoa(keyring.armoredPublicKey)], { stdin: '{"client_id":"pgp-imported"}' });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Imported OAuth 2\.0 Client pgp-imported from: stdin\nOAuth 2\.0 Encrypted Client Secret: [A-Za-z0-9+/=]+\n\n$/);
  assert.equal(keyring.decryptBase64(encryptedFrom(result.stdout)!), "hydra-generated-secret-42");
});
