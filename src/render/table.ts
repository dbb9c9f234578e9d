import stringWidth from 'string-width'

import {escapeLine} from './terminal.js'

/**
 * A borderless, left-aligned table for people (scripts use --json): the header row, then one line per row, columns
 * two spaces apart, no trailing spaces. Each cell is one line with its control characters escaped. Linear in the
 * number of cells: one pass for the column widths, one to write (a table library that lays out cells pairwise
 * took 48 s for 20,000 profiles).
 */
export function plainTable(head: string[], rows: string[][]): string {
  const cells = [head, ...rows].map((row) => row.map((cell) => escapeLine(cell)))
  // A column is at least one character wide, as cli-table3 (which ssokit used before) made it.
  const widths = head.map(() => 1)
  for (const row of cells) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 1, width(cell))
  }

  const lines: string[] = []
  for (const row of cells) {
    let line = ''
    for (const [i, cell] of row.entries()) {
      line += i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - width(cell) + 2)
    }

    lines.push(line.trimEnd())
  }

  return lines.join('\n') + '\n'
}

/** Terminal columns: the length for printable ASCII, East Asian wide characters and emoji counted as two. */
function width(text: string): number {
  return /^[\u0020-\u007E]*$/.test(text) ? text.length : stringWidth(text)
}
