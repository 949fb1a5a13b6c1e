// Hydra v2's --format jsonpath= paths with gjson's `#` (counts, every item, queries), as
// gjson's SYNTAX.md defines them; the counts, `#.field`, `==` and `%…)#` cases are what
// hydra-v2.3.0 printed for such a list.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gjsonShapeError, isGjsonPath, selectGjson } from "../../src/cli/gjson.ts";
import { parseFormat, render } from "../../src/cli/output.ts";

/** What a path renders from: only the selected value is printed. */
const views = { text: () => "", table: () => [], ids: () => [] };

const list = {
  items: [
    { client_id: "au1", client_name: "", owner: "", redirect_uris: ["https://x/1", "https://x/2"], metadata: { "a.b": 1 } },
    { client_id: "gj1", client_name: "full", owner: "ow", redirect_uris: ["https://a/1", "https://a/2"], token_lifespan: 30 },
  ],
};

test("a path written as Hydra's CLI reads paths is gjson's; JSONPath's $, ., {. and brackets are JSONPath's", () => {
  for (const path of ["client_id", "redirect_uris.0", "items.#", "items.#.client_id", "#.client_id", 'items.#(owner=="ow").client_id', "{client_id,owner}", "[client_id,owner]", "metadata.a\\.b"]) {
    assert.ok(isGjsonPath(path), path);
  }
  for (const path of ["$.items[*].client_id", ".client_id", "{.client_id}", "$..['#']", "[0]", "['client_id']", "items[*].client_id", "redirect_uris[0]"]) assert.ok(!isGjsonPath(path), path);
});

test("counts, every item's field, and items by index", () => {
  assert.equal(selectGjson(list, "items.#"), 2);
  assert.deepEqual(selectGjson(list, "items.#.client_id"), ["au1", "gj1"]);
  assert.deepEqual(selectGjson(list, "items.#.redirect_uris.#"), [2, 2]);
  assert.equal(selectGjson(list, "items.1.redirect_uris.0"), "https://a/1");
  assert.deepEqual(selectGjson(list.items, "#.owner"), ["", "ow"]);
  // Items without the field are left out, as gjson leaves them.
  assert.deepEqual(selectGjson(list, "items.#.token_lifespan"), [30]);
  assert.equal(selectGjson(list, "items.0.metadata.a\\.b"), 1);
  assert.deepEqual(selectGjson(list, "items.#.nothing"), []);
  assert.equal(selectGjson(list, "nothing.#"), undefined);
});

test("queries: the first item a condition holds for, or all of them with )#", () => {
  assert.equal(selectGjson(list, 'items.#(client_id=="gj1").client_name'), "full");
  assert.deepEqual(selectGjson(list, 'items.#(client_name%"f*")#.client_id'), ["gj1"]);
  assert.deepEqual(selectGjson(list, 'items.#(client_name!="full")#.client_id'), ["au1"]);
  assert.equal(selectGjson(list, "items.#(token_lifespan>=30).client_id"), "gj1");
  assert.equal(selectGjson(list, "items.#(token_lifespan).client_id"), "gj1");
  assert.equal(selectGjson(list, 'items.#(redirect_uris.1=="https://a/2").client_id'), "gj1");
  assert.equal(selectGjson(list, 'items.#(client_id=="nope").client_name'), undefined);
  assert.deepEqual(selectGjson(list, 'items.#(client_id=="nope")#'), []);
});

test("a query it cannot read is refused before any request; a path that selects nothing prints null, as Hydra v2 prints it", async () => {
  assert.equal(gjsonShapeError('items.#(client_id=="gj1").client_name'), undefined);
  assert.match(gjsonShapeError("items.#(client_id==gj1).client_name")!, /a query it cannot read/);
  assert.match(gjsonShapeError("items..#")!, /an empty part/);
  assert.throws(() => parseFormat("jsonpath=items.#(client_id==gj1)"), { name: "UsageError", message: /^invalid --format "jsonpath=items\.#\(client_id==gj1\)": a query it cannot read/ });
  assert.equal(await render(list, parseFormat("jsonpath=items.#.client_id"), views), '[\n  "au1",\n  "gj1"\n]\n');
  assert.equal(await render(list, parseFormat('jsonpath=items.#(client_id=="nope").client_id'), views), "null\n");
});

