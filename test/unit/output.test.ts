import assert from "node:assert/strict";
import { test } from "node:test";
import { displayWidth, escapeControls } from "../../src/chars.ts";
import { formatTable, parseFormat, render, renderItem, selectPointer } from "../../src/cli/output.ts";
import { legacyRows, markdownTable } from "../../src/commands/clients/_shared.ts";
import { ApiError, ConfigError, errorLine, FindingsError, hideInErrors, InputError, UsageError } from "../../src/errors.ts";

const client = { client_id: "abc", redirect_uris: ["http://a/cb", "http://b/cb"], "a/b": { "m~n": 1 } };
const views = { text: () => "human text", table: () => [["CLIENT ID", "NAME"], ["abc", "my app"]], ids: () => ["abc"] };
const show = (format: string) => render(client, parseFormat(format), views);

test("every format renders", async () => {
  assert.equal(await show("default"), "human text\n");
  assert.equal(await show("table"), "CLIENT ID  NAME\nabc        my app\n");
  assert.equal(await show("json"), `${JSON.stringify(client)}\n`);
  assert.equal(await show("json-pretty"), `${JSON.stringify(client, null, 2)}\n`);
  assert.match(await show("yaml"), /^client_id: abc\nredirect_uris:\n  - http:\/\/a\/cb\n/);
});

test("-q prints what identifies each result, one a line, escaped as a table's cells", async () => {
  const ids = { kind: "ids" } as const;
  assert.equal(await render(client, ids, views), "abc\n");
  assert.equal(await render([], ids, { ...views, ids: () => [] }), "");
  assert.equal(await render([], ids, { ...views, ids: () => ["a", "b\x1b]0;x\x07"] }), "a\nb\\x1b]0;x\\x07\n");
  assert.equal(await renderItem(client, ids, true, () => "row", () => ["abc"]), "abc\n");
});

test("YAML quotes the strings a YAML 1.1 reader would take for something else", async () => {
  const data = { client_secret: "0123", scope: "yes", created: "2026-01-01", n: "x", empty: "" };
  const text = await render(data, parseFormat("yaml"), views);
  assert.equal(text, "client_secret: '0123'\nscope: 'yes'\ncreated: '2026-01-01'\n'n': x\nempty: ''\n");
});

test("jsonpath takes RFC 9535, bare and kubectl spellings", async () => {
  // As Hydra v2 prints them: JSON, a string in quotes, indented by two spaces.
  assert.equal(await show("jsonpath=$.client_id"), '"abc"\n');
  assert.equal(await show("jsonpath=client_id"), '"abc"\n');
  assert.equal(await show("jsonpath={.client_id}"), '"abc"\n');
  assert.equal(await show("jsonpath=$.redirect_uris[1]"), '"http://b/cb"\n');
  assert.equal(await show("jsonpath=$.redirect_uris[*]"), '[\n  "http://a/cb",\n  "http://b/cb"\n]\n');
  await assert.rejects(show("jsonpath=$.nothing"), { name: "NothingMatched", message: /matches nothing/ });
  // Written as Hydra v2 reads paths, one that matches nothing prints null, as Hydra v2 prints it.
  for (const path of ["nothing", "redirect_uris.5", "client_*x"]) assert.equal(await show(`jsonpath=${path}`), "null\n", path);
});

