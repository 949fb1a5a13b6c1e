import assert from "node:assert/strict";
import { test } from "node:test";
import { checkChoices, type FlagDefs, parseFlags } from "../../src/cli/flags.ts";

const defs = {
  callbacks: { type: "string", alias: ["c", "redirect-uri"], list: "comma" },
  header: { type: "string", alias: "H", list: "repeat" },
  name: { type: "string", alias: "n" },
  quiet: { type: "boolean", alias: "q" },
  kind: { type: "enum", options: ["public", "pairwise"] },
} as const satisfies FlagDefs;

test("list flags accumulate across commas, repeats and aliases", () => {
  const { values } = parseFlags(["-c", "a,b", "--callbacks=c", "--redirect-uri", "d", "-ce"], defs);
  assert.deepEqual(values.callbacks, ["a", "b", "c", "d", "e"]);
});

test("repeatable flags keep commas inside values", () => {
  const { values } = parseFlags(["-H", "Accept: a, b", "-H", "X: y"], defs);
  assert.deepEqual(values.header, ["Accept: a, b", "X: y"]);
});

test("strings, booleans and positionals", () => {
  const { values, positionals } = parseFlags(["-n", "my app", "-q", "extra", "--", "--name"], defs);
  assert.equal(values.name, "my app");
  assert.equal(values.quiet, true);
  assert.deepEqual(positionals, ["extra", "--name"]);
  assert.equal(parseFlags(["--quiet=false"], defs).values.quiet, false);
  assert.equal(parseFlags(["--name=-"], defs).values.name, "-");
  assert.equal(parseFlags(["--name", "-"], defs).values.name, "-");
});

test("unknown flags and missing values name the flag", () => {
  assert.throws(() => parseFlags(["--nmae", "x"], defs), { name: "UsageError", message: "unknown flag: --nmae" });
  assert.throws(() => parseFlags(["-x"], defs), { message: "unknown flag: -x" });
  assert.throws(() => parseFlags(["--name"], defs), { message: "flag needs a value: --name" });
  assert.throws(() => parseFlags(["-n", "--quiet"], defs), { message: "flag needs a value: -n" });
  assert.throws(() => parseFlags(["--quiet=maybe"], defs), { message: /invalid value "maybe" for --quiet/ });
});

test("enum flags accept only their options", () => {
  checkChoices({ kind: "pairwise" }, defs);
  assert.throws(() => checkChoices({ kind: "secret" }, defs), {
    name: "UsageError",
    message: 'invalid value "secret" for --kind: expected one of public, pairwise',
  });
});
