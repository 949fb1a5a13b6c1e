import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHeaders } from "../../src/http/headers.ts";

test("-H splits at the first colon only", () => {
  assert.deepEqual(parseHeaders(["Authorization: Basic a:b", "X-Url:http://x:1/y", "X-Empty:"]), [
    ["Authorization", "Basic a:b"],
    ["X-Url", "http://x:1/y"],
    ["X-Empty", ""],
  ]);
});

test("-H without a name is rejected", () => {
  for (const bad of ["no colon", ": value", "Bad Name: x"]) {
    assert.throws(() => parseHeaders([bad]), { name: "UsageError", message: /--http-header/ });
  }
});
