// Where a text that JSON.parse refused goes wrong. Bun's parser names no place ("Unable to
// parse JSON string" for a whole import file), Deno's an offset in its own words; this says
// the line and column on both, as the config file's YAML errors do. Loaded only once a parse
// has failed: jsonc-parser scans JSON to the first error, with comments and trailing commas
// refused as JSON refuses them.
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";

const WORDS: Record<string, string> = {
  InvalidSymbol: "an unexpected character",
  InvalidNumberFormat: "a number JSON does not allow",
  PropertyNameExpected: "a property name in double quotes expected",
  ValueExpected: "a value expected",
  ColonExpected: "a colon expected",
  CommaExpected: "a comma expected",
  CloseBraceExpected: "a closing } expected",
  CloseBracketExpected: "a closing ] expected",
  EndOfFileExpected: "nothing expected after the first value (several documents, or no [ ] around them?)",
  InvalidCommentToken: "a comment, which JSON does not allow",
  UnexpectedEndOfComment: "a comment, which JSON does not allow",
  UnexpectedEndOfString: "a string that does not end",
  UnexpectedEndOfNumber: "an unfinished number",
  InvalidUnicode: "a \\u escape that is not four hex digits",
  InvalidEscapeCharacter: "an escape JSON does not have",
  InvalidCharacter: "a line break or control character inside a string",
};

/** "line 3, column 5: a value expected", or undefined where the scanner finds no fault. */
export function jsonProblem(text: string): string | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let at = 0; at < first.offset; at++) {
    if (text.charCodeAt(at) === 10) {
      line++;
      lineStart = at + 1;
    }
  }
  return `line ${line}, column ${first.offset - lineStart + 1}: ${WORDS[printParseErrorCode(first.error)] ?? "not JSON"}`;
}

/** "NAME is not JSON (line 3, column 5: a value expected)": the error for a file JSON.parse refused. */
export function notJson(name: string, text: string): string {
  const problem = jsonProblem(text);
  return `${name} is not JSON${problem ? ` (${problem})` : ""}`;
}
