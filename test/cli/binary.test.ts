// The compiled binary is the product: these run dist/hydractl itself (make test builds it).
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import type { CommandDef } from "citty";
import root from "../../src/commands/index.ts";
import { binaryPath, run, skipWithoutBinary } from "../support/cli.ts";
import { serveFakeHydra } from "../support/fake-hydra.ts";
import { tempDir } from "../support/runtime.ts";
import pkg from "../../package.json" with { type: "json" };

const skip = skipWithoutBinary;
const binary = (args: string[], options: Parameters<typeof run>[1] = {}) => run(args, { binary: binaryPath, ...options });
const dir = tempDir();
let server: Awaited<ReturnType<typeof serveFakeHydra>>;

before(async () => {
  server = await serveFakeHydra();
});
after(async () => {
  await server?.close();
  dir.remove();
});

/** Every runnable command, by its words; a new command without an entry here fails the table test. */
const SMOKE: Record<string, { args: string[]; code: number; stderr?: RegExp }> = {
  "clients create": { args: ["--endpoint", "http://127.0.0.1:1", "--subject-type", "nope"], code: 2, stderr: /--subject-type/ },
  "create client": { args: ["--bogus"], code: 2, stderr: /unknown flag: --bogus/ },
  "create oauth2-client": { args: ["--bogus"], code: 2, stderr: /unknown flag: --bogus/ },
  "perform authorization-code": { args: [], code: 2, stderr: /--client-id.*OAUTH2_CLIENT_ID/ },
};

async function leafPaths(command: CommandDef, path: string[] = []): Promise<string[]> {
  const resolve = async <T>(value: unknown): Promise<T> => (typeof value === "function" ? await value() : await value) as T;
  const subCommands = await resolve<Record<string, unknown>>(command.subCommands ?? {});
  const paths = command.run ? [path.join(" ")] : [];
  for (const [name, sub] of Object.entries(subCommands)) paths.push(...(await leafPaths(await resolve<CommandDef>(sub), [...path, name])));
  return paths;
}

test("every command has a smoke test, and passes it in the binary", { skip }, async () => {
  assert.deepEqual((await leafPaths(root as CommandDef)).sort(), Object.keys(SMOKE).sort());
  for (const [words, expected] of Object.entries(SMOKE)) {
    const help = await binary([...words.split(" "), "--help"]);
    assert.equal(help.code, 0, words);
    assert.match(help.stdout, new RegExp(`Usage:\\n  hydractl ${words} \\[flags\\]`), words);
    const result = await binary([...words.split(" "), ...expected.args]);
    assert.equal(result.code, expected.code, `${words}: ${result.stderr}`);
    if (expected.stderr) assert.match(result.stderr, expected.stderr, words);
  }
});

test("--help and --version", { skip }, async () => {
  const help = await binary(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^A command-line client for Ory Hydra/);
  assert.match(help.stdout, /Commands:\n {2}clients +Manage OAuth 2\.0 clients/);
  const version = await binary(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, new RegExp(`^hydractl ${pkg.version.replaceAll(".", "\\.")} \\(commit [0-9a-f]{7,}(-dirty)?\\), bun\\n$`));
});

test("mistakes exit 2 with the usage and one error line", { skip }, async () => {
  const unknownCommand = await binary(["clients", "destroy"]);
  assert.equal(unknownCommand.code, 2);
  assert.match(unknownCommand.stderr, /Usage:\n {2}hydractl clients <command> \[flags\]/);
  assert.match(unknownCommand.stderr, /\nError: unknown command "destroy" for "hydractl clients"\n$/);
  const unknownFlag = await binary(["clients", "create", "--frobnicate"]);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /\nError: unknown flag: --frobnicate\n$/);
  assert.equal(unknownFlag.stdout, "");
});

test("clients create against a server, from the binary and from a copy named hydra", { skip }, async () => {
  const link = `${dir.path}/hydra`;
  symlinkSync(binaryPath, link);
  for (const executable of [binaryPath, link]) {
    const result = await run(["clients", "create", "--endpoint", server.url, "-n", "bin", "--format", "jsonpath=client_name"], { binary: executable });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "bin\n");
  }
  const [viaBinary, viaLink] = await Promise.all([binary(["--help"]), run(["--help"], { binary: link })]);
  assert.equal(viaLink.stdout, viaBinary.stdout);
});

test("the binary ignores .env and bunfig.toml in the directory it is run from", { skip }, async () => {
  // Bun's executables read both by default: a .env could redirect HYDRA_ADMIN_URL or set
  // a proxy, and a bunfig.toml preload runs any script it names.
  const project = `${dir.path}/untrusted`;
  mkdirSync(project);
  writeFileSync(`${project}/.env`, "HYDRA_ADMIN_URL=http://127.0.0.1:1\n");
  writeFileSync(`${project}/bunfig.toml`, 'preload = ["./preload.js"]\n');
  writeFileSync(`${project}/preload.js`, 'console.error("preloaded from the working directory");\n');
  const result = await binary(["clients", "create", "-n", "x"], { cwd: project });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /\nError: no endpoint given: set --endpoint or the HYDRA_ADMIN_URL environment variable\n$/);
  assert.doesNotMatch(result.stderr, /preloaded/);
});
