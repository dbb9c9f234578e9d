import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {
  cliCredentialCacheFile,
  registrationCachePath,
  tokenCachePath,
  writeRegistrationFile,
  writeTokenFile,
} from '../../src/sso/cache.js'
import {OutputLog, ssokit, standardConfig, START_URL, type TempHome, tempHome} from '../sso/helpers.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

let emulator: SsoEmulator
const log = new OutputLog()

beforeAll(async () => {
  emulator = await startSsoEmulator()
})

afterAll(async () => {
  log.expectNoSecrets(emulator)
  await emulator.close()
})

afterEach(() => emulator.clearFaults())

/** Logged in to `corp` and the legacy URL, with a cached registration and the AWS CLI's role-credential caches. */
async function loggedIn() {
  const home = tempHome()
  home.writeConfig(standardConfig())
  const corp = emulator.issueToken()
  const legacy = emulator.issueToken({refreshable: false})
  const corpPath = tokenCachePath({sessionName: 'corp'}, home.cacheDir)
  const legacyPath = tokenCachePath({startUrl: START_URL}, home.cacheDir)
  await writeTokenFile(corpPath, corp)
  await writeTokenFile(legacyPath, legacy)
  const registration = registrationCachePath(
    {region: 'us-east-1', scopes: ['sso:account:access'], sessionName: 'corp', startUrl: START_URL},
    home.cacheDir,
  )
  await writeRegistrationFile(registration, {
    clientId: corp.clientId,
    clientSecret: corp.clientSecret,
    expiresAt: corp.registrationExpiresAt,
  })
  const cliCache = join(home.home, '.aws', 'cli', 'cache')
  mkdirSync(cliCache, {recursive: true})
  const devCreds = join(
    cliCache,
    cliCredentialCacheFile({accountId: '111122223333', roleName: 'ReadOnly', sessionName: 'corp'}),
  )
  writeFileSync(devCreds, JSON.stringify({Credentials: {AccessKeyId: 'ASIAEXAMPLE'}, ProviderType: 'sso'}))
  const assumeRole = join(cliCache, 'assume-role.json')
  writeFileSync(assumeRole, JSON.stringify({Credentials: {}, ProviderType: 'assume-role'}))
  return {
    corp,
    corpPath,
    devCreds,
    env: {...home.env, ...emulator.env()},
    home,
    legacy,
    legacyPath,
    registration,
    assumeRole,
  }
}

const portalAccepts = async (accessToken: string) => {
  const res = await fetch(`${emulator.url}/assignment/accounts`, {headers: {'x-amz-sso_bearer_token': accessToken}})
  return res.status === 200
}

describe('ssokit logout', () => {
  it('revokes the token with the portal, removes its files, keeps the registration, and says what it removed', async () => {
    const s = await loggedIn()
    expect(await portalAccepts(s.corp.accessToken)).toBe(true)
    const result = await ssokit(log, ['logout', '--sso-session', 'corp', '--json'], s.env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      sessions: [
        {kind: 'sso-session', name: 'corp', removed: [s.corpPath, s.devCreds], revoked: true, startUrl: START_URL},
      ],
    })
    const call = emulator.requests.findLast((r) => r.operation === 'Logout')!
    expect(call.headers['x-amz-sso_bearer_token']).toBe(s.corp.accessToken)
    expect(await portalAccepts(s.corp.accessToken)).toBe(false)
    expect(existsSync(s.corpPath)).toBe(false)
    expect(existsSync(s.legacyPath)).toBe(true)
    expect(existsSync(s.registration)).toBe(true)
    expect(existsSync(s.assumeRole)).toBe(true)
  })

  it('logs out of everything in the config with --all, in words for people', async () => {
    const s = await loggedIn()
    const result = await ssokit(log, ['logout', '--all'], s.env)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        'Logged out of sso-session corp: the portal revoked the token.',
        `  removed ${s.corpPath}`,
        `  removed ${s.devCreds}`,
        `Logged out of ${START_URL}: the portal revoked the token.`,
        `  removed ${s.legacyPath}`,
        '',
      ].join('\n'),
    )
    expect(readdirSync(s.home.cacheDir)).toEqual([s.registration.split('/').at(-1)])
  })

  it('still removes the files when the portal no longer accepts the token', async () => {
    const s = await loggedIn()
    emulator.setFault('Logout', 401)
    const result = await ssokit(log, ['logout', '--profile', 'dev', '--json'], s.env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).sessions[0]).toMatchObject({
      note: 'the portal no longer accepted the token (already expired or revoked)',
      removed: [s.corpPath, s.devCreds],
      revoked: false,
    })
  })

  it('says so when there is nothing to log out of', async () => {
    const home: TempHome = tempHome()
    home.writeConfig(standardConfig())
    const result = await ssokit(log, ['logout', '--sso-session', 'corp'], {...home.env, ...emulator.env()})
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('sso-session corp: not logged in: there was no cached token.\n')
  })

  it('needs a choice only when the config has several sessions, and never two at once (exit 2)', async () => {
    const home = tempHome()
    home.writeConfig(standardConfig())
    const several = await ssokit(log, ['logout', '--json'], home.env)
    expect(several.code).toBe(2)
    expect(JSON.parse(several.stdout).error).toMatchObject({code: 'SSO_TARGET_REQUIRED'})
    expect((await ssokit(log, ['logout', '--all', '--sso-session', 'corp'], home.env)).code).toBe(2)
    const single = tempHome()
    single.writeConfig(standardConfig().slice(0, standardConfig().indexOf('[profile old]')))
    const one = await ssokit(log, ['logout'], {...single.env, ...emulator.env()})
    expect(one.code).toBe(0)
    expect(one.stdout).toBe('sso-session corp: not logged in: there was no cached token.\n')
  })
})
