import {describe, expect, it} from 'vitest'

import type {GenerateOutput} from '../../src/generate/run.js'

import {formatGenerateReport} from '../../src/render/generate.js'

function output(names: number): GenerateOutput {
  const added = Array.from({length: names}, (_, i) => `Account-${i}.Admin`)
  return {
    added,
    dryRun: false,
    file: '/home/me/.aws/config',
    region: {source: 'sso-region', value: 'eu-west-1'},
    removed: [],
    renamed: added.map((name, i) => ({from: `Account ${i}.Admin`, name, reason: 'sanitised'})),
    sessionInBlock: true,
    skipped: [],
    source: 'org.json',
    ssoSession: 'corp',
    stale: [],
    unchanged: [],
    updated: [],
    written: true,
  }
}

describe('the generate summary', () => {
  it('lists each rename of a small run', () => {
    const text = formatGenerateReport(output(2))
    expect(text).toContain('Renamed: "Account 0.Admin" -> Account-0.Admin (sanitised)\n')
    expect(text).toContain('Renamed: "Account 1.Admin" -> Account-1.Admin (sanitised)\n')
    expect(text).not.toContain('more')
  })

  it('shows a few renames of thousands and counts the rest', () => {
    const text = formatGenerateReport(output(5000))
    expect(text.match(/^Renamed: /gm)).toHaveLength(6)
    expect(text).toContain('Renamed 4994 more (--json lists every one).\n')
    expect(text).toContain('Added 5000: Account-0.Admin, Account-1.Admin, ')
    expect(text.split('\n').length).toBeLessThan(20)
  })
})
