import {describe, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../src/discovery/snapshot.js'

import {buildAccessReport} from '../../src/report/access.js'
import {demoSnapshot, psArn} from '../support/report-snapshots.js'

const without = (snapshot: DiscoverSnapshot, ...parts: Array<keyof DiscoverSnapshot>): DiscoverSnapshot => {
  const copy = structuredClone(snapshot)
  for (const part of parts) delete copy[part]
  return copy
}

describe('buildAccessReport', () => {
  it('expands groups: every user, account and permission set with each path, direct first', () => {
    const report = buildAccessReport(demoSnapshot())
    const lena = report.access.filter((e) => e.userName === 'lena.fischer')
    expect(lena.map((e) => `${e.accountName} ${e.permissionSetName}`)).toEqual([
      'network ReadOnlyAccess',
      'shared-services PowerUserAccess',
      'checkout-prod ReadOnlyAccess',
      'payments-prod AdministratorAccess',
      'payments-prod PowerUserAccess',
      'payments-prod ReadOnlyAccess',
      'checkout-staging PowerUserAccess',
      'payments-staging PowerUserAccess',
    ])
    expect(lena.find((e) => e.accountName === 'payments-staging')!.paths).toEqual([
      {groupId: 'g-developers', groupName: 'Developers', via: 'group'},
      {groupId: 'g-payments', groupName: 'Payments Team', via: 'group'},
    ])
    expect(lena.find((e) => e.permissionSetName === 'AdministratorAccess')!.paths).toEqual([{via: 'direct'}])
    expect(report.summary).toEqual({
      accounts: 12,
      assignments: 29,
      effectiveAccess: 87,
      groups: 6,
      permissionSets: 8,
      users: 14,
      usersWithAdmin: 5,
    })
    expect(report.missing).toEqual([])
  })

  it('orders accounts by OU path then name, and permission sets strongest first', () => {
    const report = buildAccessReport(demoSnapshot())
    expect(report.accounts.slice(0, 4).map((a) => [a.ouPath!.join('/'), a.name])).toEqual([
      ['Root', 'management'],
      ['Root/Infrastructure', 'network'],
      ['Root/Infrastructure', 'shared-services'],
      ['Root/Sandbox', 'sandbox-nadia'],
    ])
    expect(report.permissionSets.map((p) => [p.name, p.power.level])).toEqual([
      ['AdministratorAccess', 'admin'],
      ['BreakGlass', 'admin'],
      ['PowerUserAccess', 'power-user'],
      ['DataEngineer', 'custom'],
      ['Billing', 'billing'],
      ['ReadOnlyAccess', 'read-only'],
      ['SecurityAudit', 'read-only'],
      ['ViewOnlyAccess', 'read-only'],
    ])
    expect(Object.keys(report)).toEqual([
      'version',
      'generatedAt',
      'instances',
      'summary',
      'missing',
      'warnings',
      'accounts',
      'permissionSets',
      'users',
      'groups',
      'assignments',
      'access',
    ])
  })

  it('says what is missing, and why, instead of showing an empty part as if nobody had access', () => {
    const snapshot = without(demoSnapshot(), 'users', 'organizationalUnits')
    snapshot.warnings.push({
      action: 'identitystore:ListUsers',
      code: 'ACCESS_DENIED',
      message: 'Access denied: ListUsers needs identitystore:ListUsers',
      scope: 'users',
    })
    const report = buildAccessReport(snapshot)
    expect(report.missing).toEqual([
      {
        message: expect.stringMatching(/^Users could not be read: Access denied: ListUsers .*people appear by id only/),
        part: 'users',
        severity: 'warning',
      },
      {
        message: expect.stringContaining('accounts are not grouped by OU'),
        part: 'organizationalUnits',
        severity: 'note',
      },
    ])
    // Group members are still expanded, by id, marked unknown.
    const alex = report.users.find((u) => u.id === 'u-alex')!
    expect(alex).toEqual({displayName: null, email: null, id: 'u-alex', known: false, userName: 'u-alex'})
    expect(report.summary.effectiveAccess).toBe(87)
    expect(report.accounts.every((a) => a.ouPath === null)).toBe(true)
  })

  it('without groups: group assignments are not expanded, and the report says so', () => {
    const report = buildAccessReport(without(demoSnapshot(), 'groups'))
    expect(report.missing.map((m) => m.part)).toEqual(['groups'])
    expect(report.missing[0].message).toContain('group assignments cannot be expanded')
    expect(report.access.every((e) => e.paths.every((p) => p.via === 'direct'))).toBe(true)
    expect(report.groups.find((g) => g.id === 'g-platform')).toEqual({
      displayName: 'g-platform',
      id: 'g-platform',
      known: false,
      memberIds: [],
    })
  })

  it('without accounts or permission sets: the ids the assignments name, marked unknown', () => {
    const report = buildAccessReport(without(demoSnapshot(), 'accounts', 'permissionSets'))
    expect(report.missing.map((m) => m.part)).toEqual(['accounts', 'permissionSets'])
    expect(report.accounts.map((a) => a.id)).not.toContain('000000000000')
    const payments = report.accounts.find((a) => a.id === '444400000001')!
    expect(payments).toMatchObject({known: false, name: '444400000001', ouPath: []})
    const admin = report.permissionSets.find((p) => p.arn === psArn('admin'))!
    expect(admin).toMatchObject({known: false, name: 'ps-admin', power: {level: 'unknown'}})
  })

  it('without assignments: says nobody can be shown with access', () => {
    const report = buildAccessReport(without(demoSnapshot(), 'assignments'))
    expect(report.missing.map((m) => m.part)).toEqual(['assignments'])
    expect(report.missing[0].message).toContain('nobody is shown with access')
    expect(report.access).toEqual([])
  })

  it('marks policies as a note when the snapshot has none: power is then a guess from the name', () => {
    const snapshot = demoSnapshot()
    for (const p of snapshot.permissionSets!) delete p.policies
    const report = buildAccessReport(snapshot)
    expect(report.missing).toEqual([expect.objectContaining({part: 'policies', severity: 'note'})])
    expect(report.permissionSets.find((p) => p.name === 'BreakGlass')!.power.level).toBe('unknown')
    expect(report.permissionSets.find((p) => p.name === 'AdministratorAccess')!.power.basis).toBe('name')
  })
})
