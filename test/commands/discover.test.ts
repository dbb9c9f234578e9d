import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../src/discovery/snapshot.js'

import {readSnapshot} from '../../src/discovery/snapshot.js'
import {runCli} from '../support/cli.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {
  awkwardSpec,
  describeWithMoto,
  type MotoServer,
  type Seeded,
  seedIdentityCenter,
  startMoto,
  TEST_REGION,
} from '../support/moto.js'

/** moto accepts any keys; a distinctive secret lets the tests check it never reaches the output. */
const SECRET = 'sEcReT/never+printed0123456789abcdefGHIJ'

function envFor(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIATESTDISCOVER0001',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: TEST_REGION,
    AWS_SECRET_ACCESS_KEY: SECRET,
    ...extra,
  }
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => {
    server.close(resolve)
  })
  return port
}

describe('discover command without AWS', () => {
  it('rejects a bad --region or --start-url as an invalid value (exit 3), naming the flag', async () => {
    const [region, url] = await Promise.all([
      runCli(['discover', '--region', 'Europe']),
      runCli(['discover', '--start-url', 'http://my-org.awsapps.com/start', '--json']),
    ])
    expect(region.code).toBe(3)
    expect(region.stderr).toContain('--sso-region: "Europe" is not a valid region')
    expect(url.code).toBe(3)
    expect(JSON.parse(url.stdout).error).toMatchObject({
      code: 'INVALID_VALUE',
      message: expect.stringMatching(/^--start-url: .*https/),
    })
  })

  it('reports missing credentials as exit 4, and an unknown profile as exit 2, in JSON too', async () => {
    const [none, profile] = await Promise.all([
      runCli(['discover', '--json'], {env: {AWS_REGION: TEST_REGION}}),
      runCli(['discover', '--json', '--profile', 'no-such-admin'], {env: {AWS_REGION: TEST_REGION}}),
    ])
    expect(none.code).toBe(4)
    expect(JSON.parse(none.stdout).error).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'no-credentials', exit: 4})
    expect(profile.code).toBe(2)
    expect(JSON.parse(profile.stdout).error).toMatchObject({code: 'PROFILE_NOT_FOUND', exit: 2})
  })

  it('exits 6 when the endpoint is unreachable, naming it, without a stack trace', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`
    const [text, json] = await Promise.all([
      runCli(['discover'], {env: envFor(endpoint)}),
      runCli(['discover', '--json'], {env: envFor(endpoint)}),
    ])
    expect(text.code).toBe(6)
    expect(text.stderr).toContain(`Cannot reach ${endpoint}/`)
    expect(text.stderr).not.toMatch(/\n\s+at /)
    expect(text.stdout).toBe('')
    expect(json.code).toBe(6)
    expect(JSON.parse(json.stdout).error).toMatchObject({code: 'NETWORK', exit: 6})
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(out).not.toContain(SECRET)
  })
})

describeWithMoto('discover command against moto', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let seeded: Seeded
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-discover-'))

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.url)
    seeded = await seedIdentityCenter(moto.url, awkwardSpec())
  })

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
  })

  beforeEach(() => {
    proxy.rules = {}
    proxy.resetStats()
  })

  it('--all --json prints the snapshot of what was seeded, and --out saves the same bytes (mode 0600)', async () => {
    const out = join(dir, 'nested', 'snapshot.json')
    const result = await runCli(['discover', '--all', '--json', '--out', out], {env: envFor(moto.url)})
    expect(result.code).toBe(0)
    const snapshot = JSON.parse(result.stdout) as DiscoverSnapshot
    expect(snapshot.instances).toEqual([
      {
        ...seeded.instance,
        startUrl: `https://${seeded.instance.identityStoreId}.awsapps.com/start`,
        startUrlSource: 'default',
      },
    ])
    expect(snapshot.accounts!.map((a) => a.name).sort()).toEqual(seeded.accounts.map((a) => a.name).sort())
    expect(snapshot.assignments).toHaveLength(seeded.assignments.length)
    expect(snapshot.users!.map((u) => u.userName)).toEqual(['alice', 'bob', 'carol@example.com'])
    expect(readFileSync(out, 'utf8')).toBe(result.stdout)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(await readSnapshot(out)).toEqual(snapshot)
    expect(result.stderr).toContain(`Saved the snapshot to ${out}`)
    expect(result.stdout + result.stderr).not.toContain(SECRET)
  })

  it('exits 3 naming the file when --out cannot be written', async () => {
    const result = await runCli(['discover', '--json', '--out', '/dev/null/snapshot.json'], {env: envFor(moto.url)})
    expect(result.code).toBe(3)
    expect(JSON.parse(result.stdout).error).toMatchObject({
      code: 'FILE_UNWRITABLE',
      message: expect.stringContaining('/dev/null/snapshot.json'),
    })
  })

  it('prints the portal URL first, then tables with names resolved', async () => {
    const result = await runCli(['discover', '--all'], {env: envFor(moto.url)})
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe(`Access portal: https://${seeded.instance.identityStoreId}.awsapps.com/start`)
    expect(result.stdout).toContain('cannot be discovered')
    const devAccount = seeded.memberAccountIds[1]
    expect(result.stdout).toMatch(
      new RegExp(`^Dev, Test & QA \\(${devAccount}\\) +PowerUser\\+Limited +group +Developers$`, 'm'),
    )
    expect(result.stdout).toMatch(/^Shared: Services\/Networking \(\d{12}\) +ReadOnly +group +Developers$/m)
    expect(result.stdout).toMatch(
      /requests \(identitystore \d+, organizations \d+, sso-admin \d+, sts 1\), 0 throttled/,
    )
  })

  it('uses --start-url for an organization with a custom alias', async () => {
    const result = await runCli(['discover', '--json', '--start-url', 'https://my-org.awsapps.com/start'], {
      env: envFor(moto.url),
    })
    expect(JSON.parse(result.stdout).instances[0]).toMatchObject({
      startUrl: 'https://my-org.awsapps.com/start',
      startUrlSource: 'option',
    })
  })

  it('exits 5 naming sso:ListInstances when ListInstances is denied', async () => {
    proxy.rules = {errors: {ListInstances: 'AccessDeniedException'}}
    const [json, text] = await Promise.all([
      runCli(['discover', '--json'], {env: envFor(proxy.url)}),
      runCli(['discover'], {env: envFor(proxy.url)}),
    ])
    expect(json.code).toBe(5)
    const {error} = JSON.parse(json.stdout)
    expect(error).toMatchObject({code: 'ACCESS_DENIED', exit: 5})
    expect(error.message).toContain('needs the IAM permission sso:ListInstances')
    expect(text.code).toBe(5)
    expect(text.stderr).toContain('sso:ListInstances')
    expect(text.stderr).not.toMatch(/\n\s+at /)
  })

  it('with Organizations denied: prints the rest, lists what it could not read on stderr, exits 5', async () => {
    proxy.rules = {errors: {'organizations:ListAccounts': 'AccessDeniedException'}}
    const result = await runCli(['discover', '--all', '--json'], {env: envFor(proxy.url)})
    expect(result.code).toBe(5)
    const snapshot = JSON.parse(result.stdout) as DiscoverSnapshot
    expect(snapshot).not.toHaveProperty('accounts')
    expect(snapshot.assignments).toHaveLength(seeded.assignments.length)
    expect(snapshot.warnings).toEqual([
      expect.objectContaining({action: 'organizations:ListAccounts', code: 'ACCESS_DENIED', scope: 'accounts'}),
    ])
    expect(result.stderr).toContain('Warning (accounts): Access denied: ListAccounts')
    expect(result.stderr).toContain('organizations:ListAccounts')
  })

  it('exits 4 when AWS says the credentials have expired', async () => {
    proxy.rules = {errors: {GetCallerIdentity: 'ExpiredToken'}}
    const result = await runCli(['discover', '--json'], {env: envFor(proxy.url)})
    expect(result.code).toBe(4)
    expect(JSON.parse(result.stdout).error).toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'credentials-expired',
      exit: 4,
    })
  })

  it('completes with 30% of responses throttled, and counts the throttles', async () => {
    proxy.rules = {seed: 3, throttleRate: 0.3}
    const result = await runCli(['discover', '--all', '--json', '--max-rps', '100'], {env: envFor(proxy.url)})
    expect(result.code).toBe(0)
    const snapshot = JSON.parse(result.stdout) as DiscoverSnapshot
    expect(snapshot.assignments).toHaveLength(seeded.assignments.length)
    expect(snapshot.stats.throttled).toBe(proxy.stats.throttled)
    expect(snapshot.stats.requests).toBe(proxy.stats.received)
  })

  it('exits 6 with code TLS when the endpoint certificate is not trusted', async () => {
    const tlsMoto = await startMoto({tls: true})
    try {
      const result = await runCli(['discover', '--json'], {env: envFor(tlsMoto.url)})
      expect(result.code).toBe(6)
      const {error} = JSON.parse(result.stdout)
      expect(error).toMatchObject({code: 'TLS', exit: 6})
      expect(error.message).toContain('TLS verification failed')
      expect(error.suggestions.join(' ')).toContain('AWS_CA_BUNDLE')
    } finally {
      await tlsMoto.stop()
    }
  })
})
