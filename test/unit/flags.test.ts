// The command kernel's parsing: the table → the command line → typed arguments.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Args, type FlagDefs, finishArgs, parseLine, splitList } from "../../src/cli/flags.ts";
import { applyFallbacks } from "../../src/cli/config.ts";
import { absoluteUrl, integer } from "../../src/cli/parsers.ts";
import { closest } from "../../src/cli/suggest.ts";
import { completionModel } from "../../src/cli/completion.ts";
import { takesValueBeforeWords } from "../../src/cli/usage.ts";
import root from "../../src/commands/index.ts";

const defs = {
  callbacks: { type: "string", alias: ["c", "redirect-uri"], list: "comma" },
  header: { type: "string", alias: "H", list: "repeat" },
  name: { type: "string", alias: "n" },
  quiet: { type: "boolean", alias: "q" },
  kind: { type: "enum", options: ["public", "pairwise"] },
  add: { type: "string", list: "repeat", arity: 2 },
} as const satisfies FlagDefs;

test("list flags accumulate across commas, repeats and aliases", () => {
  const { values } = parseLine(["-c", "a,b", "--callbacks=c", "--redirect-uri", "d", "-ce"], defs);
  assert.deepEqual(values.callbacks, ["a", "b", "c", "d", "e"]);
});

test("a flag's value is named as the command line wrote the flag, or by its name where it was written two ways", () => {
  assert.deepEqual(parseLine(["--redirect-uri", "a", "--redirect-uri=b", "-q"], defs).spelled, { callbacks: "--redirect-uri", quiet: "-q" });
  assert.deepEqual(parseLine(["-c", "a", "--redirect-uri", "b"], defs).spelled, { callbacks: "--callbacks" });
  const line = parseLine(["--redirect-uri", "not a url"], defs);
  const strict = { ...defs, callbacks: { ...defs.callbacks, parse: absoluteUrl } } as const satisfies FlagDefs;
  const fallen = applyFallbacks(line.values, strict, () => undefined, undefined, line.spelled);
  assert.throws(() => finishArgs(strict, fallen.values, line.positionals, fallen.sources), { name: "UsageError", message: /^invalid --redirect-uri "not a url": expected an absolute URL/ });
});

test("repeatable flags keep commas inside values; two-word flags take both words", () => {
  assert.deepEqual(parseLine(["-H", "Accept: a, b", "-H", "X: y"], defs).values.header, ["Accept: a, b", "X: y"]);
  assert.deepEqual(parseLine(["--add", "/a/-", "x", "--add", "/b", "-"], defs).values.add, ["/a/-", "x", "/b", "-"]);
  assert.throws(() => parseLine(["--add", "/a/-"], defs), { name: "UsageError", message: "flag needs 2 values: --add" });
});

test("strings, booleans and positionals", () => {
  const { values, positionals } = parseLine(["-n", "my app", "-q", "extra", "--", "--name"], defs);
  assert.equal(values.name, "my app");
  assert.equal(values.quiet, true);
  assert.deepEqual(positionals, ["extra", "--name"]);
  assert.equal(parseLine(["--quiet=false"], defs).values.quiet, false);
  // Every spelling Go's strconv.ParseBool takes, as Hydra's CLIs read them.
  for (const [written, value] of [["1", true], ["t", true], ["T", true], ["TRUE", true], ["True", true], ["0", false], ["f", false], ["F", false], ["FALSE", false], ["False", false]] as const) {
    assert.equal(parseLine([`--quiet=${written}`], defs).values.quiet, value, written);
  }
  assert.throws(() => parseLine(["--quiet=maybe"], defs), { name: "UsageError", message: 'invalid value "maybe" for --quiet: expected true or false' });
  assert.equal(parseLine(["--name=-"], defs).values.name, "-");
  assert.equal(parseLine(["--name", "-"], defs).values.name, "-");
});

