// The compiled binary is the product: these run dist/hydractl itself (make test builds it).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import type { CommandDef } from "citty";
import * as openpgp from "openpgp";
import { decodeBase64 } from "../../src/base64.ts";
import { renderUsage } from "../../src/cli/usage.ts";
import root from "../../src/commands/index.ts";
import { binaryPath, run, skipWithoutBinary } from "../support/cli.ts";
import { serveFakeHydra } from "../support/fake-hydra.ts";
import { serveLocal, tempDir, testCertificateAuthority } from "../support/runtime.ts";
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

/**
 * Every runnable command, by its words (the first word where several name one command); a
 * new command without an entry here fails the table test. Each entry is a mistake the
 * command must refuse before sending anything.
 */
const SMOKE: Record<string, { args: string[]; code: number; stderr: RegExp }> = {
  "clients create": { args: ["--endpoint", "http://127.0.0.1:1", "--subject-type", "nope"], code: 2, stderr: /--subject-type/ },
  "clients get": { args: ["--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /^Error: missing argument ID\n/ },
  "clients list": { args: ["--endpoint", "http://127.0.0.1:1", "--limit", "0"], code: 2, stderr: /invalid value "0" for --limit/ },
  "clients update": { args: ["--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /^Error: missing argument ID\n/ },
  "clients patch": { args: ["x", "--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /nothing to patch/ },
  "clients delete": { args: [], code: 2, stderr: /^Error: missing argument ID\n/ },
  "clients import": { args: ["--endpoint", "http://127.0.0.1:1", "--concurrency", "0"], code: 2, stderr: /--concurrency/ },
  "create client": { args: ["--bogus"], code: 2, stderr: /unknown flag: --bogus/ },
  "get client": { args: ["a", "--endpoint", "ftp://x"], code: 2, stderr: /invalid --endpoint "ftp:\/\/x"/ },
  "list clients": { args: ["--endpoint", "http://127.0.0.1:1", "--limit", "5", "--page-size", "5"], code: 2, stderr: /either --limit\/--page/ },
  "update client": { args: ["a", "b", "--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /unexpected argument after ID \(not repeated here, as it may be a secret\)/ },
  "patch client": { args: ["a", "--add", "/x"], code: 2, stderr: /flag needs 2 values: --add/ },
  "delete client": { args: ["a"], code: 2, stderr: /missing --endpoint/ },
  "import client": { args: ["/nonexistent.json", "--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /the client file \/nonexistent\.json does not exist/ },
  "perform authorization-code": { args: [], code: 2, stderr: /--client-id.*OAUTH2_CLIENT_ID/ },
  completion: { args: ["tcsh"], code: 2, stderr: /^Error: invalid SHELL "tcsh": expected one of bash, zsh, fish\n/ },
  version: { args: ["1.8"], code: 2, stderr: /^Error: unexpected argument "1\.8"\n/ },
  help: { args: ["clients", "destroy"], code: 2, stderr: /^Error: unknown command "destroy" for "hydractl clients"\n/ },
  "keys create": { args: ["s", "--endpoint", "http://127.0.0.1:1", "--alg", "HS384"], code: 2, stderr: /invalid value "HS384" for --alg/ },
  "keys get": { args: ["--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /^Error: missing argument SET\n/ },
  "keys delete": { args: ["s"], code: 2, stderr: /missing --endpoint/ },
  "keys import": { args: ["s", "/nonexistent.pem", "--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /the key file \/nonexistent\.pem does not exist/ },
  "create jwk": { args: ["s", "k", "extra", "--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /unexpected argument "extra"/ },
  "get jwk": { args: ["s", "--endpoint", "ftp://x"], code: 2, stderr: /invalid --endpoint "ftp:\/\/x"/ },
  "delete jwk": { args: ["s", "--bogus"], code: 2, stderr: /unknown flag: --bogus/ },
  "delete access-tokens": { args: ["--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /missing argument CLIENT_ID/ },
  "import jwk": { args: ["s", "-", "--endpoint", "http://127.0.0.1:1"], code: 1, stderr: /^Error: stdin is empty\n/ },
  "token introspect": { args: ["-", "--endpoint", "http://127.0.0.1:1"], code: 1, stderr: /^Error: no token on stdin\n/ },
  "token delete": { args: ["--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /missing argument CLIENT_ID \(or --client-id/ },
  "token flush": { args: ["--endpoint", "http://127.0.0.1:1", "--min-age", "soon"], code: 2, stderr: /invalid duration "soon" for --min-age/ },
  "introspect token": { args: ["", "--endpoint", "http://127.0.0.1:1"], code: 2, stderr: /^Error: empty argument TOKEN \(is a shell variable unset\?\)\n/ },
  "perform client-credentials": { args: ["--client-id", "a", "-e", "http://127.0.0.1:1"], code: 2, stderr: /no client secret given/ },
  "perform device-code": { args: ["--client-id", "a", "--private-key", "k.pem", "--token-endpoint-auth-method", "none"], code: 2, stderr: /--private-key signs a private_key_jwt/ },
  "revoke token": { args: [" ", "--client-id", "a", "-e", "http://127.0.0.1:1"], code: 2, stderr: /the token is empty/ },
  "token client": { args: ["--client-id", "a", "--client-secret", "-", "--private-key", "-"], code: 2, stderr: /only one input can come from stdin/ },
  "token revoke": { args: ["-", "--client-id", "a", "-e", "http://127.0.0.1:1"], code: 1, stderr: /^Error: no token on stdin\n/ },
  "token user": { args: ["--client-id", "a"], code: 2, stderr: /no endpoint given/ },
  "token refresh": { args: ["--client-id", "a", "--client-secret", "-"], code: 2, stderr: /only one input can come from stdin, not the refresh token and --client-secret -/ },
  "token userinfo": { args: ["-", "-e", "http://127.0.0.1:1"], code: 1, stderr: /^Error: no access token on stdin\n/ },
};

const resolveLazy = async <T>(value: unknown): Promise<T> => (typeof value === "function" ? await value() : await value) as T;

/** Every runnable command's words: `all` lists each word that names it, otherwise only its first. */
async function leafPaths(command: CommandDef, all: boolean, path: string[] = []): Promise<string[]> {
  const subCommands = await resolveLazy<Record<string, unknown>>(command.subCommands ?? {});
  const paths = command.run ? [path.join(" ")] : [];
  const seen = new Set<CommandDef>();
  for (const [name, sub] of Object.entries(subCommands)) {
    const loaded = await resolveLazy<CommandDef>(sub);
    if (!all && seen.has(loaded)) continue;
    seen.add(loaded);
    paths.push(...(await leafPaths(loaded, all, [...path, name])));
  }
  return paths;
}

test("every command has a smoke test, and passes it in the binary", { skip }, async () => {
  assert.deepEqual((await leafPaths(root as CommandDef, false)).sort(), Object.keys(SMOKE).sort());
  for (const [words, expected] of Object.entries(SMOKE)) {
    const result = await binary([...words.split(" "), ...expected.args]);
    assert.equal(result.code, expected.code, `${words}: ${result.stderr}`);
    assert.match(result.stderr, expected.stderr, words);
    assert.equal(result.stdout, "", words);
  }
});

test("every word that names a command gives its help", { skip }, async () => {
  for (const words of await leafPaths(root as CommandDef, true)) {
    const help = await binary([...words.split(" "), "--help"]);
    assert.equal(help.code, 0, words);
    assert.match(help.stdout, new RegExp(`Usage:\\n  hydractl ${words}( [A-Z_.\\[\\]]+)* \\[flags\\]`), words);
  }
});

test("--help, --version, and version and help as both Hydra CLIs spell them", { skip }, async () => {
  const help = await binary(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^A command-line client for Ory Hydra/);
  assert.match(help.stdout, /Commands:\n {2}clients +Manage OAuth 2\.0 clients/);
  const version = await binary(["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, new RegExp(`^hydractl ${pkg.version.replaceAll(".", "\\.")} \\(commit [0-9a-f]{7,}(-dirty)?\\), bun\\n$`));
  assert.deepEqual(await binary(["version"]), version);
  assert.deepEqual(await binary(["help"]), help);
  assert.deepEqual(await binary(["help", "get", "client"]), await binary(["get", "client", "--help"]));
});

test("the root help and the version the binary carries (src/main.ts) are the kernel's, in every spelling", { skip }, async () => {
  const help = { code: 0, stdout: await renderUsage(root as CommandDef, []), stderr: "" };
  for (const args of [["--help"], ["-h"], []]) assert.deepEqual(await binary(args), help, args.join(" "));
  // From here on the kernel answers: a word after the flag, or `help`.
  assert.deepEqual(await binary(["--help", "--"]), help);
  assert.deepEqual(await binary(["help"]), help);
  const version = await binary(["version"]);
  for (const args of [["--version"], ["-v"], ["--version", "--"], ["--version", "-v"], ["--version", "--version"]]) assert.deepEqual(await binary(args), version, args.join(" "));
});

test("mistakes exit 2 with one error line and a hint to the help", { skip }, async () => {
  const unknownCommand = await binary(["clients", "destroy"]);
  assert.equal(unknownCommand.code, 2);
  assert.equal(unknownCommand.stderr, "Error: unknown command \"destroy\" for \"hydractl clients\"\nSee 'hydractl clients --help' for usage.\n");
  const unknownFlag = await binary(["clients", "create", "--frobnicate"]);
  assert.equal(unknownFlag.code, 2);
  assert.equal(unknownFlag.stderr, "Error: unknown flag: --frobnicate\nSee 'hydractl clients create --help' for usage.\n");
  assert.equal(unknownFlag.stdout, "");
  // A near miss names what it most likely meant, as cobra does for Hydra's commands.
  assert.equal((await binary(["clinets", "list"])).stderr, "Error: unknown command \"clinets\" for \"hydractl\" (did you mean clients?)\nSee 'hydractl --help' for usage.\n");
  assert.match((await binary(["get", "client", "x", "--endpiont", "http://a"])).stderr, /^Error: unknown flag: --endpiont \(did you mean --endpoint\?\)\n/);
  // A group given a flag instead of a command: not its help with exit 0.
  const noCommand = await binary(["--endpoint", "http://a", "clients"]);
  assert.deepEqual([noCommand.code, noCommand.stdout], [2, ""]);
  assert.match(noCommand.stderr, /^Error: "--endpoint" given to "hydractl clients", which needs one of its commands: create, /);
});

test("HYDRACTL_DEBUG=1 adds stack traces headed by the errors' own class names, not minified ones", { skip }, async () => {
  const usage = await binary(["clients", "get"], { env: { HYDRACTL_DEBUG: "1" } });
  assert.equal(usage.code, 2);
  const [line, hint, trace] = usage.stderr.split("\n");
  assert.deepEqual([line, hint], ["Error: missing argument ID", "See 'hydractl clients get --help' for usage."]);
  assert.equal(trace, "UsageError: missing argument ID");
  // A failure and its cause, from two layers (the API client's retry budget and the transport).
  const refused = await binary(["clients", "get", "x", "--endpoint", "http://127.0.0.1:1", "--fail-after", "0"], { env: { HYDRACTL_DEBUG: "1" } });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /\nNetworkError: cannot connect to http:\/\/127\.0\.0\.1:1\/admin\/clients\/x: connection refused/);
  assert.match(refused.stderr, /\ncause: NetworkError: cannot connect/);
  // Without it, the error line and the hint only.
  assert.equal((await binary(["clients", "get"])).stderr.split("\n").length, 3);
});

test("clients create against a server, from the binary and from a copy named hydra", { skip }, async () => {
  const link = `${dir.path}/hydra`;
  symlinkSync(binaryPath, link);
  for (const executable of [binaryPath, link]) {
    const result = await run(["clients", "create", "--endpoint", server.url, "-n", "bin", "--format", "jsonpath=client_name"], { binary: executable });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '"bin"\n');
  }
  // Flags before the words, as Hydra's CLIs take them.
  const flagsFirst = await binary(["--endpoint", server.url, "-n", "bin", "clients", "create", "--format", "jsonpath=client_name"]);
  assert.deepEqual([flagsFirst.code, flagsFirst.stdout], [0, '"bin"\n'], flagsFirst.stderr);
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
  assert.match(result.stderr, /^Error: missing --endpoint \(or the HYDRA_ADMIN_URL or ORY_SDK_URL or HYDRA_URL environment variable\)\n/);
  assert.doesNotMatch(result.stderr, /preloaded/);
});

test("the binary trusts the certificate authorities the system trusts, as Hydra's CLI does, beside Bun's own", { skip }, async () => {
  // A private CA in a folder of SSL_CERT_DIR under a name of its own, not the hashed link
  // OpenSSL looks for: Go (Hydra's CLI) reads every file there, and so does hydractl once a
  // certificate's issuer is refused (src/runtime/bun.ts), where Bun alone (its bundled roots
  // and OpenSSL's hashed lookup) does not. It stands for a CA in the system's bundle file
  // (appended to /etc/ssl/certs/ca-certificates.crt, or RHEL's update-ca-trust), which a
  // test cannot write. A POST, whose body the refused first try used up.
  const { ca, cert, key } = await testCertificateAuthority();
  const secure = await serveLocal(server.fake.handler, { cert, key });
  try {
    const cas = `${dir.path}/system-cas`;
    mkdirSync(cas);
    writeFileSync(`${cas}/private-ca.pem`, ca);
    const result = await binary(["clients", "create", "--endpoint", secure.url, "--id", "over-system-ca"], { env: { SSL_CERT_DIR: cas } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    const untrusted = await binary(["clients", "create", "--endpoint", secure.url, "--id", "not-trusted"]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /the certificate's issuer is not trusted/);
  } finally {
    await secure.close();
  }
});

test("the binary embeds no module that none of its paths uses", { skip }, () => {
  // A compiled binary keeps each bundled module under /$bunfs/root/; the first name shows
  // that the search finds embedded modules at all.
  const bytes = readFileSync(binaryPath);
  const embedded = (name: string) => bytes.includes(`/$bunfs/root/${name}`);
  assert.ok(embedded("openpgp-"), "openpgp.js's chunk should be embedded");
  // Deno's runtime code (the binary runs on Bun only); openpgp.js's Argon2 (passphrases),
  // bzip2 (decompression) and legacy ciphers (old messages): hydractl only reads public
  // keys and encrypts to them, with AES. And jsonpath-plus's Node build, which only adds
  // node:vm, for script expressions that `--format jsonpath=` never evaluates: the browser
  // build is embedded instead.
  assert.ok(embedded("index-browser-esm-"), "jsonpath-plus's browser build should be embedded");
  for (const unused of ["deno-", "argon2id-", "unbzip2-stream-", "legacy_ciphers-", "index-node-esm-"]) assert.ok(!embedded(unused), `${unused} is embedded`);
});

test("--pgp-key in the binary encrypts to an RSA key and to an ECC key", { skip }, async () => {
  for (const type of ["rsa", "ecc"] as const) {
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: type }], type, format: "armored" });
    const result = await binary(["clients", "create", "--endpoint", server.url, "-n", type, "--pgp-key", btoa(publicKey), "--format", "jsonpath=client_secret"]);
    assert.equal(result.code, 0, result.stderr);
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ binaryMessage: decodeBase64(JSON.parse(result.stdout)) }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    });
    assert.equal(data, server.fake.generatedSecret, type);
  }
});
