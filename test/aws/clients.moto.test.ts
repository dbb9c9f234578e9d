import {createServer} from 'node:net'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {AwsSession} from '../../src/aws/clients.js'
import {isRegionUnavailableError} from '../../src/aws/errors.js'
import {SdkIdentityCenterApi} from '../../src/aws/identity-center-api.js'
import {SsokitError} from '../../src/errors.js'
import {ExitCode} from '../../src/exit-codes.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {awsEnvFor, describeWithMoto, type MotoServer, setEnv, startMoto, TEST_REGION} from '../support/moto.js'

describeWithMoto('AWS session against moto', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let restoreEnv: () => void

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.url)
  })

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
  })

  beforeEach(() => {
    proxy.rules = {}
    proxy.resetStats()
    restoreEnv?.()
    restoreEnv = setEnv(awsEnvFor(proxy.url))
  })

  it('reuses one client per service and region', async () => {
    const session = new AwsSession({maxRps: 20})
    const [a, b, c] = await Promise.all([
      session.ssoAdmin(TEST_REGION),
      session.ssoAdmin(TEST_REGION),
      session.ssoAdmin('eu-west-1'),
    ])
    expect(a.client).toBe(b.client)
    expect(c.client).not.toBe(a.client)
  })

  it('counts every HTTP attempt and every throttle, and still gets every answer, with 30% throttled and 10% 5xx', async () => {
    proxy.rules = {seed: 7, serverErrorRate: 0.1, throttleRate: 0.3}
    const session = new AwsSession({maxRps: 200})
    const api = new SdkIdentityCenterApi(session)
    const answers = await Promise.all(Array.from({length: 40}, () => api.listInstances(TEST_REGION)))
    expect(new Set(answers.map((a) => a[0].instanceArn)).size).toBe(1)
    expect(proxy.stats.throttled).toBeGreaterThan(5)
    expect(proxy.stats.serverErrors).toBeGreaterThan(0)
    expect(session.stats.requests).toBe(proxy.stats.received)
    expect(session.stats.throttled).toBe(proxy.stats.throttled)
    expect(proxy.stats.forwarded).toBe(40)
  })

  it('holds each budget to its rate and runs the budgets side by side, counting requests per service', async () => {
    const session = new AwsSession()
    const api = new SdkIdentityCenterApi(session)
    const started = performance.now()
    await Promise.all([
      ...Array.from({length: 30}, () => api.listInstances(TEST_REGION)),
      ...Array.from({length: 15}, () => api.callerIdentity(TEST_REGION)),
    ])
    const elapsed = performance.now() - started
    // sso-admin's 30 at 20/s: the last 10 wait a window. STS's 15 fit its own budget and do not wait for them.
    expect(elapsed).toBeGreaterThanOrEqual(990)
    const arrived = (key: string) => proxy.stats.arrivals.filter((a) => a.key === key).map((a) => a.at)
    const stsArrivals = arrived('sts:GetCallerIdentity')
    const ssoArrivals = arrived('sso:ListInstances').sort((a, b) => a - b)
    expect(Math.max(...stsArrivals)).toBeLessThan(ssoArrivals[20])
    expect(session.stats).toEqual({
      byService: {'sso-admin': {requests: 30, throttled: 0}, sts: {requests: 15, throttled: 0}},
      requests: 45,
      throttled: 0,
    })
  })

  it('--max-rps caps every budget', async () => {
    const session = new AwsSession({maxRps: 5})
    const api = new SdkIdentityCenterApi(session)
    const started = performance.now()
    await Promise.all(Array.from({length: 6}, () => api.callerIdentity(TEST_REGION)))
    expect(performance.now() - started).toBeGreaterThanOrEqual(990)
  })

  it('pauses the whole budget for as long as a Retry-After asks, then gets every answer', async () => {
    // One ListUsers per second passes; the others are throttled and told to come back in a second.
    proxy.rules = {rates: {'identitystore:ListUsers': 1}, retryAfter: {in: 'header', seconds: 1}}
    const session = new AwsSession()
    const api = new SdkIdentityCenterApi(session)
    const [target] = await api.listInstances(TEST_REGION)
    const late = new Promise((resolve) => {
      setTimeout(resolve, 200)
    }).then(() => api.listUsers(target))
    await Promise.all([...Array.from({length: 3}, () => api.listUsers(target)), late])
    const arrivals = proxy.stats.arrivals.filter((a) => a.key === 'identitystore:ListUsers')
    const firstThrottle = arrivals.find((a) => a.throttled)!.at
    expect(arrivals.filter((a) => !a.throttled)).toHaveLength(4)
    // The first three leave together; after the throttle, nothing of this budget is sent for a second: neither
    // the retries nor the request that came later (it would have gone at 200 ms without the pause).
    const afterBurst = arrivals.find((a) => a.at > arrivals[0].at + 100)
    expect(afterBurst!.at - firstThrottle).toBeGreaterThanOrEqual(900)
    expect(session.stats.byService.identitystore.throttled).toBe(proxy.stats.byService.get('identitystore')!.throttled)
    expect(session.stats.byService.identitystore.throttled).toBeGreaterThan(0)
  })

  it("honours the identity store's RetryAfterSeconds in a throttling answer's body", async () => {
    proxy.rules = {rates: {'identitystore:ListGroups': 1}, retryAfter: {in: 'body', seconds: 1}}
    const api = new SdkIdentityCenterApi(new AwsSession())
    const [target] = await api.listInstances(TEST_REGION)
    await Promise.all(Array.from({length: 2}, () => api.listGroups(target)))
    const arrivals = proxy.stats.arrivals.filter((a) => a.key === 'identitystore:ListGroups')
    const throttledAt = arrivals.find((a) => a.throttled)!.at
    const next = arrivals.find((a) => a.at > throttledAt)!
    expect(next.at - throttledAt).toBeGreaterThanOrEqual(900)
  })

  it('takes endpoints from the standard per-service variables (AWS_ENDPOINT_URL_SSO_ADMIN over AWS_ENDPOINT_URL)', async () => {
    restoreEnv()
    restoreEnv = setEnv({...awsEnvFor('http://127.0.0.1:9'), AWS_ENDPOINT_URL_SSO_ADMIN: proxy.url})
    const api = new SdkIdentityCenterApi(new AwsSession({maxRps: 20}))
    expect(await api.listInstances(TEST_REGION)).toHaveLength(1)
    expect(proxy.stats.byOperation.get('sso:ListInstances')).toBe(1)
    await expect(api.callerIdentity(TEST_REGION)).rejects.toMatchObject({code: 'NETWORK', exit: ExitCode.NETWORK})
  })

  it('names the endpoint of a connection failure and gives up quickly', async () => {
    restoreEnv()
    restoreEnv = setEnv(awsEnvFor('http://127.0.0.1:9'))
    const session = new AwsSession({maxRps: 20})
    const started = performance.now()
    const error = await new SdkIdentityCenterApi(session).listInstances(TEST_REGION).catch((error_: unknown) => error_)
    expect(error).toBeInstanceOf(SsokitError)
    expect((error as SsokitError).message).toContain('http://127.0.0.1:9/')
    expect((error as SsokitError).message).toContain('ListInstances')
    expect(performance.now() - started).toBeLessThan(3000)
    expect(session.stats.requests).toBe(2)
  })

  it('turns an https endpoint that does not speak TLS into a TLS error (exit 6)', async () => {
    restoreEnv()
    restoreEnv = setEnv(awsEnvFor(moto.url.replace('http:', 'https:')))
    const error = await new SdkIdentityCenterApi(new AwsSession({maxRps: 20}))
      .listInstances(TEST_REGION)
      .catch((error_: unknown) => error_)
    expect(error).toMatchObject({code: 'TLS', exit: ExitCode.NETWORK})
  })

  it('reports a missing credential chain as exit 4 before any request', async () => {
    restoreEnv()
    restoreEnv = setEnv({...awsEnvFor(proxy.url), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined})
    const session = new AwsSession({maxRps: 20})
    await expect(session.resolveCredentials()).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'no-credentials',
      exit: ExitCode.LOGIN_REQUIRED,
    })
    expect(proxy.stats.received).toBe(0)
  })

  it('reports a profile that does not exist as a usage error (exit 2)', async () => {
    const session = new AwsSession({maxRps: 20, profile: 'no-such-profile'})
    await expect(session.resolveCredentials()).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      exit: ExitCode.USAGE,
    })
  })
})

describe('AwsSession against a silent endpoint', () => {
  it('gives up on a ListInstances deadline, as a region scan needs, and calls it unavailable', async () => {
    // Accepts connections, never answers.
    const server = createServer(() => {})
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve)
    })
    const restore = setEnv(awsEnvFor(`http://127.0.0.1:${(server.address() as {port: number}).port}`))
    try {
      const started = performance.now()
      const error = await new SdkIdentityCenterApi(new AwsSession({maxRps: 20}))
        .listInstances('eu-west-1', {timeoutMs: 300})
        .catch((error_: unknown) => error_)
      expect(performance.now() - started).toBeLessThan(2000)
      expect(error).toMatchObject({code: 'NETWORK', exit: ExitCode.NETWORK})
      expect(isRegionUnavailableError((error as SsokitError).cause)).toBe(true)
    } finally {
      restore()
      server.close()
    }
  })
})
