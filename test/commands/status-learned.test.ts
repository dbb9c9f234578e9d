import {readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {type CachedToken, readTokenFile, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {learnedStatePath} from '../../src/sso/learned.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {OutputLog, ssokit, START_URL, type TempHome, tempHome} from '../sso/helpers.js'
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

beforeEach(() => {
  emulator.clearFaults()
})

const at = (minutes: number) => formatAwsTime(new Date(Date.now() + minutes * 60_000))

const CONFIG = `[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[sso-session other]
sso_start_url = https://other.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
`

interface Planted {
  env: Record<string, string>
  home: TempHome
  path: string
  token: CachedToken
}

/** A home whose session `corp` has a token from the emulator that expires in `minutes`. */
async function plant(minutes: number, home = tempHome()): Promise<Planted> {
  home.writeConfig(CONFIG)
  const token = {...emulator.issueToken(), expiresAt: at(minutes)}
  const path = tokenCachePath({sessionName: 'corp'}, home.cacheDir)
  await writeTokenFile(path, token)
  return {env: {...home.env, ...emulator.env()}, home, path, token}
}

const count = (operation: string) => emulator.requests.filter((r) => r.operation === operation).length

async function status(env: Record<string, string>, ...args: string[]) {
  const result = await ssokit(log, ['status', '--json', ...args], env)
  const {sessions} = JSON.parse(result.stdout) as {sessions: Array<Record<string, unknown>>}
  return {code: result.code, corp: sessions.find((s) => s.name === 'corp')!, result, sessions}
}

describe('status remembers what the service said (issue 8 §5)', () => {
  it('says expired, not refreshable, after Identity Center refused the refresh, and never asks again', async () => {
    const {env, home, token} = await plant(-30)
    expect((await status(env, '--sso-session', 'corp')).corp).toMatchObject({needsLogin: false, state: 'refreshable'})
    emulator.revokeRefreshTokens()
    const first = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(first.code).toBe(4)
    expect(first.stderr).toContain('InvalidGrantException')

    const after = await status(env, '--sso-session', 'corp')
    expect(after.code).toBe(4)
    expect(after.corp).toMatchObject({
      loginCommand: 'ssokit login --sso-session corp',
      needsLogin: true,
      state: 'expired',
    })
    expect(after.result.stderr).toContain('Run: ssokit login --sso-session corp')
    const human = await ssokit(log, ['status', '--sso-session', 'corp'], env)
    expect(human.stdout).toMatch(
      /corp: IAM Identity Center refused to refresh this token \(CreateToken: InvalidGrantException\)/,
    )

    // The next credential process knows: no second CreateToken, the same login command.
    const calls = count('CreateToken')
    const second = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(second.code).toBe(4)
    expect(second.stderr).toContain('ssokit login --sso-session corp')
    expect(count('CreateToken')).toBe(calls)

    // ssokit's own file, private, holding a fingerprint and no token; the AWS CLI's file is untouched.
    const statePath = learnedStatePath({sessionName: 'corp'}, join(home.home, '.aws', 'sso', 'ssokit'))
    expect(statSync(statePath).mode & 0o777).toBe(0o600)
    expect(statSync(join(home.home, '.aws', 'sso', 'ssokit')).mode & 0o777).toBe(0o700)
    expect(statSync(join(home.home, '.aws', 'sso', 'ssokit', 'sessions')).mode & 0o777).toBe(0o700)
    const state = readFileSync(statePath, 'utf8')
    for (const secret of [token.accessToken, token.refreshToken!, token.clientSecret])
      expect(state).not.toContain(secret)
    expect(JSON.parse(state)).toMatchObject({
      facts: [{code: 'InvalidGrantException', kind: 'refresh-refused', operation: 'CreateToken'}],
      token: {expiresAt: token.expiresAt, fingerprint: expect.stringMatching(/^[\da-f]{32}$/)},
      version: 1,
    })
    expect(readdirSync(home.cacheDir)).toEqual([basename(tokenCachePath({sessionName: 'corp'}, home.cacheDir))])

    // A new login (here: a new token in the cache, as `aws sso login` would write) voids what was learned.
    await plant(120, home)
    expect((await status(env, '--sso-session', 'corp')).corp).toMatchObject({needsLogin: false, state: 'valid'})
  })

  it('says revoked after the portal rejected the token, where the cache alone says valid', async () => {
    const {env} = await plant(120)
    emulator.revokeSessions()
    const result = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('UnauthorizedException')
    const after = await status(env, '--sso-session', 'corp')
    expect(after.code).toBe(4)
    expect(after.corp).toMatchObject({needsLogin: true, state: 'revoked'})
  })

  it('remembers a token that generate --from-portal saw rejected', async () => {
    const {env} = await plant(120)
    emulator.revokeSessions()
    const result = await ssokit(log, ['generate', '--sso-session', 'corp', '--dry-run'], env)
    expect(result.code).not.toBe(0)
    expect((await status(env, '--sso-session', 'corp')).corp).toMatchObject({needsLogin: true, state: 'revoked'})
  })

  it('exits 4 with no selection only when every session needs a login', async () => {
    const {env} = await plant(120)
    // `other` has no token (missing), `corp` is valid: one usable session is enough.
    const some = await status(env)
    expect(some.code).toBe(0)
    expect(some.sessions.map((s) => [s.name, s.state, s.needsLogin])).toEqual([
      ['corp', 'valid', false],
      ['other', 'missing', true],
    ])
    const none = await plant(-30, tempHome())
    emulator.revokeSessions()
    await ssokit(log, ['credential-process', '--profile', 'dev'], none.env)
    const all = await status(none.env)
    expect(all.code).toBe(4)
    expect(all.result.stderr).toContain(
      'Every session needs a login. Run: ssokit login --sso-session corp or ssokit login --sso-session other',
    )
    const human = await ssokit(log, ['status'], none.env)
    expect(human.code).toBe(4)
    expect(human.stdout).toContain('other: needs a login: ssokit login --sso-session other')
  })
})

describe('status --verify', () => {
  it('finds a revoked token with one ListAccounts request for one account, and remembers it', async () => {
    const {env} = await plant(120)
    expect((await status(env, '--sso-session', 'corp')).corp.state).toBe('valid')
    emulator.revokeSessions()
    const before = emulator.requests.length
    const verified = await status(env, '--sso-session', 'corp', '--verify')
    expect(verified.code).toBe(4)
    expect(verified.corp).toMatchObject({needsLogin: true, state: 'revoked', verified: true})
    const calls = emulator.requests.slice(before)
    expect(calls.map((r) => [r.operation, r.query.max_result])).toEqual([['ListAccounts', '1']])
    expect((await status(env, '--sso-session', 'corp')).corp.state).toBe('revoked')
  })

  it('confirms a valid token and changes nothing', async () => {
    const {env, path} = await plant(120)
    const content = readFileSync(path, 'utf8')
    const verified = await status(env, '--verify')
    expect(verified.code).toBe(0)
    expect(verified.corp).toMatchObject({state: 'valid', verified: true})
    // `other` has no token: nothing to ask, and it says so.
    expect(verified.sessions[1]).toMatchObject({state: 'missing', verified: true})
    expect(readFileSync(path, 'utf8')).toBe(content)
    const human = await ssokit(log, ['status', '--verify', '--sso-session', 'corp'], env)
    expect(human.stdout).toContain('corp: --verify: the access portal accepts the token (ListAccounts)')
  })

  it('refreshes a refreshable token once (and keeps the new one), or reports expired when refused', async () => {
    const {env, path, token} = await plant(-30)
    const before = count('CreateToken')
    const ok = await status(env, '--sso-session', 'corp', '--verify')
    expect(ok.code).toBe(0)
    expect(ok.corp).toMatchObject({state: 'valid', verified: true})
    expect(count('CreateToken')).toBe(before + 1)
    const read = await readTokenFile(path)
    expect(read.status === 'ok' && read.token.accessToken).not.toBe(token.accessToken)

    const refused = await plant(-30, tempHome())
    emulator.revokeRefreshTokens()
    const verified = await status(refused.env, '--sso-session', 'corp', '--verify')
    expect(verified.code).toBe(4)
    expect(verified.corp).toMatchObject({needsLogin: true, state: 'expired', verified: true})
    expect((await status(refused.env, '--sso-session', 'corp')).corp.state).toBe('expired')
  })

  it('keeps the cached state and warns when the service cannot be reached', async () => {
    const {env} = await plant(120)
    const unreachable = {
      ...env,
      AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:9',
    }
    const verified = await status(unreachable, '--sso-session', 'corp', '--verify')
    expect(verified.code).toBe(0)
    expect(verified.corp).toMatchObject({state: 'valid', verified: false})
    expect(verified.result.stderr).toContain('Warning: corp: not verified: could not verify with the access portal')
  })
})
