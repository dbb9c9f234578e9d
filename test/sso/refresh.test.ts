import {readFileSync} from 'node:fs'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import type {CompleteSsoTarget, SsoProfileTarget} from '../../src/sso/target.js'

import {type CachedToken, readTokenFile, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {createOidcApi, createPortalApi} from '../../src/sso/clients.js'
import {processCredentials} from '../../src/sso/credentials.js'
import {obtainFreshToken} from '../../src/sso/refresh.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'
import {LEGACY_TARGET as legacy, START_URL, tempHome} from './helpers.js'

const corp: CompleteSsoTarget = {
  kind: 'sso-session',
  loginCommand: 'ssokit login --sso-session corp',
  name: 'corp',
  profiles: ['dev'],
  region: 'us-east-1',
  registrationScopes: ['sso:account:access'],
  roles: [],
  sessionName: 'corp',
  startUrl: START_URL,
  tokenKey: {sessionName: 'corp'},
}

let emulator: SsoEmulator
const saved = {...process.env}

beforeAll(async () => {
  emulator = await startSsoEmulator({
    accounts: [{accountId: '111122223333', accountName: 'Production', roles: ['ReadOnly', 'Admin']}],
    users: [{access: {'111122223333': ['ReadOnly']}, userName: 'alice'}],
  })
  Object.assign(process.env, emulator.env())
})

afterAll(async () => {
  await emulator.close()
  process.env = saved
})

afterEach(() => emulator.clearFaults())

const minutes = (n: number) => formatAwsTime(new Date(Date.now() + n * 60_000))

/** Plants a token the emulator knows, with the cache's expiresAt moved to `expiresInMinutes` from now. */
async function plant(
  target: CompleteSsoTarget,
  expiresInMinutes: number,
  change: Partial<CachedToken> = {},
  issue: Parameters<SsoEmulator['issueToken']>[0] = {},
) {
  const home = tempHome()
  const issued = emulator.issueToken({expiresIn: Math.max(expiresInMinutes * 60, 1), startUrl: START_URL, ...issue})
  const token: CachedToken = {...issued, expiresAt: minutes(expiresInMinutes), ...change}
  if (target.kind === 'legacy') delete token.refreshToken
  const path = tokenCachePath(target.tokenKey, home.cacheDir)
  await writeTokenFile(path, token)
  return {home, issued, path, token}
}

const createTokenCalls = () => emulator.requests.filter((r) => r.operation === 'CreateToken').length
const options = (cacheDir: string, target = corp) => ({cacheDir, oidc: () => createOidcApi('us-east-1'), target})

describe('obtainFreshToken', () => {
  it('uses a token with more than 15 minutes left without calling anything', async () => {
    const {home, token} = await plant(corp, 60)
    const before = emulator.requests.length
    const result = await obtainFreshToken(options(home.cacheDir))
    expect(result).toMatchObject({refreshed: false, token: {accessToken: token.accessToken}})
    expect(emulator.requests.length).toBe(before)
  })

  it('refreshes a token with less than 15 minutes left and rewrites the file as botocore does', async () => {
    const {home, path, token} = await plant(corp, 10)
    const before = createTokenCalls()
    const result = await obtainFreshToken(options(home.cacheDir))
    expect(createTokenCalls()).toBe(before + 1)
    expect(result.refreshed).toBe(true)
    expect(result.token.accessToken).not.toBe(token.accessToken)
    const file = JSON.parse(readFileSync(path, 'utf8'))
    expect(file).toEqual({
      accessToken: result.token.accessToken,
      clientId: token.clientId,
      clientSecret: token.clientSecret,
      expiresAt: expect.stringMatching(/Z$/),
      refreshToken: expect.stringMatching(/^aor-refresh-/),
      region: 'us-east-1',
      registrationExpiresAt: token.registrationExpiresAt,
      startUrl: START_URL,
    })
    expect(new Date(file.expiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000)
    const {body} = emulator.requests.findLast((r) => r.operation === 'CreateToken')!
    expect(body).toEqual({
      clientId: token.clientId,
      clientSecret: token.clientSecret,
      grantType: 'refresh_token',
      refreshToken: token.refreshToken,
    })
  })

  it('refreshes an expired token once even when five processes ask at the same time', async () => {
    const {home} = await plant(corp, -30)
    const before = createTokenCalls()
    const results = await Promise.all(Array.from({length: 5}, () => obtainFreshToken(options(home.cacheDir))))
    expect(createTokenCalls()).toBe(before + 1)
    expect(new Set(results.map((r) => r.token.accessToken)).size).toBe(1)
  })

  it('asks for a login when the registration has expired (no refresh attempted)', async () => {
    const {home} = await plant(corp, -5, {registrationExpiresAt: minutes(-1)})
    const before = createTokenCalls()
    await expect(obtainFreshToken(options(home.cacheDir))).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'token-expired',
      exit: 4,
      message: expect.stringContaining('client registration has expired'),
      suggestions: ['Run: ssokit login --sso-session corp'],
    })
    expect(createTokenCalls()).toBe(before)
  })

  it('asks for a login when the refresh is refused with InvalidGrantException', async () => {
    const {home, path} = await plant(corp, -5)
    const content = readFileSync(path, 'utf8')
    emulator.setFault('CreateToken', 400, {errorType: 'InvalidGrantException', times: 1})
    await expect(obtainFreshToken(options(home.cacheDir))).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'refresh-refused',
      exit: 4,
    })
    expect(readFileSync(path, 'utf8')).toBe(content)
  })

  it('keeps using a token that still works when its refresh is refused, with a warning', async () => {
    const {home, token} = await plant(corp, 5)
    emulator.revokeRefreshTokens()
    const result = await obtainFreshToken(options(home.cacheDir))
    expect(result.token.accessToken).toBe(token.accessToken)
    expect(result.warnings[0]).toContain('InvalidGrantException')
  })

  it('never refreshes a legacy token, and asks for a login once it has expired', async () => {
    const expiring = await plant(legacy, 5)
    const before = createTokenCalls()
    expect((await obtainFreshToken(options(expiring.home.cacheDir, legacy))).token.accessToken).toBe(
      expiring.token.accessToken,
    )
    const expired = await plant(legacy, -1)
    await expect(obtainFreshToken(options(expired.home.cacheDir, legacy))).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'token-expired',
      message: expect.stringContaining('Legacy profiles'),
      suggestions: ['Run: ssokit login --profile old'],
    })
    expect(createTokenCalls()).toBe(before)
  })

  it('asks for a login when there is no token', async () => {
    const home = tempHome()
    await expect(obtainFreshToken(options(home.cacheDir))).rejects.toMatchObject({code: 'LOGIN_REQUIRED', exit: 4})
  })
})

