import {readFileSync} from 'node:fs'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {type CachedToken, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {OutputLog, ssokit, standardConfig, START_URL, tempHome} from '../sso/helpers.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

let emulator: SsoEmulator
const log = new OutputLog()

beforeAll(async () => {
  emulator = await startSsoEmulator({
    accounts: [
      {accountId: '111122223333', accountName: 'Production', roles: ['ReadOnly', 'AdministratorAccess', 'Billing']},
    ],
    users: [{access: {'111122223333': ['ReadOnly', 'AdministratorAccess']}, userName: 'alice'}],
  })
})

afterAll(async () => {
  log.expectNoSecrets(emulator)
  await emulator.close()
})

afterEach(() => emulator.clearFaults())

const at = (minutes: number) => formatAwsTime(new Date(Date.now() + minutes * 60_000))

async function withToken(change: Partial<CachedToken> = {}, key?: {sessionName: string} | {startUrl: string}) {
  const home = tempHome()
  home.writeConfig(`${standardConfig()}
[profile billing]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Billing

[profile static]
aws_access_key_id = AKIAEXAMPLE
`)
  const token: CachedToken = {...emulator.issueToken(), ...change}
  const path = tokenCachePath(key ?? {sessionName: 'corp'}, home.cacheDir)
  await writeTokenFile(path, token)
  return {env: {...home.env, ...emulator.env()}, home, path, token}
}

describe('ssokit credential-process', () => {
  it('prints Version 1 credentials with Expiration and nothing on stderr', async () => {
    const {env} = await withToken()
    const result = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    const creds = JSON.parse(result.stdout)
    expect(Object.keys(creds).sort()).toEqual([
      'AccessKeyId',
      'Expiration',
      'SecretAccessKey',
      'SessionToken',
      'Version',
    ])
    expect(creds.Version).toBe(1)
    expect(emulator.issuedSecrets().roleCredentials).toEqual(
      expect.arrayContaining([creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken]),
    )
    expect(new Date(creds.Expiration).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000)
  })

  it('refreshes an expired sso-session token and saves it', async () => {
    const {env, path, token} = await withToken({expiresAt: at(-120)})
    const result = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(result.code).toBe(0)
    const file = JSON.parse(readFileSync(path, 'utf8'))
    expect(file.accessToken).not.toBe(token.accessToken)
    expect(new Date(file.expiresAt).getTime()).toBeGreaterThan(Date.now())
    expect(
      emulator.requests.findLast((r) => r.operation === 'GetRoleCredentials')!.headers['x-amz-sso_bearer_token'],
    ).toBe(file.accessToken)
  })

  it('works for a legacy profile', async () => {
    const {env} = await withToken({}, {startUrl: START_URL})
    const result = await ssokit(log, ['credential-process', '--profile', 'old'], env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).Version).toBe(1)
  })

  const oneLine = (stderr: string) => {
    expect(stderr.endsWith('\n')).toBe(true)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    return stderr.trimEnd()
  }

  it('exits 4 with one stderr line and no stdout when there is no token', async () => {
    const home = tempHome()
    home.writeConfig(standardConfig())
    const result = await ssokit(log, ['credential-process', '--profile', 'dev'], {...home.env, ...emulator.env()})
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(oneLine(result.stderr)).toBe(
      'Error: No SSO login for sso-session corp: there is no cached token. Run: ssokit login --sso-session corp',
    )
  })

  it('exits 4 when the token expired and the refresh is refused (InvalidGrantException)', async () => {
    const {env} = await withToken({expiresAt: at(-5)})
    emulator.setFault('CreateToken', 400, {
      errorType: 'InvalidGrantException',
      message: 'Invalid refresh token provided',
    })
    const result = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(oneLine(result.stderr)).toMatch(
      /^Error: Token has expired and refresh failed for sso-session corp: .*InvalidGrantException.* Run: ssokit login --sso-session corp$/,
    )
  })

  it('exits 4 when the legacy token expired (no refresh for legacy profiles)', async () => {
    const {env} = await withToken({expiresAt: at(-1)}, {startUrl: START_URL})
    const result = await ssokit(log, ['credential-process', '--profile', 'old', '--json'], env)
    expect(result.code).toBe(4)
    expect(JSON.parse(result.stdout)).toMatchObject({error: {code: 'LOGIN_REQUIRED', reason: 'token-expired', exit: 4}})
  })

  it('exits 4 when the portal rejects the token, 5 when the role is not assigned', async () => {
    const {env} = await withToken()
    emulator.setFault('GetRoleCredentials', 401)
    const rejected = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(rejected.code).toBe(4)
    expect(oneLine(rejected.stderr)).toContain('Session token not found or invalid (UnauthorizedException)')
    emulator.clearFaults()
    const denied = await ssokit(log, ['credential-process', '--profile', 'billing'], env)
    expect(denied.code).toBe(5)
    expect(denied.stdout).toBe('')
    expect(denied.stderr).toContain('No access (ForbiddenException). A new login does not help.')
  })

  it('exits 2 for a profile without SSO settings', async () => {
    const {env} = await withToken()
    const result = await ssokit(log, ['credential-process', '--profile', 'static'], env)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
  })
})
