/** The README is part of the contract: its table of error codes is exactly src/errors.ts's registry. */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {ERROR_CODES} from '../src/errors.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe('README', () => {
  it('lists every error code with its exit code and meaning, and no other', () => {
    const section = README.slice(README.indexOf('### Error codes'), README.indexOf('## How ssokit treats your files'))
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (.+) \|$/gm)].map(([, code, exit, meaning]) => [
      code,
      {exit: Number(exit), meaning},
    ])
    expect(Object.fromEntries(rows)).toEqual(ERROR_CODES)
  })
})