test("a wildcard within a key is gjson's: the first key it matches, as Hydra's CLI prints it", async () => {
  for (const path of ["client_*", "items.0.client_i?"]) assert.ok(isGjsonPath(path), path);
  assert.equal(await render(list.items[1], parseFormat("jsonpath=client_*"), views), '"gj1"\n');
  assert.equal(await render(list, parseFormat("jsonpath=items.1.client_n?me"), views), '"full"\n');
});

test("gjson's pipes, modifiers and literals are refused before any request, not read as JSONPath would (matching nothing, or else)", () => {
  for (const [path, what] of [
    ["items.#.client_id|0", "gjson's pipe"],
    ["items.0|client_id", "gjson's pipe"],
    ["items.#.client_id|@reverse", "gjson's pipe"],
    ["@this", "gjson's modifiers"],
    ["items.!true", "gjson's literals"],
  ] as const) {
    assert.throws(() => parseFormat(`jsonpath=${path}`), { name: "UsageError", message: new RegExp(`^invalid --format "jsonpath=${path.replace(/[.|#()!@*?]/g, "\\$&")}": ${what}.*, which hydractl does not read`) }, path);
  }
  // Inside a query's operand they are the operand's own characters; JSONPath's own paths are JSONPath's.
  for (const path of ['items.#(owner=="a|b").client_id', "$.items[0].client_id", "{.client_id}"]) assert.doesNotThrow(() => parseFormat(`jsonpath=${path}`), path);
});

// What gjson v1.17.3 (Hydra v2.3.0's) gives for each path, printed by a Go program that calls
// gjson.GetBytes(…).Value() and encodes it as Hydra's CLI does.
test("multipaths build an object or an array of what each path selects; escapes make a character a key's own", async () => {
  const client = { client_id: "h-a", client_name: "n", owner: "", metadata: { "a.b": 1, "*": "star", "a[0]": 8 }, items: list.items };
  const shown = async (path: string) => (await render(client, parseFormat(`jsonpath=${path}`), views)).replace(/\s+/g, "");
  assert.equal(await shown("items.#.{client_id,client_name}"), '[{"client_id":"au1","client_name":""},{"client_id":"gj1","client_name":"full"}]');
  assert.equal(await shown("items.#.[client_id,owner]"), '[["au1",""],["gj1","ow"]]');
  // Keys sorted, as Hydra's CLI prints a value it decoded into Go maps.
  assert.equal(await shown("{client_name,client_id}"), '{"client_id":"h-a","client_name":"n"}');
  assert.equal(await shown('{id:client_id,"n m":client_name,metadata.a\\.b}'), '{"a\\\\.b":1,"id":"h-a","nm":"n"}');
  assert.equal(await shown("[client_id,nope,owner]"), '["h-a",""]');
  assert.equal(await shown("{client_id,owner}.owner"), '""');
  assert.equal(await shown("items.#.{nope}"), "[{},{}]");
  assert.equal(await shown("metadata.a\\.b"), "1");
  assert.equal(await shown("metadata.\\*"), '"star"');
  // Brackets are a key's own characters where a key has them, as Hydra's CLI reads them, and
  // JSONPath's index where none does (Hydra's CLI prints null for `redirect_uris[0]`).
  assert.equal(await shown("metadata.a[0]"), "8");
  assert.equal(await shown("items[1].client_id"), '"gj1"');
  for (const path of ["{client_id", "{}", "{a,,b}", "items.#.{a}x"]) assert.match(gjsonShapeError(path)!, /a multipath it cannot read/, path);
  assert.throws(() => parseFormat("jsonpath={client_id,@reverse}"), { name: "UsageError", message: /gjson's modifiers/ });
});
