/** Near matches for "did you mean": Levenshtein distance (fastest-levenshtein), small enough to be a typo. */
import {createRequire} from 'node:module'

/**
 * fastest-levenshtein, loaded on the first "did you mean": every command imports this module (through the value
 * checks), few ever need a suggestion, and loading the package costs more than most commands' own work.
 */
let levenshtein: ((a: string, b: string) => number) | undefined
function distance(a: string, b: string): number {
  levenshtein ??= (
    createRequire(import.meta.url)('fastest-levenshtein') as {distance: (a: string, b: string) => number}
  ).distance
  return levenshtein(a, b)
}

/**
 * The closest known name within a small edit distance, for "did you mean". Cheap per call: only candidates of a
 * length that could win are compared (listed once per candidate set and name length). Lint asks it for every
 * unknown key, and a file may hold 200,000 of them.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bound = maxDistance(name.length) + 1
  for (const candidate of candidatesNear(candidates, name.length)) {
    if (Math.abs(candidate.length - name.length) >= bound) continue
    const d = distance(name, candidate)
    if (d < bound) {
      best = candidate
      bound = d
    }
  }

  return best
}

function maxDistance(length: number): number {
  return Math.max(2, Math.floor(length / 4))
}

const windows = new WeakMap<object, Map<number, string[]>>()

/**
 * The candidates whose length is close enough to `length` to be within reach, in their original order (ties go to
 * the earlier one). Cached for fixed collections (the known-settings sets); an iterator is read once.
 */
function candidatesNear(candidates: Iterable<string>, length: number): string[] {
  const fixed = candidates instanceof Set || Array.isArray(candidates)
  let byLength = fixed ? windows.get(candidates) : undefined
  if (!byLength) {
    byLength = new Map()
    if (fixed) windows.set(candidates, byLength)
  }

  let near = byLength.get(length)
  if (!near) {
    const reach = maxDistance(length)
    near = [...candidates].filter((c) => Math.abs(c.length - length) <= reach)
    byLength.set(length, near)
  }

  return near
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
