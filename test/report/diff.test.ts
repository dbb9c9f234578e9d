import {describe, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../src/discovery/snapshot.js'

import {canonicalSnapshot} from '../../src/discovery/snapshot.js'
import {renderSnapshotDiff} from '../../src/render/snapshot-diff.js'
import {diffSnapshots} from '../../src/report/diff.js'
import {demoSnapshot, psArn} from '../support/report-snapshots.js'

const diff = (older: DiscoverSnapshot, newer: DiscoverSnapshot, effective = false) =>
  diffSnapshots({file: 'old.json', snapshot: older}, {file: 'new.json', snapshot: newer}, {effective})

/** The demo organization a week later. */
function weekLater(): DiscoverSnapshot {
  const s = demoSnapshot()
  s.generatedAt = '2026-12-07T08:00:00Z'
  s.stats = {durationMs: 1, requests: 1, throttled: 0}
  s.groups!.find((g) => g.id === 'g-payments')!.memberIds.push('u-kofi')
  const developers = s.groups!.find((g) => g.id === 'g-developers')!
  developers.memberIds = developers.memberIds.filter((m) => m !== 'u-omar')
  s.assignments!.push({
    accountId: '444400000003',
    permissionSetArn: psArn('admin'),
    principalId: 'u-ines',
    principalType: 'USER',
  })
  s.assignments = s.assignments!.filter((a) => a.principalId !== 'u-chen')
  s.permissionSets!.find((p) => p.name === 'ReadOnlyAccess')!.sessionDuration = 'PT12H'
  s.permissionSets!.find((p) => p.name === 'DataEngineer')!.policies!.awsManaged.push(
    'arn:aws:iam::aws:policy/AmazonAthenaFullAccess',
  )
  s.accounts!.push({
    email: 'aws+ml@example.com',
    id: '777700000001',
    name: 'ml-prod',
    parentId: 'ou-7k2q-product1',
    status: 'ACTIVE',
  })
  const sandbox = s.accounts!.find((a) => a.name === 'sandbox-omar')!
  sandbox.parentId = 'ou-7k2q-staging1'
  sandbox.status = 'SUSPENDED'
  return canonicalSnapshot(s)
}

describe('diffSnapshots', () => {
  it('finds nothing between a snapshot and itself, whatever the generatedAt and stats', () => {
    const other = {
      ...demoSnapshot(),
      generatedAt: '2030-01-01T00:00:00Z',
      stats: {durationMs: 9, requests: 9, throttled: 9},
    }
    for (const effective of [false, true]) {
      const result = diff(demoSnapshot(), other, effective)
      expect(result.changed).toBe(false)
      expect(result.changes).toBe(0)
      expect(result.notCompared).toEqual([])
    }

    expect(renderSnapshotDiff(diff(demoSnapshot(), other))).toMatch(/\nNo changes\.\n$/)
  })

  it('reports assignments, memberships, permission sets and accounts by name', () => {
    const result = diff(demoSnapshot(), weekLater())
    expect(result.changed).toBe(true)
    expect(result.accounts).toEqual({
      added: [{id: '777700000001', name: 'ml-prod'}],
      changed: [
        {
          changes: [
            {field: 'status', new: 'SUSPENDED', old: 'ACTIVE'},
            {field: 'organizationalUnit', new: 'Root / Workloads / Staging', old: 'Root / Sandbox'},
          ],
          id: '666600000002',
          name: 'sandbox-omar',
        },
      ],
      removed: [],
    })
    expect(result.permissionSets.changed).toEqual([
      {
        arn: psArn('data'),
        changes: [
          {
            field: 'awsManagedPolicies',
            new: ['AmazonAthenaFullAccess'],
            old: [],
          },
        ],
        name: 'DataEngineer',
      },
      {
        arn: psArn('readonly'),
        changes: [{field: 'sessionDuration', new: 'PT12H', old: 'PT8H'}],
        name: 'ReadOnlyAccess',
      },
    ])
    expect(result.assignments!.added).toEqual([
      expect.objectContaining({
        accountName: 'data-prod',
        permissionSetName: 'AdministratorAccess',
        principalName: 'ines.duarte',
      }),
    ])
    expect(result.assignments!.removed).toEqual([
      expect.objectContaining({
        accountName: 'payments-staging',
        permissionSetName: 'ViewOnlyAccess',
        principalName: 'chen.wei',
      }),
    ])
    expect(result.memberships).toEqual({
      added: [
        {
          groupAssignments: 2,
          groupId: 'g-payments',
          groupName: 'Payments Team',
          userId: 'u-kofi',
          userName: 'kofi.mensah',
        },
      ],
      removed: [
        {
          groupAssignments: 6,
          groupId: 'g-developers',
          groupName: 'Developers',
          userId: 'u-omar',
          userName: 'omar.khalil',
        },
      ],
    })
    expect(result.changes).toBe(8)
    expect(result).not.toHaveProperty('access')
  })

  it('--effective: a membership change shows as the access it grants or takes away', () => {
    const result = diff(demoSnapshot(), weekLater(), true)
    expect(result).not.toHaveProperty('assignments')
    expect(result).not.toHaveProperty('memberships')
    const line = (e: {accountName: string; permissionSetName: string; userName: string}) =>
      `${e.userName} ${e.accountName} ${e.permissionSetName}`
    expect(result.access!.gained.map(line)).toEqual([
      'ines.duarte data-prod AdministratorAccess',
      'kofi.mensah payments-prod PowerUserAccess',
    ])
    expect(result.access!.lost.map(line)).toEqual([
      'chen.wei payments-staging ViewOnlyAccess',
      'omar.khalil network ReadOnlyAccess',
      'omar.khalil shared-services PowerUserAccess',
      'omar.khalil checkout-prod ReadOnlyAccess',
      'omar.khalil payments-prod ReadOnlyAccess',
      'omar.khalil checkout-staging PowerUserAccess',
      'omar.khalil payments-staging PowerUserAccess',
    ])
    expect(result.access!.pathsChanged).toEqual([
      expect.objectContaining({
        newPaths: [
          {groupId: 'g-developers', groupName: 'Developers', via: 'group'},
          {groupId: 'g-payments', groupName: 'Payments Team', via: 'group'},
        ],
        oldPaths: [{groupId: 'g-developers', groupName: 'Developers', via: 'group'}],
        permissionSetName: 'PowerUserAccess',
        userName: 'kofi.mensah',
      }),
    ])
  })

  it('does not compare a part only one snapshot has, and counts that as a change', () => {
    const newer = structuredClone(demoSnapshot())
    delete newer.users
    delete newer.assignments
    newer.warnings.push({code: 'ACCESS_DENIED', message: 'denied', scope: 'users'})
    const result = diff(demoSnapshot(), newer)
    expect(result.notCompared).toEqual([
      {missingIn: 'new', part: 'users'},
      {missingIn: 'new', part: 'assignments'},
    ])
    expect(result).not.toHaveProperty('assignments')
    expect(result.changed).toBe(true)
    expect(result.changes).toBe(2)
    expect(renderSnapshotDiff(result)).toContain('! assignments: only in old.json (missing in the new snapshot)')

    const both = structuredClone(demoSnapshot())
    delete both.organizationalUnits
    const same = diff(both, both)
    expect(same.notCompared).toEqual([{missingIn: 'both', part: 'organizationalUnits'}])
    expect(same.changed).toBe(false)
  })

  it('prints names on one line, whatever they contain', () => {
    const newer = demoSnapshot()
    newer.accounts!.push({
      email: null,
      id: '888800000001',
      name: 'evil\n+ fake line\u001B[2J',
      parentId: 'r-7k2q',
      status: null,
    })
    const text = renderSnapshotDiff(diff(demoSnapshot(), canonicalSnapshot(newer)))
    expect(text).toContain(String.raw`+ evil\n+ fake line\x1b[2J (888800000001)`)
    expect(text).not.toContain('\u001B')
  })
})
