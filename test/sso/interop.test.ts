/**
 * ssokit's token cache is the AWS CLI's: after `ssokit login`, botocore and the JS SDK get role credentials for an
 * sso-session profile without another login (and refresh the token through sso-oidc); tokens they write are read
 * by ssokit; and `credential_process = ssokit credential-process --profile P` works in both.
 */
import {spawn} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type CachedToken, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {BIN} from '../support/cli.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'
import {botocoreUnavailable, OutputLog, ssokit, START_URL, startCli, type TempHome, tempHome} from './helpers.js'

const INTEROP = fileURLToPath(new URL('../support/sso_interop.py', import.meta.url))
const ACCOUNT = '111122223333'

let emulator: SsoEmulator
const log = new OutputLog()
const noBotocore = botocoreUnavailable()

beforeAll(async () => {
  emulator = await startSsoEmulator({
    accounts: [{accountId: ACCOUNT, accountName: 'Production', roles: ['ReadOnly']}],
    deviceCodeInterval: 0,
  })
})

afterAll(async () => {
  log.expectNoSecrets(emulator)
  await emulator.close()
})

function config(sessions: string[]): string {
  return sessions
    .map(
      (name) => `[sso-session ${name}]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile ${name}-dev]
sso_session = ${name}
sso_account_id = ${ACCOUNT}
sso_role_name = ReadOnly
region = eu-west-1
`,
    )
    .join('\n')
}

function setup(sessions: string[]): {env: Record<string, string>; home: TempHome} {
  const home = tempHome()
  home.writeConfig(config(sessions))
  return {env: {...home.env, ...emulator.env(), AWS_EC2_METADATA_DISABLED: 'true'}, home}
}

/**
 * Runs the python side in a fresh python3 (HOME must be set before botocore is imported). Never spawnSync: the
 * emulator answers from this process, so blocking it would deadlock botocore's calls.
 */
function python(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{code: null | number; stderr: string; stdout: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [INTEROP, ...args], {env: {...process.env, ...env, NODE_NO_WARNINGS: ''}})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr, stdout}))
    child.stdin.end(input)
  })
}

async function botocoreCredentials(
  profile: string,
  env: Record<string, string>,
): Promise<{accessKey: string; secretKey: string; token: string}> {
  const run = await python(['credentials', profile], env)
  if (run.code !== 0) throw new Error(`botocore could not resolve ${profile}: ${run.stderr}`)
  return JSON.parse(run.stdout)
}

/** Runs `fn` with this process's environment pointed at the test's home and the emulator (the JS SDK reads it at call time). */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = {...process.env}
  Object.assign(process.env, env)
  try {
    return await fn()
  } finally {
    process.env = saved
  }
}

async function login(env: Record<string, string>, session: string): Promise<void> {
  const cli = startCli(log, ['login', '--sso-session', session, '--flow', 'device-code', '--no-browser', '--json'], env)
  const authorize = await cli.nextJson()
  emulator.approveDevice(authorize.userCode as string)
  expect((await cli.done).code).toBe(0)
}

const lastBearer = () =>
  emulator.requests.findLast((r) => r.operation === 'GetRoleCredentials')?.headers['x-amz-sso_bearer_token']
const cachedToken = (home: TempHome, session: string) =>
  JSON.parse(readFileSync(tokenCachePath({sessionName: session}, home.cacheDir), 'utf8'))
const at = (minutes: number) => formatAwsTime(new Date(Date.now() + minutes * 60_000))

async function plantExpired(home: TempHome, session: string, minutes: number): Promise<CachedToken> {
  const token = {...emulator.issueToken(), expiresAt: at(minutes)}
  await writeTokenFile(tokenCachePath({sessionName: session}, home.cacheDir), token)
  return token
}

async function statusOf(env: Record<string, string>, session: string) {
  const result = await ssokit(log, ['status', '--sso-session', session, '--json'], env)
  return JSON.parse(result.stdout).sessions[0] as Record<string, unknown>
}

describe('after ssokit login', () => {
  it.skipIf(noBotocore)('botocore resolves the sso-session profile through GetRoleCredentials', async () => {
    const {env, home} = setup(['corp'])
    await login(env, 'corp')
    const creds = await botocoreCredentials('corp-dev', env)
    expect(emulator.issuedSecrets().roleCredentials).toContain(creds.accessKey)
    expect(lastBearer()).toBe(cachedToken(home, 'corp').accessToken)
  })

  it('the JS SDK (fromSSO and fromIni) resolves the sso-session profile', async () => {
    const {env, home} = setup(['corp'])
    await login(env, 'corp')
    const {fromIni, fromSSO} = await import('@aws-sdk/credential-providers')
    await withEnv(env, async () => {
      const sso = await fromSSO({ignoreCache: true, profile: 'corp-dev'})()
      expect(emulator.issuedSecrets().roleCredentials).toContain(sso.accessKeyId)
      const ini = await fromIni({ignoreCache: true, profile: 'corp-dev'})()
      expect(emulator.issuedSecrets().roleCredentials).toContain(ini.sessionToken)
    })
    expect(lastBearer()).toBe(cachedToken(home, 'corp').accessToken)
  })
})

