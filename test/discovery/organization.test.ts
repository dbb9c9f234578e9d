import {describe, expect, it} from 'vitest'

import {discover, type DiscoverRequest} from '../../src/discovery/discover.js'
import {allowsEverything, summarizeInlinePolicy} from '../../src/discovery/policies.js'
import {parseSnapshot, serializeSnapshot} from '../../src/discovery/snapshot.js'
import {FakeApi, smallOrg} from '../support/fake-identity-center-api.js'

const nothing: DiscoverRequest = {
  accounts: false,
  assignments: false,
  concurrency: 4,
  configuredRegion: 'eu-west-1',
  names: false,
  permissionSets: false,
  principals: false,
}
const stats = {requests: 0, throttled: 0}

describe('organizational units (discover --organizational-units)', () => {
  it('walks the tree from the roots: one pair of calls per parent, every account placed, accounts implied', async () => {
    const api = new FakeApi(smallOrg())
    const {snapshot} = await discover(api, stats, {...nothing, organizationalUnits: true})
    expect(snapshot.organizationalUnits).toEqual([
      {id: 'ou-ab12-dev00001', name: 'Development', parentId: 'ou-ab12-work0001'},
      {id: 'ou-ab12-prod0001', name: 'Production', parentId: 'ou-ab12-work0001'},
      {id: 'ou-ab12-work0001', name: 'Workloads', parentId: 'r-ab12'},
      {id: 'r-ab12', name: 'Root', parentId: null},
    ])
    expect(snapshot.accounts!.map((a) => [a.id, a.parentId])).toEqual([
      ['111111111111', 'r-ab12'],
      ['222222222222', 'ou-ab12-prod0001'],
      ['333333333333', 'ou-ab12-dev00001'],
      ['444444444444', 'ou-ab12-dev00001'],
    ])
    // 4 parents (root, Workloads, Production, Development): 1 ListRoots + 4 + 4, never ListParents.
    expect(api.count('organizations:ListRoots')).toBe(1)
    expect(api.count('organizations:ListOrganizationalUnitsForParent')).toBe(4)
    expect(api.count('organizations:ListAccountsForParent')).toBe(4)
    expect(snapshot).not.toHaveProperty('permissionSets')
  })

  it('is absent when not asked, and a refusal is a warning that keeps the accounts', async () => {
    const plain = await discover(new FakeApi(smallOrg()), stats, {...nothing, accounts: true})
    expect(plain.snapshot).not.toHaveProperty('organizationalUnits')
    expect(plain.snapshot.accounts!.every((a) => a.parentId === undefined)).toBe(true)

    const api = new FakeApi(smallOrg())
    api.denied.add('organizations:ListOrganizationalUnitsForParent')
    const {snapshot} = await discover(api, stats, {...nothing, organizationalUnits: true})
    expect(snapshot).not.toHaveProperty('organizationalUnits')
    expect(snapshot.accounts).toHaveLength(4)
    expect(snapshot.accounts!.every((a) => a.parentId === undefined)).toBe(true)
    expect(snapshot.warnings).toEqual([
      expect.objectContaining({
        action: 'organizations:ListOrganizationalUnitsForParent',
        code: 'ACCESS_DENIED',
        scope: 'organizationalUnits',
      }),
    ])
  })

  it('round-trips through the snapshot file, and the reader rejects a bad OU id naming the JSON path', async () => {
    const {snapshot} = await discover(new FakeApi(smallOrg()), stats, {...nothing, organizationalUnits: true})
    const text = serializeSnapshot(snapshot)
    expect(parseSnapshot(JSON.parse(text))).toEqual(snapshot)
    expect(Object.keys(JSON.parse(text))).toEqual([
      'version',
      'generatedAt',
      'caller',
      'instances',
      'accounts',
      'organizationalUnits',
      'searchedRegions',
      'warnings',
      'stats',
    ])
    const bad = JSON.parse(text)
    bad.organizationalUnits[1].parentId = '<script>'
    expect(() => parseSnapshot(bad)).toThrow('organizationalUnits[1].parentId must be null or a root or OU id')
    const badAccount = JSON.parse(text)
    badAccount.accounts[2].parentId = 7
    expect(() => parseSnapshot(badAccount)).toThrow('accounts[2].parentId must be a string')
  })
})

describe('permission set policies (discover --policies)', () => {
  it('reads the managed policies, customer managed references and an inline summary; implies permission sets', async () => {
    const api = new FakeApi(smallOrg())
    const {snapshot} = await discover(api, stats, {...nothing, policies: true})
    const byName = Object.fromEntries(snapshot.permissionSets!.map((p) => [p.name, p.policies]))
    expect(byName.Admin).toEqual({
      awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      customerManaged: [],
      inline: null,
    })
    expect(byName.Developer).toEqual({
      awsManaged: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      customerManaged: ['/team/DeployRole'],
      inline: {allowsEverything: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/)},
    })
    expect(api.count('sso:ListManagedPoliciesInPermissionSet')).toBe(3)
    expect(api.count('sso:GetInlinePolicyForPermissionSet')).toBe(3)
    expect(parseSnapshot(JSON.parse(serializeSnapshot(snapshot)))).toEqual(snapshot)
  })

  it('keeps the permission sets when the policy calls are denied, and says so', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('sso:GetInlinePolicyForPermissionSet')
    const {snapshot} = await discover(api, stats, {...nothing, policies: true})
    expect(snapshot.permissionSets).toHaveLength(3)
    expect(snapshot.permissionSets!.every((p) => p.policies === undefined)).toBe(true)
    expect(snapshot.warnings.map((w) => [w.scope, w.action])).toEqual([
      ['policies', 'sso:GetInlinePolicyForPermissionSet'],
    ])
  })

  it('rejects a policy entry that is not an ARN, naming the JSON path', async () => {
    const {snapshot} = await discover(new FakeApi(smallOrg()), stats, {...nothing, policies: true})
    const doc = JSON.parse(serializeSnapshot(snapshot))
    doc.permissionSets[0].policies.awsManaged = ['AdministratorAccess']
    expect(() => parseSnapshot(doc)).toThrow(
      'permissionSets[0].policies.awsManaged[0] must be an AWS managed policy ARN',
    )
  })
})

describe('allowsEverything', () => {
  const policy = (statement: unknown): string => JSON.stringify({Statement: statement, Version: '2012-10-17'})

  it('is true for Allow * on *, with Action as a string, "*:*" or in a list', () => {
    expect(allowsEverything(policy({Action: '*', Effect: 'Allow', Resource: '*'}))).toBe(true)
    expect(allowsEverything(policy([{Action: ['s3:*', '*:*'], Effect: 'Allow', Resource: ['*']}]))).toBe(true)
  })

  it('is false for a Deny, a narrower action or resource, a condition, or text that is not JSON', () => {
    expect(allowsEverything(policy({Action: '*', Effect: 'Deny', Resource: '*'}))).toBe(false)
    expect(allowsEverything(policy({Action: 's3:*', Effect: 'Allow', Resource: '*'}))).toBe(false)
    expect(allowsEverything(policy({Action: '*', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*'}))).toBe(false)
    expect(
      allowsEverything(
        policy({
          Action: '*',
          Condition: {Bool: {'aws:MultiFactorAuthPresent': 'true'}},
          Effect: 'Allow',
          Resource: '*',
        }),
      ),
    ).toBe(false)
    expect(allowsEverything('{not json')).toBe(false)
    expect(summarizeInlinePolicy('{}').sha256).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a')
  })
})
