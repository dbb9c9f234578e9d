import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {runCli} from '../support/cli.js'

let dir: string
let env: NodeJS.ProcessEnv
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssokit-profiles-'))
  mkdirSync(join(dir, '.aws'))
  env = {
    AWS_CONFIG_FILE: join(dir, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'),
    HOME: dir,
  }
})

const config = () => env.AWS_CONFIG_FILE!

describe('ssokit profiles', () => {
  it('lists kinds, sessions, accounts, roles, regions and ssokit-managed profiles', async () => {
    writeFileSync(
      config(),
      [
        '[default]',
        'region = us-east-1',
        '[profile legacy]',
        'sso_start_url = https://d-1.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_account_id = 111122223333',
        'sso_role_name = R',
        '[profile assume]',
        'role_arn = arn:aws:iam::111122223333:role/X',
        'source_profile = default',
        '[profile proc]',
        'credential_process = /bin/true',
        '',
      ].join('\n'),
    )
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, '[keys]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n')
    const run = await runCli(['profiles', '--json'], {env})
    expect(run.code).toBe(0)
    const profiles = JSON.parse(run.stdout).profiles.map((p: Record<string, unknown>) => [
      p.name,
      p.kind,
      p.accountId,
      p.region,
      p.managed,
    ])
    expect(profiles).toEqual([
      ['assume', 'assume-role', null, null, false],
      ['default', 'other', null, 'us-east-1', false],
      ['keys', 'static', null, null, false],
      ['legacy', 'legacy-sso', '111122223333', null, false],
      ['proc', 'process', null, null, false],
    ])
    const table = await runCli(['profiles'], {env})
    expect(table.stdout.split('\n')[0]).toMatch(/^PROFILE\s+KIND\s+SSO SESSION\s+ACCOUNT\s+ROLE\s+REGION\s+MANAGED$/)
    expect(table.stdout).toMatch(/legacy\s+legacy-sso\s+-\s+111122223333\s+R\s+-\s+no/)
  })
})
