// Process tests: `hydractl help …`, as both Hydra CLIs (cobra) take `hydra help …`, run from
// source on the runtime the tests run on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { run } from "../support/cli.ts";

test("help WORDS prints what WORDS --help prints, in both word orders and for a group", async () => {
  for (const words of [[], ["clients", "create"], ["get", "oauth2-client"], ["keys"], ["help"]]) {
    const [viaHelp, viaFlag] = await Promise.all([run(["help", ...words]), run([...words, "--help"])]);
    assert.equal(viaHelp.code, 0, viaHelp.stderr);
    assert.equal(viaHelp.stderr, "");
    assert.equal(viaHelp.stdout, viaFlag.stdout, words.join(" "));
  }
  assert.match((await run(["--help"])).stdout, /\n {2}help +Print the help of any command\n/);
  // Words after a command that takes arguments are arguments: Hydra v2's `help completion bash`.
  const [shell, completion] = await Promise.all([run(["help", "completion", "bash"]), run(["completion", "--help"])]);
  assert.deepEqual([shell.code, shell.stderr, shell.stdout], [0, "", completion.stdout]);
  assert.equal((await run(["help", "get", "client", "my-app"])).stdout, (await run(["get", "client", "--help"])).stdout);
});

test("help with a word that names no command: one line, a hint to where it was looked for, exit 2", async () => {
  const cases: [string[], string][] = [
    [["clients", "destroy"], "Error: unknown command \"destroy\" for \"hydractl clients\"\nSee 'hydractl clients --help' for usage.\n"],
    [["clinets"], "Error: unknown command \"clinets\" for \"hydractl\" (did you mean clients?)\nSee 'hydractl --help' for usage.\n"],
    // A leaf has no commands: a word after it is a typo, not something to ignore.
    [["clients", "create", "extra"], "Error: unknown command \"extra\" for \"hydractl clients create\"\nSee 'hydractl clients create --help' for usage.\n"],
  ];
  for (const [words, stderr] of cases) {
    const result = await run(["help", ...words]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", stderr], words.join(" "));
  }
  // A word no command could be named is not repeated: `hydractl revoke "$TOKEN"`, `token` forgotten.
  const token = await run(["revoke", "ory_at_abcdefGHIJKL.mnopqrstuvwxyz0123456789"]);
  assert.deepEqual([token.code, token.stderr.split("\n")[0]], [2, 'Error: unknown command for "hydractl revoke"']);
});

test("a flag's default is shown as Hydra's CLI shows it: a number bare, text in quotes", async () => {
  const perform = (await run(["perform", "authorization-code", "--help"])).stdout;
  assert.match(perform, /-p, --port int +.*\(default 4446\)\n/);
  assert.match(perform, /--scope .*\(default "offline,openid"\)\n/);
  assert.match((await run(["clients", "import", "--help"])).stdout, /--concurrency int +How many clients to create at a time, 1 to 64 \(default 8\)\n/);
});
