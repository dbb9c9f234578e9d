/**
 * ssokit's role-credential cache and the fast path of `credential-process`, end to end against the SSO emulator:
 * one GetRoleCredentials per role and sign-in, the same bytes from the fast path and the full command, no AWS SDK
 * and no oclif on a warm call, one request for eight processes at once, and the cache's end (a new sign-in, expiry,
 * logout, --no-cache).
 */
import {readdirSync, readFileSync, statSync, utimesSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {type CachedToken, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {roleCachePath, roleCacheSessionDir} from '../../src/sso/role-cache.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {OutputLog, ssokit, standardConfig, START_URL, tempHome} from '../sso/helpers.js'
import {runCli} from '../support/cli.js'
import {moduleLog, packagesOf} from '../support/module-log.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

let emulator: SsoEmulator
const log = new OutputLog()

beforeAll(async () => {
  emulator = await startSsoEmulator({
    accounts: [{accountId: '111122223333', accountName: 'Production', roles: ['ReadOnly', 'AdministratorAccess']}],
    users: [{access: {'111122223333': ['ReadOnly', 'AdministratorAccess']}, userName: 'alice'}],
  })
})

afterAll(async () => {
  log.expectNoSecrets(emulator)
  await emulator.close()
})

afterEach(() => emulator.clearFaults())

const at = (minutes: number) => formatAwsTime(new Date(Date.now() + minutes * 60_000))
const roleRequests = () => emulator.requests.filter((r) => r.operation === 'GetRoleCredentials').length

async function loggedIn(change: Partial<CachedToken> = {}, config = standardConfig()) {
  const home = tempHome()
  home.writeConfig(config)
  const token: CachedToken = {...emulator.issueToken(), ...change}
  await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), token)
  const stateDir = join(home.home, '.aws', 'sso', 'ssokit')
  const cacheFile = roleCachePath(
    {accountId: '111122223333', roleName: 'ReadOnly', tokenKey: {sessionName: 'corp'}},
    stateDir,
  )
  return {env: {...home.env, ...emulator.env()}, home, cacheFile, stateDir, token}
}

