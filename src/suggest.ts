/** Levenshtein distance, used only for did-you-mean suggestions on short strings. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `input`, when it is close enough to be a plausible typo
 * (at most a third of the input's length, and at least 1, edits away). Case-insensitive.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.ceil(input.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** `did you mean "x"?` or the list of accepted values when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const guess = closest(input, candidates);
  if (guess !== undefined) return `did you mean ${JSON.stringify(guess)}?`;
  return `accepted values: ${candidates.map((c) => JSON.stringify(c)).join(', ')}`;
}
