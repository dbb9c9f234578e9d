/** Near matches for "did you mean": Levenshtein distance, small enough to be a typo. */

/** Closest known name within a small edit distance, for "did you mean". */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1
  for (const candidate of candidates) {
    const d = editDistance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }

  return best
}

function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }

  return row[b.length]
}

/** Up to `limit` candidates nearest to `query` (case-insensitive), nearest first; only plausible ones. */
export function nearest(query: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = query.toLowerCase()
  const scored: Array<{candidate: string; distance: number}> = []
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase()
    const distance = lower.includes(wanted) || wanted.includes(lower) ? 0 : editDistance(wanted, lower)
    if (distance <= Math.max(2, Math.floor(wanted.length / 3))) scored.push({candidate, distance})
  }

  return scored
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, limit)
    .map((s) => s.candidate)
}
