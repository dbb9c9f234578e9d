import type {AddressInfo} from 'node:net'

/**
 * Agent recovery, end to end (issue 9): a scripted agent runs a command that needs AWS credentials, and when it
 * fails, passes the error to `ssokit doctor explain --json` and acts on `loginFixes` / `fix` only: a login when a
 * login fixes it (today's `ssokit login --no-browser --json` in the background, the person approves the URL, the
 * agent waits for the second JSON line), otherwise it stops and reports the cause and the fix. It never logs in
 * twice for one command.
 *
 * The failing command is real botocore (python3) resolving the profile's role credentials, as `aws` and boto3 do,
 * against the SSO emulator; the TLS case puts a TLS terminator with a self-signed certificate in front of it.
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {createServer as createHttpsServer, type Server} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tokenCachePath, writeTokenFile} from '../../../src/sso/cache.js'
import {botocoreUnavailable, OutputLog, standardConfig, startCli, type TempHome, tempHome} from '../../sso/helpers.js'
import {type CliResult, runCli} from '../../support/cli.js'
import {type SsoEmulator, startSsoEmulator} from '../../support/sso-emulator.js'

const PROFILE_CONFIG = `${standardConfig()}
[profile admin]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = AdministratorAccess
region = eu-west-1
`

/** The agent's command: resolve the profile's credentials with botocore, as `aws` and boto3 do before any call. */
const COMMAND = `
import botocore.session
session = botocore.session.Session()
credentials = session.get_credentials().get_frozen_credentials()
print("credentials for", session.get_config_variable("profile"), credentials.access_key[:4])
`

interface Explanation {
  category: string
  cause: string
  fix: string
  loginFixes: boolean
}

interface AgentReport {
  actions: string[]
  explanation?: Explanation
  outcome: 'stopped' | 'succeeded'
  output?: string
}

const skip = botocoreUnavailable()
if (skip) console.warn(`skipping the agent recovery loop: ${skip} (pip install botocore)`)
const log = new OutputLog()
let emulator: SsoEmulator

function runCommand(env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', COMMAND], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr, stdout}))
  })
}

/** The person: opens the URL the agent shows and signs in (as `userName`). */
async function approve(event: Record<string, unknown>, userName?: string): Promise<void> {
  if (event.flow === 'device-code') emulator.approveDevice(event.userCode as string, userName)
  else {
    const result = await emulator.followAuthorize(event.url as string, {userName})
    expect(result.callbackStatus).toBe(200)
  }
}

/**
 * The agent. Its whole knowledge of AWS errors is `ssokit doctor explain --json`: run, explain, log in only when
 * `loginFixes`, using exactly the `fix` command; stop (and report) when a login does not fix it or did not help.
 */
async function agent(env: Record<string, string>, person: {userName?: string} = {}): Promise<AgentReport> {
  const actions: string[] = []
  let loggedIn = false
  for (;;) {
    const run = await runCommand(env)
    if (run.code === 0) {
      actions.push('command succeeded')
      return {actions, outcome: 'succeeded', output: run.stdout}
    }

    const explained = log.add(
      ['doctor', 'explain'],
      await runCli(['doctor', 'explain', '--json'], {env, input: run.stderr}),
    )
    const explanation = JSON.parse(explained.stdout) as Explanation
    actions.push(`explain: ${explanation.category}`)
    if (!explanation.loginFixes) {
      actions.push(`stop: ${explanation.fix}`)
      return {actions, explanation, outcome: 'stopped'}
    }

    if (loggedIn) {
      actions.push('stop: a login did not help')
      return {actions, explanation, outcome: 'stopped'}
    }

    // The fix is the login command to run; the agent adds only what makes it scriptable.
    const words = explanation.fix.split(' ')
    expect(words.slice(0, 2)).toEqual(['ssokit', 'login'])
    actions.push(`run: ${explanation.fix}`)
    const login = startCli(log, [...words.slice(1), '--no-browser', '--json'], env)
    const authorize = await login.nextJson((json) => json.event === 'authorize')
    await approve(authorize, person.userName)
    await login.nextJson((json) => json.event === 'logged-in')
    expect((await login.done).code).toBe(0)
    loggedIn = true
  }
}

function home(config = PROFILE_CONFIG, profile = 'dev'): {env: Record<string, string>; home: TempHome} {
  const h = tempHome()
  h.writeConfig(config)
  return {
    env: {
      ...h.env,
      ...emulator.env(),
      AWS_PROFILE: profile,
      // What --flow auto looks at, neutralised so that every machine picks the same flow.
      CI: '',
      DISPLAY: ':0',
      SSH_CLIENT: '',
      SSH_CONNECTION: '',
      SSH_TTY: '',
    },
    home: h,
  }
}

async function plant(h: TempHome, token: ReturnType<SsoEmulator['issueToken']>): Promise<void> {
  await writeTokenFile(tokenCachePath({sessionName: 'corp'}, h.cacheDir), token)
}

