import {describe, expect, it} from 'vitest'

import {discover, type DiscoverRequest} from '../../src/discovery/discover.js'
import {canonicalSnapshot} from '../../src/discovery/snapshot.js'
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
const everything: DiscoverRequest = {
  ...nothing,
  accounts: true,
  assignments: true,
  permissionSets: true,
  principals: true,
}
const stats = {requests: 0, throttled: 0}

describe('discover (in-memory API)', () => {
  it('without flags: the instance and its portal URL, no other arrays, two calls', async () => {
    const api = new FakeApi(smallOrg())
    const {snapshot} = await discover(api, stats, nothing)
    expect(snapshot.instances).toEqual([
      {
        identityStoreId: 'd-1111111111',
        instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
        name: 'corp',
        ownerAccountId: '111111111111',
        region: 'eu-west-1',
        startUrl: 'https://d-1111111111.awsapps.com/start',
        startUrlSource: 'default',
        status: 'ACTIVE',
      },
    ])
    expect(snapshot.caller).toEqual(api.data.caller)
    for (const key of ['accounts', 'permissionSets', 'users', 'groups', 'assignments'])
      expect(snapshot).not.toHaveProperty(key)
    expect(api.calls).toEqual(['sts:GetCallerIdentity', 'sso:ListInstances'])
    expect(snapshot.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('asks the API to load the identity-store and Organizations clients first, only for the parts asked for', async () => {
    /** Records each preload in the call list, so its place among the requests shows. */
    class PreloadingApi extends FakeApi {
      preload(regions: {identityStoreRegion?: string; organizationsRegion?: string}): void {
        this.calls.push(`preload ${regions.identityStoreRegion ?? '-'} ${regions.organizationsRegion ?? '-'}`)
      }
    }

    const all = new PreloadingApi(smallOrg())
    await discover(all, stats, everything)
    // Before ListInstances answers: Organizations in the partition's home region, the identity store in ours.
    expect(all.calls[0]).toBe('preload eu-west-1 us-east-1')
    const principals = new PreloadingApi(smallOrg())
    await discover(principals, stats, {...nothing, principals: true})
    expect(principals.calls[0]).toBe('preload eu-west-1 -')
    const accounts = new PreloadingApi(smallOrg())
    // Before it knows there is no instance there.
    await expect(discover(accounts, stats, {...nothing, accounts: true, regions: ['cn-north-1']})).rejects.toThrow(
      /No IAM Identity Center instance/,
    )
    expect(accounts.calls[0]).toBe('preload - cn-northwest-1')
  })

  it('with everything: every array, matching the data', async () => {
    const api = new FakeApi(smallOrg())
    const {snapshot} = await discover(api, stats, everything)
    const expected = canonicalSnapshot({
      ...snapshot,
      ...api.data,
      caller: api.data.caller,
      instances: snapshot.instances,
    })
    expect(snapshot.accounts).toEqual(expected.accounts)
    expect(snapshot.permissionSets).toEqual(expected.permissionSets)
    expect(snapshot.users).toEqual(expected.users)
    expect(snapshot.groups).toEqual(expected.groups)
    expect(snapshot.assignments).toEqual(expected.assignments)
    expect(snapshot.warnings).toEqual([])
    expect(snapshot.stats.assignmentStrategy).toBe('per-principal')
  })

  it('only asks for what each flag needs', async () => {
    const api = new FakeApi(smallOrg())
    const {snapshot} = await discover(api, stats, {...nothing, permissionSets: true})
    expect(snapshot.permissionSets).toHaveLength(3)
    expect(snapshot).not.toHaveProperty('accounts')
    expect([...new Set(api.calls)].sort()).toEqual([
      'sso:DescribePermissionSet',
      'sso:ListInstances',
      'sso:ListPermissionSets',
      'sts:GetCallerIdentity',
    ])
  })

  it('--assignments alone reports assignments only, and reads names only for the table view', async () => {
    const jsonApi = new FakeApi(smallOrg())
    const json = await discover(jsonApi, stats, {...nothing, assignments: true})
    expect(Object.keys(json.snapshot)).not.toContain('accounts')
    expect(json.snapshot.assignments).toHaveLength(5)
    expect(jsonApi.count('sso:DescribePermissionSet')).toBe(0)
    const tableApi = new FakeApi(smallOrg())
    const table = await discover(tableApi, stats, {...nothing, assignments: true, names: true})
    expect(table.names.permissionSets.get(tableApi.data.permissionSets[0].arn)).toBe('ReadOnly')
    expect(table.names.accounts.get('222222222222')).toBe('Prod')
    expect(table.names.principals.get('g-devs')).toBe('Developers')
  })

  it('reports what it found when Organizations is denied, and says what it could not read', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('organizations:ListAccounts')
    const {snapshot} = await discover(api, stats, everything)
    expect(snapshot).not.toHaveProperty('accounts')
    expect(snapshot.assignments).toHaveLength(5)
    expect(snapshot.permissionSets).toHaveLength(3)
    expect(snapshot.warnings).toEqual([
      expect.objectContaining({action: 'organizations:ListAccounts', code: 'ACCESS_DENIED', scope: 'accounts'}),
    ])
  })

  it('keeps groups when only users are denied', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('identitystore:ListUsers')
    const {snapshot} = await discover(api, stats, {...nothing, principals: true})
    expect(snapshot).not.toHaveProperty('users')
    expect(snapshot.groups).toHaveLength(2)
    expect(snapshot.warnings.map((w) => [w.scope, w.action])).toEqual([['users', 'identitystore:ListUsers']])
  })

  it('uses --start-url, and warns when it is applied to several instances', async () => {
    const data = smallOrg()
    const one = await discover(new FakeApi(data), stats, {...nothing, startUrl: 'https://corp.awsapps.com/start'})
    expect(one.snapshot.instances[0]).toMatchObject({
      startUrl: 'https://corp.awsapps.com/start',
      startUrlSource: 'option',
    })
    expect(one.snapshot.warnings).toEqual([])
    data.instances.push({
      ...data.instances[0],
      instanceArn: 'arn:aws:sso:::instance/ssoins-2222222222222222',
      region: 'us-east-1',
      status: 'CREATE_IN_PROGRESS',
    })
    const two = await discover(new FakeApi(data), stats, {
      ...nothing,
      regions: ['eu-west-1', 'us-east-1'],
      startUrl: 'https://corp.awsapps.com/start',
    })
    expect(two.snapshot.warnings.map((w) => w.code).sort()).toEqual(['INSTANCE_NOT_ACTIVE', 'START_URL_AMBIGUOUS'])
  })

  it('derives the China and GovCloud portal URL forms', async () => {
    const data = smallOrg()
    data.instances = [
      {...data.instances[0], region: 'cn-north-1'},
      {
        ...data.instances[0],
        instanceArn: 'arn:aws-us-gov:sso:::instance/ssoins-3333333333333333',
        region: 'us-gov-west-1',
      },
    ]
    const {snapshot} = await discover(new FakeApi(data), stats, {...nothing, regions: ['cn-north-1', 'us-gov-west-1']})
    expect(snapshot.instances.map((i) => i.startUrl)).toEqual([
      'https://start.home.awsapps.cn/directory/d-1111111111',
      'https://start.us-gov-home.awsapps.com/directory/d-1111111111',
    ])
  })

  it('reports the request counters it was given', async () => {
    const counters = {requests: 0, throttled: 0}
    const api = new FakeApi(smallOrg())
    const run = discover(api, counters, nothing)
    counters.requests = 7
    counters.throttled = 2
    const {snapshot} = await run
    expect(snapshot.stats).toMatchObject({requests: 7, throttled: 2})
  })
})