describe('credential-process with the role cache', () => {
  it('asks the portal once, then answers from the cache (0600 in 0700) with the same document', async () => {
    const {cacheFile, env, stateDir, token} = await loggedIn()
    const before = roleRequests()
    const first = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(first.code).toBe(0)
    expect(roleRequests()).toBe(before + 1)
    const second = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(second.code).toBe(0)
    expect(second.stdout).toBe(first.stdout)
    expect(second.stderr).toBe('')
    expect(roleRequests()).toBe(before + 1)

    expect(statSync(cacheFile).mode & 0o777).toBe(0o600)
    for (const dir of [stateDir, join(stateDir, 'credentials'), join(cacheFile, '..')])
      expect(statSync(dir).mode & 0o777, dir).toBe(0o700)
    const entry = readFileSync(cacheFile, 'utf8')
    // The sign-in is named by a fingerprint, never by the token itself.
    for (const secret of [token.accessToken, token.refreshToken!, token.clientSecret])
      expect(entry).not.toContain(secret)
    expect(JSON.parse(entry)).toMatchObject({
      accountId: '111122223333',
      roleName: 'ReadOnly',
      token: expect.stringMatching(/^[\da-f]{32}$/),
    })
  })

  it('prints exactly what the full command prints, in both formats and under --json', async () => {
    const {env} = await loggedIn()
    for (const extra of [[], ['--format', 'sts'], ['--format=sts', '--json'], ['--json']]) {
      const args = ['credential-process', '--profile', 'dev', ...extra]
      const full = await ssokit(log, args, {...env, SSOKIT_FAST_PATH: '0'})
      const fast = await ssokit(log, args, env)
      expect(fast, extra.join(' ')).toEqual(full)
    }

    const sts = JSON.parse(
      (await ssokit(log, ['credential-process', '--profile', 'dev', '--format', 'sts'], env)).stdout,
    )
    expect(Object.keys(sts)).toEqual(['Credentials'])
    expect(Object.keys(sts.Credentials)).toEqual(['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'])
  })

  it('loads neither the AWS SDK nor oclif on a warm call, nor on a cold call with a good token', async () => {
    const {env, home} = await loggedIn()
    settled(home.configFile)
    const cold = moduleLog()
    expect((await ssokit(log, ['credential-process', '--profile', 'dev'], {...env, ...cold.env})).code).toBe(0)
    const warm = moduleLog()
    expect((await ssokit(log, ['credential-process', '--profile', 'dev'], {...env, ...warm.env})).code).toBe(0)
    // A warm call does not even parse the config: the profile index answers (src/fast/profile-index.ts).
    expect(warm.modules().filter((m) => m.includes('/dist/config/load.js'))).toEqual([])
    expect(cold.modules().some((m) => m.includes('/dist/config/load.js'))).toBe(true)
    for (const run of [cold, warm]) {
      const packages = [...packagesOf(run.modules())]
      expect(run.modules().some((m) => m.endsWith('/dist/fast/credential-process.js'))).toBe(true)
      expect(
        packages.filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/') || p.startsWith('@oclif/')),
      ).toEqual([])
    }

    // The hook does see them when they load: the full command.
    const full = moduleLog()
    await ssokit(log, ['credential-process', '--profile', 'dev', '--no-cache'], {...env, ...full.env})
    expect([...packagesOf(full.modules())]).toEqual(expect.arrayContaining(['@oclif/core', '@aws-sdk/client-sso']))
  })

  it('leaves endpoint settings it does not handle to the full command (which loads the SDK)', async () => {
    const {env} = await loggedIn(
      {},
      `${standardConfig()}
[default]
services = local

[services local]
sts =
  endpoint_url = http://127.0.0.1:9
`,
    )
    const modules = moduleLog()
    const result = await ssokit(log, ['credential-process', '--profile', 'dev'], {...env, ...modules.env})
    expect(result.code).toBe(0)
    expect([...packagesOf(modules.modules())]).toContain('@aws-sdk/client-sso')
    // What the full command fetched is cached: the next call is warm.
    const warm = moduleLog()
    expect((await ssokit(log, ['credential-process', '--profile', 'dev'], {...env, ...warm.env})).stdout).toBe(
      result.stdout,
    )
    expect([...packagesOf(warm.modules())]).not.toContain('@aws-sdk/client-sso')
  })

  it('makes one GetRoleCredentials request for eight processes asking at once (fast path and full command)', async () => {
    for (const fastPath of ['1', '0']) {
      const {env} = await loggedIn()
      const before = roleRequests()
      const runs = await Promise.all(
        Array.from({length: 8}, () =>
          runCli(['credential-process', '--profile', 'dev'], {env: {...env, SSOKIT_FAST_PATH: fastPath}}),
        ),
      )
      for (const run of runs) log.add(['credential-process'], run)
      expect(runs.map((r) => r.code)).toEqual(Array.from({length: 8}, () => 0))
      expect(new Set(runs.map((r) => r.stdout)).size, `SSOKIT_FAST_PATH=${fastPath}`).toBe(1)
      expect(roleRequests() - before, `SSOKIT_FAST_PATH=${fastPath}`).toBe(1)
    }
  })

  it('fetches again for a new sign-in, for credentials about to expire, and never with --no-cache', async () => {
    const {env, home} = await loggedIn()
    const first = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    // A new login (here: a new token in the cache) retires what the old one fetched.
    await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), emulator.issueToken())
    const before = roleRequests()
    const second = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(roleRequests()).toBe(before + 1)
    expect(JSON.parse(second.stdout).AccessKeyId).not.toBe(JSON.parse(first.stdout).AccessKeyId)

    const noCache = await ssokit(log, ['credential-process', '--profile', 'dev', '--no-cache'], env)
    expect(roleRequests()).toBe(before + 2)
    expect(JSON.parse(noCache.stdout).AccessKeyId).not.toBe(JSON.parse(second.stdout).AccessKeyId)
    // --no-cache wrote nothing: the cached entry is still the second call's.
    expect((await ssokit(log, ['credential-process', '--profile', 'dev'], env)).stdout).toBe(second.stdout)
    expect(roleRequests()).toBe(before + 2)
  })

  it('does not reuse credentials with 15 minutes or less left', async () => {
    const short = await startSsoEmulator({roleCredentialsExpiresIn: 14 * 60})
    try {
      const home = tempHome()
      home.writeConfig(standardConfig())
      await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), short.issueToken())
      const env = {...home.env, ...short.env()}
      for (let i = 0; i < 2; i++) expect((await runCli(['credential-process', '--profile', 'dev'], {env})).code).toBe(0)
      expect(short.requests.filter((r) => r.operation === 'GetRoleCredentials')).toHaveLength(2)
    } finally {
      await short.close()
    }
  })

  it('refreshes a token in its last 15 minutes through the full command, then caches', async () => {
    const {env} = await loggedIn({expiresAt: at(5)})
    const refreshes = () => emulator.requests.filter((r) => r.operation === 'CreateToken').length
    const before = refreshes()
    const first = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(first.code).toBe(0)
    expect(refreshes()).toBe(before + 1)
    const second = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(second.stdout).toBe(first.stdout)
    expect(refreshes()).toBe(before + 1)
  })

  it('keeps the command’s errors: no token (4), a rejected token (4), no access (5), one stderr line each', async () => {
    const home = tempHome()
    home.writeConfig(standardConfig())
    const none = await ssokit(log, ['credential-process', '--profile', 'dev'], {...home.env, ...emulator.env()})
    expect(none).toEqual({
      code: 4,
      stderr:
        'Error: No SSO login for sso-session corp: there is no cached token. Run: ssokit login --sso-session corp\n',
      stdout: '',
    })

    const {env, stateDir} = await loggedIn()
    emulator.setFault('GetRoleCredentials', 401)
    const rejected = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(rejected.code).toBe(4)
    expect(rejected.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(rejected.stderr).toContain('(UnauthorizedException)')
    emulator.setFault('GetRoleCredentials', 403)
    const denied = await ssokit(log, ['credential-process', '--profile', 'dev', '--json'], env)
    expect(denied.code).toBe(5)
    expect(JSON.parse(denied.stdout)).toMatchObject({error: {code: 'NO_ACCESS', exit: 5}})
    emulator.clearFaults()
    // Nothing was cached by the failed calls.
    expect(readdirSafe(roleCacheSessionDir({sessionName: 'corp'}, stateDir))).toEqual([])
  })

  it('is removed by logout, with the token', async () => {
    const {env, home, stateDir} = await loggedIn()
    expect((await ssokit(log, ['credential-process', '--profile', 'dev'], env)).code).toBe(0)
    const dir = roleCacheSessionDir({sessionName: 'corp'}, stateDir)
    expect(readdirSync(dir)).toHaveLength(1)
    const out = await ssokit(log, ['logout', '--sso-session', 'corp', '--json'], env)
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout).sessions[0].removed).toEqual(
      expect.arrayContaining([tokenCachePath({sessionName: 'corp'}, home.cacheDir), dir]),
    )
    expect(readdirSafe(dir)).toEqual([])
  })

  it('remembers what a profile resolved to only while the config is the one it was read from', async () => {
    const {env, home, stateDir} = await loggedIn()
    const index = join(stateDir, 'profiles')
    // A config written in the last two seconds is not remembered (an edit in the same tick could go unseen).
    expect((await ssokit(log, ['credential-process', '--profile', 'dev'], env)).code).toBe(0)
    expect(readdirSafe(index)).toEqual([])
    settled(home.configFile)
    const readOnly = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(readdirSafe(index)).toHaveLength(1)
    expect(statSync(join(index, readdirSafe(index)[0])).mode & 0o777).toBe(0o600)
    const entry = readFileSync(join(index, readdirSafe(index)[0]), 'utf8')
    expect(JSON.parse(entry)).toMatchObject({
      direct: true,
      key: {accountId: '111122223333', roleName: 'ReadOnly', tokenKey: {sessionName: 'corp'}},
      region: 'us-east-1',
    })

    // The profile now names another role: the next call must not answer with the old role's credentials.
    home.writeConfig(standardConfig().replace('sso_role_name = ReadOnly', 'sso_role_name = AdministratorAccess'))
    settled(home.configFile)
    const before = roleRequests()
    const admin = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(admin.code).toBe(0)
    expect(roleRequests()).toBe(before + 1)
    expect(JSON.parse(admin.stdout).AccessKeyId).not.toBe(JSON.parse(readOnly.stdout).AccessKeyId)
    const fromIndex = await ssokit(log, ['credential-process', '--profile', 'dev'], env)
    expect(fromIndex.stdout).toBe(admin.stdout)
    expect(roleRequests()).toBe(before + 1)
  })

  it('works for a legacy profile, keyed by its start URL', async () => {
    const home = tempHome()
    home.writeConfig(standardConfig())
    await writeTokenFile(
      tokenCachePath({startUrl: START_URL}, home.cacheDir),
      emulator.issueToken({refreshable: false}),
    )
    const env = {...home.env, ...emulator.env()}
    const before = roleRequests()
    const first = await ssokit(log, ['credential-process', '--profile', 'old'], env)
    const second = await ssokit(log, ['credential-process', '--profile', 'old'], env)
    expect([first.code, second.code]).toEqual([0, 0])
    expect(second.stdout).toBe(first.stdout)
    expect(roleRequests()).toBe(before + 1)
    expect(
      readdirSync(roleCacheSessionDir({startUrl: START_URL}, join(home.home, '.aws', 'sso', 'ssokit'))),
    ).toHaveLength(1)
  })
})

/** Backdates a config file, as one edited minutes ago: the profile index remembers only such files. */
function settled(file: string) {
  const past = new Date(Date.now() - 60_000)
  utimesSync(file, past, past)
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
