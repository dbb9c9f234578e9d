/** Near matches for "did you mean": Levenshtein distance (fastest-levenshtein), small enough to be a typo. */
import {distance} from 'fastest-levenshtein'

/** The closest known name within a small edit distance, for "did you mean". */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1
  for (const candidate of candidates) {
    const d = distance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }

  return best
}

/**
 * Up to three labels whose keys are nearest to `query` (case-insensitive), nearest first; a query that is a clear
 * part of a key (alice → alice.smith) counts as close. Plain strings are their own key and label.
 */
export function nearest(query: string, candidates: Iterable<string | {keys: string[]; label: string}>): string[] {
  const q = query.toLowerCase()
  const limit = Math.max(2, Math.floor(q.length / 3))
  const scored: Array<{d: number; label: string}> = []
  for (const candidate of candidates) {
    const {keys, label} = typeof candidate === 'string' ? {keys: [candidate], label: candidate} : candidate
    const d = Math.min(
      ...keys.map((k) => {
        const key = k.toLowerCase()
        return key.includes(q) && q.length >= 3 ? 1 : distance(q, key)
      }),
    )
    if (d <= limit) scored.push({d, label})
  }

  return [...new Set(scored.sort((a, b) => a.d - b.d || (a.label < b.label ? -1 : 1)).map((s) => s.label))].slice(0, 3)
}
