// The completion scripts of the compiled binary in the shells they are written for: Debian's
// fish, asked what it offers for a command line (`complete -C`), and Debian's zsh, running
// the bash function through its own bash-completion layer (bashcompinit) as `compinit`
// would. bash itself is covered by test/cli/completion.test.ts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { run } from "../support/cli.ts";
import { tempDir } from "../support/runtime.ts";
import { e2eEnv, hydractl, missing } from "./support/hydractl.ts";

function has(shell: string): boolean {
  try {
    execFileSync(shell, ["-c", "exit 0"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const notInstalled = (shell: string) => (has(shell) ? false : `${shell} is not installed (scripts/e2e installs it)`);
const dir = tempDir();
const scripts: Record<string, string> = {};
before(async () => {
  if (missing(hydractl)) return;
  for (const shell of ["fish", "zsh"]) {
    const result = await run(["completion", shell], { binary: hydractl });
    assert.equal(result.code, 0, result.stderr);
    scripts[shell] = dir.write(`hydractl.${shell}`, result.stdout);
  }
});
after(() => dir.remove());

/** What fish offers after `line`, the words alone (fish adds a tab and the description). */
function fish(line: string): string[] {
  const stdout = execFileSync("fish", ["--no-config", "-c", 'source $argv[1]; complete -C $argv[2]', scripts.fish!, line], { encoding: "utf8", env: e2eEnv(), cwd: dir.path });
  return stdout.split("\n").filter(Boolean).map((entry) => entry.split("\t")[0]!).sort();
}

/**
 * What zsh offers for `words` (the last under the cursor): the bash function run by
 * bashcompinit's compgen, as its completion widget runs it, with the words set as zsh sets
 * them; the widget then keeps those that start with the word under the cursor.
 */
function zsh(...words: string[]): string[] {
  const program = 'source "$1"; shift; words=(hydractl "$@"); CURRENT=${#words}; COMP_WORDS=("${words[@]}"); COMP_CWORD=$((CURRENT - 1)); compgen -F _hydractl -- "${words[CURRENT]}"';
  // -f: no startup files; the script's `complete` needs compdef only to register itself.
  const stdout = execFileSync("zsh", ["-f", "-c", `${program} 2>/dev/null`, "zsh", scripts.zsh!, ...words], { encoding: "utf8", env: e2eEnv(), cwd: dir.path });
  const current = words.at(-1)!;
  return stdout.split("\n").filter((word) => word && word.startsWith(current)).sort();
}

test("fish offers the commands, flags and values of the line typed, flags first or last", { skip: missing(hydractl) || notInstalled("fish") }, () => {
  assert.deepEqual(fish("hydractl cl"), ["clients"]);
  assert.deepEqual(fish("hydractl get cl"), ["client", "clients"]);
  assert.deepEqual(fish("hydractl clients create --subject-type p"), ["pairwise", "public"]);
  assert.deepEqual(fish("hydractl help clients cr"), ["create"]);
  assert.deepEqual(fish("hydractl --endpoint http://127.0.0.1:4445 keys c"), ["create"]);
  assert.deepEqual(fish("hydractl -e http://x --skip-tls-verify get client --form"), ["--format"]);
  // Arguments by position: import jwk's set is a name, the files after it are files.
  dir.write("key.json", "{}");
  assert.deepEqual(fish("hydractl import jwk key.j"), []);
  assert.deepEqual(fish("hydractl keys import -e http://x my-set key.j"), ["key.json"]);
  assert.deepEqual(fish("hydractl completion bash "), []);
});

test("zsh offers the commands, flags and values of the line typed, flags first or last", { skip: missing(hydractl) || notInstalled("zsh") }, () => {
  assert.deepEqual(zsh("cl"), ["clients"]);
  assert.deepEqual(zsh("get", "cl"), ["client", "clients"]);
  assert.deepEqual(zsh("clients", "create", "--subject-type", "p"), ["pairwise", "public"]);
  assert.deepEqual(zsh("help", "clients", "cr"), ["create"]);
  // zsh keeps a URL whole, where bash splits it at ":".
  assert.deepEqual(zsh("--endpoint", "http://127.0.0.1:4445", "keys", "c"), ["create"]);
  assert.deepEqual(zsh("-e", "http://x", "--skip-tls-verify", "get", "client", "--form"), ["--format"]);
  dir.write("key.json", "{}");
  assert.deepEqual(zsh("import", "jwk", "key.j"), []);
  assert.deepEqual(zsh("keys", "import", "-e", "http://x", "my-set", "key.j"), ["key.json"]);
});
