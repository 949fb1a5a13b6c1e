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

/** A URL's part as typed, decoded: the parser keeps `%zz`, which is no escape, as it is. */
export function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `text` ended as a sentence, for another to follow: a period added, unless it ends in one or a question. */
export function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/**
 * `text` followed by spaces up to `width` columns (see displayWidth): String.prototype.padEnd
 * counts UTF-16 units, and is compiled at its first use.
 */
export function padEnd(text: string, width: number): string {
  const columns = displayWidth(text);
  return width > columns ? text + " ".repeat(width - columns) : text;
}

/**
 * How many columns a terminal gives `text`, so that a table's columns line up whatever their
 * script: two for East Asian wide and fullwidth characters and for emoji, none for combining
 * marks, variation selectors and zero-width characters, one for the rest (Unicode's East
 * Asian Width, UAX #11, as terminals and Go's go-runewidth, which Hydra v1.8's tables use,
 * read it). Written here rather than taken from a library: every table (the output of most
 * commands) measures its cells with it, and ASCII, the usual cell, never leaves the first test.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x300) {
      width++;
      continue;
    }
    let point = code;
    if (code >= 0xd800 && code <= 0xdbff && at + 1 < text.length) {
      const low = text.charCodeAt(at + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        at++;
      }
    }
    width += columnsOf(point);
  }
  return width;
}

/**
 * [first, last] code points of the same width, in order (UAX #11's W and F, and emoji):
 * made at the first character beyond ASCII's neighbours, not at every start, which would
 * pay for them in the engine's heap.
 */
let widthRanges: { zero: readonly number[]; double: readonly number[] } | undefined;

function ranges(): { zero: readonly number[]; double: readonly number[] } {
  return (widthRanges ??= {
    zero: [0x300, 0x36f, 0x483, 0x489, 0x591, 0x5bd, 0x610, 0x61a, 0x64b, 0x65f, 0x1ab0, 0x1aff, 0x1dc0, 0x1dff, 0x200b, 0x200f, 0x2060, 0x2064, 0x20d0, 0x20ff, 0xfe00, 0xfe0f, 0xfe20, 0xfe2f, 0xfeff, 0xfeff, 0x1f3fb, 0x1f3ff, 0xe0000, 0xe0fff],
    double: [
      0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe, 0x2614, 0x2615, 0x2648, 0x2653,
      0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea,
      0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e,
      0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55, 0x2e80, 0x303e,
      0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xa000, 0xa4cf, 0xa960, 0xa97f, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f,
      0xff00, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x17000, 0x18cff, 0x1b000, 0x1b2ff, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e,
      0x1f191, 0x1f19a, 0x1f200, 0x1f251, 0x1f300, 0x1f64f, 0x1f680, 0x1f6ff, 0x1f7e0, 0x1f7eb, 0x1f90c, 0x1f9ff, 0x1fa70, 0x1faff, 0x20000, 0x3fffd,
    ],
  });
}

function columnsOf(point: number): number {
  const { zero, double } = ranges();
  if (inRanges(point, zero)) return 0;
  return inRanges(point, double) ? 2 : 1;
}

function inRanges(point: number, ranges: readonly number[]): boolean {
  for (let at = 0; at < ranges.length && ranges[at]! <= point; at += 2) if (point <= ranges[at + 1]!) return true;
  return false;
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
