import fc from 'fast-check'
import {spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'

import {fishQuote, powershellQuote, renderEnvironment, shQuote} from '../../src/render/shell-env.js'

/** Strings a shell word can hold: anything but NUL (no shell variable can contain it). */
const shellText = fc
  .string({
    maxLength: 40,
    unit: fc.oneof(
      fc.string({maxLength: 1, minLength: 1}),
      fc.string({maxLength: 1, minLength: 1, unit: 'binary'}),
      fc.constantFrom("'", '\\', '"', '$', '`', '\n', '!', '*', '\u2019'),
    ),
  })
  .filter((s) => !s.includes('\0') && Buffer.from(s, 'utf8').toString('utf8') === s)

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0

describe('shell quoting for ssokit env', () => {
  it('sh: /bin/sh reads every quoted word back exactly', () => {
    const words = fc.sample(shellText, 200)
    const script = words.map((w) => `printf '%s\\0' ${shQuote(w)}`).join('\n')
    const out = spawnSync('/bin/sh', ['-c', script], {encoding: 'utf8'})
    expect(out.status).toBe(0)
    expect(out.stdout.split('\0').slice(0, -1)).toEqual(words)
  })

  it.skipIf(!has('fish'))('fish: fish reads every quoted word back exactly', () => {
    const words = fc.sample(shellText, 200)
    const out = spawnSync('fish', ['-c', words.map((w) => `printf '%s\\0' ${fishQuote(w)}`).join('\n')], {
      encoding: 'utf8',
    })
    expect(out.stdout.split('\0').slice(0, -1)).toEqual(words)
  })

  it.skipIf(!has('pwsh'))('powershell: pwsh reads every quoted word back exactly', () => {
    const words = fc.sample(
      shellText.filter((w) => !w.includes('\n')),
      100,
    )
    const script = words.map((w) => `[Console]::Out.Write(${powershellQuote(w)} + [char]0)`).join('; ')
    const out = spawnSync('pwsh', ['-NoProfile', '-Command', script], {encoding: 'utf8'})
    expect(out.stdout.split('\0').slice(0, -1)).toEqual(words)
  })

  it('fish and powershell: the quote rules of their manuals (fish and pwsh are not installed everywhere)', () => {
    // fish: in single quotes only \' and \\ are escapes.
    expect(fishQuote(String.raw`a'b\c$d"e`)).toBe(String.raw`'a\'b\\c$d"e'`)
    expect(fishQuote('')).toBe("''")
    // PowerShell: single quotes are verbatim; a quote is doubled, and so are the typographic single quotes.
    expect(powershellQuote(`it's $HOME "x" \`n`)).toBe(`'it''s $HOME "x" \`n'`)
    expect(powershellQuote('\u2018a\u2019b\u201A\u201B')).toBe("'\u2018\u2018a\u2019\u2019b\u201A\u201A\u201B\u201B'")
    fc.assert(
      fc.property(shellText, (w) => {
        // Reading back by the rules above gives the word again.
        const fish = fishQuote(w)
          .slice(1, -1)
          .replaceAll(/\\([\\'])/g, '$1')
        const pwsh = powershellQuote(w)
          .slice(1, -1)
          .replaceAll(/(['\u2018-\u201B])\1/g, '$1')
        return fish === w && pwsh === w
      }),
    )
  })

  it('prints removals first, then assignments, one per line', () => {
    const environment = {
      set: [
        ['A', "x'y"],
        ['B', 'z'],
      ] as Array<[string, string]>,
      unset: ['P', 'Q'],
    }
    expect(renderEnvironment(environment, 'sh')).toBe("unset P Q\nexport A='x'\\''y'\nexport B='z'\n")
    expect(renderEnvironment(environment, 'fish')).toBe("set -e P\nset -e Q\nset -gx A 'x\\'y'\nset -gx B 'z'\n")
    expect(renderEnvironment(environment, 'powershell')).toBe(
      "Remove-Item Env:P -ErrorAction SilentlyContinue\nRemove-Item Env:Q -ErrorAction SilentlyContinue\n$Env:A = 'x''y'\n$Env:B = 'z'\n",
    )
  })
})
