// Unit: where a text JSON.parse refused goes wrong, in words, on both runtimes alike.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonProblem, notJson } from "../../src/json-problem.ts";

test("a JSON syntax error is placed by line and column and said in words", () => {
  const cases: [string, string][] = [
    ['{"a":1}{"b":2}', "line 1, column 8: nothing expected after the first value (several documents, or no [ ] around them?)"],
    ['{"a":1,\n "b": }', "line 2, column 7: a value expected"],
    ["[1,2", "line 1, column 5: a closing ] expected"],
    ['{"a" 1}', "line 1, column 6: a colon expected"],
    ["{'a':1}", "line 1, column 2: an unexpected character"],
    ['{"a":1,}', "line 1, column 8: a property name in double quotes expected"],
    ["// note\n{}", "line 1, column 1: a comment, which JSON does not allow"],
    ['{"a":"\\q"}', "line 1, column 6: an escape JSON does not have"],
  ];
  for (const [text, problem] of cases) {
    assert.throws(() => JSON.parse(text), SyntaxError, text);
    assert.equal(jsonProblem(text), problem, text);
  }
  assert.equal(jsonProblem('{"a":[1,{"b":null}]}'), undefined);
  assert.equal(notJson("the client file c.json", "[1,2"), "the client file c.json is not JSON (line 1, column 5: a closing ] expected)");
});
