import {chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {tokenCacheKey} from '../../src/sso/cache.js'
import {OutputLog, ssokit, standardConfig, START_URL, startCli, type TempHome, tempHome} from '../sso/helpers.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

let emulator: SsoEmulator
const log = new OutputLog()

beforeAll(async () => {
  emulator = await startSsoEmulator({deviceCodeInterval: 0})
})

afterAll(async () => {
  // Every run of this file: no token, refresh token or client secret the emulator issued was ever printed.
  expect(log.size).toBeGreaterThan(10)
  log.expectNoSecrets(emulator)
  await emulator.close()
})

afterEach(() => emulator.clearFaults())

/** A home with the standard config, and the env of a machine where --flow auto would pick PKCE. */
function setup(): {env: Record<string, string>; home: TempHome} {
  const home = tempHome()
  home.writeConfig(standardConfig())
  // Neutralise what --flow auto looks at, so that tests choose the flow (and CI runs behave like laptops).
  return {
    env: {...home.env, ...emulator.env(), CI: '', DISPLAY: ':0', SSH_CLIENT: '', SSH_CONNECTION: '', SSH_TTY: ''},
    home,
  }
}

const tokenFile = (home: TempHome, key: string) => join(home.cacheDir, `${tokenCacheKey({sessionName: key})}.json`)
const jsonLines = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

describe('ssokit login --flow device-code', () => {
  it('prints the authorize event at once, waits for approval, then logged-in, and writes the token', async () => {
    const {env, home} = setup()
    const cli = startCli(
      log,
      ['login', '--sso-session', 'corp', '--flow', 'device-code', '--no-browser', '--json'],
      env,
    )
    const authorize = await cli.nextJson()
    expect(authorize).toEqual({
      event: 'authorize',
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      flow: 'device-code',
      url: expect.stringMatching(new RegExp(`^${emulator.url}/device\\?user_code=`)),
      userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
    })
    expect(Object.keys(authorize)).toEqual(['event', 'flow', 'url', 'userCode', 'expiresAt'])
    emulator.approveDevice(authorize.userCode as string)
    const result = await cli.done
    expect(result.code).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toEqual({event: 'logged-in', expiresAt: expect.stringMatching(/Z$/), ssoSession: 'corp'})
    expect(result.stderr).toContain('device-code flow: --flow device-code was given')
    const path = tokenFile(home, 'corp')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      expiresAt: lines[1].expiresAt,
      region: 'us-east-1',
      startUrl: START_URL,
    })
  })

  it('accepts --use-device-code, the AWS CLI spelling, and prints the URL and code for people', async () => {
    const {env} = setup()
    const cli = startCli(log, ['login', '--profile', 'dev', '--use-device-code', '--no-browser'], env)
    await cli.stderrContains('check that the page shows the code:')
    emulator.approveDevice(emulator.pendingUserCodes().at(-1)!)
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('with the device-code flow: --use-device-code was given.')
    expect(result.stderr).toMatch(
      /Open this URL in a browser to sign in:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[A-Z]{4}-[A-Z]{4}\n/,
    )
    expect(result.stdout).toMatch(
      /^Logged in to sso-session corp\. The token expires at \S+Z \(in 5\d min\) and is refreshed automatically\.\n$/,
    )
  })

  it('picks device code with --flow auto in an SSH session, and says why', async () => {
    const {env} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--no-browser', '--json'], {
      ...env,
      SSH_CONNECTION: '10.0.0.1 5555 10.0.0.2 22',
    })
    const authorize = await cli.nextJson()
    expect(authorize.flow).toBe('device-code')
    emulator.approveDevice(authorize.userCode as string)
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('with the device-code flow: this is an SSH session (SSH_CONNECTION is set)')
  })

  it('signs a legacy profile in with device code, keyed by the start URL', async () => {
    const {env, home} = setup()
    const cli = startCli(log, ['login', '--profile', 'old', '--no-browser', '--json'], env)
    const authorize = await cli.nextJson()
    emulator.approveDevice(authorize.userCode as string)
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)[1]).toMatchObject({event: 'logged-in', ssoSession: null})
    const file = JSON.parse(readFileSync(join(home.cacheDir, `${tokenCacheKey({startUrl: START_URL})}.json`), 'utf8'))
    expect(file).not.toHaveProperty('refreshToken')
    const refused = await ssokit(log, ['login', '--profile', 'old', '--flow', 'pkce'], env)
    expect(refused.code).toBe(2)
  })

  it('stops at the --timeout with exit 4 and an error JSON line, writing no token', async () => {
    const {env, home} = setup()
    const result = await ssokit(
      log,
      ['login', '--sso-session', 'corp', '--flow', 'device-code', '--no-browser', '--json', '--timeout', '1s'],
      env,
    )
    expect(result.code).toBe(4)
    const lines = jsonLines(result.stdout)
    expect(lines.map((l) => l.event ?? 'error')).toEqual(['authorize', 'error'])
    expect(lines[1]).toMatchObject({
      error: {
        code: 'LOGIN_REQUIRED',
        reason: 'timeout',
        exit: 4,
        suggestions: ['Run: ssokit login --sso-session corp'],
      },
    })
    expect(existsSync(tokenFile(home, 'corp'))).toBe(false)
  })

  it('on SIGTERM while polling exits 143 and writes no token', async () => {
    const {env, home} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--flow', 'device-code', '--no-browser'], env)
    await cli.stderrContains('Waiting until')
    cli.kill('SIGTERM')
    const result = await cli.done
    expect(result.code).toBe(143)
    expect(result.stderr).toContain('Login interrupted (SIGTERM); nothing was written.')
    expect(result.stdout).toBe('')
    expect(existsSync(tokenFile(home, 'corp'))).toBe(false)
  })

  it('fails with exit 4 when the device code expires on the service side', async () => {
    const {env, home} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--flow', 'device-code', '--no-browser'], env)
    await cli.stderrContains('Waiting until')
    emulator.setFault('CreateToken', 400, {errorType: 'ExpiredTokenException'})
    const result = await cli.done
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('The pending authorization to retrieve an SSO token has expired')
    expect(existsSync(tokenFile(home, 'corp'))).toBe(false)
  })
})