describe('processCredentials', () => {
  const profile: SsoProfileTarget = {accountId: '111122223333', profile: 'dev', roleName: 'ReadOnly', target: corp}
  const run = (cacheDir: string, p = profile) =>
    processCredentials({
      cacheDir,
      oidc: () => createOidcApi('us-east-1'),
      portal: () => createPortalApi('us-east-1'),
      profile: p,
    })

  it('returns Version 1 credentials with Expiration from GetRoleCredentials', async () => {
    const {home, issued} = await plant(corp, 60)
    const {credentials} = await run(home.cacheDir)
    expect(credentials).toEqual({
      AccessKeyId: expect.stringMatching(/^ASIA/),
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Version: 1,
    })
    const call = emulator.requests.findLast((r) => r.operation === 'GetRoleCredentials')!
    expect(call.headers['x-amz-sso_bearer_token']).toBe(issued.accessToken)
    expect(call.query).toEqual({account_id: '111122223333', role_name: 'ReadOnly'})
    expect(emulator.issuedSecrets().roleCredentials).toContain(credentials.SessionToken)
  })

  it('refreshes an expired sso-session token first', async () => {
    const {home, path, token} = await plant(corp, -60)
    await run(home.cacheDir)
    const call = emulator.requests.findLast((r) => r.operation === 'GetRoleCredentials')!
    const read = await readTokenFile(path)
    expect(read.status === 'ok' && read.token.accessToken).toBe(call.headers['x-amz-sso_bearer_token'])
    expect(call.headers['x-amz-sso_bearer_token']).not.toBe(token.accessToken)
  })

  it('maps 401 to a login (exit 4), 403 to no access (exit 5), 429 to throttled (exit 6)', async () => {
    const {home} = await plant(corp, 60)
    emulator.setFault('GetRoleCredentials', 401)
    await expect(run(home.cacheDir)).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'token-rejected',
      exit: 4,
      message: expect.stringContaining('Session token not found or invalid'),
    })
    emulator.clearFaults()
    await expect(run(home.cacheDir, {...profile, roleName: 'Admin'})).rejects.toMatchObject({
      code: 'NO_ACCESS',
      exit: 5,
      message: expect.stringContaining('No access'),
    })
    emulator.setFault('GetRoleCredentials', 429)
    await expect(run(home.cacheDir)).rejects.toMatchObject({code: 'THROTTLED', exit: 6})
  })

  it('reports an unreachable portal as a network error (exit 6)', async () => {
    const {home} = await plant(corp, 60)
    const down = await startSsoEmulator()
    const {url} = down
    await down.close()
    const env = process.env.AWS_ENDPOINT_URL_SSO
    process.env.AWS_ENDPOINT_URL_SSO = url
    try {
      await expect(run(home.cacheDir)).rejects.toMatchObject({code: 'NETWORK', exit: 6})
    } finally {
      process.env.AWS_ENDPOINT_URL_SSO = env
    }
  })
})
