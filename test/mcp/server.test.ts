/**
 * `ssokit mcp` through the MCP SDK's own client over stdio, against the SSO emulator: the tools and their schemas,
 * a sign-in from login_start to a valid status, every tool's error path as an MCP tool error with ssokit's code,
 * and no token or credentials in any answer.
 */
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'

// The SDK's exports map ends in a wildcard ("./*") that eslint-plugin-import cannot follow; Node and tsc do.
// eslint-disable-next-line import/no-unresolved
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
// eslint-disable-next-line import/no-unresolved
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {loginStatePath, processAlive} from '../../src/sso/pending-login.js'
import {standardConfig, type TempHome, tempHome} from '../sso/helpers.js'
import {BIN, runCli} from '../support/cli.js'
import {moduleLog, packagesOf} from '../support/module-log.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

let emulator: SsoEmulator
const answers: string[] = []
const clients: Client[] = []

beforeAll(async () => {
  emulator = await startSsoEmulator({deviceCodeInterval: 1})
})

afterAll(async () => {
  for (const client of clients) await client.close()
  // No answer of any tool held a token, a client secret or role credentials.
  const {roleCredentials, tokens} = emulator.issuedSecrets()
  expect(answers.length).toBeGreaterThan(10)
  for (const secret of [...tokens, ...roleCredentials]) for (const text of answers) expect(text).not.toContain(secret)
  await emulator.close()
})

async function connect(home: TempHome, env: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    args: [BIN, 'mcp'],
    command: process.execPath,
    env: {
      ...home.env,
      ...emulator.env(),
      CI: '',
      DISPLAY: ':0',
      NODE_NO_WARNINGS: '1',
      SSH_CONNECTION: '',
      ...env,
    },
    stderr: 'pipe',
  })
  const client = new Client({name: 'ssokit-test', version: '1.0.0'})
  await client.connect(transport)
  clients.push(client)
  return client
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({arguments: args, name})) as CallToolResult
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('')
  answers.push(text)
  let json: Record<string, unknown>
  try {
    json = JSON.parse(text)
  } catch {
    json = {text}
  }

  return {isError: result.isError === true, json, structured: result.structuredContent}
}

function home(): TempHome {
  const h = tempHome()
  h.writeConfig(standardConfig())
  return h
}