describe('ssokit login --flow pkce', () => {
  it('signs in through the loopback redirect when the test plays the browser', async () => {
    const {env, home} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--flow', 'pkce', '--no-browser', '--json'], env)
    const authorize = await cli.nextJson()
    expect(authorize).toMatchObject({event: 'authorize', flow: 'pkce', userCode: null})
    expect(authorize.url).toMatch(new RegExp(`^${emulator.url}/authorize\\?response_type=code&client_id=`))
    const browser = await emulator.followAuthorize(authorize.url as string)
    expect(browser).toMatchObject({authorizeStatus: 302, callbackStatus: 200})
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(jsonLines(result.stdout)[1]).toMatchObject({event: 'logged-in', ssoSession: 'corp'})
    expect(JSON.parse(readFileSync(tokenFile(home, 'corp'), 'utf8')).refreshToken).toMatch(/^aor-refresh-/)
  })

  it('opens the browser with `open` (here a fake browser given by $BROWSER) unless --no-browser', async () => {
    const {env, home} = setup()
    const browser = join(home.home, 'fake-browser.mjs')
    writeFileSync(
      browser,
      `#!${process.execPath}
import {request} from 'node:http'
import {appendFileSync} from 'node:fs'
const get = (url) => new Promise((resolve, reject) => request(url, (res) => { res.resume(); res.on('end', () => resolve(res)) }).on('error', reject).end())
const url = process.argv[2]
appendFileSync(${JSON.stringify(join(home.home, 'opened.txt'))}, url + '\\n')
const answer = await get(url)
await get(answer.headers.location)
`,
    )
    chmodSync(browser, 0o755)
    const result = await ssokit(log, ['login', '--sso-session', 'corp', '--flow', 'pkce', '--json'], {
      ...env,
      BROWSER: browser,
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
      XDG_CURRENT_DESKTOP: '',
    })
    expect(result.code).toBe(0)
    const lines = jsonLines(result.stdout)
    expect(readFileSync(join(home.home, 'opened.txt'), 'utf8')).toBe(`${lines[0].url}\n`)
    expect(lines[1]).toMatchObject({event: 'logged-in'})
  })

  it('rejects a callback whose state does not match (exit 4) and writes no token', async () => {
    const {env, home} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--flow', 'pkce', '--no-browser', '--json'], env)
    const authorize = await cli.nextJson()
    const browser = await emulator.followAuthorize(authorize.url as string, {state: 'not-the-state'})
    expect(browser.callbackStatus).toBe(400)
    const result = await cli.done
    expect(result.code).toBe(4)
    expect(jsonLines(result.stdout)[1]).toMatchObject({
      error: {code: 'LOGIN_REQUIRED', reason: 'state-mismatch', exit: 4},
    })
    expect(existsSync(tokenFile(home, 'corp'))).toBe(false)
  })

  it('reports a refused code exchange (InvalidGrantException) with exit 4', async () => {
    const {env} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--flow', 'pkce', '--no-browser'], env)
    await cli.stderrContains('Waiting until')
    emulator.setFault('CreateToken', 400, {errorType: 'InvalidGrantException', message: 'Invalid grant provided'})
    const url = /\n {2}(http:\S+authorize\S+)\n/.exec(cli.stderr())![1]
    await emulator.followAuthorize(url)
    const result = await cli.done
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('CreateToken was refused (InvalidGrantException: Invalid grant provided)')
  })

  it('on Ctrl-C exits 130, closes the port, and leaves no token and no temp file', async () => {
    const {env, home} = setup()
    const cli = startCli(log, ['login', '--sso-session', 'corp', '--flow', 'pkce', '--no-browser', '--json'], env)
    const authorize = await cli.nextJson()
    const redirect = new URL(authorize.url as string).searchParams.get('redirect_uri')!
    expect((await get(redirect.replace('/oauth/callback', '/probe'))).status).toBe(404)
    cli.kill('SIGINT')
    const result = await cli.done
    expect(result.code).toBe(130)
    expect(jsonLines(result.stdout)[1]).toEqual({
      error: {code: 'INTERRUPTED', exit: 130, message: 'Login interrupted (SIGINT); nothing was written.'},
    })
    await expect(get(redirect)).rejects.toMatchObject({code: 'ECONNREFUSED'})
    expect(existsSync(tokenFile(home, 'corp'))).toBe(false)
    // Only the (complete) client registration is in the cache folder: no half-written or temp file.
    const files = readdirSync(home.cacheDir)
    expect(files).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(home.cacheDir, files[0]), 'utf8'))).toMatchObject({
      grantTypes: ['authorization_code', 'refresh_token'],
    })
  })
})