test("a flag answers to its name and its aliases only, each spelled as it is written", () => {
  assert.equal(parseLine(["--name", "a"], defs).values.name, "a");
  // A one-letter alias is written -c, a longer one --redirect-uri; neither the other way.
  assert.throws(() => parseLine(["--c", "a"], defs), { message: "unknown flag: --c" });
  // A long flag written with one dash is named, not read as -r edirect-uri.
  assert.throws(() => parseLine(["-redirect-uri"], defs), { message: "unknown flag: -redirect-uri (did you mean --redirect-uri?)" });
  assert.throws(() => parseLine(["-name=x"], defs), { message: "unknown flag: -name (did you mean --name?)" });
  // Not a positional's name, nor what every object has.
  const withPositional = { ...defs, id: { type: "positional" } } as const satisfies FlagDefs;
  assert.throws(() => parseLine(["--id", "x"], withPositional), { message: "unknown flag: --id" });
  assert.throws(() => parseLine(["--constructor", "x"], defs), { message: "unknown flag: --constructor" });
  // A known short flag after one that needs a value is not taken as its value.
  assert.throws(() => parseLine(["-n", "-q"], defs), { message: "flag needs a value: -n" });
  assert.equal(parseLine(["-n", "-z"], defs).values.name, "-z");
  // A two-letter value is a value, even when its last letter is a short flag's (-q).
  assert.equal(parseLine(["--name", "qq"], defs).values.name, "qq");
  assert.equal(parseLine(["-n", "aq"], defs).values.name, "aq");
});

test("unknown flags and missing values name the flag", () => {
  assert.throws(() => parseLine(["--nmae", "x"], defs), { name: "UsageError", message: "unknown flag: --nmae (did you mean --name?)" });
  assert.throws(() => parseLine(["--redirect-uris", "x"], defs), { message: "unknown flag: --redirect-uris (did you mean --redirect-uri?)" });
  assert.throws(() => parseLine(["--frobnicate"], defs), { message: "unknown flag: --frobnicate" });
  assert.throws(() => parseLine(["-x"], defs), { message: "unknown flag: -x" });
  assert.throws(() => parseLine(["--name"], defs), { message: "flag needs a value: --name" });
  assert.throws(() => parseLine(["-n", "--quiet"], defs), { message: "flag needs a value: -n" });
  assert.throws(() => parseLine(["--quiet=maybe"], defs), { message: /invalid value "maybe" for --quiet/ });
});

test("a flag another command spells so is named by this one's spelling; an enum's value in the wrong case by its own", () => {
  const withSecret = { ...defs, secret: { type: "string" } } as const satisfies FlagDefs;
  // The token commands' --client-secret is the client commands' --secret; perform's --redirect is create's --redirect-uri.
  assert.throws(() => parseLine(["--client-secret", "x"], withSecret), { message: "unknown flag: --client-secret (did you mean --secret?)" });
  assert.throws(() => parseLine(["--redirect", "x"], defs), { message: "unknown flag: --redirect (did you mean --redirect-uri?)" });
  // Only a flag the command has: --client-id means nothing here.
  assert.throws(() => parseLine(["--client-id", "x"], defs), { message: "unknown flag: --client-id" });
  const line = parseLine(["--kind", "PUBLIC"], defs);
  assert.throws(() => finishArgs(defs, line.values, line.positionals, {}), { message: 'invalid value "PUBLIC" for --kind: expected one of public, pairwise (did you mean public?)' });
});

test("a random value that begins with '-' gets a way through, and is not quoted back", () => {
  const withToken = { ...defs, token: { type: "positional", valueHint: "TOKEN" } } as const satisfies FlagDefs;
  assert.throws(() => parseLine(["-Xq7secret"], withToken), { message: "unknown flag: -X (if it is the TOKEN, put it after --)" });
  assert.deepEqual(parseLine(["--", "-Xq7secret"], withToken).positionals, ["-Xq7secret"]);
  assert.throws(() => parseLine(["-Xq7secret"], defs), { message: "unknown flag: -X" });
});

test("enum flags accept only their options, naming where the value came from", () => {
  assert.equal(finishArgs(defs, { kind: "pairwise" }, []).kind, "pairwise");
  assert.throws(() => finishArgs(defs, { kind: "secret" }, []), {
    name: "UsageError",
    message: 'invalid value "secret" for --kind: expected one of public, pairwise',
  });
  assert.throws(() => finishArgs(defs, { kind: "secret" }, [], { kind: "HYDRA_KIND" }), { message: /for HYDRA_KIND:/ });
});

