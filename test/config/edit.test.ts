import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {parseDocument, printDocument} from '../../src/config/ini/document.js'
import {
  addSection,
  appendLines,
  editLines,
  removeKey,
  replaceLine,
  replaceLines,
  replaceSection,
  setKey,
} from '../../src/config/ini/edit.js'
import {configFileArbitrary} from './arbitraries.js'

const parse = (text: string) => parseDocument(Buffer.from(text), 'config')
const print = (document: ReturnType<typeof parse>) => printDocument(document).toString('utf8')

/** Random (position, length, lines) triples as sorted, non-overlapping edits within the document. */
function disjointEdits(document: ReturnType<typeof parse>, rawEdits: Array<[number, number, string[]]>) {
  const n = document.lines.length
  const edits = rawEdits
    .map(([at, count, lines]) => {
      const start = n === 0 ? 0 : at % (n + 1)
      return {end: Math.min(n, start + count), lines, start}
    })
    .sort((a, b) => a.start - b.start || a.end - b.end)
  let keptEnd = 0
  return edits.filter((edit) => {
    if (edit.start < keptEnd) return false
    keptEnd = edit.end
    return true
  })
}

describe('edits', () => {
  it('replace a range of lines and keep every other line byte for byte', () => {
    fc.assert(
      fc.property(
        configFileArbitrary(),
        fc.nat(),
        fc.nat(3),
        fc.array(fc.constantFrom('region = eu-west-1', '# new', '[profile n]'), {maxLength: 3}),
        (text, at, count, inserted) => {
          const document = parse(text)
          const start = document.lines.length === 0 ? 0 : at % (document.lines.length + 1)
          const end = Math.min(document.lines.length, start + count)
          const edited = print(replaceLines(document, start, end, inserted))
          const before = document.lines
            .slice(0, start)
            .map((l) => l.text + l.eol)
            .join('')
          const after = document.lines
            .slice(end)
            .map((l) => l.text + l.eol)
            .join('')
          const body = (document.bom ? '\uFEFF' : '') + before
          // Untouched lines before the edit keep their bytes; a missing final newline may gain one before new text.
          expect(edited.startsWith(body.replace(/[^\n]*$/, ''))).toBe(true)
          expect(edited.endsWith(after)).toBe(true)
          for (const line of inserted) expect(edited).toContain(line)
        },
      ),
      {numRuns: 1000},
    )
  })

  it('leave a document equal to a fresh parse of its bytes (lines, numbers and structure)', () => {
    const shape = (document: ReturnType<typeof parse>) => ({
      lines: document.lines.map((l) => [l.number, l.kind, l.text, l.eol, l.key, l.header]),
      preamble: document.preamble.properties.map((p) => [p.key, p.startIndex, p.endIndex]),
      sections: document.sections.map((s) => [
        s.name,
        s.startIndex,
        s.endIndex,
        s.properties.map((p) => [p.key, p.startIndex, p.endIndex, p.children.length]),
      ]),
    })
    fc.assert(
      fc.property(
        configFileArbitrary(),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat(3),
            fc.array(fc.constantFrom('  nested = 1', '[profile n]', 'k = v', ''), {maxLength: 3}),
          ),
          {
            maxLength: 3,
          },
        ),
        (text, rawEdits) => {
          const document = parse(text)
          const edited = editLines(document, disjointEdits(document, rawEdits))
          expect(shape(edited), text).toEqual(shape(parse(print(edited))))
        },
      ),
      {numRuns: 1000},
    )
  })

  it('print the same bytes for new lines given as one text joined with line feeds, also on an edited document', () => {
    fc.assert(
      fc.property(
        configFileArbitrary(),
        fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.array(fc.constantFrom('[profile n]', 'k = v', ''), {minLength: 1}))),
        fc.array(fc.constantFrom('[b]', 'y = 2', ''), {maxLength: 3}),
        (text, rawEdits, appended) => {
          const document = parse(text)
          const edits = disjointEdits(document, rawEdits)
          const asLists = appendLines(editLines(document, edits), appended)
          const asTexts = appendLines(
            editLines(
              document,
              edits.map((edit) => ({...edit, lines: edit.lines.join('\n')})),
            ),
            appended.length > 0 ? appended.join('\n') : [],
          )
          expect(print(asTexts), text).toBe(print(asLists))
          expect(asTexts.lines.map((l) => [l.text, l.eol, l.kind])).toEqual(
            asLists.lines.map((l) => [l.text, l.eol, l.kind]),
          )
        },
      ),
      {numRuns: 1000},
    )
  })

  it('refuse a new line that holds a line break', () => {
    expect(() => replaceLines(parse('[a]\n'), 1, 1, ['x = 1\n[profile evil]'])).toThrow(/line break/)
    expect(() => replaceLines(parse('[a]\n'), 1, 1, ['x = 1\r[profile evil]'])).toThrow(/line break/)
    expect(() => replaceLines(parse('[a]\n'), 1, 1, 'x = 1\r\n[profile evil]')).toThrow(/line break/)
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

describe('key and section edits', () => {
  const text =
    '# top\r\n[profile a]\r\n  region = us-east-1 # keep\r\ns3 =\r\n  max_concurrent_requests = 20\r\n\r\n# about b\r\n[profile b]\r\noutput = json\r\n'

  it('set a key in place, keeping its indentation and every other line', () => {
    expect(print(setKey(parse(text), 'profile a', 'Region', 'eu-west-1'))).toBe(
      text.replace('  region = us-east-1 # keep', '  region = eu-west-1'),
    )
  })

  it('set a key that has a nested block: the block goes with it', () => {
    expect(print(setKey(parse(text), 'profile a', 's3', 'off'))).toBe(
      text.replace('s3 =\r\n  max_concurrent_requests = 20\r\n', 's3 = off\r\n'),
    )
  })

  it('add a key after the section’s last key, indented like it', () => {
    expect(print(setKey(parse(text), 'profile b', 'region', 'us-west-2'))).toBe(
      text.replace('output = json\r\n', 'output = json\r\nregion = us-west-2\r\n'),
    )
    expect(print(setKey(parse('[a]\n[b]\n'), 'a', 'k', 'v'))).toBe('[a]\nk = v\n[b]\n')
  })

  it('add a missing section at the end', () => {
    expect(print(setKey(parse(text), 'profile c', 'region', 'x'))).toBe(`${text}\r\n[profile c]\r\nregion = x\r\n`)
    expect(print(addSection(parse('[a]\nk = 1'), 'sso-session s', [['sso_region', 'us-east-1']]))).toBe(
      '[a]\nk = 1\n\n[sso-session s]\nsso_region = us-east-1\n',
    )
  })

  it('remove a key with its nested block', () => {
    expect(print(removeKey(parse(text), 'profile a', 'S3'))).toBe(
      text.replace('s3 =\r\n  max_concurrent_requests = 20\r\n', ''),
    )
    expect(print(removeKey(parse(text), 'profile a', 'nope'))).toBe(text)
  })

  it('replace a section, keeping the comment that introduces the next one', () => {
    expect(print(replaceSection(parse(text), 'profile a', [['sso_session', 'corp']]))).toBe(
      '# top\r\n[profile a]\r\nsso_session = corp\r\n\r\n# about b\r\n[profile b]\r\noutput = json\r\n',
    )
  })

  it('never change lines outside the edited key, on any file', () => {
    fc.assert(
      fc.property(
        configFileArbitrary(),
        fc.constantFrom('region', 's3', 'output', 'new_key'),
        fc.boolean(),
        (source, key, remove) => {
          const document = parse(source)
          const section = document.sections.at(-1)
          if (!section) return
          const target = section.properties.findLast((p) => p.key.toLowerCase() === key)
          const edited = remove ? removeKey(document, section.name, key) : setKey(document, section.name, key, 'v')
          const keep = (i: number) => !target || i < target.startIndex || i > target.endIndex
          const untouched = document.lines.filter((_, i) => keep(i)).map((l) => l.text)
          let matched = 0
          for (const line of edited.lines) if (matched < untouched.length && line.text === untouched[matched]) matched++
          expect(matched, source).toBe(untouched.length)
        },
      ),
      {numRuns: 1000},
    )
  })
})
