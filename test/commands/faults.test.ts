import type {AddressInfo} from 'node:net'

/**
 * Every command through every fault class that reaches it, checked for the documented exit code, error code and
 * a message that says what happened (README "Exit codes" and "Error codes"): a file that cannot be read, one that
 * is not a regular file, a folder that cannot be written, a refused connection, a TLS failure, and the service's
 * 401, 403, 429 (until the retries end) and 5xx answers.
 *
 * Tests run as root on CI machines, where a missing permission cannot be made (root reads and writes anything):
 * "cannot be read" and "cannot be written" are made with a path through a regular file (ENOTDIR) instead.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type CachedToken, tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {OutputLog, ssokit, standardConfig, START_URL, tempHome} from '../sso/helpers.js'
import {type FaultProxy, startFaultProxy} from '../support/fault-proxy.js'
import {describeWithMoto, type MotoServer, startMoto} from '../support/moto.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

const SNAPSHOT = fileURLToPath(new URL('../fixtures/snapshots/small.json', import.meta.url))
const REFUSED = 'http://127.0.0.1:1'
const log = new OutputLog()
let emulator: SsoEmulator
let tls: {close(): Promise<void>; url: string}
let proxy: FaultProxy
let moto: MotoServer

/** An HTTPS endpoint with a self-signed certificate nobody trusts. */
async function untrustedTlsServer(): Promise<{close(): Promise<void>; url: string}> {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-tls-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
    ],
    {stdio: 'ignore'},
  )
  const server: Server = createServer(
    {cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem'))},
    (_req, res) => {
      res.end('{}')
    },
  )
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
      }),
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}

/** A home signed in to sso-session `corp` (config: standardConfig), with the emulator's endpoints. */
async function signedIn(token: Partial<CachedToken> = {}) {
  const home = tempHome()
  home.writeConfig(standardConfig())
  await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), {
    ...emulator.issueToken({region: 'us-east-1', startUrl: START_URL}),
    ...token,
  })
  // Few attempts, so that "until the retries end" ends quickly (the standard variable both SDKs read).
  return {...home.env, ...emulator.env(), AWS_MAX_ATTEMPTS: '2'}
}

async function expectFailure(
  args: string[],
  env: Record<string, string>,
  expected: {code: string; exit: number; message: RegExp | string; reason?: string},
): Promise<void> {
  const run = await ssokit(log, [...args, '--json'], env)
  const text = run.stdout.trim().split('\n').at(-1)!
  expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(expected.exit)
  const {error} = JSON.parse(run.stdout.trim().startsWith('{\n') ? run.stdout : text)
  expect(error).toMatchObject({code: expected.code, exit: expected.exit, suggestions: expect.any(Array)})
  if (expected.reason) expect(error.reason).toBe(expected.reason)
  expect(error.message).toMatch(expected.message)
  if (error.code === 'LOGIN_REQUIRED') expect(error.suggestions[0]).toMatch(/^Run: ssokit login /)
  expect(run.stderr).not.toMatch(/^\s+at /m)
}

