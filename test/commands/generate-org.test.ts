/** `ssokit generate --from-org` (live admin discovery) end to end against a real moto server. */
import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {tempHome} from '../sso/helpers.js'
import {runCli} from '../support/cli.js'
import {
  awkwardSpec,
  awsEnvFor,
  describeWithMoto,
  type MotoServer,
  type Seeded,
  seedIdentityCenter,
  startMoto,
} from '../support/moto.js'

describeWithMoto('ssokit generate --from-org', () => {
  let moto: MotoServer
  let seeded: Seeded
  beforeAll(async () => {
    moto = await startMoto()
    seeded = await seedIdentityCenter(moto.url, awkwardSpec())
  }, 120_000)
  afterAll(async () => moto?.stop())

  it('writes what one user reaches, directly and through groups, with safe names for awkward account names', async () => {
    const home = tempHome()
    const env = {...home.env, ...awsEnvFor(moto.url)}
    const run = await runCli(
      ['generate', '--sso-session', 'corp', '--from-org', '--for-user', 'bob', '--yes', '--json'],
      {env, timeoutMs: 120_000},
    )
    expect(run.code, run.stderr).toBe(0)
    const [dev, shared, sandbox1, sandbox2] = seeded.accounts.slice(2).map((a) => a.id) // after the management account and Production
    expect(JSON.parse(run.stdout).added).toEqual(
      [
        'Dev-Test-QA.PowerUser-Limited',
        `Sandbox.PowerUser-Limited-${[sandbox1, sandbox2].sort()[0]}`,
        `Sandbox.PowerUser-Limited-${[sandbox1, sandbox2].sort()[1]}`,
        'Shared-Services-Networking.ReadOnly',
      ].sort(),
    )
    const config = readFileSync(home.configFile, 'utf8')
    expect(config).toContain(
      `[sso-session corp]\nsso_start_url = https://${seeded.instance.identityStoreId}.awsapps.com/start\nsso_region = us-east-1\n`,
    )
    expect(config).toContain(
      `[profile Dev-Test-QA.PowerUser-Limited]\nsso_session = corp\nsso_account_id = ${dev}\nsso_role_name = PowerUser+Limited\n`,
    )
    expect(config).toContain(`sso_account_id = ${shared}\nsso_role_name = ReadOnly\n`)
  }, 120_000)

  it('without --for-user writes every assigned account and permission set pair', async () => {
    const home = tempHome()
    const run = await runCli(['generate', '--sso-session', 'corp', '--from-org', '--yes', '--json'], {
      env: {...home.env, ...awsEnvFor(moto.url)},
      timeoutMs: 120_000,
    })
    expect(run.code, run.stderr).toBe(0)
    const pairs = new Set(seeded.assignments.map((a) => `${a.accountId} ${a.permissionSetArn}`))
    expect(JSON.parse(run.stdout).added).toHaveLength(pairs.size)
  }, 120_000)
})
