import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {appendLines, replaceLine, replaceLines} from '../../src/config/ini/edit.js'
import {parseDocument, printDocument} from '../../src/config/ini/document.js'
import {configFileArbitrary} from './arbitraries.js'

const parse = (text: string) => parseDocument(Buffer.from(text), 'config')
const print = (document: ReturnType<typeof parse>) => printDocument(document).toString('utf8')

describe('edits', () => {
  it('replace a range of lines and keep every other line byte for byte', () => {
    fc.assert(
      fc.property(configFileArbitrary(), fc.nat(), fc.nat(3), fc.array(fc.constantFrom('region = eu-west-1', '# new', '[profile n]'), {maxLength: 3}), (text, at, count, inserted) => {
        const document = parse(text)
        const start = document.lines.length === 0 ? 0 : at % (document.lines.length + 1)
        const end = Math.min(document.lines.length, start + count)
        const edited = print(replaceLines(document, start, end, inserted))
        const before = document.lines.slice(0, start).map((l) => l.text + l.eol).join('')
        const after = document.lines.slice(end).map((l) => l.text + l.eol).join('')
        const body = (document.bom ? '\uFEFF' : '') + before
        // Untouched lines before the edit keep their bytes; a missing final newline may gain one before new text.
        expect(edited.startsWith(body.replace(/[^\n]*$/, ''))).toBe(true)
        expect(edited.endsWith(after)).toBe(true)
        for (const line of inserted) expect(edited).toContain(line)
      }),
      {numRuns: 1000},
    )
  })

  it('write new lines with the file’s own line ending', () => {
    expect(print(replaceLines(parse('[a]\r\nx = 1\r\n'), 1, 2, ['x = 2', 'y = 3']))).toBe('[a]\r\nx = 2\r\ny = 3\r\n')
    expect(print(replaceLine(parse('[a]\r\nx = 1\r\n'), 1, 'x = 9'))).toBe('[a]\r\nx = 9\r\n')
  })

  it('append after a blank line, adding a newline to a last line that had none', () => {
    expect(print(appendLines(parse('[a]\nx = 1'), ['[b]', 'y = 2']))).toBe('[a]\nx = 1\n\n[b]\ny = 2\n')
    expect(print(appendLines(parse('[a]\nx = 1\n\n'), ['[b]']))).toBe('[a]\nx = 1\n\n[b]\n')
    expect(print(appendLines(parse(''), ['[b]']))).toBe('[b]\n')
  })

  it('keep a BOM and a missing final newline', () => {
    expect(print(replaceLines(parse('\uFEFF[a]\nx = 1'), 1, 2, ['x = 2']))).toBe('\uFEFF[a]\nx = 2')
  })
})
