/**
 * `ssokit generate --from-portal` end to end against the SSO emulator, and interop: every profile it writes gets
 * role credentials from botocore and from the JS SDK through the portal's GetRoleCredentials.
 */
import {fromIni} from '@aws-sdk/credential-providers'
import {execFile} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {START_URL, tempHome} from '../sso/helpers.js'
import {runCli} from '../support/cli.js'
import {requirePython} from '../support/python.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

const INTEROP = fileURLToPath(new URL('../support/sso_interop.py', import.meta.url))
const hasBotocore = requirePython('botocore')
const SESSION = `[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`

let emulator: SsoEmulator
beforeAll(async () => {
  emulator = await startSsoEmulator({
    accounts: [
      {accountId: '111122223333', accountName: 'Production', roles: ['AdministratorAccess', 'ReadOnly']},
      {accountId: '444455556666', accountName: 'Dev & Test', roles: ['AdministratorAccess']},
      {accountId: '777788889999', accountName: 'Production', roles: ['ReadOnly']},
    ],
    pageSize: 1,
  })
})
afterAll(async () => emulator.close())

async function signedInHome(token = emulator.issueToken({region: 'us-east-1', startUrl: START_URL})) {
  const home = tempHome()
  home.writeConfig(`# my own settings\n[default]\nregion = eu-west-1\n\n${SESSION}`)
  await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), token)
  return {env: {...home.env, ...emulator.env(), AWS_EC2_METADATA_DISABLED: 'true'}, home}
}

describe('ssokit generate --from-portal', () => {
  it('writes a profile for every account and role the user can reach, paging through the portal', async () => {
    const {env, home} = await signedInHome()
    const run = await runCli(['generate', '--sso-session', 'corp', '--yes', '--json'], {env})
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout)
    // Two accounts are named Production: every profile of both carries its account id.
    expect(out.added).toEqual([
      'Dev-Test.AdministratorAccess',
      'Production.AdministratorAccess-111122223333',
      'Production.ReadOnly-111122223333',
      'Production.ReadOnly-777788889999',
    ])
    expect(out.sessionInBlock).toBe(false)
    expect(out.renamed.map((r: {name: string; reason: string}) => [r.name, r.reason])).toEqual([
      ['Production.AdministratorAccess-111122223333', 'collision'],
      ['Production.ReadOnly-111122223333', 'collision'],
      ['Dev-Test.AdministratorAccess', 'sanitised'],
      ['Production.ReadOnly-777788889999', 'collision'],
    ])
    const config = readFileSync(home.configFile, 'utf8')
    expect(config.startsWith(`# my own settings\n[default]\nregion = eu-west-1\n\n${SESSION}`)).toBe(true)
    expect(config.match(/\[sso-session corp\]/g)).toHaveLength(1)
    for (const secret of emulator.issuedSecrets().tokens) expect(run.stdout + run.stderr).not.toContain(secret)
  })

  it.skipIf(!hasBotocore)(
    'writes profiles that botocore and the JS SDK resolve through GetRoleCredentials',
    async () => {
      const {env} = await signedInHome()
      const run = await runCli(['generate', '--sso-session', 'corp', '--yes', '--json'], {env})
      const profiles: string[] = JSON.parse(run.stdout).added
      expect(profiles).toHaveLength(4)
      for (const profile of profiles) {
        // Asynchronously: the emulator answers from this process's event loop.
        const python = await promisify(execFile)('python3', [INTEROP, 'credentials', profile], {
          encoding: 'utf8',
          env: {...process.env, ...env},
          timeout: 30_000,
        })
        expect(emulator.issuedSecrets().roleCredentials).toContain(JSON.parse(python.stdout).accessKey)
        const saved = {...process.env}
        Object.assign(process.env, env)
        try {
          const js = await fromIni({ignoreCache: true, profile})()
          expect(emulator.issuedSecrets().roleCredentials).toContain(js.accessKeyId)
        } finally {
          process.env = saved
        }
      }
    },
  )

  it('says to log in (exit 4) when there is no usable token', async () => {
    const {env} = await signedInHome(
      emulator.issueToken({expiresIn: -60, refreshable: false, region: 'us-east-1', startUrl: START_URL}),
    )
    const run = await runCli(['generate', '--sso-session', 'corp', '--yes'], {env})
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('ssokit login --sso-session corp')
  })

  it('asks for --start-url and --sso-region when the session does not exist yet', async () => {
    const home = tempHome()
    const run = await runCli(['generate', '--sso-session', 'new', '--yes'], {env: {...home.env, ...emulator.env()}})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('give its portal with --start-url and --sso-region')
  })

  it('tells a new user with an empty config the one login command that also creates the sso-session', async () => {
    const home = tempHome()
    const run = await runCli(
      ['generate', '--sso-session', 'new', '--start-url', START_URL, '--sso-region', 'us-east-1', '--yes', '--json'],
      {env: {...home.env, ...emulator.env()}},
    )
    expect(run.code).toBe(4)
    expect(JSON.parse(run.stdout).error).toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'no-token',
      suggestions: [`Run: ssokit login --sso-session new --start-url ${START_URL} --sso-region us-east-1`],
    })
  })
})
