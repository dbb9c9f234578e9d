import fc from 'fast-check'
import {readdirSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {joinedLineTexts, parseDocument, printDocument} from '../../src/config/ini/document.js'
import {editLines} from '../../src/config/ini/edit.js'
import {configFileArbitrary} from './arbitraries.js'

const CASES = fileURLToPath(new URL('../fixtures/config-cases/', import.meta.url))

describe('parseDocument / printDocument', () => {
  it('gives back the exact bytes of every fixture', () => {
    for (const file of readdirSync(CASES)) {
      const bytes = readFileSync(CASES + file)
      expect(printDocument(parseDocument(bytes, 'config')).equals(bytes), file).toBe(true)
    }
  })

  it('gives back the exact bytes of any byte string, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 400}), (bytes) => {
        expect(printDocument(parseDocument(bytes, 'config')).equals(Buffer.from(bytes))).toBe(true)
      }),
      {numRuns: 2000},
    )
  })

  it('gives back the exact text of any string of config-like lines, with CRLF, BOM and odd spacing', () => {
    fc.assert(
      fc.property(fc.oneof(configFileArbitrary(), fc.string({unit: 'binary'})), (text) => {
        const bytes = Buffer.from(text, 'utf8')
        expect(printDocument(parseDocument(bytes, 'credentials')).equals(bytes)).toBe(true)
      }),
      {numRuns: 2000},
    )
  })

  it('keeps invalid UTF-8 byte for byte and says it is not UTF-8', () => {
    const bytes = Buffer.from([
      0x5b, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x5d, 0x0a, 0x72, 0x3d, 0xff, 0xfe, 0x0a,
    ])
    const document = parseDocument(bytes, 'config')
    expect(document.encoding).toBe('latin1')
    expect(document.sections.map((s) => s.name)).toEqual(['default'])
    expect(printDocument(document).equals(bytes)).toBe(true)
  })

  it('records the BOM apart from the first line', () => {
    const document = parseDocument(Buffer.from('\uFEFF[default]\nregion = us-east-1\n'), 'config')
    expect(document.bom).toBe(true)
    expect(document.lines[0].text).toBe('[default]')
  })

  it('numbers lines, keeps line endings and classifies lines as botocore does', () => {
    const text =
      '# top\r\n[profile a] # c\r\nregion = us-east-1\r\ns3 =\r\n  max_concurrent_requests = 20\r\n\r\n  # inside\r\n  addressing_style = path\r\noutput: json\r\nbare\r\n[profile b]\nregion=x'
    const document = parseDocument(Buffer.from(text), 'config')
    expect(document.lines.map((l) => [l.number, l.kind, l.eol])).toEqual([
      [1, 'comment', '\r\n'],
      [2, 'section', '\r\n'],
      [3, 'property', '\r\n'],
      [4, 'property', '\r\n'],
      [5, 'property', '\r\n'],
      [6, 'blank', '\r\n'],
      [7, 'comment', '\r\n'],
      [8, 'property', '\r\n'],
      [9, 'property', '\r\n'],
      [10, 'invalid', '\r\n'],
      [11, 'section', '\n'],
      [12, 'property', ''],
    ])
    const [a, b] = document.sections
    expect(a.name).toBe('profile a')
    expect(a.properties.map((p) => [p.key, p.value, p.children.map((c) => c.number)])).toEqual([
      ['region', 'us-east-1', []],
      ['s3', '', [5, 8]],
      ['output', 'json', []],
    ])
    expect(a.properties[2].line.delimiter).toBe(':')
    expect([a.startIndex, a.endIndex, b.startIndex, b.endIndex]).toEqual([1, 10, 10, 12])
  })

  it('parses 100,000 sections in well under a few seconds', () => {
    const text = Array.from({length: 100_000}, (_, i) => `[profile p${i}]\nregion = us-east-1\n`).join('')
    const document = parseDocument(Buffer.from(text), 'config')
    expect(document.sections).toHaveLength(100_000)
    expect(document.sections[99_999].properties[0].line.number).toBe(200_000)
  })

  it('joins the texts of a range of lines alike from the parsed text and from the lines, line endings aside', () => {
    fc.assert(
      fc.property(configFileArbitrary(), fc.nat(), fc.nat(), (text, a, b) => {
        const document = parseDocument(Buffer.from(text), 'config')
        const n = document.lines.length
        const [from, to] = [a % (n + 1), b % (n + 1)].sort((x, y) => x - y)
        const expected = document.lines
          .slice(from, to)
          .map((l) => l.text)
          .join('\n')
        expect(joinedLineTexts(document, from, to)).toBe(expected)
        // An edited document has no parsed text: its lines are joined.
        expect(joinedLineTexts(editLines(document, []), from, to)).toBe(expected)
      }),
      {numRuns: 2000},
    )
    const crlf = parseDocument(Buffer.from('a\r\nb\rc\r\n\r\nd'), 'config')
    expect(joinedLineTexts(crlf, 0, 4)).toBe('a\nb\rc\n\nd')
  })
})
