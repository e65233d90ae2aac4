// The known name nearest to a mistyped one (Levenshtein distance), when it is near enough to be a typo.

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

export function closest(name: string, known: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k);
    if (!best || d < best.d) best = { name: k, d };
  }
  // A third of the name may be wrong; beyond that a suggestion is noise.
  return best && best.d <= Math.max(2, Math.ceil(name.length / 3)) ? best.name : null;
}
