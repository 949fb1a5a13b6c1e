import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFormat, render, selectPointer } from "../../src/cli/output.ts";

const client = { client_id: "abc", redirect_uris: ["http://a/cb", "http://b/cb"], "a/b": { "m~n": 1 } };
const views = { text: () => "human text", table: () => [["CLIENT ID", "NAME"], ["abc", "my app"]] };
const show = (format: string) => render(client, parseFormat(format), views);

test("every format renders", async () => {
  assert.equal(await show("default"), "human text\n");
  assert.equal(await show("table"), "CLIENT ID  NAME\nabc        my app\n");
  assert.equal(await show("json"), `${JSON.stringify(client)}\n`);
  assert.equal(await show("json-pretty"), `${JSON.stringify(client, null, 2)}\n`);
  assert.match(await show("yaml"), /^client_id: abc\nredirect_uris:\n  - http:\/\/a\/cb\n/);
});

test("YAML quotes the strings a YAML 1.1 reader would take for something else", async () => {
  const data = { client_secret: "0123", scope: "yes", created: "2026-01-01", n: "x", empty: "" };
  const text = await render(data, parseFormat("yaml"), views);
  assert.equal(text, "client_secret: '0123'\nscope: 'yes'\ncreated: '2026-01-01'\n'n': x\nempty: ''\n");
});

test("jsonpath takes RFC 9535, bare and kubectl spellings", async () => {
  assert.equal(await show("jsonpath=$.client_id"), "abc\n");
  assert.equal(await show("jsonpath=client_id"), "abc\n");
  assert.equal(await show("jsonpath={.client_id}"), "abc\n");
  assert.equal(await show("jsonpath=$.redirect_uris[1]"), "http://b/cb\n");
  assert.equal(await show("jsonpath=$.redirect_uris[*]"), '["http://a/cb","http://b/cb"]\n');
  await assert.rejects(show("jsonpath=$.nothing"), { name: "UsageError", message: /matches nothing/ });
});

test("jsonpointer follows RFC 6901", async () => {
  assert.equal(await show("jsonpointer=/client_id"), "abc\n");
  assert.equal(await show("jsonpointer=/redirect_uris/0"), "http://a/cb\n");
  assert.equal(selectPointer(client, "/a~1b/m~0n"), 1);
  assert.equal(selectPointer(client, ""), client);
  assert.throws(() => selectPointer(client, "/redirect_uris/2"), { message: /matches nothing/ });
  assert.throws(() => selectPointer(client, "/redirect_uris/01"), { message: /matches nothing/ });
});

test("unknown formats are rejected with the choices", () => {
  assert.throws(() => parseFormat("xml"), { name: "UsageError", message: /invalid --format "xml": expected default, table/ });
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
  ]) {
    assert.throws(() => parseFormat(`jsonpath=${path}`), { name: "UsageError", message: `invalid --format "jsonpath=${path}": ${why}` }, path);
  }
  // Brackets inside quotes are names, not structure.
  for (const path of ["$['a[b']", '$["x)"]', "{.client_id}", "$.redirect_uris[*]", "$..client_id", "$['a\\'b']"]) parseFormat(`jsonpath=${path}`);
});
