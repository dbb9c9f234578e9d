import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {
  type CachedToken,
  cliCredentialCacheFile,
  readRegistrationFile,
  readTokenFile,
  registrationCacheKey,
  tokenCacheKey,
  tokenCachePath,
  writeRegistrationFile,
  writeTokenFile,
} from '../../src/sso/cache.js'
import {pythonJsonDumps} from '../../src/sso/pyjson.js'
import {formatAwsTime, parseAwsTime, parseDuration} from '../../src/sso/time.js'
import {botocoreUnavailable, START_URL, tempHome} from './helpers.js'

const INTEROP = fileURLToPath(new URL('../support/sso_interop.py', import.meta.url))

function botocore(command: string[], input: unknown, env: Record<string, string> = {}): unknown {
  const run = spawnSync('python3', [INTEROP, ...command], {
    encoding: 'utf8',
    env: {...process.env, ...env},
    input: JSON.stringify(input),
  })
  if (run.status !== 0) throw new Error(`python3 ${command.join(' ')} failed: ${run.stderr}`)
  return run.stdout ? JSON.parse(run.stdout) : undefined
}

describe('cache keys', () => {
  it('names token files as the AWS CLI does (files the AWS CLI wrote)', () => {
    expect(tokenCacheKey({sessionName: 'my-sso'})).toBe('0ad374308c5a4e22f723adf10145eafad7c4031c')
    expect(tokenCacheKey({startUrl: 'https://d-1234567890.awsapps.com/start'})).toBe(
      '7487b5b67d5fa1132cf33fa93ae51ef38cc37752',
    )
    // The start URL as written: a trailing slash is another cache.
    expect(tokenCacheKey({startUrl: 'https://d-1234567890.awsapps.com/start/'})).not.toBe(
      '7487b5b67d5fa1132cf33fa93ae51ef38cc37752',
    )
  })

  it('computes the registration key of the measured CLI files (files the AWS CLI wrote)', () => {
    expect(
      registrationCacheKey({
        region: 'us-east-1',
        scopes: ['sso:account:access'],
        sessionName: 'my-sso',
        startUrl: START_URL,
      }),
    ).toBe('a8343d65418848d0bc13a5f25cbb32508ceec5d1')
    expect(registrationCacheKey({region: 'us-east-1', startUrl: START_URL})).toBe(
      '365414a68be7c9bfc776c660981dbdbd942acea4',
    )
  })

  const cases = [
    {registration: {region: 'us-east-1', scopes: ['sso:account:access'], sessionName: 'my-sso', startUrl: START_URL}},
    {
      registration: {
        region: 'eu-west-1',
        scopes: ['sso:account:access', 'codewhisperer:completions'],
        sessionName: 'Corp Sso',
        startUrl: START_URL,
      },
    },
    {
      registration: {
        region: 'us-gov-west-1',
        sessionName: 'üñï "quoted" \\ \u0001 😀',
        startUrl: 'https://start.us-gov-home.awsapps.com/directory/x',
      },
    },
    {registration: {region: 'us-east-1', scopes: [], sessionName: 'empty', startUrl: START_URL}},
    {registration: {region: 'us-east-1', startUrl: 'https://d-1234567890.awsapps.com/start/#/'}},
  ]

  it.skipIf(botocoreUnavailable())('matches botocore on registration, token and role-credential keys', () => {
    const input = [
      ...cases,
      {tokenKey: 'my-sso'},
      {tokenKey: 'sessión 😀'},
      {role: {accountId: '111122223333', roleName: 'ReadOnly', sessionName: 'corp'}},
      {role: {accountId: '111122223333', roleName: 'Admin', startUrl: START_URL}},
    ]
    const python = botocore(['keys'], input) as Array<Record<string, string>>
    for (const [i, item] of input.entries()) {
      if ('registration' in item) {
        expect(registrationCacheKey(item.registration), JSON.stringify(item)).toBe(python[i].registration)
      } else if ('tokenKey' in item) {
        expect(tokenCacheKey({sessionName: item.tokenKey!})).toBe(python[i].tokenKey)
      } else {
        const {role} = item
        const key = 'sessionName' in role ? {sessionName: role.sessionName!} : {startUrl: role.startUrl!}
        expect(cliCredentialCacheFile({accountId: role.accountId, roleName: role.roleName, ...key})).toBe(
          python[i].role,
        )
      }
    }
  })

  it.skipIf(botocoreUnavailable())("serialises JSON byte for byte as Python's json.dumps", () => {
    const values = [
      {a: 'plain', b: ['x', 'y'], c: 12, d: null, e: true},
      {text: 'ünïcode 😀 \u007F \u0000 \b\f\n\r\t "q" \\ / <>&'},
      {nested: {list: [[], {}], n: -5}},
    ]
    const python = botocore(
      ['keys'],
      values.map((dumps) => ({dumps})),
    ) as Array<{dumps: string}>
    for (const [i, value] of values.entries()) expect(pythonJsonDumps(value)).toBe(python[i].dumps)
  })
})