describeWithMoto('every command through every fault class', () => {
  beforeAll(async () => {
    emulator = await startSsoEmulator({
      accounts: [{accountId: '111122223333', accountName: 'Prod', roles: ['ReadOnly']}],
    })
    tls = await untrustedTlsServer()
    moto = await startMoto()
    proxy = await startFaultProxy(moto.url)
  })
  afterAll(async () => {
    await Promise.all([emulator?.close(), tls?.close(), proxy?.close(), moto?.stop()])
    log.expectNoSecrets(emulator)
  })

  describe('portal faults', () => {
    const portalCommands = [
      ['credential-process', '--profile', 'dev'],
      ['generate', '--sso-session', 'corp', '--yes'],
    ]
    const operationOf = (args: string[]) => (args[0] === 'credential-process' ? 'GetRoleCredentials' : 'ListAccounts')

    for (const args of portalCommands) {
      it(`${args[0]}: refused connection → 6 NETWORK, TLS failure → 6 TLS`, async () => {
        const env = await signedIn()
        await expectFailure(
          args,
          {...env, AWS_ENDPOINT_URL_SSO: REFUSED},
          {code: 'NETWORK', exit: 6, message: /cannot reach/},
        )
        await expectFailure(
          args,
          {...env, AWS_ENDPOINT_URL_SSO: tls.url},
          {code: 'TLS', exit: 6, message: /TLS verification failed/},
        )
      })

      it(`${args[0]}: 401 → 4 with the login command, 403 → 5 or 1, 429 → 6 THROTTLED, 5xx → 6`, async () => {
        const env = await signedIn()
        const operation = operationOf(args)
        try {
          emulator.setFault(operation, 401)
          await expectFailure(args, env, {
            code: 'LOGIN_REQUIRED',
            exit: 4,
            message: /rejected/,
            reason: 'token-rejected',
          })
          emulator.setFault(operation, 403, {errorType: 'ForbiddenException', message: 'No access'})
          await (operation === 'GetRoleCredentials'
            ? expectFailure(args, env, {
                code: 'NO_ACCESS',
                exit: 5,
                message: /No access.*A new login does not help/,
              })
            : expectFailure(args, env, {code: 'AWS_ERROR', exit: 1, message: /ForbiddenException/}))

          emulator.setFault(operation, 429)
          await expectFailure(args, env, {code: 'THROTTLED', exit: 6, message: /throttled/})
          emulator.setFault(operation, 503)
          await expectFailure(args, env, {code: 'SERVICE_UNAVAILABLE', exit: 6, message: /service side/})
        } finally {
          emulator.clearFaults()
        }
      })
    }
  })

  describe('OIDC faults during a login and a refresh', () => {
    it('login: refused → 6, TLS → 6, 5xx → 6, and an unwritable cache folder → 3 before any request', async () => {
      const home = tempHome()
      home.writeConfig(standardConfig())
      const env = {...home.env, ...emulator.env(), AWS_MAX_ATTEMPTS: '2'}
      const args = ['login', '--sso-session', 'corp', '--no-browser', '--flow', 'device-code']
      await expectFailure(
        args,
        {...env, AWS_ENDPOINT_URL_SSO_OIDC: REFUSED},
        {code: 'NETWORK', exit: 6, message: /cannot reach/},
      )
      await expectFailure(args, {...env, AWS_ENDPOINT_URL_SSO_OIDC: tls.url}, {code: 'TLS', exit: 6, message: /TLS/})
      try {
        emulator.setFault('RegisterClient', 500)
        await expectFailure(args, env, {code: 'SERVICE_UNAVAILABLE', exit: 6, message: /RegisterClient/})
      } finally {
        emulator.clearFaults()
      }

      const blocked = tempHome()
      blocked.writeConfig(standardConfig())
      writeFileSync(join(blocked.home, '.aws', 'sso'), 'a file where the cache folder should be')
      const before = emulator.requests.length
      await expectFailure(
        args,
        {...blocked.env, ...emulator.env()},
        {
          code: 'FILE_UNWRITABLE',
          exit: 3,
          message: /Cannot write the SSO token cache/,
        },
      )
      expect(emulator.requests.length).toBe(before)
    })

    it('credential-process: a refresh the service refuses → 4; a refresh that cannot connect, with an expired token → 6', async () => {
      const expired = {expiresAt: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z')}
      const env = await signedIn(expired)
      emulator.revokeRefreshTokens()
      await expectFailure(['credential-process', '--profile', 'dev'], env, {
        code: 'LOGIN_REQUIRED',
        exit: 4,
        message: /refresh was refused/,
        reason: 'refresh-refused',
      })
      const again = await signedIn(expired)
      await expectFailure(
        ['credential-process', '--profile', 'dev'],
        {...again, AWS_ENDPOINT_URL_SSO_OIDC: REFUSED},
        {
          code: 'NETWORK',
          exit: 6,
          message: /CreateToken/,
        },
      )
    })
  })

  describe('admin API faults (discover)', () => {
    const keys = {
      AWS_ACCESS_KEY_ID: 'AKIAFAULTTEST',
      AWS_MAX_ATTEMPTS: '2',
      AWS_REGION: 'us-east-1',
      AWS_SECRET_ACCESS_KEY: 'x',
    }
    const args = ['discover', '--region', 'us-east-1']

    it('refused → 6, TLS → 6, no credentials → 4', async () => {
      const home = tempHome()
      await expectFailure(
        args,
        {...home.env, ...keys, AWS_ENDPOINT_URL: REFUSED},
        {code: 'NETWORK', exit: 6, message: /Cannot reach/},
      )
      await expectFailure(
        args,
        {...home.env, ...keys, AWS_ENDPOINT_URL: tls.url},
        {code: 'TLS', exit: 6, message: /TLS/},
      )
      await expectFailure(
        args,
        {...home.env, AWS_REGION: 'us-east-1'},
        {
          code: 'LOGIN_REQUIRED',
          exit: 4,
          message: /No AWS credentials/,
          reason: 'no-credentials',
        },
      )
    })

    it('AccessDenied → 5 naming the IAM action, rejected keys → 4, endless throttling → 6, 5xx → 6', async () => {
      const env = {...tempHome().env, ...keys, AWS_ENDPOINT_URL: proxy.url}
      try {
        proxy.rules = {errors: {ListInstances: 'AccessDeniedException'}}
        await expectFailure(args, env, {code: 'ACCESS_DENIED', exit: 5, message: /sso:ListInstances/})
        proxy.rules = {errors: {ListInstances: 'UnrecognizedClientException'}}
        await expectFailure(args, env, {code: 'LOGIN_REQUIRED', exit: 4, message: /rejected the credentials/})
        proxy.rules = {throttleRate: 1}
        await expectFailure(args, env, {code: 'THROTTLED', exit: 6, message: /throttling/})
        proxy.rules = {serverErrorRate: 1}
        await expectFailure(args, env, {code: 'SERVICE_UNAVAILABLE', exit: 6, message: /HTTP 50\d/})
      } finally {
        proxy.rules = {}
      }
    })
  })

  describe('file faults', () => {
    // A path through a regular file: ENOTDIR, which even root cannot read or write.
    const aFile = join(mkdtempSync(join(tmpdir(), 'ssokit-faults-')), 'a-file')
    writeFileSync(aFile, '')
    const unreadable = join(aFile, 'config')
    const commands = [
      ['lint'],
      ['profiles'],
      ['status'],
      ['login', '--sso-session', 'corp', '--no-browser'],
      ['logout'],
      ['credential-process', '--profile', 'dev'],
      ['generate', '--sso-session', 'corp', '--from', SNAPSHOT, '--yes'],
    ]

    for (const args of commands) {
      it(`${args.slice(0, 2).join(' ')}: a config it cannot read → 3 FILE_UNREADABLE, naming the file`, async () => {
        const env = {...tempHome().env, AWS_CONFIG_FILE: unreadable}
        await expectFailure(args, env, {code: 'FILE_UNREADABLE', exit: 3, message: unreadable})
      })
    }

    // discover --out into such a folder is in test/commands/discover.test.ts (it needs moto's answers first).
    it('generate: a folder it cannot write → 3 FILE_UNWRITABLE, nothing written', async () => {
      // sysfs refuses new files even to root; reading a missing file there is just "no config yet".
      const env = {...tempHome().env, AWS_CONFIG_FILE: '/sys/ssokit-test-config'}
      const args = ['generate', '--sso-session', 'corp', '--from', SNAPSHOT, '--yes']
      await expectFailure(args, env, {code: 'FILE_UNWRITABLE', exit: 3, message: '/sys/ssokit-test-config'})
    })

    it('doctor explain still explains the text when the config cannot be read, and says so', async () => {
      const env = {...tempHome().env, AWS_CONFIG_FILE: unreadable}
      const run = await ssokit(
        log,
        ['doctor', 'explain', '--profile', 'dev', 'Token has expired and refresh failed'],
        env,
      )
      expect(run.code).toBe(0)
      expect(run.stdout).toContain(`The config could not be read: Cannot read config file ${unreadable}`)
    })
  })
})
