import fc from 'fast-check'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {
  canonicalSnapshot,
  type DiscoverSnapshot,
  readSnapshot,
  serializeSnapshot,
} from '../../src/discovery/snapshot.js'
import {BadInputError} from '../../src/errors.js'
import {smallOrg} from '../support/fake-identity-center-api.js'

function fullSnapshot(): DiscoverSnapshot {
  const org = smallOrg()
  return {
    accounts: org.accounts,
    assignments: org.assignments,
    caller: org.caller,
    generatedAt: '2026-11-22T10:00:00Z',
    groups: org.groups,
    instances: org.instances.map((i) => ({
      ...i,
      startUrl: `https://${i.identityStoreId}.awsapps.com/start`,
      startUrlSource: 'default' as const,
    })),
    permissionSets: org.permissionSets,
    searchedRegions: ['eu-west-1', 'us-east-1'],
    stats: {durationMs: 10, requests: 5, throttled: 1},
    users: org.users,
    version: 1,
    warnings: [],
  }
}

function shuffled<T>(list: T[], order: number[]): T[] {
  return list
    .map((item, i) => ({item, key: order[i % order.length] ?? 0}))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item)
}

describe('canonicalSnapshot', () => {
  it('puts keys in the order the README shows and sorts every array', () => {
    const snapshot = canonicalSnapshot(fullSnapshot())
    expect(Object.keys(snapshot)).toEqual([
      'version',
      'generatedAt',
      'caller',
      'instances',
      'accounts',
      'permissionSets',
      'users',
      'groups',
      'assignments',
      'searchedRegions',
      'warnings',
      'stats',
    ])
    expect(Object.keys(snapshot.accounts![0])).toEqual(['id', 'name', 'email', 'status'])
    expect(Object.keys(snapshot.instances[0])).toEqual([
      'instanceArn',
      'identityStoreId',
      'ownerAccountId',
      'region',
      'name',
      'status',
      'startUrl',
      'startUrlSource',
    ])
    expect(Object.keys(snapshot.assignments![0])).toEqual([
      'accountId',
      'permissionSetArn',
      'principalType',
      'principalId',
    ])
    expect(snapshot.accounts!.map((a) => a.id)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
    ])
    expect(snapshot.permissionSets!.map((p) => p.name)).toEqual(['Admin', 'Developer', 'ReadOnly'])
    expect(snapshot.users!.map((u) => u.userName)).toEqual(['alice', 'bob', 'carol'])
    expect(snapshot.groups!.find((g) => g.id === 'g-devs')!.memberIds).toEqual(['u-alice', 'u-bob'])
    expect(
      snapshot.assignments!.map(
        (a) => `${a.accountId} ${a.permissionSetArn.split('/').pop()} ${a.principalType} ${a.principalId}`,
      ),
    ).toEqual([
      '111111111111 ps-admin GROUP g-admins',
      '222222222222 ps-admin GROUP g-admins',
      '222222222222 ps-read USER u-bob',
      '333333333333 ps-dev GROUP g-devs',
      '333333333333 ps-read USER u-carol',
    ])
  })

  it('leaves arrays that were not asked for absent, and drops duplicate assignments', () => {
    const {accounts: _a, groups: _g, permissionSets: _p, users: _u, ...rest} = fullSnapshot()
    const snapshot = canonicalSnapshot({...rest, assignments: [...rest.assignments!, ...rest.assignments!]})
    expect(snapshot).not.toHaveProperty('accounts')
    expect(snapshot).not.toHaveProperty('users')
    expect(snapshot.assignments).toHaveLength(5)
  })

  it('gives the same bytes whatever order the data arrived in', () => {
    const reference = serializeSnapshot(fullSnapshot())
    fc.assert(
      fc.property(fc.array(fc.integer(), {maxLength: 10, minLength: 1}), (order) => {
        const base = fullSnapshot()
        const scrambled: DiscoverSnapshot = {
          ...base,
          accounts: shuffled(base.accounts!, order),
          assignments: shuffled(base.assignments!, order),
          groups: shuffled(base.groups!, order).map((g) => ({...g, memberIds: shuffled(g.memberIds, order)})),
          permissionSets: shuffled(base.permissionSets!, order),
          searchedRegions: shuffled(base.searchedRegions, order),
          users: shuffled(base.users!, order),
        }
        expect(serializeSnapshot(scrambled)).toBe(reference)
      }),
      {numRuns: 50},
    )
  })
})

describe('readSnapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-snapshot-'))
  const write = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it('reads back what discover --out writes', async () => {
    const path = write('good.json', serializeSnapshot(fullSnapshot()))
    expect(await readSnapshot(path)).toEqual(canonicalSnapshot(fullSnapshot()))
  })

  it('keeps the requests per service, sorted by service, and checks their shape', async () => {
    const stats = {
      byService: {
        'sso-admin': {requests: 150, throttled: 2},
        identitystore: {requests: 14, throttled: 0},
      },
      durationMs: 9000,
      requests: 164,
      throttled: 2,
    }
    const path = write('by-service.json', serializeSnapshot({...fullSnapshot(), stats}))
    const read = await readSnapshot(path)
    expect(read.stats.byService).toEqual(stats.byService)
    expect(Object.keys(read.stats.byService!)).toEqual(['identitystore', 'sso-admin'])
    const bad = write(
      'bad-stats.json',
      JSON.stringify({...fullSnapshot(), stats: {...stats, byService: {sts: {requests: 'x'}}}}),
    )
    await expect(readSnapshot(bad)).rejects.toThrow(/stats\.byService\.sts\.requests must be a number/)
  })

  it('reads a minimal snapshot with only instances', async () => {
    const {accounts: _a, assignments: _s, groups: _g, permissionSets: _p, users: _u, ...minimal} = fullSnapshot()
    const snapshot = await readSnapshot(write('minimal.json', JSON.stringify(minimal)))
    expect(snapshot.instances).toHaveLength(1)
    expect(snapshot.accounts).toBeUndefined()
  })

  it('rejects unreadable, non-JSON and wrongly shaped files with exit 3, naming the file and the field', async () => {
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.json'), /Cannot read snapshot .*missing\.json/],
      [write('bad.json', '{"version": 1,'), /bad\.json is not valid JSON/],
      [write('version.json', JSON.stringify({...fullSnapshot(), version: 2})), /version\.json .*"version" must be 1/],
      [
        write(
          'type.json',
          JSON.stringify({
            ...fullSnapshot(),
            assignments: [{accountId: '1', permissionSetArn: 'x', principalId: 'p', principalType: 'ROLE'}],
          }),
        ),
        /assignments\[0\]\.principalType/,
      ],
      [
        write('account.json', JSON.stringify({...fullSnapshot(), accounts: [{id: 'abc', name: 'x'}]})),
        /accounts\[0\]\.id must be a 12-digit account id/,
      ],
      [write('array.json', '[]'), /the document must be an object/],
    ]
    for (const [path, message] of cases) {
      const error = await readSnapshot(path).catch((error_: unknown) => error_)
      expect(error, path).toBeInstanceOf(BadInputError)
      expect((error as BadInputError).exit).toBe(3)
      expect((error as BadInputError).message).toMatch(message)
    }
  })
})
