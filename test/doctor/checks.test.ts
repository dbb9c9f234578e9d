import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import type {CheckDefinition} from '../../src/doctor/checks/types.js'

import {lintCheck} from '../../src/doctor/checks/config.js'
import {awsCliCheck, environmentKeysCheck, profileVariablesCheck} from '../../src/doctor/checks/environment.js'
import {CHECKS, runChecks} from '../../src/doctor/checks/index.js'
import {bypassesProxy, proxyCheck} from '../../src/doctor/checks/network.js'
import {tokenCacheFilesCheck, tokenStateCheck} from '../../src/doctor/checks/tokens.js'
import {tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {recordLearned} from '../../src/sso/learned.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {doctorHome, fakeAws, run} from './helpers.js'

const START_URL = 'https://d-1234567890.awsapps.com/start'
const CONFIG = `[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1

[sso-session lab]
sso_start_url = https://lab.awsapps.com/start
sso_region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
`

const at = (minutes: number) => formatAwsTime(new Date(Date.now() + minutes * 60_000))
const token = (minutes: number, extra = {}) => ({
  accessToken: `access-${Math.random()}`,
  clientId: 'client',
  clientSecret: 'client-secret-xyz',
  expiresAt: at(minutes),
  refreshToken: 'refresh-token-xyz',
  region: 'us-east-1',
  registrationExpiresAt: at(60 * 24),
  startUrl: START_URL,
  ...extra,
})

describe('runner', () => {
  it('runs checks at once, fails one that misses its deadline or throws, and sorts by category', async () => {
    const home = doctorHome()
    const slow: CheckDefinition = {
      category: 'environment',
      id: 'slow',
      online: false,
      run: () => new Promise(() => {}),
      timeoutMs: () => 200,
    }
    const broken: CheckDefinition = {
      category: 'config',
      id: 'broken',
      online: false,
      async run() {
        throw new Error('boom')
      },
    }
    const online: CheckDefinition = {...broken, category: 'network', id: 'online', online: true}
    const started = Date.now()
    const report = await runChecks([online, broken, slow], home.options({offline: true}))
    expect(Date.now() - started).toBeLessThan(1500)
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['slow', 'fail'],
      ['broken', 'fail'],
      ['online', 'skip'],
    ])
    expect(report.checks[0].message).toBe('No answer within 0 s.')
    expect(report.checks[1].message).toBe('The check itself failed: boom')
    expect(report.summary).toEqual({fail: 2, pass: 0, skip: 1, total: 3, warn: 0})
    expect(Object.keys(report.checks[0])).toEqual(['id', 'category', 'status', 'message', 'fix'])
  })

  it('has one definition per check id', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length)
  })
})

describe('aws-cli', () => {
  const v1 = 'aws-cli/1.45.11 Python/3.11.7 Linux/6.18 botocore/1.43.11'
  const v2old = 'aws-cli/2.9.19 Python/3.11.2 Linux/6.18 source/x86_64.debian.12 prompt/off'
  const v2new = 'aws-cli/2.27.3 Python/3.13.2 Linux/6.18 exe/x86_64.ubuntu.24'

  it('warns about a v1 first on PATH and names the v2 behind it', async () => {
    const home = doctorHome()
    const PATH = [fakeAws(v1, {stderr: true}), fakeAws(v2new)].join(':')
    const [check] = await run(awsCliCheck, home.options({env: {PATH}}))
    expect(check.status).toBe('warn')
    expect(check.message).toMatch(/AWS CLI v1 1\.45\.11 .* has no `aws sso login`/)
    expect(check.message).toContain('Also on PATH:')
    expect(check.fix).toMatch(/^Put .*\/aws \(AWS CLI 2\.27\.3\) first on PATH/)
  })

  it('warns that v2 before 2.22 has no PKCE, and passes 2.22 or later', async () => {
    const home = doctorHome()
    const [old] = await run(awsCliCheck, home.options({env: {PATH: fakeAws(v2old)}}))
    expect(old).toMatchObject({
      status: 'warn',
      fix: 'Update AWS CLI v2 to 2.22 or later, or sign in with: ssokit login',
    })
    expect(old.message).toContain('2.9.19')
    expect(old.message).toContain('PKCE')
    const [current] = await run(awsCliCheck, home.options({env: {PATH: fakeAws(v2new)}}))
    expect(current.status).toBe('pass')
    expect(current.message).toContain('AWS CLI 2.27.3')
  })

  it('skips without an aws, and does not wait for one that hangs', async () => {
    const home = doctorHome()
    expect((await run(awsCliCheck, home.options({env: {PATH: home.home}})))[0].status).toBe('skip')
    const started = Date.now()
    const [hung] = await run(
      awsCliCheck,
      home.options({env: {PATH: fakeAws(v2new, {sleepSeconds: 30})}, timeoutMs: 500}),
    )
    expect(Date.now() - started).toBeLessThan(5000)
    expect(hung.status).toBe('warn')
    expect(hung.message).toContain('did not print an AWS CLI version')
  })
})

