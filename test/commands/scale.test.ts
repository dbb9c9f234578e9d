// Sizes that overflowed the stack or took minutes before (issue 8 §9): every pass over a file is linear and
// iterative now. `npm run bench` times the same sizes; these tests only check that they finish and are right.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {runCli} from '../support/cli.js'

let env: NodeJS.ProcessEnv
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-scale-'))
  mkdirSync(join(dir, '.aws'))
  env = {
    AWS_CONFIG_FILE: join(dir, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'),
    HOME: dir,
  }
})

const config = () => env.AWS_CONFIG_FILE!

describe('large files', () => {
  it('profiles lists 150,000 sections, as a table and as JSON', async () => {
    const sections: string[] = []
    for (let i = 0; i < 150_000; i++) sections.push(`[profile p${i}]`, 'region = us-east-1')
    writeFileSync(config(), sections.join('\n') + '\n')
    const table = await runCli(['profiles'], {env, timeoutMs: 120_000})
    expect(table.stderr).toBe('')
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')).toHaveLength(150_002)
    const json = await runCli(['profiles', '--json'], {env, timeoutMs: 120_000})
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).profiles).toHaveLength(150_000)
  }, 240_000)

  it('lint reports and --fix fixes one section of 200,000 keys', async () => {
    // Keys another SSO tool writes (granted_*), in capitals: one fixable finding each, no "did you mean".
    const lines = ['[default]']
    for (let i = 0; i < 200_000; i++) lines.push(`Granted_Key_${i} = 3`)
    writeFileSync(config(), lines.join('\n') + '\n')
    const text = await runCli(['lint'], {env, timeoutMs: 120_000})
    expect(text.stderr).toBe('')
    expect(text.code).toBe(0)
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe(
      '200000 problems (0 errors, 200000 warnings, 0 info); 200000 fixable with --fix.',
    )
    const fix = await runCli(['lint', '--fix', '--json'], {env, timeoutMs: 120_000})
    expect(fix.stderr).toBe('')
    expect(JSON.parse(fix.stdout).fixed.count).toBe(200_000)
    const fixed = readFileSync(config(), 'utf8')
    expect(fixed.startsWith('[default]\ngranted_key_0 = 3\ngranted_key_1 = 3\n')).toBe(true)
    expect(JSON.parse(fix.stdout).findings).toEqual([])
    expect(fixed).toHaveLength(lines.join('\n').length + 1)
  }, 240_000)
})
