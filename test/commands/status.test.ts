import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type CachedToken, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
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

const at = (minutes: number) => formatAwsTime(new Date(Date.now() + minutes * 60_000))

const CONFIG = `[sso-session valid]
sso_start_url = ${START_URL}
sso_region = us-east-1

[sso-session expiring]
sso_start_url = ${START_URL}
sso_region = us-east-1

[sso-session refreshable]
sso_start_url = ${START_URL}
sso_region = eu-west-1

[sso-session expired]
sso_start_url = ${START_URL}
sso_region = us-east-1

[sso-session missing]
sso_start_url = https://other.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = expired
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile old]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-west-2
sso_account_id = 111122223333
sso_role_name = ReadOnly
`

/** Plants tokens of every state, using tokens the emulator issued (so that the secret scan knows them). */
async function planted(): Promise<{env: Record<string, string>; home: TempHome; tokens: Record<string, CachedToken>}> {
  const home = tempHome()
  home.writeConfig(CONFIG)
  const base = emulator.issueToken()
  const tokens: Record<string, CachedToken> = {
    expired: {...emulator.issueToken(), expiresAt: at(-30), registrationExpiresAt: at(-1)},
    expiring: {...emulator.issueToken(), expiresAt: at(10)},
    refreshable: {...emulator.issueToken(), expiresAt: at(-30), registrationExpiresAt: at(60 * 24)},
    valid: {...base, expiresAt: at(120)},
  }
  for (const [name, token] of Object.entries(tokens)) {
    await writeTokenFile(tokenCachePath({sessionName: name}, home.cacheDir), token)
  }

  // A legacy token that is expired but has a refresh token: legacy tokens are never refreshed, so "expired".
  tokens.old = {...emulator.issueToken({startUrl: 'https://legacy.awsapps.com/start'}), expiresAt: at(-5)}
  await writeTokenFile(tokenCachePath({startUrl: 'https://legacy.awsapps.com/start'}, home.cacheDir), tokens.old)
  return {env: {...home.env, ...emulator.env()}, home, tokens}
}

