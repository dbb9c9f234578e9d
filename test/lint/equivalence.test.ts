// Lint's verdict "the AWS CLI rejects the whole file" must agree with botocore's reading on any file.
// (The botocore reading itself is checked against real botocore in test/config/readings.test.ts.)
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {configFileArbitrary} from '../config/arbitraries.js'
import {botocoreReadBytes} from '../support/readings.js'
import {lintText} from './helpers.js'

describe('lint and botocore agree on whole-file failures', () => {
  it('reports "rejects the whole file" exactly when botocore cannot parse the file', async () => {
    await fc.assert(
      fc.asyncProperty(configFileArbitrary(), async (text) => {
        const botocoreFails = !botocoreReadBytes(Buffer.from(text, 'utf8')).ok
        const findings = await lintText(text)
        const lintSaysFails = findings.some((f) => f.message.includes('rejects the whole file'))
        expect(lintSaysFails, `${text}\n${JSON.stringify(findings.map((f) => [f.rule, f.line]))}`).toBe(botocoreFails)
      }),
      {numRuns: 1500, seed: 7},
    )
  })
})
