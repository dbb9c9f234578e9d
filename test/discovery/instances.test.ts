import {describe, expect, it} from 'vitest'

import {COMMERCIAL_REGIONS} from '../../src/aws/regions.js'
import {findInstances, NoInstanceError, SCAN_TIMEOUT_MS} from '../../src/discovery/instances.js'
import {FakeApi, smallOrg} from '../support/fake-identity-center-api.js'

describe('findInstances', () => {
  it('asks the configured region first and stops there when it has the instance', async () => {
    const api = new FakeApi(smallOrg())
    const result = await findInstances(api, {concurrency: 8, configuredRegion: 'eu-west-1'})
    expect(result.searchedRegions).toEqual(['eu-west-1'])
    expect(result.instances.map((i) => i.instanceArn)).toEqual([api.data.instances[0].instanceArn])
    expect(api.count('sso:ListInstances')).toBe(1)
  })

  it('scans every commercial region when the configured one is empty, ignoring regions that are not enabled or unreachable', async () => {
    const api = new FakeApi(smallOrg())
    api.disabledRegions.add('me-south-1').add('af-south-1')
    api.unreachableRegions.add('ap-east-2')
    const result = await findInstances(api, {concurrency: 8, configuredRegion: 'us-east-1'})
    expect(result.instances.map((i) => i.region)).toEqual(['eu-west-1'])
    expect(result.searchedRegions[0]).toBe('us-east-1')
    expect([...result.searchedRegions].sort()).toEqual([...COMMERCIAL_REGIONS].sort())
    expect(api.count('sso:ListInstances')).toBe(COMMERCIAL_REGIONS.length)
    // Each scanned region has a deadline; the configured region is asked without one.
    expect(api.listInstancesOptions.get('eu-west-1')).toEqual({timeoutMs: SCAN_TIMEOUT_MS})
    expect(api.listInstancesOptions.get('us-east-1')).toBeUndefined()
  })

  it('scans when the configured region itself is not enabled', async () => {
    const api = new FakeApi(smallOrg())
    api.disabledRegions.add('il-central-1')
    const result = await findInstances(api, {concurrency: 8, configuredRegion: 'il-central-1'})
    expect(result.instances).toHaveLength(1)
  })

  it('with --region, asks only those regions', async () => {
    const api = new FakeApi(smallOrg())
    const result = await findInstances(api, {concurrency: 8, regions: ['eu-west-1', 'us-west-2', 'eu-west-1']})
    expect(result.searchedRegions).toEqual(['eu-west-1', 'us-west-2'])
    expect(api.count('sso:ListInstances')).toBe(2)
  })

  it('with --region, a region that fails is an error, not an empty region', async () => {
    const api = new FakeApi(smallOrg())
    api.disabledRegions.add('us-west-2')
    await expect(findInstances(api, {concurrency: 8, regions: ['us-west-2']})).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'credentials-rejected',
    })
  })

  it('reports a refusal of sso:ListInstances as exit 5 naming the permission', async () => {
    const api = new FakeApi(smallOrg())
    api.denied.add('sso:ListInstances')
    await expect(findInstances(api, {concurrency: 8, configuredRegion: 'eu-west-1'})).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
      exit: 5,
      message: expect.stringContaining('sso:ListInstances'),
    })
    await expect(findInstances(api, {concurrency: 8})).rejects.toMatchObject({code: 'ACCESS_DENIED', exit: 5})
  })

  it('reports no instance (exit 1) when every region answered and none has one', async () => {
    const data = smallOrg()
    data.instances = []
    const error = await findInstances(new FakeApi(data), {concurrency: 8}).catch((error_: unknown) => error_)
    expect(error).toBeInstanceOf(NoInstanceError)
    expect(error).toMatchObject({code: 'NO_INSTANCE', exit: 1})
    expect((error as NoInstanceError).suggestions.join(' ')).toContain('--region cn-north-1')
  })

  it('reports the network failure (exit 6) when no region could be reached at all', async () => {
    const api = new FakeApi(smallOrg())
    for (const region of COMMERCIAL_REGIONS) api.unreachableRegions.add(region)
    await expect(findInstances(api, {concurrency: 8})).rejects.toMatchObject({code: 'NETWORK', exit: 6})
  })
})
