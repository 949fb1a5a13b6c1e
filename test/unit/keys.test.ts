// Reading keys from files: every PEM and DER layout gives the key WebCrypto reads from the
// layout it imports natively (PKCS#8, SPKI), and everything unusable is one clear error
// naming the file. The fixtures were written by OpenSSL (test/fixtures/keys/).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/errors.ts";
import { checkAlgorithm, isPrivateJwk, type Jwk, publicJwk } from "../../src/keys/jwk.ts";
import { readKeys } from "../../src/keys/read.ts";
import { selfSignedCertificate } from "../../src/server/certificate.ts";

const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/keys/${name}`, import.meta.url).href)));
const only = async (name: string): Promise<Jwk> => {
  const keys = await readKeys(fixture(name), name);
  assert.equal(keys.length, 1, name);
  return keys[0]!.jwk;
};
const bytes = (text: string) => new TextEncoder().encode(text);

describe("PEM and DER", () => {
  test("PKCS#1 and SEC1, which WebCrypto cannot import, give the same key as PKCS#8 and SPKI", async () => {
    assert.deepEqual(await only("rsa-pkcs1.pem"), await only("rsa-pkcs8.pem"));
    assert.deepEqual(await only("rsa-pkcs1-public.pem"), await only("rsa-spki.pem"));
    assert.deepEqual(await only("ec-sec1-with-params.pem"), await only("ec-pkcs8.pem"));
    assert.deepEqual(await only("ec-pkcs8.der"), await only("ec-pkcs8.pem"));
    assert.deepEqual(await only("ec-cert.pem"), await only("ec-spki.pem"));
  });

  test("each key type: its members, and which half of the pair it is", async () => {
    const rsa = await only("rsa-pkcs8.pem");
    assert.equal(rsa.kty, "RSA");
    assert.ok(isPrivateJwk(rsa));
    assert.deepEqual(publicJwk(rsa), await only("rsa-spki.pem"));
    const ec = await only("ec-spki.pem");
    assert.deepEqual([ec.kty, ec.crv, isPrivateJwk(ec)], ["EC", "P-384", false]);
    const ed = await only("ed25519-pkcs8.pem");
    assert.deepEqual([ed.kty, ed.crv, isPrivateJwk(ed)], ["OKP", "Ed25519", true]);
    assert.deepEqual(publicJwk(ed), await only("ed25519-spki.pem"));
    for (const key of [rsa, ec, ed]) for (const member of ["alg", "key_ops", "ext", "kid", "use"]) assert.ok(!(member in key), member);
    // One order of members on every runtime, so that a key prints alike (Deno exports RFC 7518's).
    assert.deepEqual(Object.keys(rsa), ["d", "dp", "dq", "e", "kty", "n", "p", "q", "qi"]);
    assert.deepEqual(Object.keys(ec), ["crv", "kty", "x", "y"]);
    const [read] = await readKeys(fixture("ec-pkcs8.pem"), "ec-pkcs8.pem");
    assert.deepEqual([read!.private, read!.encoded], [true, true]);
  });

  test("certificates beside a private key, and after a first certificate, are its certificate and chain, not keys; public keys beside it stay", async () => {
    const issuer = bytes((await selfSignedCertificate()).cert);
    const joined = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((part) => [...part]));
    const privateKey = await only("ec-pkcs8.pem");
    const cases: [string, Uint8Array, [boolean, Jwk][]][] = [
      ["a key and its certificate", joined(fixture("ec-pkcs8.pem"), fixture("ec-cert.pem")), [[true, privateKey]]],
      ["the certificate, then its key", joined(fixture("ec-cert.pem"), fixture("ec-pkcs8.pem")), [[true, privateKey]]],
      ["a key, its certificate and the issuer's", joined(fixture("ec-pkcs8.pem"), fixture("ec-cert.pem"), issuer), [[true, privateKey]]],
      ["a key and another's certificate", joined(fixture("ec-pkcs8.pem"), issuer), [[true, privateKey]]],
      ["a certificate and its issuer's", joined(fixture("ec-cert.pem"), issuer), [[false, await only("ec-cert.pem")]]],
      ["a key and its public half", joined(fixture("ec-pkcs8.pem"), fixture("ec-spki.pem")), [[true, privateKey]]],
    ];
    for (const [label, file, expected] of cases) {
      assert.deepEqual((await readKeys(file, "both.pem")).map((key) => [key.private, key.jwk]), expected, label);
    }
    const two = await readKeys(joined(fixture("ec-pkcs8.pem"), fixture("rsa-spki.pem")), "two.pem");
    assert.deepEqual(two.map((key) => [key.private, key.jwk.kty]), [[true, "EC"], [false, "RSA"]]);
  });

  test("unusable files: one line naming the file and what is wrong", async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ["rsa-encrypted.pem", fixture("rsa-encrypted.pem"), /^rsa-encrypted\.pem holds an encrypted private key; decrypt it first/],
      ["ec-secp256k1.pem", fixture("ec-secp256k1.pem"), /^ec-secp256k1\.pem: .* is on curve 1\.3\.132\.0\.10; hydractl imports EC keys on P-256, P-384 and P-521$/],
      ["bad.pem", bytes("-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n"), /^bad\.pem: the PEM "PUBLIC KEY" block is not a valid spki key: its DER does not read as one$/],
      ["half.pem", bytes("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"), /^half\.pem holds no complete PEM block/],
      ["csr.pem", bytes("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"), /^csr\.pem holds a PEM "CERTIFICATE REQUEST" block, which is no key/],
      ["garbage.bin", bytes("not a key at all"), /^garbage\.bin is not a key hydractl can read/],
      ["empty.pem", bytes("\n"), /^empty\.pem is empty$/],
    ];
    for (const [name, content, message] of cases) {
      await assert.rejects(readKeys(content, name), (error: Error) => error instanceof InputError && message.test(error.message) && !error.message.includes("\n"), name);
    }
  });
});

describe("JSON Web Keys", () => {
  test("a JWK keeps its kid, alg, use and x5c; WebCrypto's own members are not added", async () => {
    const jwk = { ...(await only("ec-pkcs8.pem")), kid: "k1", alg: "ES384", use: "sig", x5c: ["MIIB"] };
    const [read] = await readKeys(bytes(JSON.stringify(jwk)), "key.json");
    assert.deepEqual(read!.jwk, jwk);
    assert.deepEqual([read!.private, read!.encoded], [true, false]);
  });

  test("a key as Hydra v1.8 makes and gives it (\"x5c\": null, an RSA key without dp, dq, qi) reads as the same key", async () => {
    const rsa = await only("rsa-pkcs8.pem");
    const { dp: _dp, dq: _dq, qi: _qi, ...bare } = rsa;
    const [read] = await readKeys(bytes(JSON.stringify({ ...bare, kid: "private:k1", alg: "RS256", use: "sig", x5c: null })), "v1.json");
    assert.deepEqual(read!.jwk, { ...rsa, kid: "private:k1", alg: "RS256", use: "sig" });
    const [ec] = await readKeys(bytes(JSON.stringify({ ...(await only("ec-spki.pem")), x5c: null })), "ec.json");
    assert.ok(!("x5c" in ec!.jwk));
  });

  test("an RSA private key whose members disagree is refused before anything is sent, as Go's checks would refuse it", async () => {
    const rsa = await only("rsa-pkcs8.pem");
    // The last characters of d changed: WebCrypto takes it (it signs with the CRT members).
    const wrongD = { ...rsa, d: `${rsa.d!.slice(0, -4)}${rsa.d!.endsWith("AAAA") ? "BBBB" : "AAAA"}` };
    await assert.rejects(readKeys(bytes(JSON.stringify(wrongD)), "d.json"), { name: "InputError", message: "d.json does not hold a valid RSA private key: d is not the inverse of e" });
    // The same without dp, dq, qi, which are then made from the wrong d.
    const { dp: _dp, dq: _dq, qi: _qi, ...bare } = wrongD;
    await assert.rejects(readKeys(bytes(JSON.stringify(bare)), "bare.json"), { name: "InputError", message: "bare.json does not hold a valid RSA private key: d is not the inverse of e" });
    const wrongDp = { ...rsa, dp: rsa.dq };
    await assert.rejects(readKeys(bytes(JSON.stringify(wrongDp)), "dp.json"), /does not hold a valid RSA private key/);
  });

  test("a JWK Set gives each of its keys, named by position", async () => {
    const set = { keys: [await only("rsa-spki.pem"), await only("ed25519-spki.pem")] };
    const keys = await readKeys(bytes(JSON.stringify(set)), "set.json");
    assert.deepEqual(keys.map((key) => [key.source, key.jwk.kty]), [["set.json (key 1)", "RSA"], ["set.json (key 2)", "OKP"]]);
  });

  test("WebCrypto refuses a broken key; unsupported and malformed documents are refused by name", async () => {
    const ec = await only("ec-spki.pem");
    const cases: [unknown, RegExp][] = [
      [{ ...ec, x: ec.y }, /^k\.json does not hold a valid EC P-384 public key: its members do not make one$/],
      [{ kty: "RSA", n: "AQAB" }, /^k\.json does not hold a valid RSA public key: its members do not make one$/],
      [{ kty: "oct", k: "c2VjcmV0" }, /^k\.json is a symmetric key \(kty "oct"\)/],
      [{ kty: "EC", crv: "secp256k1", x: "AA", y: "AA" }, /^k\.json: unsupported key type EC secp256k1/],
      [{ kty: "EC", d: "x" }, /^k\.json: the EC key has no "crv" to name its curve$/],
      [{ ...ec, kid: 7 }, /^k\.json: "kid" must be a string$/],
      [{ keys: [] }, /^k\.json is a JSON Web Key Set without keys$/],
      [{ hello: "world" }, /^k\.json is neither a JSON Web Key \(no "kty"\) nor a JSON Web Key Set/],
    ];
    for (const [document, message] of cases) {
      await assert.rejects(readKeys(bytes(JSON.stringify(document)), "k.json"), (error: Error) => error instanceof InputError && message.test(error.message), String(message));
    }
    await assert.rejects(readKeys(bytes("{not json"), "k.json"), /^InputError: k\.json is not JSON \(line 1, column 2: an unexpected character\)$/);
  });
});

test("checkAlgorithm: the algorithm must fit the key's type and curve", async () => {
  const ec = await only("ec-spki.pem");
  checkAlgorithm(ec, "ES384", "ec.pem");
  checkAlgorithm(await only("rsa-spki.pem"), "PS256", "rsa.pem");
  checkAlgorithm(await only("ed25519-spki.pem"), "EdDSA", "ed.pem");
  assert.throws(() => checkAlgorithm(ec, "ES256", "ec.pem"), /^InputError: ec\.pem holds an EC P-384 key, which cannot be used with ES256 \(it needs an EC P-256 key\)$/);
  assert.throws(() => checkAlgorithm(ec, "HS256", "ec.pem"), /^InputError: ec\.pem: unsupported alg "HS256"/);
});
