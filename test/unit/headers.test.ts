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

test("-H with a line break or NUL in its value is a usage error that does not quote the value", () => {
  // Caught here, before anything is sent, instead of by the runtime at the first request.
  for (const bad of ["Authorization: Bearer tok\r\nX-Evil: 1", "Cookie: a=1\nb=2", "X-Nul: a\0b"]) {
    assert.throws(
      () => parseHeader(bad, "--http-header"),
      (error: Error) => error.name === "UsageError" && /^invalid header "[\w-]+" for --http-header: its value holds a line break or NUL$/.test(error.message),
    );
  }
});