describe('token files', () => {
  const token: CachedToken = {
    accessToken: 'ACCESSTOKEN-secret-1',
    clientId: 'CLIENTID',
    clientSecret: 'CLIENTSECRET-secret',
    expiresAt: '2026-11-22T11:12:56Z',
    refreshToken: 'REFRESHTOKEN-secret',
    region: 'us-east-1',
    registrationExpiresAt: '2030-03-17T17:46:40Z',
    startUrl: START_URL,
  }

  it('writes the exact text the AWS CLI writes, mode 0600 in a new 0700 folder', async () => {
    const home = tempHome()
    const path = tokenCachePath({sessionName: 'my-sso'}, home.cacheDir)
    await writeTokenFile(path, token)
    expect(path.endsWith('/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json')).toBe(true)
    expect(readFileSync(path, 'utf8')).toBe(
      '{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "ACCESSTOKEN-secret-1", ' +
        '"expiresAt": "2026-11-22T11:12:56Z", "clientId": "CLIENTID", "clientSecret": "CLIENTSECRET-secret", ' +
        '"registrationExpiresAt": "2030-03-17T17:46:40Z", "refreshToken": "REFRESHTOKEN-secret"}',
    )
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(home.cacheDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(home.home, '.aws', 'sso')).mode & 0o777).toBe(0o700)
  })

  it('replaces a group-readable file (as the JS SDK leaves it) with a 0600 one', async () => {
    const home = tempHome()
    mkdirSync(home.cacheDir, {recursive: true})
    const path = tokenCachePath({sessionName: 'corp'}, home.cacheDir)
    writeFileSync(path, '{}', {mode: 0o644})
    await writeTokenFile(path, token)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('omits refreshToken when there is none, like the CLI', async () => {
    const home = tempHome()
    const path = tokenCachePath({startUrl: START_URL}, home.cacheDir)
    const {refreshToken: _, ...legacy} = token
    await writeTokenFile(path, legacy)
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('refreshToken')
  })

  it('reads files in the JS SDK format (ISO with milliseconds, pretty-printed) and keeps unknown keys out', async () => {
    const home = tempHome()
    mkdirSync(home.cacheDir, {recursive: true})
    const path = join(home.cacheDir, 'js.json')
    writeFileSync(path, JSON.stringify({...token, expiresAt: '2026-11-22T11:12:56.000Z', extra: 1}, null, 2))
    const read = await readTokenFile(path)
    expect(read.status).toBe('ok')
    if (read.status !== 'ok') return
    expect(parseAwsTime(read.token.expiresAt)?.toISOString()).toBe('2026-11-22T11:12:56.000Z')
    expect(read.token).not.toHaveProperty('extra')
  })

  it('reports missing and unusable files without echoing their content', async () => {
    const home = tempHome()
    mkdirSync(home.cacheDir, {recursive: true})
    expect((await readTokenFile(join(home.cacheDir, 'none.json'))).status).toBe('missing')
    const broken = join(home.cacheDir, 'broken.json')
    writeFileSync(broken, '{"accessToken": "SECRET-DO-NOT-ECHO", ')
    const read = await readTokenFile(broken)
    expect(read).toEqual({path: broken, reason: 'not valid JSON', status: 'invalid'})
    writeFileSync(broken, JSON.stringify({expiresAt: '2026-11-22T11:12:56Z'}))
    expect(await readTokenFile(broken)).toMatchObject({reason: 'no accessToken', status: 'invalid'})
    writeFileSync(broken, JSON.stringify({accessToken: 'x', expiresAt: 'soon'}))
    expect(await readTokenFile(broken)).toMatchObject({reason: 'no readable expiresAt', status: 'invalid'})
  })

  it.skipIf(botocoreUnavailable())(
    'is read back by botocore, and botocore-written files are read by ssokit',
    async () => {
      const home = tempHome()
      await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), token)
      expect(botocore(['load-token', START_URL, 'corp'], null, home.env)).toEqual(token)
      const written = {...token, accessToken: 'BOTOCORE-WRITTEN-token', startUrl: 'https://other.awsapps.com/start'}
      botocore(['save-token', 'https://other.awsapps.com/start', '-'], written, home.env)
      const read = await readTokenFile(tokenCachePath({startUrl: 'https://other.awsapps.com/start'}, home.cacheDir))
      expect(read).toMatchObject({status: 'ok', token: written})
    },
  )
})

describe('registration files', () => {
  it('writes and reads the PKCE registration as the CLI does', async () => {
    const home = tempHome()
    const path = join(home.cacheDir, 'reg.json')
    await writeRegistrationFile(path, {
      clientId: 'CID',
      clientSecret: 'CSECRET-value',
      expiresAt: '2030-03-17T17:46:40Z',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['sso:account:access'],
    })
    expect(readFileSync(path, 'utf8')).toBe(
      '{"clientId": "CID", "clientSecret": "CSECRET-value", "expiresAt": "2030-03-17T17:46:40Z", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}',
    )
    expect(await readRegistrationFile(path)).toEqual({
      clientId: 'CID',
      clientSecret: 'CSECRET-value',
      expiresAt: '2030-03-17T17:46:40Z',
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['sso:account:access'],
    })
    expect(await readRegistrationFile(join(home.cacheDir, 'none.json'))).toBeUndefined()
  })
})

describe('time', () => {
  it('formats as %Y-%m-%dT%H:%M:%SZ and reads both writers', () => {
    expect(formatAwsTime(new Date('2026-11-22T11:12:56.789Z'))).toBe('2026-11-22T11:12:56Z')
    expect(parseAwsTime('2026-11-22T11:12:56Z')?.getTime()).toBe(Date.UTC(2026, 10, 22, 11, 12, 56))
    expect(parseAwsTime('2026-11-22T12:12:56+01:00')?.getTime()).toBe(Date.UTC(2026, 10, 22, 11, 12, 56))
    expect(parseAwsTime('nonsense')).toBeUndefined()
    expect(parseAwsTime(42)).toBeUndefined()
  })

  it('parses --timeout durations', () => {
    expect(parseDuration('10m')).toBe(600_000)
    expect(parseDuration('90')).toBe(90_000)
    expect(parseDuration('1.5s')).toBe(1500)
    expect(parseDuration('2h')).toBe(7_200_000)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('0')).toBeUndefined()
    expect(parseDuration('soon')).toBeUndefined()
  })
})
