import {describe, expect, it} from 'vitest'

import {parseDocument} from '../../src/config/ini/document.js'
import {
  blockDigest,
  closingMarker,
  findManagedBlocks,
  inManagedBlock,
  openingMarker,
} from '../../src/config/managed-blocks.js'

const body = ['[profile a]', 'sso_session = corp', '', '[profile b]', 'sso_session = corp']
const block = (eol: string, lines = body) => [openingMarker('corp'), ...lines, closingMarker('corp', lines)].join(eol)

describe('managed blocks', () => {
  it('have a digest of their lines that does not depend on line endings', () => {
    expect(blockDigest(body)).toBe(blockDigest(body.join('\n')))
    for (const eol of ['\n', '\r\n']) {
      const text = `[default]${eol}${block(eol)}${eol}[profile after]${eol}`
      const [found] = findManagedBlocks(parseDocument(Buffer.from(text), 'config'))
      expect(found).toMatchObject({endIndex: 7, intact: true, ssoSession: 'corp', startIndex: 1})
    }
  })

  it('notice a hand edit, a missing closing marker and a marker for another session', () => {
    const blocksOf = (text: string) => findManagedBlocks(parseDocument(Buffer.from(text), 'config'))
    const edited = block('\n').replace('[profile b]', '[profile c]')
    expect(blocksOf(edited)[0].intact).toBe(false)
    const unclosed = [openingMarker('corp'), ...body].join('\n')
    expect(blocksOf(unclosed).map((b) => [b.endIndex, b.intact])).toEqual([[undefined, false]])
    const mismatched = [openingMarker('corp'), ...body, closingMarker('other', body)].join('\n')
    expect(blocksOf(mismatched)[0].endIndex).toBeUndefined()
  })

  it('tell which lines are inside a block', () => {
    const document = parseDocument(Buffer.from(`[default]\n${block('\n')}\n`), 'config')
    const blocks = findManagedBlocks(document)
    expect([1, 2, 3, 8].map((line) => inManagedBlock(blocks, line) !== undefined)).toEqual([false, false, true, false])
  })
})
