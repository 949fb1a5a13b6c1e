// Unit: how a command over many items takes signals (stopOnInterrupt in src/cli/context.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { stopOnInterrupt } from "../../src/cli/context.ts";
import type { InterruptSignal } from "../../src/errors.ts";
import type { Runtime } from "../../src/runtime/index.ts";

/** A runtime whose signals the test sends, recording what the command writes and its exit. */
function signalled() {
  let send: (signal: InterruptSignal) => void = () => {};
  const seen = { stderr: "", exit: undefined as number | undefined };
  const runtime = {
    onInterrupt(callback: (signal: InterruptSignal) => void) {
      send = callback;
      return () => {};
    },
    writeStderr: async (text: string) => void (seen.stderr += text),
    exit: (code: number) => void (seen.exit = code),
  } as unknown as Runtime;
  return { runtime, seen, send: (signal: InterruptSignal) => send(signal) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("the same signal twice at once counts once: GNU timeout sends it to the process, then to its group", async () => {
  const { runtime, seen, send } = signalled();
  const interrupted = stopOnInterrupt(runtime, "finishing the deletion under way", () => "quit at once: 3 of 9 deleted");
  send("SIGTERM");
  send("SIGTERM");
  await settle();
  assert.equal(interrupted(), "SIGTERM");
  assert.equal(seen.exit, undefined, "the run goes on to finish what it began");
  assert.equal(seen.stderr, "Interrupted (SIGTERM): finishing the deletion under way (SIGTERM again to quit at once)\n");
});

test("another signal at once, or the same one later, quits at once with what was done", async () => {
  const other = signalled();
  stopOnInterrupt(other.runtime, "finishing", () => "quit at once: 3 of 9 deleted");
  other.send("SIGINT");
  other.send("SIGTERM");
  await settle();
  assert.equal(other.seen.exit, 143);
  assert.match(other.seen.stderr, /\nError: quit at once: 3 of 9 deleted\n$/);

  const later = signalled();
  stopOnInterrupt(later.runtime, "finishing", () => "quit at once: 4 of 9 deleted");
  later.send("SIGINT");
  await new Promise((resolve) => setTimeout(resolve, 250));
  later.send("SIGINT");
  await settle();
  assert.equal(later.seen.exit, 130);
});
