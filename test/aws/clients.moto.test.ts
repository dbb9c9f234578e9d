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

  it('holds all clients together to --max-rps', async () => {
    const session = new AwsSession({maxRps: 25})
    const api = new SdkIdentityCenterApi(session)
    const started = performance.now()
    await Promise.all([
      ...Array.from({length: 30}, () => api.listInstances(TEST_REGION)),
      ...Array.from({length: 20}, () => api.callerIdentity(TEST_REGION)),
    ])
    // 50 requests at 25 per second: the second 25 wait for the first window to pass.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990)
    expect(session.stats.requests).toBe(50)
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
