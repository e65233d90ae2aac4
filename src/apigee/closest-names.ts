// Names close to a mistyped one, closest first: for an env group that is not there and for a flag
// or command that does not exist ("did you mean").

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The candidates close enough to `word` to be what was meant, closest first (ties keep their order). */
export function closestFirst(word: string, candidates: readonly string[], maxDistance = Math.max(2, Math.floor(word.length / 3))): string[] {
  return candidates
    .map((c, i) => ({ c, i, d: c.startsWith(word) && word.length >= 3 ? 0 : editDistance(word, c) }))
    .filter((x) => x.d <= maxDistance)
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.c);
}

/** Every candidate, closest to `word` first (ties keep their order). */
export function byCloseness(word: string, candidates: readonly string[]): string[] {
  return closestFirst(word, candidates, Number.POSITIVE_INFINITY);
}
