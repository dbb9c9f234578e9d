import {describe, expect, it} from 'vitest'

import {auditAssignments, estimateCosts, strategyOrder} from '../../src/discovery/assignments.js'
import {compareAssignments} from '../../src/discovery/snapshot.js'
import {FakeApi, smallOrg} from '../support/fake-identity-center-api.js'

function inputFor(
  api: FakeApi,
  overrides: Partial<Parameters<typeof auditAssignments>[1]> = {},
): Parameters<typeof auditAssignments>[1] {
  const {data} = api
  return {
    accountIds: data.accounts.map((a) => a.id),
    callerAccountId: data.caller.account,
    concurrency: 4,
    permissionSetCount: data.permissionSets.length,
    principals: {groupIds: data.groups.map((g) => g.id), userIds: data.users.map((u) => u.id)},
    target: data.instances[0],
    ...overrides,
  }
}

const sorted = <T extends Parameters<typeof compareAssignments>[0]>(list: T[]): T[] =>
  [...list].sort(compareAssignments)

describe('assignment strategy choice', () => {
  const target = {
    identityStoreId: 'd-1',
    instanceArn: 'arn:aws:sso:::instance/ssoins-1',
    ownerAccountId: '111111111111',
    region: 'us-east-1',
  }
  const ids = (n: number, prefix = ''): string[] => Array.from({length: n}, (_, i) => `${prefix}${i}`)

  it('prefers per principal when there are few people and many accounts (the benchmark shape)', () => {
    const costs = estimateCosts({
      accountIds: ids(200),
      callerAccountId: '111111111111',
      permissionSetCount: 20,
      principals: {groupIds: ids(12), userIds: ids(60)},
      target,
    })
    expect(costs).toEqual({'per-account': 600, 'per-principal': 72})
    expect(strategyOrder(costs)).toEqual(['per-principal', 'per-account'])
  })

  it('prefers per account when there are many people and few accounts', () => {
    const costs = estimateCosts({
      accountIds: ids(30),
      callerAccountId: '111111111111',
      permissionSetCount: 10,
      principals: {groupIds: ids(40), userIds: ids(3000)},
      target,
    })
    expect(strategyOrder(costs)).toEqual(['per-account', 'per-principal'])
  })

  it('offers only per account to a delegated administrator (per principal is management-account only)', () => {
    const costs = estimateCosts({
      accountIds: ids(30),
      callerAccountId: '999999999999',
      permissionSetCount: 10,
      principals: {groupIds: ids(1), userIds: ids(1)},
      target,
    })
    expect(Object.keys(costs)).toEqual(['per-account'])
  })

  it('counts no pairs when the instance has no permission sets', () => {
    expect(estimateCosts({accountIds: ids(10), permissionSetCount: 0, target})).toEqual({'per-account': 10})
    expect(estimateCosts({accountIds: ids(10), permissionSetCount: 1, target})).toEqual({'per-account': 20})
  })

  it('offers only what can run with what was readable', () => {
    expect(
      strategyOrder(
        estimateCosts({callerAccountId: '111111111111', principals: {groupIds: [], userIds: ids(2)}, target}),
      ),
    ).toEqual(['per-principal'])
    expect(strategyOrder(estimateCosts({accountIds: ids(2), target}))).toEqual(['per-account'])
    expect(strategyOrder(estimateCosts({target}))).toEqual([])
    expect(strategyOrder({'per-account': 1, 'per-principal': 5}, 'per-principal')).toEqual(['per-principal'])
  })
})

