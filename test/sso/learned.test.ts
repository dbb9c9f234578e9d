import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import type {CachedToken} from '../../src/sso/cache.js'

import {decisiveFact, learnedStatePath, readLearned, recordLearned, tokenFingerprint} from '../../src/sso/learned.js'

const key = {sessionName: 'corp'}
const token = (accessToken: string): CachedToken => ({accessToken, expiresAt: '2026-11-22T10:00:00Z'})
const stateDir = () => join(mkdtempSync(join(tmpdir(), 'ssokit-learned-')), 'ssokit')
const NOW = new Date('2026-11-22T09:00:00Z')

describe('learned session facts', () => {
  it('keeps facts per token: a new token (a refresh or a new login) voids them', async () => {
    const dir = stateDir()
    await recordLearned(
      key,
      token('token-one-123'),
      {code: 'InvalidGrantException', kind: 'refresh-refused', operation: 'CreateToken'},
      {now: NOW, stateDir: dir},
    )
    await recordLearned(
      key,
      token('token-one-123'),
      {code: 'UnauthorizedException', kind: 'token-rejected', operation: 'ListAccounts'},
      {now: NOW, stateDir: dir},
    )
    const facts = await readLearned(key, token('token-one-123'), dir)
    expect(facts.map((f) => f.kind)).toEqual(['refresh-refused', 'token-rejected'])
    expect(decisiveFact(facts)?.kind).toBe('token-rejected')
    expect(await readLearned(key, token('token-two-456'), dir)).toEqual([])
    // Recording about the new token replaces the old token's facts.
    await recordLearned(
      key,
      token('token-two-456'),
      {code: 'InvalidClientException', kind: 'refresh-refused', operation: 'CreateToken'},
      {now: NOW, stateDir: dir},
    )
    expect(await readLearned(key, token('token-one-123'), dir)).toEqual([])
    expect(await readLearned(key, token('token-two-456'), dir)).toEqual([
      {at: '2026-11-22T09:00:00Z', code: 'InvalidClientException', kind: 'refresh-refused', operation: 'CreateToken'},
    ])
  })

  it('stores a fingerprint, never the token, and reduces service codes to name characters', async () => {
    const dir = stateDir()
    await recordLearned(
      key,
      token('secret-access-token'),
      {code: 'Bad\u001B]0;x\u0007Code\nX', kind: 'token-rejected', operation: 'GetRoleCredentials'},
      {stateDir: dir},
    )
    const text = readFileSync(learnedStatePath(key, dir), 'utf8')
    expect(text).not.toContain('secret-access-token')
    expect(text).toContain(tokenFingerprint('secret-access-token'))
    expect(JSON.parse(text).facts[0].code).toBe('Bad0xCodeX')
  })

  it('ignores a state file that is not its own, and a state folder it cannot write', async () => {
    const dir = stateDir()
    const path = learnedStatePath(key, dir)
    mkdirSync(dirname(path), {recursive: true})
    for (const junk of [
      'not json',
      '[]',
      '{"version": 2}',
      `{"version": 1, "token": {"fingerprint": "${tokenFingerprint('t-12345678')}"}, "facts": [{"kind": "other"}]}`,
    ]) {
      writeFileSync(path, junk)
      expect(await readLearned(key, token('t-12345678'), dir)).toEqual([])
    }

    // A state folder that cannot be made (a file stands where it should be; root cannot write there either).
    const file = join(dirname(dir), 'a-file')
    writeFileSync(file, '')
    const locked = join(file, 'ssokit')
    await expect(
      recordLearned(
        key,
        token('t-12345678'),
        {code: 'X', kind: 'refresh-refused', operation: 'CreateToken'},
        {stateDir: locked},
      ),
    ).resolves.toBeUndefined()
  })
})
