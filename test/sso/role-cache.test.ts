import {chmodSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {tokenFingerprint} from '../../src/sso/learned.js'
import {
  readRoleCache,
  removeRoleCache,
  ROLE_CREDENTIALS_MARGIN_MS,
  roleCachePath,
  writeRoleCache,
} from '../../src/sso/role-cache.js'
import {formatAwsTime} from '../../src/sso/time.js'
import {tempHome} from './helpers.js'

const key = {accountId: '111122223333', roleName: 'ReadOnly', tokenKey: {sessionName: 'corp'}}
const expected = {accountId: key.accountId, roleName: key.roleName, token: tokenFingerprint('token-one')}
const credentials = (minutes: number) => ({
  accessKeyId: 'ASIAEXAMPLE0000001',
  expiration: formatAwsTime(new Date(Date.now() + minutes * 60_000)),
  secretAccessKey: 'secret/with+chars==',
  sessionToken: 'session-token-value',
})

function stateDir() {
  return join(tempHome().home, '.aws', 'sso', 'ssokit')
}

describe('the role-credential cache', () => {
  it('names entries by session, account and role, apart from each other', () => {
    const dir = stateDir()
    const paths = new Set([
      roleCachePath(key, dir),
      roleCachePath({...key, accountId: '444455556666'}, dir),
      roleCachePath({...key, roleName: 'Admin'}, dir),
      roleCachePath({...key, tokenKey: {sessionName: 'other'}}, dir),
      roleCachePath({...key, tokenKey: {startUrl: 'https://d-1234567890.awsapps.com/start'}}, dir),
    ])
    expect(paths.size).toBe(5)
    expect(roleCachePath(key, dir)).toMatch(/\/credentials\/[\da-f]{40}\/[\da-f]{40}\.json$/)
  })

  it('answers only for the same sign-in, account and role, with more than the margin left', async () => {
    const dir = stateDir()
    const path = roleCachePath(key, dir)
    await writeRoleCache(path, {credentials: credentials(60), key, token: expected.token}, dir)
    const now = new Date()
    expect(await readRoleCache(path, expected, now)).toEqual(credentials(60))
    expect(await readRoleCache(path, {...expected, token: tokenFingerprint('token-two')}, now)).toBeUndefined()
    expect(await readRoleCache(path, {...expected, roleName: 'Admin'}, now)).toBeUndefined()
    expect(await readRoleCache(path, {...expected, accountId: '444455556666'}, now)).toBeUndefined()
    const nearExpiry = new Date(Date.now() + 60 * 60_000 - ROLE_CREDENTIALS_MARGIN_MS + 1000)
    expect(await readRoleCache(path, expected, nearExpiry)).toBeUndefined()
    expect(await readRoleCache(join(dir, 'missing.json'), expected, now)).toBeUndefined()
  })

  it('ignores entries it did not write: broken JSON, other versions, missing or odd values', async () => {
    const dir = stateDir()
    const path = roleCachePath(key, dir)
    await writeRoleCache(path, {credentials: credentials(60), key, token: expected.token}, dir)
    const good = JSON.parse(readFileSync(path, 'utf8'))
    for (const bad of [
      '{',
      JSON.stringify({...good, version: 2}),
      JSON.stringify({...good, sessionToken: ''}),
      JSON.stringify({...good, accessKeyId: ' ASIA '}),
      JSON.stringify({...good, expiration: 'tomorrow'}),
      JSON.stringify([good]),
    ]) {
      writeFileSync(path, bad)
      expect(await readRoleCache(path, expected, new Date()), bad).toBeUndefined()
    }
  })

  it('writes 0600 files and makes its folders 0700 even when they were wider; logout removes a session', async () => {
    const dir = stateDir()
    mkdirSync(join(dir, 'credentials'), {recursive: true})
    chmodSync(dir, 0o755)
    chmodSync(join(dir, 'credentials'), 0o777)
    const path = roleCachePath(key, dir)
    await writeRoleCache(path, {credentials: credentials(60), key, token: expected.token}, dir)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    for (const folder of [dir, join(dir, 'credentials'), join(path, '..')])
      expect(statSync(folder).mode & 0o777).toBe(0o700)
    expect(await removeRoleCache(key.tokenKey, dir)).toBe(join(path, '..'))
    expect(await removeRoleCache(key.tokenKey, dir)).toBeUndefined()
    expect(await readRoleCache(path, expected, new Date())).toBeUndefined()
  })
})
