import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {closest, NESTED_KEYS, PROFILE_KEYS} from '../../src/config/settings.js'

/** The plain definition: the first candidate at the smallest Levenshtein distance below the limit. */
function naiveClosest(name: string, candidates: Iterable<string>): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({length: a.length + 1}, (_, i) => [i, ...Array.from({length: b.length}, () => 0)])
    for (let j = 1; j <= b.length; j++) d[0][j] = j
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    return d[a.length][b.length]
  }

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

describe('closest ("did you mean")', () => {
  it('finds what the plain definition finds, for known settings and near misses of them', () => {
    const keys = [...PROFILE_KEYS]
    const nearMiss = fc
      .tuple(fc.constantFrom(...keys), fc.nat(30), fc.constantFrom('', 'x', '_', 'ee'))
      .map(([key, at, insert]) => key.slice(0, at % (key.length + 1)) + insert + key.slice((at % (key.length + 1)) + 1))
    fc.assert(
      fc.property(fc.oneof(nearMiss, fc.string({maxLength: 24})), (name) => {
        expect(closest(name, PROFILE_KEYS)).toBe(naiveClosest(name, PROFILE_KEYS))
        expect(closest(name, NESTED_KEYS.s3!)).toBe(naiveClosest(name, NESTED_KEYS.s3!))
        expect(closest(name, new Map(keys.map((k) => [k, 1])).keys())).toBe(naiveClosest(name, keys))
      }),
      {numRuns: 2000, seed: 5},
    )
  })
})