describe('ssokit mcp', () => {
  it('lists its six tools, each with a description and a JSON schema, and tells the agent how they fit', async () => {
    const client = await connect(home())
    const {tools} = await client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual([
      'doctor',
      'explain_error',
      'list_profiles',
      'login_start',
      'login_wait',
      'status',
    ])
    for (const tool of tools) {
      expect(tool.description, tool.name).toMatch(/^[A-Z].{30,}[.)]$/)
      expect(tool.inputSchema.type, tool.name).toBe('object')
    }

    const explain = tools.find((t) => t.name === 'explain_error')!
    expect(explain.inputSchema.required).toEqual(['text'])
    expect(client.getInstructions()).toContain('explain_error')
  })

  it('signs in: status says a login is needed, login_start gives the URL at once, the person approves, login_wait, status valid', async () => {
    const h = home()
    const client = await connect(h)
    const before = await call(client, 'status', {ssoSession: 'corp'})
    expect(before.isError).toBe(false)
    expect(before.json).toMatchObject({
      sessions: [{loginCommand: 'ssokit login --sso-session corp', name: 'corp', needsLogin: true, state: 'missing'}],
    })

    const started = Date.now()
    const start = await call(client, 'login_start', {flow: 'device-code', ssoSession: 'corp'})
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(start.json).toEqual({
      expiresAt: expect.stringMatching(/Z$/),
      flow: 'device-code',
      loggedIn: false,
      reused: false,
      ssoSession: 'corp',
      url: expect.stringContaining(`${emulator.url}/device?user_code=`),
      userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
    })
    expect(start.structured).toEqual(start.json)
    const again = await call(client, 'login_start', {flow: 'device-code', ssoSession: 'corp'})
    expect(again.json).toMatchObject({reused: true, url: start.json.url, userCode: start.json.userCode})

    const pending = await call(client, 'login_wait', {ssoSession: 'corp', timeoutSeconds: 1})
    expect(pending).toMatchObject({
      isError: true,
      json: {error: {code: 'LOGIN_REQUIRED', exit: 4, reason: 'login-pending'}},
    })

    emulator.approveDevice(start.json.userCode as string)
    const waited = await call(client, 'login_wait', {ssoSession: 'corp'})
    expect(waited).toMatchObject({isError: false, json: {event: 'logged-in', ssoSession: 'corp'}})
    const after = await call(client, 'status', {ssoSession: 'corp'})
    expect(after.json).toMatchObject({sessions: [{name: 'corp', needsLogin: false, state: 'valid'}]})
    const {pid} = JSON.parse(
      (await import('node:fs')).readFileSync(
        loginStatePath({sessionName: 'corp'}, join(h.home, '.aws', 'sso', 'ssokit')),
        'utf8',
      ),
    ) as {pid: number}
    for (let i = 0; i < 50 && (await processAlive(pid)); i++)
      await new Promise((resolve) => {
        setTimeout(resolve, 100)
      })
    expect(await processAlive(pid)).toBe(false)
  })

  it('explains errors, lists profiles and runs the offline checks', async () => {
    const h = home()
    await writeTokenFile(
      tokenCachePath({sessionName: 'corp'}, h.cacheDir),
      emulator.issueToken({expiresIn: -3600, refreshable: false}),
    )
    const client = await connect(h)
    const explained = await call(client, 'explain_error', {
      profile: 'dev',
      text: 'Error when retrieving token from sso: Token has expired and refresh failed',
    })
    expect(explained.json).toMatchObject({
      category: 'sso-login-required',
      fix: 'ssokit login --sso-session corp',
      loginFixes: true,
    })
    const forbidden = await call(client, 'explain_error', {
      text: 'An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access',
    })
    expect(forbidden.json).toMatchObject({category: 'sso-no-access', loginFixes: false})
    const profiles = await call(client, 'list_profiles')
    expect((profiles.json.profiles as Array<{name: string}>).map((p) => p.name)).toEqual(['dev', 'old'])
    const doctor = await call(client, 'doctor', {})
    expect(doctor.isError).toBe(false)
    const checks = doctor.json.checks as Array<{category: string; status: string}>
    const network = checks.filter((c) => c.category === 'network' && c.status !== 'pass')
    expect(checks.length).toBeGreaterThan(3)
    // Offline by default: the checks that need the network are skipped.
    expect(network.length).toBeGreaterThan(0)
    expect(network.filter((c) => c.status === 'skip').length).toBeGreaterThan(0)
  })

  it('answers every tool’s failure as an MCP tool error with ssokit’s code and suggestions', async () => {
    const h = home()
    const client = await connect(h)
    const unknown = {ssoSession: 'nope'}
    for (const tool of ['status', 'login_start', 'login_wait']) {
      const result = await call(client, tool, unknown)
      expect(result, tool).toMatchObject({isError: true, json: {error: {code: 'SSO_SESSION_NOT_FOUND', exit: 2}}})
      expect((result.json.error as {suggestions: string[]}).suggestions[0], tool).toContain(
        'sso-sessions in the config: corp',
      )
    }

    const noToken = await call(client, 'login_wait', {ssoSession: 'corp'})
    expect(noToken.json).toMatchObject({
      error: {code: 'LOGIN_REQUIRED', reason: 'no-token', suggestions: ['Run: ssokit login --sso-session corp']},
    })
    // Input the schema refuses: the SDK answers with a tool error before ssokit runs.
    for (const [tool, args] of [
      ['explain_error', {text: ''}],
      ['doctor', {offline: 'yes'}],
      ['login_wait', {timeoutSeconds: 100_000}],
    ] as const) {
      const result = await call(client, tool, args)
      expect(result.isError, tool).toBe(true)
    }

    // A config that cannot be read: bad input, exit 3, naming the file.
    const broken = tempHome()
    mkdirSync(broken.configFile)
    const brokenClient = await connect(broken)
    for (const tool of ['list_profiles', 'status', 'explain_error', 'login_start']) {
      const result = await call(
        brokenClient,
        tool,
        tool === 'explain_error' ? {profile: 'dev', text: 'Token has expired and refresh failed'} : {},
      )
      if (tool === 'explain_error') {
        // explain still explains the text, and says the config could not be read.
        expect(result.isError).toBe(false)
        continue
      }

      expect(result, tool).toMatchObject({isError: true, json: {error: {code: 'FILE_UNREADABLE', exit: 3}}})
    }

    const doctor = await call(brokenClient, 'doctor', {})
    expect(doctor.isError).toBe(false)
    expect((doctor.json.checks as Array<{status: string}>).some((c) => c.status === 'fail')).toBe(true)
  })

  it('is loaded by `ssokit mcp` only: other commands never load the MCP SDK or zod', async () => {
    const h = home()
    const modules = moduleLog()
    const status = await runCli(['status', '--json'], {env: {...h.env, ...modules.env}})
    // Exit 4: every session needs a login here; what matters is what it loaded.
    expect(JSON.parse(status.stdout).sessions).toHaveLength(2)
    const packages = [...packagesOf(modules.modules())]
    expect(packages).toContain('@oclif/core')
    expect(packages.filter((p) => p.startsWith('@modelcontextprotocol/') || p === 'zod')).toEqual([])
  })
})