describe.skipIf(skip)('an agent recovers through ssokit doctor explain', () => {
  beforeAll(async () => {
    emulator = await startSsoEmulator({
      deviceCodeInterval: 0,
      users: [
        {access: {'111122223333': ['ReadOnly']}, userName: 'alice'},
        {access: {}, userName: 'mallory'},
      ],
    })
  })

  afterAll(async () => {
    log.expectNoSecrets(emulator)
    await emulator.close()
  })

  it('expired token: explain says a login fixes it, the agent runs the login and the retry succeeds', async () => {
    const {env, home: h} = home()
    await plant(h, emulator.issueToken({expiresIn: -3600, refreshable: false}))
    const report = await agent(env)
    expect(report.actions).toEqual([
      'explain: sso-login-required',
      'run: ssokit login --sso-session corp',
      'command succeeded',
    ])
    expect(report.output).toMatch(/^credentials for dev ASIA/)
  })

  it('revoked session (the portal answers 401 to a token that is valid locally): login, then success', async () => {
    const {env, home: h} = home()
    const token = emulator.issueToken({expiresIn: 3600})
    await plant(h, token)
    // Signed out elsewhere: the portal ends the session behind the still-unexpired token.
    const logout = await fetch(`${emulator.url}/logout`, {
      headers: {'x-amz-sso_bearer_token': token.accessToken},
      method: 'POST',
    })
    expect(logout.status).toBe(200)
    const report = await agent(env)
    expect(report.actions).toEqual([
      'explain: sso-login-required',
      'run: ssokit login --sso-session corp',
      'command succeeded',
    ])
  })

  it('no access (403 ForbiddenException): the agent stops at once with the doctor access command', async () => {
    const {env, home: h} = home(PROFILE_CONFIG, 'admin')
    await plant(h, emulator.issueToken({expiresIn: 3600}))
    const report = await agent(env)
    expect(report.outcome).toBe('stopped')
    expect(report.actions).toEqual([
      'explain: sso-no-access',
      'stop: ssokit doctor access --user <user> --account 111122223333 --permission-set AdministratorAccess',
    ])
    expect(report.explanation!.cause).toContain(
      'Profile admin asks for permission set AdministratorAccess in account 111122223333',
    )
  })

  it('a login that does not help: expired token, then the person signs in as a user without access; the agent stops', async () => {
    const {env, home: h} = home()
    await plant(h, emulator.issueToken({expiresIn: -3600, refreshable: false}))
    const report = await agent(env, {userName: 'mallory'})
    expect(report.outcome).toBe('stopped')
    expect(report.actions).toEqual([
      'explain: sso-login-required',
      'run: ssokit login --sso-session corp',
      'explain: sso-no-access',
      'stop: ssokit doctor access --user <user> --account 111122223333 --permission-set ReadOnly',
    ])
  })

  it('config parse error: the agent stops and reports the line to fix; no login', async () => {
    const {env, home: h} = home(`${PROFILE_CONFIG}\n[profile dev]\noutput = json\n`)
    await plant(h, emulator.issueToken({expiresIn: 3600}))
    const report = await agent(env)
    expect(report.outcome).toBe('stopped')
    expect(report.actions).toEqual([
      'explain: config-parse-error',
      `stop: Edit ${h.configFile} line 24 ([profile dev]), then check with: ssokit lint`,
    ])
    expect(report.explanation!.cause).toMatch(/line 24: \[profile dev\] already appears on line 6/)
  })

  describe('TLS failure', () => {
    let tls: {caFile: string; close: () => Promise<void>; url: string}
    beforeAll(async () => {
      tls = await startTlsTerminator(emulator.url)
    })
    afterAll(async () => tls?.close())

    it('the agent stops with the CA-bundle fix; following it, the command succeeds', async () => {
      const {env, home: h} = home()
      await plant(h, emulator.issueToken({expiresIn: 3600}))
      const behindProxy = {...env, AWS_ENDPOINT_URL_SSO: tls.url}
      const report = await agent(behindProxy)
      expect(report.outcome).toBe('stopped')
      expect(report.actions).toEqual([
        'explain: tls-verification',
        'stop: export AWS_CA_BUNDLE=/path/to/corporate-ca.pem',
      ])
      expect(report.explanation!.loginFixes).toBe(false)
      // The person does what the fix says, with the proxy's CA.
      const fixed = await agent({...behindProxy, AWS_CA_BUNDLE: tls.caFile})
      expect(fixed.actions).toEqual(['command succeeded'])
    })
  })
})

/**
 * A TLS terminator with a self-signed certificate for 127.0.0.1 in front of the emulator, as a corporate proxy that
 * inspects TLS is to a client that does not trust its CA. The certificate is made with openssl at test time.
 */
async function startTlsTerminator(target: string): Promise<{caFile: string; close: () => Promise<void>; url: string}> {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-tls-'))
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {encoding: 'utf8'},
  )
  if (made.status !== 0)
    throw new Error(`openssl could not make a test certificate: ${made.stderr || made.error?.message}`)
  const server: Server = createHttpsServer({cert: readFileSync(cert), key: readFileSync(key)}, (req, res) => {
    const upstream = httpRequest(
      new URL(req.url ?? '/', target),
      {headers: req.headers, method: req.method},
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    caFile: cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}
