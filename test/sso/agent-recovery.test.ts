/**
 * An agent simulation (issue "For AI agents and scripts"): a scripted agent that, like a coding agent, runs one
 * command at a time, waits for it to exit and reads its JSON — no background process, no file to scrape, no
 * tmux. Its AWS command is real botocore resolving an SSO profile; on a failure it follows the skill
 * (skills/ssokit/SKILL.md): `ssokit doctor explain --json`; if `loginFixes`, `ssokit login --no-browser --json
 * --detach`, show the person the URL and code, `ssokit login --wait`, retry once; otherwise stop and report.
 */
import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {type CliResult, runCli} from '../support/cli.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'
import {botocoreUnavailable, OutputLog, standardConfig, tempHome} from './helpers.js'

/** Resolve the profile's credentials as `aws` and boto3 do before any call. */
const AWS_COMMAND = `
import botocore.session
session = botocore.session.Session()
credentials = session.get_credentials().get_frozen_credentials()
print("credentials for", session.get_config_variable("profile"), credentials.access_key[:4])
`

const CONFIG = `${standardConfig()}
[profile admin]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = AdministratorAccess
`

interface Step {
  args: string[]
  json?: Record<string, unknown>
  result: CliResult
}

const skip = botocoreUnavailable()
if (skip) console.warn(`skipping the agent simulation: ${skip} (pip install botocore)`)
const log = new OutputLog()
let emulator: SsoEmulator

function awsCommand(env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', AWS_COMMAND], {
      env: {...process.env, ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
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

/**
 * The agent. It knows three commands and reads only their JSON; the person is a callback that gets what the agent
 * shows (the URL and code) and acts on its own time, while the agent's `login --wait` runs.
 */
async function agent(env: Record<string, string>, person: (shown: {url: string; userCode: null | string}) => void) {
  const transcript: string[] = []
  const steps: Step[] = []
  const ssokit = async (args: string[], input?: string): Promise<Step> => {
    const result = log.add(args, await runCli(args, {env, input}))
    const step: Step = {args, json: lastJson(result.stdout), result}
    steps.push(step)
    return step
  }

  let loggedIn = false
  for (;;) {
    const run = await awsCommand(env)
    if (run.code === 0) {
      transcript.push('command succeeded')
      return {outcome: 'succeeded' as const, steps, transcript}
    }

    const explained = (await ssokit(['doctor', 'explain', '--json'], run.stderr)).json!
    transcript.push(`explain: ${explained.category}`)
    if (!explained.loginFixes || loggedIn) {
      transcript.push(loggedIn ? 'stop: a login did not help' : `stop: ${explained.fix}`)
      return {explanation: explained, outcome: 'stopped' as const, steps, transcript}
    }

    // The fix is the login command; the agent adds what makes it two short commands.
    const login = (explained.fix as string).split(' ').slice(1)
    expect(login[0]).toBe('login')
    const detach = await ssokit([...login, '--no-browser', '--json', '--detach'])
    expect(detach.result.code).toBe(0)
    const authorize = detach.json as {url: string; userCode: null | string; waitCommand: string}
    transcript.push(`show the person: ${authorize.userCode ? 'URL and code' : 'URL'}`)
    person({url: authorize.url, userCode: authorize.userCode})
    const wait = await ssokit([...authorize.waitCommand.split(' ').slice(1), '--json'])
    transcript.push(`wait: exit ${wait.result.code}`)
    if (wait.result.code !== 0) return {outcome: 'stopped' as const, steps, transcript}
    loggedIn = true
  }
}

/** A command's JSON document (`doctor explain --json`), or the last of its JSON lines (`login --json`). */
function lastJson(stdout: string): Record<string, unknown> | undefined {
  if (stdout.trim() === '') return undefined
  try {
    return JSON.parse(stdout)
  } catch {
    return JSON.parse(stdout.trim().split('\n').at(-1)!)
  }
}

function setup(profile: string) {
  const home = tempHome()
  home.writeConfig(CONFIG)
  const env = {
    ...home.env,
    ...emulator.env(),
    AWS_PROFILE: profile,
    CI: '',
    DISPLAY: ':0',
    SSH_CLIENT: '',
    SSH_CONNECTION: 'agent-sandbox 1 2 3',
    SSH_TTY: '',
  }
  return {env, home}
}

/** The person approves a second after being shown the code, while the agent already waits. */
const approvesLater = (userName?: string) => (shown: {url: string; userCode: null | string}) => {
  setTimeout(() => emulator.approveDevice(shown.userCode!, userName), 1000)
}

describe.skipIf(skip)('an agent recovers with two short ssokit commands', () => {
  beforeAll(async () => {
    emulator = await startSsoEmulator({
      deviceCodeInterval: 1,
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

  it('expired token: explain, detach, show the code, wait, retry: the command succeeds', async () => {
    const {env, home} = setup('dev')
    await writeTokenFile(
      tokenCachePath({sessionName: 'corp'}, home.cacheDir),
      emulator.issueToken({expiresIn: -3600, refreshable: false}),
    )
    const report = await agent(env, approvesLater())
    expect(report.transcript).toEqual([
      'explain: sso-login-required',
      'show the person: URL and code',
      'wait: exit 0',
      'command succeeded',
    ])
    expect(report.steps.map((s) => s.args.join(' '))).toEqual([
      'doctor explain --json',
      'login --sso-session corp --no-browser --json --detach',
      'login --wait --sso-session corp --json',
    ])
    // Every command it ran returned on its own: nothing ran in the background, nothing was read from a file.
    expect(report.steps.every((s) => s.result.code === 0)).toBe(true)
  })

  it('ForbiddenException: explain says a login does not help; the agent stops at once and does not loop', async () => {
    const {env, home} = setup('admin')
    await writeTokenFile(tokenCachePath({sessionName: 'corp'}, home.cacheDir), emulator.issueToken({expiresIn: 3600}))
    const starts = emulator.requests.filter((r) => r.operation === 'StartDeviceAuthorization').length
    const report = await agent(env, () => {
      throw new Error('the person must not be asked')
    })
    expect(report.outcome).toBe('stopped')
    expect(report.transcript).toEqual([
      'explain: sso-no-access',
      'stop: ssokit doctor access --user <user> --account 111122223333 --permission-set AdministratorAccess',
    ])
    expect(emulator.requests.filter((r) => r.operation === 'StartDeviceAuthorization')).toHaveLength(starts)
  })

  it('a login that does not help (the person signs in as someone without access): one login, then it stops', async () => {
    const {env} = setup('dev')
    const report = await agent(env, approvesLater('mallory'))
    expect(report.transcript).toEqual([
      'explain: sso-login-required',
      'show the person: URL and code',
      'wait: exit 0',
      'explain: sso-no-access',
      'stop: a login did not help',
    ])
  })

  it('the person denies the sign-in: --wait exits 4 with the reason, and the agent stops', async () => {
    const {env} = setup('dev')
    const report = await agent(env, (shown) => {
      setTimeout(() => emulator.denyDevice(shown.userCode!), 500)
    })
    expect(report.transcript).toEqual(['explain: sso-login-required', 'show the person: URL and code', 'wait: exit 4'])
    expect(report.steps.at(-1)!.json).toMatchObject({error: {code: 'LOGIN_REQUIRED', reason: 'authorization-denied'}})
  })
})