describe('ssokit login usage', () => {
  it('rejects a bad --timeout and conflicting flow flags with exit 2', async () => {
    const {env} = setup()
    expect((await ssokit(log, ['login', '--sso-session', 'corp', '--timeout', 'soon'], env)).code).toBe(2)
    const conflict = await ssokit(
      log,
      ['login', '--sso-session', 'corp', '--use-device-code', '--flow', 'pkce', '--json'],
      env,
    )
    expect(conflict.code).toBe(2)
    expect(JSON.parse(conflict.stdout)).toMatchObject({error: {code: 'USAGE', exit: 2}})
  })

  it('names the missing setting when the session has no sso_region (exit 3)', async () => {
    const {env, home} = setup()
    home.writeConfig('[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\n')
    const result = await ssokit(log, ['login', '--sso-session', 'corp'], env)
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(
      'Missing the following required SSO configuration values in [sso-session corp]: sso_region.',
    )
  })

  it('exits 6 when the OIDC endpoint cannot be reached', async () => {
    const {env} = setup()
    const down = await startSsoEmulator()
    await down.close()
    const result = await ssokit(log, ['login', '--sso-session', 'corp', '--flow', 'device-code', '--no-browser'], {
      ...env,
      ...down.env(),
    })
    expect(result.code).toBe(6)
    expect(result.stderr).toContain('RegisterClient failed: cannot reach the endpoint')
  })
})

function get(url: string): Promise<{status: number}> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume()
      res.on('end', () => resolve({status: res.statusCode ?? 0}))
    })
      .on('error', reject)
      .end()
  })
}
