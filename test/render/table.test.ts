import Table from 'cli-table3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {plainTable} from '../../src/render/table.js'

/** The table library ssokit used before: the same borderless layout, built cell against cell. */
function cliTable3(head: string[], rows: string[][]): string {
  const none = ['bottom', 'bottom-left', 'bottom-mid', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid']
  const chars = Object.fromEntries(
    [...none, 'right', 'right-mid', 'top', 'top-left', 'top-mid', 'top-right'].map((c) => [c, '']),
  )
  const table = new Table({
    chars: {...chars, middle: '  '},
    head,
    style: {border: [], compact: true, head: [], 'padding-left': 0, 'padding-right': 0},
  })
  for (const row of rows) table.push(row)
  return (
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n') + '\n'
  )
}

const cell = fc.oneof(
  fc.string({maxLength: 12, unit: fc.constantFrom('a', 'B', '1', '-', '.', ' ', '_')}),
  fc.constantFrom('', '-', 'yes', 'no', 'Zürich', '東京', 'café', 'sso-session', '111122223333'),
)

describe('plainTable', () => {
  it('lays out every table exactly as cli-table3 did', () => {
    fc.assert(
      fc.property(
        fc
          .integer({max: 6, min: 1})
          .chain((columns) =>
            fc.tuple(
              fc.array(cell, {maxLength: columns, minLength: columns}),
              fc.array(fc.array(cell, {maxLength: columns, minLength: columns}), {maxLength: 8}),
            ),
          ),
        ([head, rows]) => {
          expect(plainTable(head, rows)).toBe(cliTable3(head, rows))
        },
      ),
      {numRuns: 500, seed: 3},
    )
  })

  it('escapes control characters in cells, so that no name moves the cursor or breaks a row', () => {
    expect(plainTable(['NAME', 'KIND'], [['a\u001B]0;owned\u0007', 'x\ny']])).toBe(
      'NAME               KIND\na\\x1b]0;owned\\x07  x\\ny\n',
    )
  })

  it('takes time in proportion to its rows (150,000 rows, no stack overflow)', () => {
    const rows = (n: number) => Array.from({length: n}, (_, i) => [`profile-${i}`, 'sso-session', 'corp', 'us-east-1'])
    const time = (n: number) => {
      const start = performance.now()
      plainTable(['PROFILE', 'KIND', 'SSO SESSION', 'REGION'], rows(n))
      return performance.now() - start
    }

    time(5000)
    const small = Math.min(time(10_000), time(10_000))
    const large = Math.min(time(150_000), time(150_000))
    // Linear: 15 times the rows in about 15 times the time; quadratic would be 225 times.
    expect(large / small).toBeLessThan(60)
  })
})