describe('auditAssignments', () => {
  it('finds the same assignments with either strategy', async () => {
    for (const strategy of ['per-account', 'per-principal'] as const) {
      const api = new FakeApi(smallOrg())
      const result = await auditAssignments(api, inputFor(api, {strategy}))
      expect(result.strategy).toBe(strategy)
      expect(sorted(result.assignments!)).toEqual(sorted(api.data.assignments))
      expect(result.warnings).toEqual([])
    }
  })

  // moto answers ListPermissionSetsProvisionedToAccount with every provisioned set whatever the account, so this
  // part of the per-account strategy is tested here, against per-account answers as AWS gives them.
  it('per account: lists provisioned sets per account and asks only for those pairs', async () => {
    const api = new FakeApi(smallOrg())
    await auditAssignments(api, inputFor(api, {strategy: 'per-account'}))
    expect(api.count('sso:ListPermissionSetsProvisionedToAccount')).toBe(4)
    // 111: admin · 222: admin, read · 333: read, dev · 444: nothing provisioned.
    expect(api.count('sso:ListAccountAssignments')).toBe(5)
    expect(api.count('sso:ListAccountAssignmentsForPrincipal')).toBe(0)
  })

  it('per principal: one call per user and group', async () => {
    const api = new FakeApi(smallOrg())
    await auditAssignments(api, inputFor(api, {strategy: 'per-principal'}))
    expect(api.count('sso:ListAccountAssignmentsForPrincipal')).toBe(5)
    expect(api.count('sso:ListAccountAssignments')).toBe(0)
  })

  it('falls back to per account when ListAccountAssignmentsForPrincipal is denied, and says so', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('sso:ListAccountAssignmentsForPrincipal')
    const result = await auditAssignments(api, inputFor(api))
    expect(result.strategy).toBe('per-account')
    expect(sorted(result.assignments!)).toEqual(sorted(api.data.assignments))
    expect(result.warnings).toEqual([
      expect.objectContaining({
        action: 'sso:ListAccountAssignmentsForPrincipal',
        code: 'STRATEGY_FALLBACK',
        scope: 'assignments',
      }),
    ])
  })

  it('falls back to per principal when the per-account APIs are denied', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('sso:ListPermissionSetsProvisionedToAccount')
    const result = await auditAssignments(
      api,
      inputFor(api, {
        principals: {
          groupIds: ['g-admins', 'g-devs'],
          userIds: [...Array.from({length: 50}, (_, i) => `u-${i}`), 'u-bob', 'u-carol'],
        },
      }),
    )
    expect(result.strategy).toBe('per-principal')
    expect(sorted(result.assignments!)).toEqual(sorted(api.data.assignments))
    expect(result.warnings.map((w) => w.code)).toEqual(['STRATEGY_FALLBACK'])
  })

  it('reports the assignments as unreadable, naming both permissions, when both strategies are denied', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('sso:ListAccountAssignmentsForPrincipal')
    api.denied.add('sso:ListPermissionSetsProvisionedToAccount')
    const result = await auditAssignments(api, inputFor(api))
    expect(result.assignments).toBeUndefined()
    expect(result.warnings.map((w) => [w.code, w.action])).toEqual([
      ['ACCESS_DENIED', 'sso:ListAccountAssignmentsForPrincipal'],
      ['ACCESS_DENIED', 'sso:ListPermissionSetsProvisionedToAccount'],
    ])
  })

  it('as a delegated administrator: per account, skipping the management account, with a warning', async () => {
    const data = smallOrg()
    data.caller = {account: '222222222222', arn: 'arn:aws:iam::222222222222:role/delegated'}
    const api = new FakeApi(data)
    const result = await auditAssignments(api, inputFor(api))
    expect(result.strategy).toBe('per-account')
    expect(api.calls).not.toContain('sso:ListAccountAssignmentsForPrincipal')
    expect(sorted(result.assignments!)).toEqual(sorted(data.assignments.filter((a) => a.accountId !== '111111111111')))
    expect(result.warnings.map((w) => w.code)).toEqual(['DELEGATED_ADMIN'])
  })

  it('says why when neither accounts nor principals could be read', async () => {
    const api = new FakeApi(smallOrg())
    const result = await auditAssignments(api, inputFor(api, {accountIds: undefined, principals: undefined}))
    expect(result.assignments).toBeUndefined()
    expect(result.warnings.map((w) => w.code)).toEqual(['ASSIGNMENTS_UNREADABLE'])
    expect(api.calls).toEqual([])
  })

  it('stops at a failure that is not a refusal (network), without trying the other strategy', async () => {
    const api = new FakeApi(smallOrg())
    api.unreachableRegions.add('eu-west-1')
    await expect(auditAssignments(api, inputFor(api))).rejects.toMatchObject({code: 'NETWORK', exit: 6})
  })
})