const table = {
  id: { type: "positional", valueHint: "ID" },
  more: { type: "positional", variadic: true, required: false },
  port: { type: "string", parse: integer(0, 65535), default: "4446" },
  endpoint: { type: "string", required: true, env: "HYDRA_ADMIN_URL" },
  scope: { type: "string", list: "comma", parse: (text: string) => text.toUpperCase() },
  quiet: { type: "boolean" },
} as const satisfies FlagDefs;

test("positionals, required flags and parsers give typed arguments", () => {
  const args: Args<typeof table> = finishArgs(table, { port: "80", endpoint: "http://x", scope: ["a", "b"] }, ["one", "two", "three"]);
  assert.deepEqual(args, { id: "one", more: ["two", "three"], port: 80, endpoint: "http://x", scope: ["A", "B"], quiet: false });
  // The types follow the table: a number, a string, string lists, a boolean.
  const port: number = args.port;
  const id: string = args.id;
  assert.equal(port + id.length, 83);
  assert.deepEqual(finishArgs(table, { endpoint: "e" }, ["one"]).more, []);
});

test("a missing argument or required flag, or one too many, is a usage error", () => {
  assert.throws(() => finishArgs(table, { endpoint: "e" }, []), { name: "UsageError", message: "missing argument ID" });
  assert.throws(() => finishArgs(table, {}, ["one"]), { name: "UsageError", message: "missing --endpoint (or the HYDRA_ADMIN_URL environment variable)" });
  const twoVariables = { endpoint: { type: "string", required: true, env: ["HYDRA_ADMIN_URL", "ORY_SDK_URL"] } } as const satisfies FlagDefs;
  assert.throws(() => finishArgs(twoVariables, {}, []), { message: "missing --endpoint (or the HYDRA_ADMIN_URL or ORY_SDK_URL environment variable)" });
  // An empty argument (an unset shell variable) is refused, wherever it stands.
  assert.throws(() => finishArgs(table, { endpoint: "e" }, [""]), { name: "UsageError", message: "empty argument ID (is a shell variable unset?)" });
  assert.throws(() => finishArgs(table, { endpoint: "e" }, ["one", "two", ""]), { name: "UsageError", message: "empty argument MORE (is a shell variable unset?)" });
  const single = { id: { type: "positional" } } as const satisfies FlagDefs;
  assert.throws(() => finishArgs(single, {}, ["a", "b"]), { name: "UsageError", message: 'unexpected argument "b"' });
  // A long word is more likely a token pasted in the wrong place: its start alone.
  assert.throws(() => finishArgs(single, {}, ["a", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"]), { name: "UsageError", message: 'unexpected argument "eyJh…"' });
  // A command that works with a secret does not repeat the word: it may be another secret.
  const token = { token: { type: "positional", valueHint: "TOKEN", secret: true } } as const satisfies FlagDefs;
  assert.throws(() => finishArgs(token, {}, ["ory_at_one", "ory_at_two"]), { name: "UsageError", message: "unexpected argument after TOKEN (not repeated here, as it may be a secret)" });
  const secretFlag = { "client-secret": { type: "string", secret: true } } as const satisfies FlagDefs;
  assert.throws(() => finishArgs(secretFlag, {}, ["s3cret"]), { name: "UsageError", message: "unexpected argument (not repeated here, as it may be a secret)" });
  assert.throws(() => finishArgs(table, { endpoint: "e", port: "70000" }, ["a"]), { message: 'invalid value "70000" for --port: expected a whole number from 0 to 65535' });
});

test("a value that was not UTF-8 on the command line is refused, naming the flag", () => {
  assert.throws(() => finishArgs(table, { endpoint: "http://x/\uFFFD" }, ["a"]), {
    name: "UsageError",
    message: "invalid value for --endpoint: it holds bytes that are not UTF-8",
  });
  assert.throws(() => finishArgs(table, { endpoint: "e" }, ["caf\uFFFD"]), { message: "invalid value for ID: it holds bytes that are not UTF-8" });
});

test("a mistyped word is matched to the one it most likely meant, or to none", () => {
  const words = ["list", "clients", "create", "delete", "introspect", "perform", "patch"];
  assert.equal(closest("lst", words), "list");
  assert.equal(closest("perfrom", words), "perform", "a swap of neighbours is one edit");
  assert.equal(closest("instrospect", words), "introspect");
  assert.equal(closest("del", words), "delete", "a prefix that names one word alone");
  assert.equal(closest("pa", words), undefined, "too short to be a prefix, too far for an edit");
  assert.equal(closest("destroy", words), undefined);
  assert.equal(closest("xy", ["ab"]), undefined);
});

test("a list of words (scopes) splits at spaces as at commas; a comma list keeps its spaces", () => {
  const words = { scope: { type: "string", list: "words" }, name: { type: "string", list: "comma" } } as const satisfies FlagDefs;
  const { values } = parseLine(["--scope", "openid offline", "--scope", " email,profile  phone", "--name", "my app,b c"], words);
  assert.deepEqual(values.scope, ["openid", "offline", "email", "profile", "phone"]);
  assert.deepEqual(values.name, ["my app", "b c"]);
});

test("a comma list reads as CSV, as Hydra's string slices do: a quoted item keeps its commas", () => {
  assert.deepEqual(splitList("a,b"), ["a", "b"]);
  assert.deepEqual(splitList(" a , b ,"), ["a", "b"]);
  assert.deepEqual(splitList('"https://q/a,b",https://r'), ["https://q/a,b", "https://r"]);
  assert.deepEqual(splitList('"say ""hi"", then",x'), ['say "hi", then', "x"]);
  assert.deepEqual(splitList('"",""'), []);
});

test("a flag written with a typographic dash (—endpoint, pasted from a document) is refused, not taken as an argument", () => {
  const defs = { id: { type: "positional", required: false }, endpoint: { type: "string" }, name: { type: "string", alias: "n" } } as const satisfies FlagDefs;
  assert.throws(() => parseLine(["—endpoint", "http://h"], defs), { name: "UsageError", message: '"—endpoint" starts with a dash that is not "-" (pasted from a document?); write --endpoint' });
  assert.throws(() => parseLine(["–n=x"], defs), { message: '"–n=x" starts with a dash that is not "-" (pasted from a document?); write -n' });
  // As a flag's value, or after --, it is text like any other.
  assert.deepEqual(parseLine(["-n", "—a name—", "--", "—literal"], defs).positionals, ["—literal"]);
  assert.equal(parseLine(["-n", "—a name—"], defs).values.name, "—a name—");
});

test("short switches written together are taken apart, as cobra takes them: -qc a, -qca", () => {
  assert.deepEqual(parseLine(["-qc", "a"], defs).values, { quiet: true, callbacks: ["a"] });
  assert.deepEqual(parseLine(["-qca,b"], defs).values, { quiet: true, callbacks: ["a", "b"] });
  assert.deepEqual(parseLine(["-qq"], defs).values, { quiet: true });
  assert.deepEqual(parseLine(["-q=false"], defs).values, { quiet: false });
  assert.throws(() => parseLine(["-qz"], defs), { name: "UsageError", message: /^unknown flag: -z/ });
  assert.throws(() => parseLine(["-qc"], defs), { name: "UsageError", message: "flag needs a value: -c" });
});

test("the flags read as valued before the command words are Hydra's global ones, and take a value wherever a command has them", async () => {
  const model = await completionModel(root as unknown as Parameters<typeof completionModel>[0]);
  const spellings = new Set(model.leaves.flatMap((leaf) => leaf.flags.flatMap((flag) => flag.spellings)));
  const valued = [...spellings].filter(takesValueBeforeWords);
  assert.deepEqual(valued.sort(), ["--access-token", "--config", "--endpoint", "--fail-after", "--format", "--http-header", "-H", "-e"]);
  for (const spelling of valued) {
    const flags = model.leaves.flatMap((leaf) => leaf.flags.filter((flag) => flag.spellings.includes(spelling)));
    assert.ok(flags.every((flag) => flag.values), `${spelling} is a switch somewhere`);
  }
});
