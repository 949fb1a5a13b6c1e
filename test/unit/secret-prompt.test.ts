// src/cli/context.ts: a secret typed at a terminal, the order of what the command does
// around its prompt, against a runtime that records it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CommandContext, readSecret } from "../../src/cli/context.ts";
import type { Runtime } from "../../src/runtime/index.ts";

test("Ctrl+C is watched for before the prompt shows, and the terminal shows typing again after the read", async () => {
  const steps: string[] = [];
  const runtime = {
    isTerminal: () => true,
    hideTyping: async () => {
      steps.push("hide typing");
      return async () => void steps.push("show typing");
    },
    onInterrupt: () => {
      steps.push("watch Ctrl+C");
      return () => void steps.push("stop watching");
    },
    writeStderr: async (text: string) => void steps.push(`prompt: ${text.trim()}`),
    stdin: () => new Blob(["s3cret\n"]).stream(),
  } as unknown as Runtime;
  const context = { runtime } as CommandContext;
  assert.equal(await readSecret(context, "the client secret"), "s3cret");
  // A user who presses Ctrl+C as soon as the prompt appears must not be left with a
  // terminal that does not show typing: the signal's default would end the process first.
  assert.deepEqual(steps, [
    "hide typing",
    "watch Ctrl+C",
    "prompt: type the client secret and press Enter (it is not shown)",
    "stop watching",
    "show typing",
  ]);
});
