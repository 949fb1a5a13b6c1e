/** A word as a POSIX shell reads it back unchanged: bare when nothing in it is special, else single-quoted ('\'' for a quote). */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