describe('ssokit status', () => {
  it('reports every session and legacy start URL in the shape the README shows, without any network call', async () => {
    const {env, tokens} = await planted()
    const before = emulator.requests.length
    const result = await ssokit(log, ['status', '--json'], env)
    expect(result.code).toBe(0)
    expect(emulator.requests.length).toBe(before)
    const json = JSON.parse(result.stdout)
    expect(Object.keys(json.sessions[0])).toEqual([
      'name',
      'kind',
      'startUrl',
      'region',
      'state',
      'expiresAt',
      'hasRefreshToken',
      'registrationExpiresAt',
      'needsLogin',
      'loginCommand',
    ])
    expect(json).toEqual({
      sessions: [
        {...entry('valid', tokens.valid), state: 'valid'},
        {...entry('expiring', tokens.expiring), state: 'expiring'},
        {...entry('refreshable', tokens.refreshable), region: 'eu-west-1', state: 'refreshable'},
        {
          ...entry('expired', tokens.expired),
          loginCommand: 'ssokit login --sso-session expired',
          needsLogin: true,
          state: 'expired',
        },
        {
          loginCommand: 'ssokit login --sso-session missing',
          needsLogin: true,
          expiresAt: null,
          hasRefreshToken: false,
          kind: 'sso-session',
          name: 'missing',
          region: 'us-east-1',
          registrationExpiresAt: null,
          startUrl: 'https://other.awsapps.com/start',
          state: 'missing',
        },
        {
          ...entry('https://legacy.awsapps.com/start', tokens.old),
          kind: 'legacy',
          loginCommand: 'ssokit login --profile old',
          needsLogin: true,
          region: 'us-west-2',
          startUrl: 'https://legacy.awsapps.com/start',
          state: 'expired',
        },
      ],
    })
  })

  it('prints a table for people', async () => {
    const {env} = await planted()
    const result = await ssokit(log, ['status'], env)
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME +KIND +STATE +EXPIRES +REFRESH TOKEN +REGISTRATION EXPIRES$/)
    expect(lines[1]).toMatch(/^valid +sso-session +valid +\S+Z \(in (1 h 5\d min|2 h)\) +yes +\S+Z \(in \d+ days\)$/)
    expect(lines[5]).toMatch(/^missing +sso-session +missing +- +- +-$/)
    expect(lines[6]).toMatch(/^https:\/\/legacy\.awsapps\.com\/start +legacy +expired +\S+Z \(5 min ago\)/)
  })

  it('exits 4 with the command to run when the selected session needs a login', async () => {
    const {env} = await planted()
    for (const [args, command] of [
      [['--sso-session', 'expired'], 'ssokit login --sso-session expired'],
      [['--sso-session', 'missing'], 'ssokit login --sso-session missing'],
      [['--profile', 'dev'], 'ssokit login --sso-session expired'],
      [['--profile', 'old'], 'ssokit login --profile old'],
    ] as const) {
      const result = await ssokit(log, ['status', ...args, '--json'], env)
      expect(result.code, args.join(' ')).toBe(4)
      expect(JSON.parse(result.stdout).sessions).toHaveLength(1)
      expect(result.stderr).toContain(`Run: ${command}`)
    }

    for (const name of ['valid', 'expiring', 'refreshable']) {
      const result = await ssokit(log, ['status', '--sso-session', name], env)
      expect(result.code, name).toBe(0)
    }
  })

  it('reads a token the JS SDK rewrote (ISO milliseconds, pretty-printed) and treats a broken file as missing', async () => {
    const home = tempHome()
    home.writeConfig(CONFIG)
    mkdirSync(home.cacheDir, {recursive: true})
    const token = emulator.issueToken()
    const expiresAt = new Date(Date.now() + 3 * 3_600_000).toISOString()
    writeFileSync(tokenCachePath({sessionName: 'valid'}, home.cacheDir), JSON.stringify({...token, expiresAt}, null, 2))
    writeFileSync(tokenCachePath({sessionName: 'expired'}, home.cacheDir), '{"accessToken": ')
    const result = await ssokit(log, ['status', '--json'], {...home.env})
    const sessions = JSON.parse(result.stdout).sessions as Array<Record<string, unknown>>
    expect(sessions.find((s) => s.name === 'valid')).toMatchObject({
      expiresAt: expiresAt.replace(/\.\d{3}Z$/, 'Z'),
      state: 'valid',
    })
    expect(sessions.find((s) => s.name === 'expired')).toMatchObject({state: 'missing'})
    const human = await ssokit(log, ['status'], {...home.env})
    expect(human.stdout).toContain(`expired: the cache file is unusable: ${join(home.cacheDir, '')}`)
    expect(human.stdout).toContain('not valid JSON')
  })

  it('exits 3 when the config cannot be read, and 2 for an unknown session', async () => {
    const home = tempHome()
    mkdirSync(home.configFile)
    expect((await ssokit(log, ['status'], home.env)).code).toBe(3)
    const other = tempHome()
    other.writeConfig(CONFIG)
    const unknown = await ssokit(log, ['status', '--sso-session', 'nope', '--json'], other.env)
    expect(unknown.code).toBe(2)
    expect(JSON.parse(unknown.stdout)).toMatchObject({error: {code: 'SSO_SESSION_NOT_FOUND', exit: 2}})
  })
})

function entry(name: string, token: CachedToken) {
  return {
    expiresAt: token.expiresAt,
    hasRefreshToken: Boolean(token.refreshToken),
    kind: 'sso-session',
    loginCommand: `ssokit login --sso-session ${name}`,
    name,
    needsLogin: false,
    region: 'us-east-1',
    registrationExpiresAt: token.registrationExpiresAt,
    startUrl: START_URL,
  }
}
