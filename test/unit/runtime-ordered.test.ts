// src/runtime/ordered.ts: the writer behind stdout and stderr.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ordered } from "../../src/runtime/ordered.ts";

const slowWriter = (out: string[], failOn?: string) => async (text: string) => {
  await new Promise((resolve) => setTimeout(resolve, text.length));
  if (text === failOn) throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
  out.push(text);
};

test("writes land in call order when not awaited, and an empty write waits for them", async () => {
  const out: string[] = [];
  const write = ordered(slowWriter(out));
  void write("long-long-long");
  void write("short");
  await write("");
  assert.deepEqual(out, ["long-long-long", "short"]);
});

test("with a failure mapping, the failed write and every later one reject, and nothing more is written", async () => {
  const out: string[] = [];
  const mapped = new Error("cannot write the output");
  const write = ordered(slowWriter(out, "two"), () => mapped);
  await write("one");
  await assert.rejects(write("two"), (error) => error === mapped);
  await assert.rejects(write("three"), (error) => error === mapped);
  await assert.rejects(write(""), (error) => error === mapped);
  assert.deepEqual(out, ["one"]);
});

test("without one, failures are dropped and later writes still go out", async () => {
  const out: string[] = [];
  const write = ordered(slowWriter(out, "two"));
  await write("two");
  await write("three");
  assert.deepEqual(out, ["three"]);
});
