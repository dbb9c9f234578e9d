/**
 * The network checks against real servers on loopback: TLS with a self-signed certificate and with one signed
 * by a CA the test makes (AWS_CA_BUNDLE must be enough to trust it), a CONNECT proxy, a server that never
 * answers, and the SSO emulator sending a skewed Date header.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {caBundleCheck, clockSkewCheck, endpointCheck} from '../../src/doctor/checks/network.js'
import {runChecks} from '../../src/doctor/checks/runner.js'
import {type ConnectProxy, startConnectProxy} from '../support/connect-proxy.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'
import {
  type Certificates,
  type LocalServer,
  makeCertificates,
  opensslMissing,
  startBlackhole,
  startTlsServer,
} from '../support/tls.js'
import {doctorHome, run} from './helpers.js'

const CONFIG = `[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
`

const missing = opensslMissing()
if (missing) process.stderr.write(`Skipping the TLS suites: ${missing}\n`)

describe.skipIf(missing)('CA bundle and TLS to the sso-oidc endpoint', () => {
  let certs: Certificates
  let selfSigned: LocalServer
  let caSigned: LocalServer
  beforeAll(async () => {
    certs = makeCertificates()
    selfSigned = await startTlsServer(certs.selfSigned)
    caSigned = await startTlsServer(certs.leaf)
  })
  afterAll(async () => {
    await selfSigned?.close()
    await caSigned?.close()
  })

  const home = doctorHome()
  home.writeConfig(CONFIG)
  const endpoint = async (url: string, extra: Record<string, string> = {}) =>
    (await run(endpointCheck, home.options({env: {AWS_ENDPOINT_URL_SSO_OIDC: url, ...extra}})))[0]

  it('fails TLS to a self-signed server with the CA-bundle fix, and passes when AWS_CA_BUNDLE trusts it', async () => {
    const failed = await endpoint(selfSigned.url)
    expect(failed).toMatchObject({id: 'endpoint:us-east-1', status: 'fail'})
    expect(failed.message).toContain('TLS verification failed')
    expect(failed.message).toMatch(/SELF_SIGNED/)
    expect(failed.fix).toContain('AWS_CA_BUNDLE')
    const trusted = await endpoint(selfSigned.url, {AWS_CA_BUNDLE: certs.selfSigned.path})
    expect(trusted.status).toBe('pass')
    expect(trusted.message).toContain('TLS verified; trusting AWS_CA_BUNDLE')
  })

  it('trusts a server whose certificate the bundle CA signed, and only with the bundle', async () => {
    const failed = await endpoint(caSigned.url)
    expect(failed.status).toBe('fail')
    expect(failed.message).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect((await endpoint(caSigned.url, {AWS_CA_BUNDLE: certs.ca.path})).status).toBe('pass')
    // The bundle replaces the system CAs, as in botocore: the wrong CA fails.
    expect((await endpoint(caSigned.url, {AWS_CA_BUNDLE: certs.selfSigned.path})).status).toBe('fail')
  })

  it('checks the bundle file itself: PEM certificates that parse, valid now', async () => {
    const bundle = async (path: string, now = new Date()) =>
      (await run(caBundleCheck, home.options({env: {AWS_CA_BUNDLE: path}, now})))[0]
    const good = await bundle(certs.ca.path)
    expect(good.status).toBe('pass')
    expect(good.message).toContain('1 certificate(s), all valid')
    // The test certificates last 365 days: at 400 days they have expired, at 350 they expire within 30.
    const day = 24 * 3600 * 1000
    expect((await bundle(certs.ca.path, new Date(Date.now() + 400 * day))).status).toBe('fail')
    expect((await bundle(certs.ca.path, new Date(Date.now() + 350 * day))).status).toBe('warn')
    const garbage = join(certs.dir, 'garbage.pem')
    writeFileSync(garbage, 'not a certificate\n')
    expect((await bundle(garbage)).message).toContain('holds no PEM certificate')
    const broken = join(certs.dir, 'broken.pem')
    writeFileSync(broken, `${certs.ca.cert}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`)
    expect((await bundle(broken)).status).toBe('warn')
    expect((await bundle(join(certs.dir, 'absent.pem'))).message).toContain('the file does not exist')
    expect((await bundle(certs.dir)).message).toContain('not a regular file')
    // `ca_bundle` in the profile when AWS_CA_BUNDLE is not set.
    home.writeConfig(`${CONFIG}\n[default]\nca_bundle = ${certs.ca.path}\n`)
    const fromConfig = (await run(caBundleCheck, home.options({env: {}})))[0]
    expect(fromConfig.message).toContain('ca_bundle in profile default')
    home.writeConfig(CONFIG)
  })

  describe('through a proxy on loopback', () => {
    let proxy: ConnectProxy
    let locked: ConnectProxy
    beforeAll(async () => {
      proxy = await startConnectProxy()
      locked = await startConnectProxy({credentials: 'alice:s3cret'})
    })
    afterAll(async () => {
      await proxy?.close()
      await locked?.close()
    })

    it('tunnels with CONNECT as the AWS CLI would, and names the proxy', async () => {
      const check = await endpoint(caSigned.url, {AWS_CA_BUNDLE: certs.ca.path, HTTPS_PROXY: proxy.url})
      expect(check.status).toBe('pass')
      expect(check.message).toContain(`through ${proxy.url}`)
      expect(proxy.requests).toContain(`CONNECT ${new URL(caSigned.url).host}`)
    })

    it('fails with the proxy named when it wants credentials, and passes with them (never printing them)', async () => {
      const refused = await endpoint(caSigned.url, {AWS_CA_BUNDLE: certs.ca.path, HTTPS_PROXY: locked.url})
      expect(refused.status).toBe('fail')
      expect(refused.message).toContain('PROXY_HTTP_407')
      const withAuth = locked.url.replace('http://', 'http://alice:s3cret@')
      const ok = await endpoint(caSigned.url, {AWS_CA_BUNDLE: certs.ca.path, HTTPS_PROXY: withAuth})
      expect(ok.status).toBe('pass')
      expect(ok.message).toContain('alice:***@')
      expect(ok.message).not.toContain('s3cret')
    })

    it('goes direct for a host in NO_PROXY', async () => {
      const before = proxy.requests.length
      const check = await endpoint(caSigned.url, {
        AWS_CA_BUNDLE: certs.ca.path,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '127.0.0.1',
      })
      expect(check.status).toBe('pass')
      expect(proxy.requests.length).toBe(before)
    })
  })
})

describe('an endpoint that does not answer', () => {
  let blackhole: LocalServer
  beforeAll(async () => {
    blackhole = await startBlackhole()
  })
  afterAll(async () => {
    await blackhole?.close()
  })

  it('fails within the deadline, refused or silent', async () => {
    const home = doctorHome()
    home.writeConfig(CONFIG)
    for (const url of [blackhole.url, 'https://127.0.0.1:9']) {
      const started = Date.now()
      const report = await runChecks(
        [endpointCheck, clockSkewCheck],
        home.options({env: {AWS_ENDPOINT_URL_SSO_OIDC: url}, timeoutMs: 700}),
      )
      expect(Date.now() - started, url).toBeLessThan(3000)
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([
        ['endpoint:us-east-1', 'fail'],
        ['clock-skew', 'skip'],
      ])
      expect(report.checks[0].message).toMatch(/no connection \((ETIMEDOUT|ECONNREFUSED)/)
    }
  })
})

describe('clock skew against the Date header (SSO emulator)', () => {
  let emulator: SsoEmulator
  beforeAll(async () => {
    emulator = await startSsoEmulator()
  })
  afterAll(async () => {
    emulator.setDateOffset(0)
    await emulator.close()
  })

  it('passes a clock in step, warns past a minute, fails past five minutes', async () => {
    const home = doctorHome()
    home.writeConfig(CONFIG)
    const skew = async (offsetMs: number) => {
      emulator.setDateOffset(offsetMs)
      return (await run(clockSkewCheck, home.options({env: {AWS_ENDPOINT_URL_SSO_OIDC: emulator.url}})))[0]
    }

    expect((await skew(0)).status).toBe('pass')
    const minutes2 = await skew(-2 * 60_000)
    expect(minutes2.status).toBe('warn')
    expect(minutes2.message).toMatch(/This clock is (1|2) min ahead of 127\.0\.0\.1:\d+/)
    const ahead = await skew(10 * 60_000)
    expect(ahead.status).toBe('fail')
    expect(ahead.message).toMatch(/(9|10) min behind/)
    expect(ahead.fix).toContain('Synchronise the clock')
    const endpoint = (await run(endpointCheck, home.options({env: {AWS_ENDPOINT_URL_SSO_OIDC: emulator.url}})))[0]
    expect(endpoint.message).toContain('plain http, no TLS')
  })
})