describe('environment variables', () => {
  it('fails for a profile that does not exist, warns when the two variables disagree', async () => {
    const home = doctorHome()
    home.writeConfig(`${CONFIG}\n[profile ops]\nregion = us-east-1\n`)
    const check = async (env: Record<string, string>) => (await run(profileVariablesCheck, home.options({env})))[0]
    expect(await check({})).toMatchObject({status: 'pass'})
    expect(await check({AWS_PROFILE: 'dev'})).toMatchObject({status: 'pass'})
    const missing = await check({AWS_PROFILE: 'nope'})
    expect(missing.status).toBe('fail')
    expect(missing.message).toContain('"The config profile (nope) could not be found"')
    expect(missing.fix).toContain('Profiles: dev, ops')
    const differ = await check({AWS_DEFAULT_PROFILE: 'ops', AWS_PROFILE: 'dev'})
    expect(differ).toMatchObject({fix: 'unset AWS_DEFAULT_PROFILE', status: 'warn'})
    expect(differ.message).toContain('AWS CLI v2 and the JS SDK use dev, AWS CLI v1 and boto3 use ops')
    expect(await check({AWS_DEFAULT_PROFILE: 'ops'})).toMatchObject({fix: 'export AWS_PROFILE=ops', status: 'warn'})
  })

  it('warns about static keys beside AWS_PROFILE, and about half a key pair, never printing them', async () => {
    const home = doctorHome()
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    const check = async (env: Record<string, string>) => (await run(environmentKeysCheck, home.options({env})))[0]
    const both = await check({
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_PROFILE: 'dev',
      AWS_SECRET_ACCESS_KEY: secret,
    })
    expect(both.status).toBe('warn')
    expect(both.message).toContain(
      'the AWS CLI and boto3 use the keys, the JS SDK (and tools built on it) uses the profile',
    )
    expect(JSON.stringify(both)).not.toContain(secret)
    expect(JSON.stringify(both)).not.toContain('AKIAIOSFODNN7EXAMPLE')
    expect((await check({AWS_SECRET_ACCESS_KEY: secret})).status).toBe('warn')
    expect((await check({AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret})).status).toBe(
      'pass',
    )
    expect((await check({})).status).toBe('pass')
  })
})

describe('config-lint', () => {
  it('fails naming the errors, warns for warnings, passes a clean config', async () => {
    const home = doctorHome()
    home.writeConfig(`${CONFIG}\n[profile dev]\nregion = us-east-1\n`)
    const [failed] = await run(lintCheck, home.options())
    expect(failed.status).toBe('fail')
    expect(failed.message).toMatch(/duplicate-section/)
    expect(failed.fix).toMatch(/^ssokit lint/)
    home.writeConfig(`${CONFIG}\n[profile ops]\nregion = us-east-1\nsso_auto_refresh = true\n`)
    expect((await run(lintCheck, home.options()))[0]).toMatchObject({status: 'warn'})
    home.writeConfig(
      `${CONFIG.replace('sso_region = eu-west-1', 'sso_region = eu-west-1\nsso_registration_scopes = sso:account:access')}`,
    )
    const clean = (await run(lintCheck, home.options()))[0]
    expect(['pass', 'warn']).toContain(clean.status)
  })
})

