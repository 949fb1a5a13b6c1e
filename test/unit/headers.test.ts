import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHeader } from "../../src/cli/headers.ts";

test("-H splits at the first colon only", () => {
  assert.deepEqual(
    ["Authorization: Basic a:b", "X-Url:http://x:1/y", "X-Empty:"].map((value) => parseHeader(value, "-H")),
    [
      ["Authorization", "Basic a:b"],
      ["X-Url", "http://x:1/y"],
      ["X-Empty", ""],
    ],
  );
});

test("-H without a name is rejected, naming the flag as written", () => {
  for (const bad of ["no colon", ": value", "Bad Name: x"]) {
    assert.throws(() => parseHeader(bad, "--http-header"), { name: "UsageError", message: /for --http-header: expected "Name: value"/ });
  }
});
