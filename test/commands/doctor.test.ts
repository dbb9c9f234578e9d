/**
 * `ssokit doctor` end to end (the built CLI): the SSO emulator for the portal and sso-oidc (401, 403, 429),
 * moto for sts:GetCallerIdentity (with role credentials moto issued, so that it answers for the role), fake
 * `aws` executables on PATH, and a server that never answers for a network that is down.
 */
import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest'

import {tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {fakeAws} from '../doctor/helpers.js'
import {OutputLog, ssokit, START_URL, tempHome} from '../sso/helpers.js'
import {ROOT} from '../support/cli.js'
import {describeWithMoto, type MotoServer, startMoto} from '../support/moto.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'
import {type LocalServer, startBlackhole} from '../support/tls.js'

const CONFIG = `[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-east-1
`
const ROLE = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123456789abcdef'
const OTHER_ROLE = 'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef'

interface Check {
  category: string
  fix: null | string
  id: string
  message: string
  status: string
}

describeWithMoto('ssokit doctor', () => {
  let emulator: SsoEmulator
  let moto: MotoServer
  let blackhole: LocalServer
  const log = new OutputLog()
  const PATH = fakeAws('aws-cli/2.27.3 Python/3.13.2 Linux/6.18 exe/x86_64.ubuntu.24')

  const motoCredentials = async (roleArn: string) => {
    const sts = new STSClient({
      credentials: {accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'testing-testing-testing'},
      endpoint: moto.url,
      region: 'us-east-1',
    })
    const out = await sts.send(new AssumeRoleCommand({RoleArn: roleArn, RoleSessionName: 'alice'}))
    sts.destroy()
    const c = out.Credentials!
    return {accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!}
  }

  beforeAll(async () => {
    ;[emulator, moto, blackhole] = await Promise.all([
      startSsoEmulator({accounts: [{accountId: '111122223333', accountName: 'Production', roles: ['ReadOnly']}]}),
      startMoto(),
      startBlackhole(),
    ])
  })

  afterAll(async () => {
    log.expectNoSecrets(emulator)
    await Promise.all([emulator?.close(), moto?.stop(), blackhole?.close()])
  })

  beforeEach(async () => {
    emulator.clearFaults()
    const credentials = await motoCredentials(ROLE)
    emulator.setRoleCredentials(() => credentials)
  })

  /** A home logged in to corp (a token the emulator issued, valid for two hours). */
  async function loggedIn(): Promise<{env: Record<string, string>; home: ReturnType<typeof tempHome>}> {
    const home = tempHome()
    home.writeConfig(CONFIG)
    const token = {...emulator.issueToken(), expiresAt: formatAwsTime(new Date(Date.now() + 2 * 3_600_000))}
    await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), token)
    return {env: {...home.env, ...emulator.env(), AWS_ENDPOINT_URL_STS: moto.url, PATH}, home}
  }

  /** Doctor with a deadline long enough for a busy machine, unless the test sets its own. */
  async function doctor(env: Record<string, string>, ...args: string[]) {
    const timeout = args.includes('--timeout') ? [] : ['--timeout', '20s']
    const result = await ssokit(log, ['doctor', '--json', ...timeout, ...args], env)
    const json = JSON.parse(result.stdout) as {checks: Check[]; summary: Record<string, number>}
    const byId = Object.fromEntries(json.checks.map((c) => [c.id, c]))
    return {byId, code: result.code, json, result}
  }

  it('passes every check for a working profile, in the JSON shape of {checks, summary}', async () => {
    const {env} = await loggedIn()
    const {byId, code, json} = await doctor(env, '--profile', 'dev')
    expect(json.checks.filter((c) => c.status !== 'pass')).toEqual([])
    expect(code).toBe(0)
    expect(Object.keys(json)).toEqual(['checks', 'summary'])
    expect(Object.keys(json.checks[0])).toEqual(['id', 'category', 'status', 'message', 'fix'])
    expect(json.checks.map((c) => c.id)).toEqual([
      'aws-cli',
      'aws-profile',
      'env-credentials',
      'config-lint',
      'token:corp',
      'token-cache-files',
      'ca-bundle',
      'proxy',
      'endpoint:us-east-1',
      'clock-skew',
      'profile',
      'profile-token',
      'role-credentials',
      'caller-identity',
    ])
    expect(json.summary).toEqual({fail: 0, pass: 14, skip: 0, total: 14, warn: 0})
    expect(byId['caller-identity'].message).toBe(
      'sts:GetCallerIdentity: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice (account 111122223333, permission set ReadOnly).',
    )
  })

  it('explains GetRoleCredentials 401 (a login fixes it, and status learns it), 403 (it does not) and 429', async () => {
    const unauthorized = await loggedIn()
    emulator.setFault('GetRoleCredentials', 401)
    const rejected = await doctor(unauthorized.env, '--profile', 'dev')
    expect(rejected.code).toBe(1)
    expect(rejected.byId['role-credentials']).toMatchObject({
      fix: 'ssokit login --sso-session corp',
      message: expect.stringContaining('(UnauthorizedException)'),
      status: 'fail',
    })
    expect(rejected.byId['role-credentials'].message).toContain('a new login fixes it')
    expect(rejected.byId['caller-identity'].status).toBe('skip')
    const status = JSON.parse((await ssokit(log, ['status', '--json'], unauthorized.env)).stdout)
    expect(status.sessions[0]).toMatchObject({needsLogin: true, state: 'revoked'})
    // And the next doctor says so without asking the portal again.
    expect((await doctor(unauthorized.env, '--offline')).byId['token:corp']).toMatchObject({status: 'fail'})

    const forbidden = await loggedIn()
    emulator.setFault('GetRoleCredentials', 403)
    const denied = await doctor(forbidden.env, '--profile', 'dev')
    expect(denied.byId['role-credentials'].message).toContain('ForbiddenException (HTTP 403, "No access")')
    expect(denied.byId['role-credentials'].message).toContain('a new login does not help')
    expect(denied.byId['role-credentials'].fix).toBe(
      'Ask an IAM Identity Center administrator to run: ssokit doctor access --user YOUR_USER --account 111122223333 --permission-set ReadOnly',
    )

    const throttled = await loggedIn()
    emulator.setFault('GetRoleCredentials', 429)
    const slow = await doctor(throttled.env, '--profile', 'dev')
    expect(slow.byId['role-credentials'].message).toMatch(
      /answered TooManyRequestsException \(HTTP 429\).*throttled.*\(throttled; a new login does not help\)/,
    )
  })

  it('fails when sts:GetCallerIdentity answers for another account and role', async () => {
    const {env} = await loggedIn()
    const other = await motoCredentials(OTHER_ROLE)
    emulator.setRoleCredentials(() => other)
    const {byId, code} = await doctor(env, '--profile', 'dev')
    expect(code).toBe(1)
    expect(byId['caller-identity'].status).toBe('fail')
    expect(byId['caller-identity'].message).toContain('arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Admin_')
    expect(byId['caller-identity'].message).toContain('expects account 111122223333 and permission set ReadOnly')
  })

  it('names a profile that does not exist and skips what depends on it', async () => {
    const {env} = await loggedIn()
    const {byId, code} = await doctor(env, '--profile', 'nope')
    expect(code).toBe(1)
    expect(byId.profile).toMatchObject({fix: 'Use one of: dev (ssokit profiles)', status: 'fail'})
    expect(['profile-token', 'role-credentials', 'caller-identity'].map((id) => byId[id].status)).toEqual([
      'skip',
      'skip',
      'skip',
    ])
  })

  it('--offline asks no server, loads no AWS SDK, and still reads tokens and config', async () => {
    const {env, home} = await loggedIn()
    const before = emulator.requests.length
    const moduleLog = join(home.home, 'modules.log')
    const {byId, code} = await doctor(
      {...env, NODE_OPTIONS: `--import=${join(ROOT, 'test/support/log-modules.mjs')}`, SSOKIT_MODULE_LOG: moduleLog},
      '--offline',
      '--profile',
      'dev',
    )
    expect(code).toBe(0)
    expect(emulator.requests.length).toBe(before)
    for (const id of ['endpoint', 'clock-skew', 'role-credentials', 'caller-identity'])
      expect(byId[id].status).toBe('skip')
    expect(byId['profile-token'].status).toBe('pass')
    const modules = readFileSync(moduleLog, 'utf8').split('\n')
    expect(modules.some((m) => m.includes('/dist/commands/doctor/index.js'))).toBe(true)
    expect(modules.filter((m) => m.includes('@aws-sdk/') || m.includes('@smithy/'))).toEqual([])
  })

  it('finishes within a few seconds when the network is down', async () => {
    const {env} = await loggedIn()
    const down = {
      ...env,
      AWS_ENDPOINT_URL_SSO: blackhole.url,
      AWS_ENDPOINT_URL_SSO_OIDC: blackhole.url,
      AWS_ENDPOINT_URL_STS: blackhole.url,
    }
    const started = Date.now()
    const {byId, code} = await doctor(down, '--profile', 'dev', '--timeout', '1s')
    // Not minutes: one deadline per step of the chain, and the process ends (a busy machine adds start-up time).
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(code).toBe(1)
    expect(byId['endpoint:us-east-1'].status).toBe('fail')
    expect(byId['role-credentials'].status).toBe('fail')
  })

  it('prints checks grouped by category with their fixes, and exits 1 on a failure', async () => {
    const {env} = await loggedIn()
    const result = await ssokit(log, ['doctor', '--sso-session', 'nope'], env)
    expect(result.code).toBe(1)
    const v1 = {...env, PATH: fakeAws('aws-cli/1.45.11 Python/3.11.7 Linux/6.18 botocore/1.43.11')}
    const human = await ssokit(log, ['doctor', '--offline', '--timeout', '20s'], {...v1, AWS_PROFILE: 'ghost'})
    expect(human.code).toBe(1)
    const headers = human.stdout.split('\n').filter((l) => /^\S/.test(l))
    expect(headers).toEqual([
      'environment',
      'config',
      'tokens',
      'network',
      expect.stringMatching(/ ok, .* failed, .* skipped\.$/),
    ])
    expect(human.stdout).toMatch(/ {2}WARN {2}aws-cli: `aws` is AWS CLI v1 1\.45\.11/)
    expect(human.stdout).toMatch(/ {2}FAIL {2}aws-profile: AWS_PROFILE=ghost names no profile/)
    expect(human.stdout).toContain(
      '        fix: unset AWS_PROFILE, or set it to an existing profile (ssokit profiles). Profiles: dev.',
    )
  })
})
