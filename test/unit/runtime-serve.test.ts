// The runtime's server, on the runtime running the tests: what a client gets when a handler fails.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serveLocal } from "../support/runtime.ts";

test("a handler that throws gets a bare 500: no developer page with the source and the working directory", async () => {
  const server = await serveLocal(() => {
    throw new TypeError("boom");
  });
  try {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), "Internal Server Error");
  } finally {
    await server.close();
  }
});
