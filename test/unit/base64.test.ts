import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeBase64, encodeBase64 } from "../../src/base64.ts";

test("encodeBase64 gives standard, padded base64 of every byte value, and decodeBase64 reads it back", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
  const encoded = encodeBase64(bytes);
  assert.equal(encoded, Buffer.from(bytes).toString("base64"));
  assert.deepEqual(decodeBase64(encoded), bytes);
  assert.equal(encodeBase64(Uint8Array.of(0xc1, 0xc0)), "wcA=");
  assert.equal(encodeBase64(new Uint8Array(0)), "");
});

test("decodeBase64 takes the URL-safe alphabet and missing padding", () => {
  assert.deepEqual(decodeBase64("-_8"), Uint8Array.of(0xfb, 0xff));
  assert.deepEqual(decodeBase64("+/8="), Uint8Array.of(0xfb, 0xff));
});