describe('tokens', () => {
  it('reports each session as status does, failing only what was asked for or when nothing is usable', async () => {
    const home = doctorHome()
    home.writeConfig(CONFIG)
    await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), token(120))
    const all = await run(tokenStateCheck, home.options())
    expect(all.map((c) => [c.id, c.status])).toEqual([
      ['token:corp', 'pass'],
      ['token:lab', 'warn'],
    ])
    expect(all[1]).toMatchObject({fix: 'ssokit login --sso-session lab', message: 'sso-session lab: no cached token.'})
    const asked = await run(tokenStateCheck, home.options({ssoSession: 'lab'}))
    expect(asked.map((c) => c.status)).toEqual(['fail'])
  })

  it('uses what ssokit learned: a refused refresh is expired, a rejected token revoked', async () => {
    const home = doctorHome()
    home.writeConfig(CONFIG)
    const refused = token(-30)
    await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), refused)
    expect((await run(tokenStateCheck, home.options({profile: 'dev'})))[0].status).toBe('pass')
    await recordLearned(
      {sessionName: 'corp'},
      refused,
      {code: 'InvalidGrantException', kind: 'refresh-refused', operation: 'CreateToken'},
      {stateDir: home.stateDir},
    )
    const [expired] = await run(tokenStateCheck, home.options({profile: 'dev'}))
    expect(expired.status).toBe('fail')
    expect(expired.message).toMatch(
      /expired .* and cannot be refreshed\. ssokit learned: IAM Identity Center refused to refresh this token \(CreateToken: InvalidGrantException\)/,
    )
    const rejected = token(120)
    await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), rejected)
    await recordLearned(
      {sessionName: 'corp'},
      rejected,
      {code: 'UnauthorizedException', kind: 'token-rejected', operation: 'GetRoleCredentials'},
      {stateDir: home.stateDir},
    )
    expect((await run(tokenStateCheck, home.options({ssoSession: 'corp'})))[0]).toMatchObject({
      fix: 'ssokit login --sso-session corp',
      status: 'fail',
    })
  })

  it('checks the cache files: readable by others warns, private passes', async () => {
    const home = doctorHome()
    const path = tokenCachePath({sessionName: 'corp'}, home.cacheDir)
    await writeTokenFile(path, token(120))
    expect((await run(tokenCacheFilesCheck, home.options()))[0].status).toBe('pass')
    chmodSync(path, 0o644)
    const [loose] = await run(tokenCacheFilesCheck, home.options())
    expect(loose.status).toBe('warn')
    expect(loose.message).toContain('0644')
    expect(loose.fix).toContain('chmod 600')
    expect((await run(tokenCacheFilesCheck, doctorHome().options()))[0].status).toBe('skip')
  })
})

describe('proxy', () => {
  it('matches NO_PROXY as botocore does (suffixes, leading dots, *)', () => {
    const env = {NO_PROXY: 'localhost,.corp.example, amazonaws.com:443'}
    expect(bypassesProxy('oidc.us-east-1.amazonaws.com', '443', env)).toBe(true)
    expect(bypassesProxy('oidc.us-east-1.amazonaws.com', '8443', env)).toBe(false)
    expect(bypassesProxy('git.corp.example', '443', env)).toBe(true)
    expect(bypassesProxy('notcorp.example', '443', env)).toBe(false)
    expect(bypassesProxy('anything', '1', {NO_PROXY: '*'})).toBe(true)
  })

  it('fails a malformed proxy, warns about a missing scheme and *. entries, hides passwords', async () => {
    const home = doctorHome()
    home.writeConfig(CONFIG)
    const check = async (env: Record<string, string>) => (await run(proxyCheck, home.options({env})))[0]
    expect(await check({})).toMatchObject({status: 'pass'})
    const bad = await check({HTTPS_PROXY: 'http://user:hunter2@'})
    expect(bad.status).toBe('fail')
    expect(bad.message).not.toContain('hunter2')
    const cidr = await check({HTTPS_PROXY: 'http://127.0.0.1:3128', NO_PROXY: '10.0.0.0/8'})
    expect(cidr.status).toBe('fail')
    expect(cidr.message).toContain('CIDR')
    const noScheme = await check({HTTPS_PROXY: 'proxy.corp.example:3128', NO_PROXY: '*.corp.example'})
    expect(noScheme.status).toBe('warn')
    expect(noScheme.message).toContain('the AWS CLI reads it as http://proxy.corp.example:3128')
    expect(noScheme.message).toContain('write .corp.example')
    const routed = await check({HTTPS_PROXY: 'http://alice:hunter2@127.0.0.1:3128'})
    expect(routed.status).toBe('warn')
    expect(routed.message).toContain('oidc.us-east-1.amazonaws.com through http://alice:***@127.0.0.1:3128')
    expect(routed.message).toContain('ssokit and the AWS SDK for JavaScript ignore proxy variables')
    expect(routed.message).not.toContain('hunter2')
    const bypassed = await check({HTTPS_PROXY: 'http://127.0.0.1:3128', NO_PROXY: '.amazonaws.com'})
    expect(bypassed.status).toBe('pass')
    expect(bypassed.message).toContain('oidc.us-east-1.amazonaws.com direct (NO_PROXY)')
  })
})

describe('token cache folder owned by someone else', () => {
  // Only root can give a file to another user; this machine and CI run as root.
  it.skipIf(process.getuid?.() !== 0)(
    'fails when a file belongs to another user (as after sudo aws sso login)',
    async () => {
      const home = doctorHome()
      const path = tokenCachePath({sessionName: 'corp'}, home.cacheDir)
      mkdirSync(home.cacheDir, {recursive: true})
      writeFileSync(path, '{}', {mode: 0o600})
      const {chownSync} = await import('node:fs')
      chownSync(path, 65_534, 65_534)
      const [foreign] = await run(tokenCacheFilesCheck, home.options())
      expect(foreign.status).toBe('fail')
      expect(foreign.message).toContain('belong to another user')
      expect(foreign.fix).toBe(`sudo chown -R 0 ${home.cacheDir}`)
    },
  )
})
