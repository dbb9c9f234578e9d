import Table from 'cli-table3'

/** A borderless, left-aligned table for people (scripts use --json). */
export function plainTable(head: string[], rows: string[][]): string {
  const table = new Table({
    chars: {
      bottom: '',
      'bottom-left': '',
      'bottom-mid': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      middle: '  ',
      right: '',
      'right-mid': '',
      top: '',
      'top-left': '',
      'top-mid': '',
      'top-right': '',
    },
    head,
    style: {border: [], compact: true, head: [], 'padding-left': 0, 'padding-right': 0},
  })
  table.push(...rows)
  return (
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n') + '\n'
  )
}
