/**
 * The known word a mistyped one most likely meant, for "did you mean": the one a prefix
 * names alone, else the closest within one edit for a short word and two for a longer one
 * (a swap of neighbours counts as one). Runs only on the way to a usage error.
 */
export function closest(word: string, known: Iterable<string>): string | undefined {
  const words = [...known];
  if (word.length >= 3) {
    const extended = words.filter((candidate) => candidate.startsWith(word));
    if (extended.length === 1) return extended[0];
  }
  const limit = word.length < 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of words) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(distance);
    }
  }
  return rows[a.length]![b.length]!;
}
