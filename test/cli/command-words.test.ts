// Process tests: where the words that name a command may stand on the command line. Both
// Hydra CLIs (cobra) take flags before them (`hydra --endpoint URL clients list`, or an alias
// that adds `--skip-tls-verify` to every call); a command that only groups others is given
// its words, its help, or an error, never a flag it silently drops.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { run } from "../support/cli.ts";
import { serveFakeHydra } from "../support/fake-hydra.ts";
import { tempDir } from "../support/runtime.ts";

let server: Awaited<ReturnType<typeof serveFakeHydra>>;
const dir = tempDir();
before(async () => {
  server = await serveFakeHydra({ clients: [{ client_id: "c1", client_name: "one" }] });
});
after(async () => {
  await server.close();
  dir.remove();
});

test("flags before the words run the command they name, in both word orders and every flag form", async () => {
  const url = server.url;
  const expected = await run(["clients", "get", "c1", "--endpoint", url]);
  assert.equal(expected.code, 0, expected.stderr);
  const lines: string[][] = [
    ["--endpoint", url, "clients", "get", "c1"],
    [`--endpoint=${url}`, "clients", "get", "c1"],
    [`-e${url}`, "clients", "get", "c1"],
    // A switch is followed by a word that names a command, not by its value.
    ["--skip-tls-verify", "--endpoint", url, "clients", "--fail-after", "5s", "get", "c1"],
  ];
  for (const line of lines) {
    const result = await run(line);
    assert.deepEqual([result.code, result.stdout], [0, expected.stdout], line.join(" "));
  }
  const v2 = await run(["-e", url, "-q", "get", "client", "c1"]);
  assert.deepEqual([v2.code, v2.stdout, v2.stderr], [0, "c1\n", ""]);
  // Short switches written together, the last taking the next word, as cobra reads them.
  for (const line of [["-qe", url, "get", "client", "c1"], ["get", "client", "c1", "-qe", url], [`-qe${url}`, "get", "client", "c1"]]) {
    const together = await run(line);
    assert.deepEqual([together.code, together.stdout, together.stderr], [0, "c1\n", ""], line.join(" "));
  }
  // The flags still belong to the command: one it lacks is refused, as after the words.
  const unknown = await run(["--page-size", "2", "get", "client", "c1", "-e", url]);
  assert.deepEqual([unknown.code, unknown.stdout], [2, ""]);
  assert.equal(unknown.stderr, "Error: unknown flag: --page-size\nSee 'hydractl get client --help' for usage.\n");
  // A global flag's value is the next word even where it names a command, as cobra reads it:
  // here the URL is missing, and the error says which word -e took.
  const noUrl = await run(["-e", "get", "client", "c1"]);
  assert.deepEqual(
    [noUrl.code, noUrl.stdout, noUrl.stderr],
    [2, "", `Error: unknown command "client" for "hydractl" (did you mean clients?); -e took "get" as its value\nSee 'hydractl --help' for usage.\n`],
  );
});

test("a group given a flag but no command: one line naming it and the group's commands, a hint, exit 2", async () => {
  const cases: [string[], string][] = [
    [["--bogus"], `Error: "--bogus" given to "hydractl", which needs one of its commands: clients, keys, token, create, get, list, update, patch, delete, import, introspect, perform, revoke, completion, help, version\nSee 'hydractl --help' for usage.\n`],
    // Beside --version, the word that is wrong is the other one.
    [["--version", "--bogus"], `Error: "--bogus" given to "hydractl", which needs one of its commands: clients, keys, token, create, get, list, update, patch, delete, import, introspect, perform, revoke, completion, help, version\nSee 'hydractl --help' for usage.\n`],
    [["clients", "--bogus"], `Error: "--bogus" given to "hydractl clients", which needs one of its commands: create, get, list, update, patch, delete, import\nSee 'hydractl clients --help' for usage.\n`],
    [["-e", "http://127.0.0.1:9", "clients"], `Error: "-e" given to "hydractl clients", which needs one of its commands: create, get, list, update, patch, delete, import\nSee 'hydractl clients --help' for usage.\n`],
    // A misspelling of what the group itself answers to is named as one.
    [["--versoin"], "Error: unknown flag: --versoin (did you mean --version?)\nSee 'hydractl --help' for usage.\n"],
    [["clients", "--hepl"], "Error: unknown flag: --hepl (did you mean --help?)\nSee 'hydractl clients --help' for usage.\n"],
  ];
  for (const [line, stderr] of cases) {
    const result = await run(line);
    assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", stderr], line.join(" "));
  }
  // A value written into the flag may be a secret: only the flag's name is repeated.
  for (const line of [["--client-secret=s3cr3t-value", "token"], ["-ps3cr3t-value", "keys"]]) {
    const result = await run(line);
    assert.equal(result.code, 2, line.join(" "));
    assert.doesNotMatch(result.stderr, /s3cr3t/);
    assert.match(result.stderr, /^Error: "(--client-secret|-p)" given to "hydractl (token|keys)"/);
  }
});

test("a group prints its help when given nothing, or --help wherever it stands", async () => {
  const help = await run(["clients", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Manage OAuth 2.0 clients/);
  for (const line of [["clients"], ["--help", "clients"], ["-h", "clients"], ["clients", "--bogus", "--help"]]) {
    const result = await run(line);
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, help.stdout, ""], line.join(" "));
  }
});

test("version and help take Hydra v1.8's global flags, as its own do, and read no config file", async () => {
  // A config file that cannot be read: neither command may look at it.
  dir.write(".hydra.yaml", "endpoint: [\n");
  const env = { HOME: dir.path };
  const version = await run(["version"], { env });
  assert.equal(version.code, 0, version.stderr);
  for (const line of [["--skip-tls-verify", "version"], ["version", "--config", `${dir.path}/.hydra.yaml`], ["--config", "/nonexistent.yaml", "version"]]) {
    const result = await run(line, { env });
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, version.stdout, ""], line.join(" "));
  }
  const help = await run(["clients", "--help"], { env });
  for (const line of [["--skip-tls-verify", "help", "clients"], ["help", "--config", "/nonexistent.yaml", "clients"]]) {
    const result = await run(line, { env });
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, help.stdout, ""], line.join(" "));
  }
  // Any other command reads it, says what is wrong with it and goes on without it, as
  // Hydra's CLIs, which read nothing there, go on; a file named with --config is an error.
  const other = await run(["get", "client", "c1", "-e", server.url], { env });
  assert.notEqual(other.code, 2, other.stderr);
  assert.match(other.stderr, /^warning: config file .*\.hydra\.yaml is not valid YAML: .*: it is not read \(--config FILE reads another\)\n/);
  const named = await run(["get", "client", "c1", "-e", server.url, "--config", `${dir.path}/.hydra.yaml`], { env });
  assert.equal(named.code, 2);
  assert.match(named.stderr, /^Error: config file .*\.hydra\.yaml is not valid YAML/);
});
