// Character tests for what every command runs at start-up, where each regular expression
// costs time and a share of memory to compile (scripts/bench-create shows both); code off
// that path uses regular expressions freely.

export const isDigit = (char: string | undefined): boolean => char !== undefined && char >= "0" && char <= "9";

export const isLetter = (char: string | undefined): boolean => char !== undefined && ((char >= "a" && char <= "z") || (char >= "A" && char <= "Z"));

/** One or more ASCII digits and nothing else. */
export function isDigits(text: string): boolean {
  // Indexed: a string's iterator is a builtin compiled on first use.
  for (let at = 0; at < text.length; at++) if (!isDigit(text[at])) return false;
  return text !== "";
}

/** The text without one trailing character from `chars` (a slash, say), if it ends with one. */
export function withoutTrailing(text: string, chars: string): string {
  return text !== "" && chars.includes(text.at(-1)!) ? text.slice(0, -1) : text;
}

/** `text` ended as a sentence, for another to follow: a period added, unless it ends in one or a question. */
export function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** `text` followed by spaces up to `width`: String.prototype.padEnd is compiled at its first use. */
export function padEnd(text: string, width: number): string {
  return width > text.length ? text + " ".repeat(width - text.length) : text;
}

/** A run of characters without spaces longer than this is cut short in an error line… */
const LONGEST_WORD = 500;
/** …to this many characters of its start and of its end. */
const KEPT_HEAD = 200;
const KEPT_TAIL = 40;

/**
 * Each run of characters without spaces longer than LONGEST_WORD shortened to its start and
 * end, saying how much was left out: a 100 KB argument (an ID read from the wrong file) or a
 * server's giant token quoted back would otherwise bury the one line that says what failed.
 * A cut never splits a surrogate pair.
 */
export function elideLongWords(text: string): string {
  if (text.length <= LONGEST_WORD) return text;
  return text.replace(new RegExp(`\\S{${LONGEST_WORD + 1},}`, "g"), (word) => {
    const head = cutBefore(word, KEPT_HEAD);
    const tail = word.length - cutBefore(word, word.length - KEPT_TAIL);
    return `${word.slice(0, head)}…(${word.length - head - tail} characters left out)…${word.slice(word.length - tail)}`;
  });
}

/** `at`, or one before it when a surrogate pair straddles it. */
function cutBefore(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

const HEX = "0123456789abcdef";

/**
 * Control characters (C0, DEL and C1) written as visible escapes (`\x1b`, `\u009b`), so that
 * text a server chose (a client's name, an error's description) cannot move the cursor,
 * retitle or clear the terminal, or hide itself behind a carriage return when it is shown;
 * and so are the invisible characters that reorder or hide text (bidirectional overrides
 * and isolates, zero-width characters, line and paragraph separators): a client's name
 * cannot read backwards or vanish in a listing. With `keepLines`, line feeds and tabs stay:
 * the text's own layout. Beyond C0 the escape is JSON's and JavaScript's own (`\u202e`), so
 * that JSON shown through here stays valid JSON, holding the same text.
 */
export function escapeControls(text: string, keepLines = false): string {
  let shown = "";
  let from = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x20 && code < 0x7f) continue;
    if (code > 0x9f && !isInvisible(code)) continue;
    if (keepLines && (code === 0x0a || code === 0x09)) continue;
    const escape = code < 0x20 ? `x${HEX[code >> 4]}${HEX[code & 15]}` : `u${HEX[code >> 12]}${HEX[(code >> 8) & 15]}${HEX[(code >> 4) & 15]}${HEX[code & 15]}`;
    shown += `${text.slice(from, at)}\\${escape}`;
    from = at + 1;
  }
  return from === 0 ? text : shown + text.slice(from);
}

/**
 * Characters that reorder or hide the text around them, or break its line unseen. Zero-width
 * joiners (U+200C, U+200D) stay: scripts and emoji need them.
 */
function isInvisible(code: number): boolean {
  return (
    code === 0x061c ||
    code === 0x180e ||
    code === 0x200b ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2069) ||
    code === 0xfeff
  );
}
