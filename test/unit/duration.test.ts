import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration } from "../../src/cli/duration.ts";

test("Go durations become milliseconds", () => {
  assert.equal(parseDuration("30s", "--fail-after"), 30_000);
  assert.equal(parseDuration("1m", "--fail-after"), 60_000);
  assert.equal(parseDuration("1m30s", "--fail-after"), 90_000);
  assert.equal(parseDuration("1.5h", "--fail-after"), 5_400_000);
  assert.equal(parseDuration("250ms", "--fail-after"), 250);
  assert.equal(parseDuration("0", "--fail-after"), 0);
  // Go's decimal forms and every unit, the longest unit first (ms is not m then s).
  assert.equal(parseDuration(".5s", "--fail-after"), 500);
  assert.equal(parseDuration("1.s", "--fail-after"), 1000);
  assert.equal(parseDuration("1h1m1s1ms1000us1000000ns", "--fail-after"), 3_661_003);
  assert.equal(parseDuration("2000µs", "--fail-after"), 2);
  assert.equal(parseDuration("0s", "--fail-after"), 0);
});

test("a duration shorter than a millisecond is refused: no timer waits that little", () => {
  for (const short of ["2µs", "1us", "999999ns"]) {
    assert.throws(() => parseDuration(short, "--fail-after"), { name: "UsageError", message: `invalid duration "${short}" for --fail-after: shorter than a millisecond, the least a timer waits` });
  }
});

test("a malformed duration names the flag", () => {
  for (const bad of ["", "10", "1x", "m", "1m 30s", "-1s", ".s", "1m30", "s1", "1..5s", "1e3s"]) {
    assert.throws(() => parseDuration(bad, "--fail-after"), { name: "UsageError", message: new RegExp(`"${bad}" for --fail-after`) });
  }
});
