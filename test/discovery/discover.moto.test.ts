import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../src/discovery/snapshot.js'

import {COMMERCIAL_REGIONS} from '../../src/aws/regions.js'
import {runDiscover, type RunDiscoverOptions} from '../../src/discovery/run.js'
import {canonicalSnapshot, serializeSnapshot} from '../../src/discovery/snapshot.js'
import {AWS_QUOTA_RATES, type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {
  awkwardSpec,
  awsEnvFor,
  describeWithMoto,
  type MotoServer,
  type Seeded,
  seedIdentityCenter,
  seedOrganizationalUnits,
  seedPermissionSetPolicies,
  setEnv,
  startMoto,
  TEST_REGION,
} from '../support/moto.js'

const ALL: RunDiscoverOptions = {
  accounts: true,
  assignments: true,
  names: false,
  permissionSets: true,
  principals: true,
}

/** The snapshot parts `discover --all` must report for what was seeded. */
function expectedFrom(
  seeded: Seeded,
): Pick<DiscoverSnapshot, 'accounts' | 'assignments' | 'groups' | 'instances' | 'permissionSets' | 'users'> {
  const snapshot = canonicalSnapshot({
    ...seeded,
    caller: null,
    generatedAt: '',
    instances: [
      {
        ...seeded.instance,
        startUrl: `https://${seeded.instance.identityStoreId}.awsapps.com/start`,
        startUrlSource: 'default',
      },
    ],
    searchedRegions: [],
    stats: {durationMs: 0, requests: 0, throttled: 0},
    version: 1,
    warnings: [],
  })
  const {accounts, assignments, groups, instances, permissionSets, users} = snapshot
  return {accounts, assignments, groups, instances, permissionSets, users}
}

/** The snapshot without what may differ between two runs over the same data. */
function stable(snapshot: DiscoverSnapshot): string {
  return serializeSnapshot({...snapshot, generatedAt: 'X', stats: {durationMs: 0, requests: 0, throttled: 0}})
}

describeWithMoto('discover against moto', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let restoreEnv: (() => void) | undefined

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.url)
  })

  afterAll(async () => {
    restoreEnv?.()
    await proxy?.close()
    await moto?.stop()
  })

  beforeEach(() => {
    proxy.rules = {}
    proxy.resetStats()
    restoreEnv?.()
    restoreEnv = setEnv(awsEnvFor(proxy.url))
  })

  describe('an organization with awkward names', () => {
    let seeded: Seeded

    beforeAll(async () => {
      await moto.reset()
      seeded = await seedIdentityCenter(moto.url, awkwardSpec())
    })

    it('reports exactly what was seeded', async () => {
      const {snapshot} = await runDiscover(ALL)
      expect(snapshot).toMatchObject(expectedFrom(seeded))
      expect(snapshot.caller).toEqual({
        account: seeded.managementAccountId,
        arn: expect.stringMatching(/^arn:aws:(sts|iam)::123456789012:/),
      })
      expect(snapshot.searchedRegions).toEqual([TEST_REGION])
      expect(snapshot.warnings).toEqual([])
      expect(snapshot.stats.assignmentStrategy).toBe('per-principal')
      expect(snapshot.stats.requests).toBe(proxy.stats.received)
      expect(snapshot.accounts!.filter((a) => a.name === 'Sandbox')).toHaveLength(2)
    })

    it('gives identical bytes on a second run, apart from generatedAt and stats', async () => {
      const first = await runDiscover(ALL)
      const second = await runDiscover(ALL)
      expect(stable(second.snapshot)).toBe(stable(first.snapshot))
    })

    // moto's ListPermissionSetsProvisionedToAccount ignores the account (every account appears to have every
    // provisioned set), so against moto this strategy asks for more pairs than AWS would; ListAccountAssignments
    // itself filters correctly, so the result must still be exact. The per-account pair selection is tested
    // against per-account answers in assignments.test.ts.
    it('finds the same assignments per account as per principal', async () => {
      const {snapshot} = await runDiscover({...ALL, strategy: 'per-account'})
      expect(snapshot.stats.assignmentStrategy).toBe('per-account')
      expect(snapshot.assignments).toEqual(expectedFrom(seeded).assignments)
      expect(proxy.stats.byOperation.get('sso:ListPermissionSetsProvisionedToAccount')).toBe(seeded.accounts.length)
      expect(proxy.stats.byOperation.get('sso:ListAccountAssignmentsForPrincipal')).toBeUndefined()
    })

    it('still completes with the exact same result when 30% of responses are throttled and 10% fail with 5xx', async () => {
      const clean = await runDiscover(ALL)
      proxy.resetStats()
      proxy.rules = {seed: 42, serverErrorRate: 0.1, throttleRate: 0.3}
      const {snapshot} = await runDiscover(ALL)
      expect(stable(snapshot)).toBe(stable(clean.snapshot))
      expect(snapshot.stats.throttled).toBe(proxy.stats.throttled)
      expect(snapshot.stats.throttled).toBeGreaterThan(3)
      expect(snapshot.stats.requests).toBe(proxy.stats.received)
    })

    it('reports what it could read when Organizations is denied, and names the missing permission', async () => {
      proxy.rules = {errors: {'organizations:ListAccounts': 'AccessDeniedException'}}
      const {snapshot} = await runDiscover(ALL)
      expect(snapshot).not.toHaveProperty('accounts')
      expect(snapshot.assignments).toEqual(expectedFrom(seeded).assignments)
      expect(snapshot.users).toEqual(expectedFrom(seeded).users)
      expect(snapshot.warnings).toEqual([
        expect.objectContaining({action: 'organizations:ListAccounts', code: 'ACCESS_DENIED', scope: 'accounts'}),
      ])
    })

    it('falls back to the per-account audit when ListAccountAssignmentsForPrincipal is denied', async () => {
      proxy.rules = {errors: {ListAccountAssignmentsForPrincipal: 'AccessDeniedException'}}
      const {snapshot} = await runDiscover(ALL)
      expect(snapshot.stats.assignmentStrategy).toBe('per-account')
      expect(snapshot.assignments).toEqual(expectedFrom(seeded).assignments)
      expect(snapshot.warnings.map((w) => w.code)).toEqual(['STRATEGY_FALLBACK'])
    })

    it('without a configured region, scans the commercial regions and ignores those not enabled', async () => {
      restoreEnv!()
      restoreEnv = setEnv({...awsEnvFor(proxy.url), AWS_REGION: undefined})
      // moto has an instance in every region; the proxy makes every region but eu-west-2 "not enabled".
      proxy.rules = {disabledRegions: {enabled: ['eu-west-2'], error: 'UnrecognizedClientException', service: 'sso'}}
      const {snapshot} = await runDiscover({
        ...ALL,
        accounts: false,
        assignments: false,
        permissionSets: false,
        principals: false,
      })
      expect(snapshot.instances.map((i) => i.region)).toEqual(['eu-west-2'])
      expect(snapshot.searchedRegions).toEqual([...COMMERCIAL_REGIONS].sort())
      expect(proxy.stats.byOperation.get('sso:ListInstances')).toBe(COMMERCIAL_REGIONS.length)
    })

    it('--region asks only the named regions', async () => {
      const {snapshot} = await runDiscover({...ALL, assignments: false, regions: ['us-east-1']})
      expect(snapshot.instances.map((i) => i.instanceArn)).toEqual([seeded.instance.instanceArn])
      expect(proxy.stats.byOperation.get('sso:ListInstances')).toBe(1)
    })
  })

  describe('organizational units and permission set policies', () => {
    let seeded: Seeded
    let tree: {ouIds: Map<string, string>; rootId: string}
    const inline = JSON.stringify({Statement: [{Action: '*', Effect: 'Allow', Resource: '*'}], Version: '2012-10-17'})

    beforeAll(async () => {
      await moto.reset()
      seeded = await seedIdentityCenter(moto.url, awkwardSpec())
      tree = await seedOrganizationalUnits(moto.url, seeded, [
        {accounts: [], name: 'Workloads'},
        {accounts: [0], name: 'Production', parent: 'Workloads'},
        {accounts: [1, 3], name: 'Development', parent: 'Workloads'},
      ])
      await seedPermissionSetPolicies(moto.url, seeded, {
        AdministratorAccess: {awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess']},
        'PowerUser+Limited': {customerManaged: [{name: 'Deploy'}, {name: 'Ops', path: '/team/'}], inline},
        ReadOnly: {awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess']},
      })
    })

    it("places every account in its OU by walking the tree, and reads each permission set's policies", async () => {
      const {snapshot} = await runDiscover({...ALL, organizationalUnits: true, policies: true})
      const ou = (name: string): string => tree.ouIds.get(name)!
      expect(snapshot.organizationalUnits).toEqual(
        [
          {id: tree.rootId, name: 'Root', parentId: null},
          {id: ou('Workloads'), name: 'Workloads', parentId: tree.rootId},
          {id: ou('Production'), name: 'Production', parentId: ou('Workloads')},
          {id: ou('Development'), name: 'Development', parentId: ou('Workloads')},
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      )
      const parentOf = Object.fromEntries(snapshot.accounts!.map((a) => [a.id, a.parentId]))
      expect(parentOf).toEqual({
        [seeded.managementAccountId]: tree.rootId,
        [seeded.memberAccountIds[0]]: ou('Production'),
        [seeded.memberAccountIds[1]]: ou('Development'),
        [seeded.memberAccountIds[2]]: tree.rootId,
        [seeded.memberAccountIds[3]]: ou('Development'),
        [seeded.memberAccountIds[4]]: tree.rootId,
      })
      expect(proxy.stats.byOperation.get('organizations:ListParents')).toBeUndefined()
      expect(proxy.stats.byOperation.get('organizations:ListAccountsForParent')).toBe(4)

      const policies = Object.fromEntries(snapshot.permissionSets!.map((p) => [p.name, p.policies]))
      expect(policies).toEqual({
        AdministratorAccess: {
          awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          customerManaged: [],
          inline: null,
        },
        'PowerUser+Limited': {
          awsManaged: [],
          customerManaged: ['/Deploy', '/team/Ops'],
          inline: {allowsEverything: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/)},
        },
        ReadOnly: {awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], customerManaged: [], inline: null},
        Unused: {awsManaged: [], customerManaged: [], inline: null},
      })
      expect(snapshot.warnings).toEqual([])
    })
  })

  describe('an organization larger than one page of every list', () => {
    let seeded: Seeded

    beforeAll(async () => {
      await moto.reset()
      const accounts = Array.from({length: 45}, (_, i) => ({
        email: `a${i}@example.com`,
        name: `Account ${String(i).padStart(2, '0')}`,
      }))
      const users = Array.from({length: 230}, (_, i) => ({
        displayName: `User ${i}`,
        email: `u${i}@example.com`,
        userName: `user${String(i).padStart(3, '0')}`,
      }))
      seeded = await seedIdentityCenter(moto.url, {
        accounts,
        // "Everyone" holds 3 permission sets on each of 45 accounts: 135 assignments, more than one page (100).
        assignments: [
          ...accounts.map((_, i) => ({account: i, group: 'Everyone', permissionSet: 'ReadOnly'})),
          ...accounts.map((_, i) => ({account: i, group: 'Everyone', permissionSet: 'Billing'})),
          ...accounts.map((_, i) => ({account: i, group: 'Everyone', permissionSet: 'Support'})),
          {account: 'management' as const, permissionSet: 'ReadOnly', user: 'user007'},
        ],
        groups: [{displayName: 'Everyone', members: users.slice(0, 150).map((u) => u.userName)}],
        permissionSets: [
          {name: 'ReadOnly', sessionDuration: 'PT1H'},
          {name: 'Billing', sessionDuration: 'PT1H'},
          {name: 'Support', sessionDuration: 'PT1H'},
        ],
        users,
      })
    })

    it('follows every NextToken', async () => {
      const {snapshot} = await runDiscover({...ALL, strategy: 'per-principal'})
      expect(snapshot).toMatchObject(expectedFrom(seeded))
      expect(snapshot.accounts).toHaveLength(46)
      expect(snapshot.users).toHaveLength(230)
      expect(snapshot.groups![0].memberIds).toHaveLength(150)
      expect(snapshot.assignments).toHaveLength(136)
      const calls = proxy.stats.byOperation
      expect(calls.get('organizations:ListAccounts')).toBe(3)
      expect(calls.get('identitystore:ListUsers')).toBe(3)
      expect(calls.get('identitystore:ListGroupMemberships')).toBe(2)
      // 230 users and 1 group, the group's 135 assignments on two pages.
      expect(calls.get('sso:ListAccountAssignmentsForPrincipal')).toBe(232)
    })

    it('picks the per-account audit here (46 accounts are cheaper than 231 principals) with the same result', async () => {
      const {snapshot} = await runDiscover(ALL)
      expect(snapshot.stats.assignmentStrategy).toBe('per-account')
      expect(snapshot.assignments).toEqual(expectedFrom(seeded).assignments)
    })
  })

  describe('at the published quotas', () => {
    let seeded: Seeded

    beforeAll(async () => {
      await moto.reset()
      // Many groups: their memberships (identity store) are read while the audit (sso-admin) runs.
      const users = Array.from({length: 40}, (_, i) => ({
        displayName: `User ${i}`,
        email: `q${i}@example.com`,
        userName: `q${String(i).padStart(2, '0')}`,
      }))
      const groups = Array.from({length: 40}, (_, g) => ({
        displayName: `Team ${String(g).padStart(2, '0')}`,
        members: [users[g].userName, users[(g + 1) % 40].userName],
      }))
      const accounts = Array.from({length: 8}, (_, i) => ({email: `q${i}@example.com`, name: `Quota ${i}`}))
      seeded = await seedIdentityCenter(moto.url, {
        accounts,
        assignments: groups.map((g, i) => ({account: i % 8, group: g.displayName, permissionSet: `Set${i % 4}`})),
        groups,
        permissionSets: Array.from({length: 4}, (_, p) => ({name: `Set${p}`, sessionDuration: 'PT1H'})),
        users,
      })
    })

    it('runs every budget side by side under the rates AWS enforces, with (almost) no throttles', async () => {
      proxy.rules = {rates: {...AWS_QUOTA_RATES}, seed: 5}
      const {snapshot} = await runDiscover({...ALL, names: true, strategy: 'per-principal'})
      expect(snapshot).toMatchObject(expectedFrom(seeded))
      const {stats} = snapshot
      // Near zero: a request may reach the proxy a little early on a loaded machine, and its retry absorbs it.
      expect(stats.throttled).toBeLessThanOrEqual(Math.ceil(stats.requests * 0.03))
      expect(stats.requests).toBe(proxy.stats.received)
      const proxied = (service: string) => proxy.stats.byService.get(service) ?? {received: 0, throttled: 0}
      expect(stats.byService).toEqual({
        identitystore: {requests: proxied('identitystore').received, throttled: proxied('identitystore').throttled},
        organizations: {requests: proxied('organizations').received, throttled: proxied('organizations').throttled},
        'sso-admin': {requests: proxied('sso').received, throttled: proxied('sso').throttled},
        sts: {requests: proxied('sts').received, throttled: proxied('sts').throttled},
      })
      // Side by side: some second holds more requests than the one 20/s budget of old allowed, and no quota's own
      // window was exceeded by more than the few the retries absorbed.
      const accepted = proxy.stats.arrivals.filter((a) => !a.throttled).map((a) => a.at)
      const busiest = Math.max(...accepted.map((t) => accepted.filter((u) => u >= t && u < t + 1000).length))
      expect(busiest).toBeGreaterThan(20)
      const answered = proxy.stats.arrivals.filter((a) => !a.throttled)
      const memberships = answered.filter((a) => a.key === 'identitystore:ListGroupMemberships')
      const audit = answered.filter((a) => a.key === 'sso:ListAccountAssignmentsForPrincipal')
      expect(memberships).toHaveLength(40)
      expect(audit).toHaveLength(80)
      // The audit did not wait for the memberships.
      expect(audit[0].at).toBeLessThan(memberships.at(-1)!.at)
    })
  })
})