test("an answer nested deeper than the engine writes back (JSON.parse reads it) is an InputError, never an unexpected failure", async () => {
  const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`);
  const views = { text: () => "x", table: () => [], ids: () => [] };
  // Bun's JSON.stringify recurses and runs out of stack here; Deno's writes it.
  const written = await render(deep, parseFormat("json"), views).catch((error: Error) => error);
  if (written instanceof Error) assert.deepEqual([written.name, written.message], ["InputError", "the answer is nested too deeply to be shown in this format"]);
  else assert.ok(written.startsWith('{"a":{"a":'));
});

test("jsonpointer follows RFC 6901", async () => {
  assert.equal(await show("jsonpointer=/client_id"), '"abc"\n');
  assert.equal(await show("jsonpointer=/redirect_uris/0"), '"http://a/cb"\n');
  assert.equal(selectPointer(client, "/a~1b/m~0n"), 1);
  assert.equal(selectPointer(client, ""), client);
  assert.throws(() => selectPointer(client, "/redirect_uris/2"), { message: /matches nothing/ });
  assert.throws(() => selectPointer(client, "/redirect_uris/01"), { message: /matches nothing/ });
});

test("unknown formats are rejected with the choices", () => {
  assert.throws(() => parseFormat("xml"), { name: "UsageError", message: /invalid --format "xml": expected default, table/ });
  assert.throws(() => parseFormat("JSON"), { message: /^invalid --format "JSON": expected .* \(did you mean json\?\)$/ });
  // `--format "$FORMAT"` with the variable unset is the default, as Hydra's CLIs take it.
  assert.deepEqual(parseFormat(""), { kind: "default" });
  assert.throws(() => parseFormat("jsonpointer=client_id"), { message: /starts with \// });
  assert.throws(() => parseFormat("jsonpath="), { name: "UsageError" });
});

test("a JSONPath of the wrong shape is refused when the flag is read, before any request", () => {
  for (const [path, why] of [
    ["$..[", "an unclosed ["],
    ["$.redirect_uris[0", "an unclosed ["],
    ["$['client_id'", "an unclosed ["],
    ["$['client_id", "an unclosed '"],
    ["$.client_id)", "an unmatched )"],
    ["{.client_id", "an unclosed {"],
    ["$[?(@.client_id=='a')]", "filter and script expressions (?(…), (…)) are not evaluated"],
    ["$[(@.length-1)]", "filter and script expressions (?(…), (…)) are not evaluated"],
    // jsonpath-plus fails on these only once it meets the result: after a client was created.
    ...["$.@", "$.@client_id", "$.redirect_uris[@]", "$..@"].map((path) => [path, "@ belongs to filter expressions, which are not evaluated"]),
  ]) {
    assert.throws(() => parseFormat(`jsonpath=${path}`), { name: "UsageError", message: `invalid --format "jsonpath=${path}": ${why}` }, path);
  }
  // Brackets inside quotes are names, not structure.
  for (const path of ["$['a[b']", '$["x)"]', "{.client_id}", "$.redirect_uris[*]", "$..client_id", "$['a\\'b']", "$['@type']"]) parseFormat(`jsonpath=${path}`);
});

test("text a server chose cannot drive the terminal: control characters are shown as escapes", async () => {
  // A client's name from dynamic registration can hold anything: clear the screen, retitle
  // the window, hide itself behind a carriage return.
  const name = "\u001b[2J\u001b]0;pwned\u0007ok\rhidden\u009b31m\u007f";
  const shown = "\\x1b[2J\\x1b]0;pwned\\x07ok\\x0dhidden\\u009b31m\\u007f";
  assert.equal(escapeControls(name), shown);
  assert.equal(escapeControls("line one\n\tline two", true), "line one\n\tline two");
  assert.equal(escapeControls("a\nb\tc"), "a\\x0ab\\x09c");
  const plain = "naïve café, 日本, emoji 🙂, 👨\u200d👩\u200d👧, مرحبا";
  assert.equal(escapeControls(plain), plain);
  // Nor can it read backwards or hide: bidirectional overrides and invisible characters are shown.
  assert.equal(escapeControls("admin\u202egnp.exe\u200b\u2066x\u2069\ufeff\u2028"), "admin\\u202egnp.exe\\u200b\\u2066x\\u2069\\ufeff\\u2028");
  // JSON shown through it stays JSON, holding the same text.
  const json = JSON.stringify({ name }, null, "\t");
  assert.deepEqual(JSON.parse(escapeControls(json, true)), { name });
  assert.deepEqual(JSON.parse(escapeControls(JSON.stringify({ n: "\u202e\u0085" }), true)), { n: "\u202e\u0085" });
  // Tables pad the escaped text; one cell stays one line.
  assert.equal(formatTable([["NAME", "ID"], [name, "a\nb"]]), `NAME${" ".repeat(shown.length - 2)}ID\n${shown}  a\\x0ab\n`);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(markdownTable([["NAME"], [name]])));
  // The default view keeps its own line breaks, and nothing else.
  assert.equal(await render({}, parseFormat("default"), { text: () => `Name: ${name}\nnext`, table: () => [], ids: () => [] }), `Name: ${shown}\nnext\n`);
  assert.equal(errorLine(new InputError(`no client "${name}"`)), `Error: no client "${shown}"`);
  // An error is one line, whatever the value it quotes holds (a line break in an ID or a
  // variable); only a list of findings takes several, a line each, each escaped.
  assert.equal(errorLine(new ApiError('no client "h-a\n"', 404)), 'Error: no client "h-a\\x0a"');
  assert.equal(errorLine(new FindingsError('client "a\nb" cannot run this flow', ["  - one\rtwo", "  - three"], "E_TEST")), 'Error: client "a\\x0ab" cannot run this flow:\n  - one\\x0dtwo\n  - three');
  assert.equal(errorLine(new UsageError('invalid HYDRA_ADMIN_URL "http://\n"')), 'Error: invalid HYDRA_ADMIN_URL "http://\\x0a"');
  assert.equal(errorLine(new ConfigError('invalid endpoint "a\nb" in the config file')), 'Error: invalid endpoint "a\\x0ab" in the config file');
});

test("an error line cuts a giant word short, saying how much it left out, and keeps the rest whole", () => {
  const id = `${"a".repeat(200)}${"b".repeat(99_760)}${"c".repeat(40)}`;
  // The word is the quoted ID with its colon: 100,003 characters, of which the first 200 and the last 40 are kept.
  const line = errorLine(new InputError(`no client "${id}": check the ID`));
  assert.equal(line, `Error: no client "${"a".repeat(199)}…(99763 characters left out)…${"c".repeat(38)}": check the ID`);
  // Up to 500 characters a word is whole; a cut never splits a surrogate pair.
  const url = `http://h/${"p".repeat(491)}`;
  assert.equal(errorLine(new InputError(`cannot reach ${url}`)), `Error: cannot reach ${url}`);
  assert.equal(errorLine(new Error(`x${"🙂".repeat(300)}`)), `Error: unexpected failure: x${"🙂".repeat(99)}…(362 characters left out)…${"🙂".repeat(20)}`);
});