describe('refresh by the other tools, read back by ssokit', () => {
  it.skipIf(noBotocore)(
    'botocore refreshes an expired ssokit token through CreateToken; ssokit status reads its file',
    async () => {
      const {env, home} = setup(['boto'])
      const planted = await plantExpired(home, 'boto', -10)
      expect(await statusOf(env, 'boto')).toMatchObject({state: 'refreshable'})
      const refreshesBefore = emulator.requests.filter((r) => r.operation === 'CreateToken').length
      await botocoreCredentials('boto-dev', env)
      expect(emulator.requests.filter((r) => r.operation === 'CreateToken').length).toBe(refreshesBefore + 1)
      const written = cachedToken(home, 'boto')
      expect(written.accessToken).not.toBe(planted.accessToken)
      expect(lastBearer()).toBe(written.accessToken)
      expect(written.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(await statusOf(env, 'boto')).toMatchObject({
        expiresAt: written.expiresAt,
        hasRefreshToken: true,
        state: 'valid',
      })
    },
  )

  it('the JS SDK refreshes an expiring ssokit token; ssokit status reads the file it rewrote', async () => {
    const {env, home} = setup(['js'])
    const planted = await plantExpired(home, 'js', 2)
    const {fromSSO} = await import('@aws-sdk/credential-providers')
    await withEnv(env, async () => {
      await fromSSO({ignoreCache: true, profile: 'js-dev'})()
    })
    const written = cachedToken(home, 'js')
    expect(written.accessToken).not.toBe(planted.accessToken)
    expect(readFileSync(tokenCachePath({sessionName: 'js'}, home.cacheDir), 'utf8')).toContain('\n  "accessToken"')
    expect(await statusOf(env, 'js')).toMatchObject({
      expiresAt: written.expiresAt.replace(/\.\d{3}Z$/, 'Z'),
      state: 'valid',
    })
  })

  it.skipIf(noBotocore)(
    'a token botocore wrote (as aws sso login does) is used by ssokit credential-process',
    async () => {
      const {env, home} = setup(['cli'])
      const token = {...emulator.issueToken(), expiresAt: at(60)}
      const save = await python(['save-token', START_URL, 'cli'], env, JSON.stringify(token))
      expect(save.code, save.stderr).toBe(0)
      expect(cachedToken(home, 'cli')).toEqual(token)
      expect(await statusOf(env, 'cli')).toMatchObject({expiresAt: token.expiresAt, state: 'valid'})
      const result = await ssokit(log, ['credential-process', '--profile', 'cli-dev'], env)
      expect(result.code).toBe(0)
      expect(lastBearer()).toBe(token.accessToken)
    },
  )
})

describe('credential_process = ssokit credential-process --profile P', () => {
  /** An `ssokit` on PATH that runs the built CLI, and a profile that uses it. */
  function processSetup() {
    const s = setup(['proc'])
    const bin = join(s.home.home, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'ssokit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
    chmodSync(join(bin, 'ssokit'), 0o755)
    writeFileSync(
      s.home.configFile,
      `${readFileSync(s.home.configFile, 'utf8')}\n[profile via-process]\ncredential_process = ssokit credential-process --profile proc-dev\n`,
    )
    return {...s, env: {...s.env, PATH: `${bin}${delimiter}${process.env.PATH}`}}
  }

  it.skipIf(noBotocore)('works in botocore', async () => {
    const {env, home} = processSetup()
    await plantExpired(home, 'proc', 60)
    const creds = await botocoreCredentials('via-process', env)
    expect(emulator.issuedSecrets().roleCredentials).toContain(creds.token)
  })

  it('works in the JS SDK (fromIni and fromProcess)', async () => {
    const {env, home} = processSetup()
    await plantExpired(home, 'proc', 60)
    const {fromIni, fromProcess} = await import('@aws-sdk/credential-providers')
    await withEnv(env, async () => {
      const ini = await fromIni({ignoreCache: true, profile: 'via-process'})()
      expect(emulator.issuedSecrets().roleCredentials).toContain(ini.secretAccessKey)
      expect(ini.expiration!.getTime()).toBeGreaterThan(Date.now())
      const proc = await fromProcess({ignoreCache: true, profile: 'via-process'})()
      expect(emulator.issuedSecrets().roleCredentials).toContain(proc.accessKeyId)
    })
  })

  it.skipIf(noBotocore)('botocore shows the one-line login message when a login is needed', async () => {
    const {env} = processSetup()
    const run = await python(['credentials', 'via-process'], env)
    expect(run.code).not.toBe(0)
    // Node's and the SDK's warnings would land in this message too: credential-process keeps them out.
    expect(run.stderr).not.toContain('Warning')
    expect(run.stderr).toContain(
      'Error when retrieving credentials from custom-process: Error: No SSO login for sso-session proc: there is no cached token. Run: ssokit login --sso-session proc',
    )
  })
})
