import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBearerToken, parseHeader } from "../../src/cli/headers.ts";

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
  // A colon left out puts the value in what is wrong: it is not quoted back.
  assert.throws(() => parseHeader("X-Api-Key APIKEY123", "-H"), { message: 'invalid header for -H: expected "Name: value", a name before the first colon' });
});

test("-H with a line break, a NUL or a character beyond Latin-1 in its value is a usage error that does not quote the value", () => {
  // Caught here, before anything is sent, instead of by the runtime at the first request.
  for (const bad of ["Authorization: Bearer tok\r\nX-Evil: 1", "Cookie: a=1\nb=2", "X-Nul: a\0b", "X-Name: 日本"]) {
    assert.throws(
      () => parseHeader(bad, "--http-header"),
      (error: Error) => error.name === "UsageError" && /^invalid header "[\w-]+" for --http-header: its value holds a line break, a NUL or a character beyond Latin-1, which no HTTP header can carry$/.test(error.message) && !error.message.includes("tok"),
    );
  }
  assert.deepEqual(parseHeader("X-Latin: café", "-H"), ["X-Latin", "café"]);
});

test("a bearer token with a line break or a character beyond Latin-1 is refused, named as written and not quoted back", () => {
  for (const bad of ["a\nb", "a\rb", "日本"]) {
    assert.throws(() => parseBearerToken(bad, "OAUTH2_ACCESS_TOKEN"), { name: "UsageError", message: "invalid OAUTH2_ACCESS_TOKEN: it holds a line break, a NUL or a character beyond Latin-1, which no HTTP header can carry" });
  }
  assert.equal(parseBearerToken("ory_at_abc.def", "--access-token"), "ory_at_abc.def");
});