test("a secret this run sends is hidden where a server quotes it back, whole, not inside a word", () => {
  hideInErrors("tok3n-Zq9");
  hideInErrors("adm1n");
  const echoed = new ApiError("GET /admin/clients/a failed: 400 Bad Request: got auth Bearer tok3n-Zq9 from adm1n; admin1nistrator tok3n-Zq9x", 400);
  assert.equal(errorLine(echoed), "Error: GET /admin/clients/a failed: 400 Bad Request: got auth Bearer [secret] from [secret]; admin1nistrator [secret]x");
  assert.equal(errorLine(new Error("token=tok3n-Zq9.")), "Error: unexpected failure: token=[secret].");
  // A short one only whole, so that a word that holds it stays readable.
  assert.equal(errorLine(new Error("adm1nistrator adm1n")), "Error: unexpected failure: adm1nistrator [secret]");
});

test("a secret is hidden glued to other text, as JSON quotes it, and before an excerpt cuts it", async () => {
  const { excerpt } = await import("../../src/http/body.ts");
  hideInErrors("ory_pat_Ab&Cd<Ef>Gh12345");
  assert.equal(errorLine(new Error('{"msg":"rejected ory_pat_Ab\\u0026Cd\\u003cEf\\u003eGh12345"}')), 'Error: unexpected failure: {"msg":"rejected [secret]"}');
  // As an HTML page quotes it, escaped as Go's html package and as most others escape it.
  hideInErrors(`s3cret"&'<x>`);
  assert.equal(errorLine(new Error("<p>secret=s3cret&#34;&amp;&#39;&lt;x&gt;</p>")), "Error: unexpected failure: <p>secret=[secret]</p>");
  assert.equal(errorLine(new Error("<p>secret=s3cret&quot;&amp;&#x27;&lt;x&gt;</p>")), "Error: unexpected failure: <p>secret=[secret]</p>");
  hideInErrors("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
  assert.equal(errorLine(new Error("xxxxABCDEFGHIJKLMNOPQRSTUVWXYZ0123trailing")), "Error: unexpected failure: xxxx[secret]trailing");
  assert.equal(excerpt(`${"x".repeat(100)}ABCDEFGHIJKLMNOPQRSTUVWXYZ0123 trailing`), `${"x".repeat(100)}[secret] trailing`);
});

test("a client secret is hidden as Go's QueryEscape writes it, and the Basic credentials as sent, quoted without the word Basic", () => {
  hideInErrors("abc~def ghi(1)", "my app");
  assert.equal(errorLine(new Error("got client_secret=abc~def+ghi%281%29&x=1")), "Error: unexpected failure: got client_secret=[secret]&x=1");
  // RFC 6749 §2.3.1: both form-encoded, then base64, as oauth4webapi sends them.
  const basic = btoa("my+app:abc%7Edef+ghi%281%29");
  assert.equal(errorLine(new Error(`credentials ${basic} refused`)), "Error: unexpected failure: credentials [secret] refused");
});

test("numbers JavaScript cannot hold as written (64-bit IDs) are printed and sent back as written, in every format", async () => {
  const { parseJson } = await import("../../src/http/body.ts");
  const data = parseJson('{"metadata":{"id":9007199254740993,"big":18446744073709551615,"pi":3.14159265358979323846,"small":5,"s":"9007199254740993"}}');
  const views = { text: () => "", table: () => [], ids: () => [] };
  assert.equal(await render(data, parseFormat("json"), views), '{"metadata":{"id":9007199254740993,"big":18446744073709551615,"pi":3.14159265358979323846,"small":5,"s":"9007199254740993"}}\n');
  assert.equal(await render(data, parseFormat("yaml"), views), "metadata:\n  id: 9007199254740993\n  big: 18446744073709551615\n  pi: 3.14159265358979323846\n  small: 5\n  s: '9007199254740993'\n");
  assert.equal(await render(data, parseFormat("jsonpath=metadata.big"), views), "18446744073709551615\n");
  assert.equal(await render(data, parseFormat("jsonpath={metadata.small,metadata.id}"), views), '{\n  "id": 9007199254740993,\n  "small": 5\n}\n');
  assert.equal(await render(data, parseFormat("jsonpointer=/metadata/id"), views), "9007199254740993\n");
  // A text without such a number parses as JSON.parse parses it.
  assert.deepEqual(parseJson('{"a":1,"b":[2.5,"x"]}'), { a: 1, b: [2.5, "x"] });
});

test("a URL's password is hidden in every error line, the URL well formed or not, its user kept", () => {
  assert.equal(
    errorLine(new ApiError("http://admin:s3cr%40t@127.0.0.1:4445/x serves neither /admin/clients nor /clients", 404)),
    "Error: http://admin:[secret]@127.0.0.1:4445/x serves neither /admin/clients nor /clients",
  );
  assert.equal(errorLine(new InputError('invalid HYDRA_ADMIN_URL "htp://admin:pw:x@host": expected')), 'Error: invalid HYDRA_ADMIN_URL "htp://admin:[secret]@host": expected');
  assert.equal(errorLine(new InputError("see http://admin@host/ and https://:pw@h2/p")), "Error: see http://admin@host/ and https://:[secret]@h2/p");
});

test("a bad format is named as it was written: the flag, or the config file's key", () => {
  assert.throws(() => parseFormat("bogus"), { message: /^invalid --format "bogus": expected default, table/ });
  assert.throws(() => parseFormat("bogus", '"format" in /home/me/.hydra.yaml'), { message: /^invalid "format" in \/home\/me\/\.hydra\.yaml "bogus": expected/ });
  assert.throws(() => parseFormat("jsonpointer=client_id", "HYDRA_FORMAT"), { message: /^invalid HYDRA_FORMAT "jsonpointer=client_id": a JSON pointer starts with \// });
});

test("a JSON pointer with an escape RFC 6901 does not have is refused before any request", () => {
  assert.throws(() => parseFormat("jsonpointer=/a~2"), { name: "UsageError", message: 'invalid --format "jsonpointer=/a~2": in a JSON pointer ~ is written ~0 and / is written ~1' });
  assert.throws(() => parseFormat("jsonpointer=/a~"), { name: "UsageError" });
  assert.deepEqual(parseFormat("jsonpointer=/a~0b~1c"), { kind: "jsonpointer", pointer: "/a~0b~1c" });
});

test("a secret quoted back as a request carries it is hidden too: encoded, in an Authorization header, a JWT", () => {
  hideInErrors("S3CRET/with+chars=");
  const echoed = "400 Bad Request: body client_secret=S3CRET%2Fwith%2Bchars%3D auth=Basic YTpTM0NSRVQ= Bearer ory_at_x.y assertion=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
  assert.equal(
    errorLine(new ApiError(echoed, 400)),
    "Error: 400 Bad Request: body client_secret=[secret] auth=Basic [secret] Bearer [secret] assertion=[secret]",
  );
  // As oauth4webapi encodes it for client_secret_basic, and a server that decodes the header may quote it.
  hideInErrors("cs-SECRET.value~1");
  assert.equal(errorLine(new ApiError("401: bad credentials my%2Dclient:cs%2DSECRET%2Evalue%7E1", 401)), "Error: 401: bad credentials my%2Dclient:[secret]");
});

test("table columns line up by the columns a terminal gives each character: CJK and emoji two, combining marks none", () => {
  assert.deepEqual(["abc", "名前", "🚀", "e\u0301", "👍🏽", "ｆｕｌｌ", "한국어"].map(displayWidth), [3, 4, 2, 1, 2, 8, 6]);
  const table = formatTable([["ID", "NAME", "X"], ["w", "名前名前 🚀", "1"], ["名前-wide", "plain", "2"]]);
  assert.equal(table, "ID         NAME         X\nw          名前名前 🚀  1\n名前-wide  plain        2\n");
  // Hydra v1.8's list, its headings centred, as go-runewidth measures them.
  assert.equal(markdownTable([["名前", "B"], ["x", "y"]]), "| 名前 | B |\n|------|---|\n| x    | y |\n");
});

test("Hydra v1.8's list is laid out as its table library lays it out: long cells wrapped with the least raggedness, numbers to the right", () => {
  const defaults = { response_types: ["code"], grant_types: ["authorization_code"], token_endpoint_auth_method: "client_secret_basic", scope: "offline_access offline openid" };
  const clients = [
    { ...defaults, client_id: "12345", client_name: "a name with several words that is long", scope: "openid offline_access profile email address phone", redirect_uris: ["http://a/1", "http://b/2", "https://example.com/a/very/long/callback/path"] },
    { ...defaults, client_id: "short", client_name: "x", redirect_uris: ["http://a/1", "http://b/2"] },
    {
      ...defaults,
      client_id: "1,234",
      client_name: "名前 の とても 長い 名前 です ね 本当に 長い",
      scope: "a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb",
      redirect_uris: ["http://c/3"],
      grant_types: ["client_credentials", "refresh_token", "authorization_code", "implicit"],
      response_types: ["code", "token", "id_token"],
    },
    { ...defaults, client_id: "nouri", client_name: "" },
    { ...defaults, client_id: "-3.5", client_name: "  two  spaces   inside  and a much longer tail here", redirect_uris: ["http://localhost/cb"] },
  ];
  // What hydra-v1.8.5 clients list printed for these clients.
  const printed = [
    "| CLIENT ID |              NAME              |   RESPONSE TYPES    |             SCOPE              |                 REDIRECT URIS                 |                         GRANT TYPES                          | TOKEN ENDPOINT AUTH METHOD |",
    "|-----------|--------------------------------|---------------------|--------------------------------|-----------------------------------------------|--------------------------------------------------------------|----------------------------|",
    "|     12345 | a name with several words that | code                | openid offline_access profile  | http://a/1 http://b/2                         | authorization_code                                           | client_secret_basic        |",
    "|           | is long                        |                     | email address phone            | https://example.com/a/very/long/callback/path |                                                              |                            |",
    "| short     | x                              | code                | offline_access offline openid  | http://a/1                                    | authorization_code                                           | client_secret_basic        |",
    "|           |                                |                     |                                | http://b/2                                    |                                                              |                            |",
    "|     1,234 | 名前 の とても 長い 名前 です  | code,token,id_token | a b c d e f g h i j k l m n o  | http://c/3                                    | client_credentials,refresh_token,authorization_code,implicit | client_secret_basic        |",
    "|           | ね 本当に 長い                 |                     | p q r s t u v w x y z aa bb    |                                               |                                                              |                            |",
    "| nouri     |                                | code                | offline_access offline openid  |                                               | authorization_code                                           | client_secret_basic        |",
    "|      -3.5 |   two  spaces   inside  and a  | code                | offline_access offline openid  | http://localhost/cb                           | authorization_code                                           | client_secret_basic        |",
    "|           | much longer tail here          |                     |                                |                                               |                                                              |                            |",
  ];
  assert.equal(markdownTable(legacyRows(clients)), `${printed.join("\n")}\n`);
  // A line break a server put in a name is reflowed with the cell's other words, as there:
  // whatever it holds stays inside its own column, padded, and control characters are escaped.
  assert.equal(markdownTable([["NAME"], ["forged\n| row |\x1b[2J"]]), "|      NAME      |\n|----------------|\n| forged | row   |\n| |\\x1b[2J       |\n");
});
