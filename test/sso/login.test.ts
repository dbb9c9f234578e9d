import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {request} from 'node:http'
import {networkInterfaces} from 'node:os'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import type {CompleteSsoTarget} from '../../src/sso/target.js'

import {LoginRequiredError} from '../../src/errors.js'
import {isAbortError} from '../../src/sso/abort.js'
import {registrationCachePath, tokenCachePath} from '../../src/sso/cache.js'
import {createOidcApi, type OidcApi} from '../../src/sso/clients.js'
import {
  type AuthorizeEvent,
  buildAuthorizeUrl,
  codeChallengeOf,
  login,
  type LoginOptions,
  makeCodeVerifier,
} from '../../src/sso/login.js'
import {startLoopbackServer} from '../../src/sso/loopback.js'
import {REGISTERED_REDIRECT_URI} from '../../src/sso/registration.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'
import {LEGACY_TARGET as legacy, START_URL, tempHome} from './helpers.js'

const session = (name = 'corp', scopes: string[] | undefined = ['sso:account:access']): CompleteSsoTarget => ({
  kind: 'sso-session',
  loginCommand: `ssokit login --sso-session ${name}`,
  name,
  profiles: [],
  region: 'us-east-1',
  registrationScopes: scopes,
  roles: [],
  sessionName: name,
  startUrl: START_URL,
  tokenKey: {sessionName: name},
})

let emulator: SsoEmulator
let oidc: OidcApi
const saved = {...process.env}

beforeAll(async () => {
  emulator = await startSsoEmulator({deviceCodeInterval: 0})
  Object.assign(process.env, emulator.env())
  oidc = await createOidcApi('us-east-1')
})

afterAll(async () => {
  oidc.close()
  await emulator.close()
  process.env = saved
})

afterEach(() => emulator.clearFaults())

/** A login with a sleep that records instead of waiting, and the test playing the user from onAuthorize. */
function run(
  options: Partial<LoginOptions> & {act?: (event: AuthorizeEvent) => Promise<void> | void; target: CompleteSsoTarget},
) {
  const home = tempHome()
  const sleeps: number[] = []
  const events: AuthorizeEvent[] = []
  const promise = login({
    cacheDir: home.cacheDir,
    flow: 'device-code',
    oidc,
    async onAuthorize(event) {
      events.push(event)
      await options.act?.(event)
    },
    async sleep(ms) {
      sleeps.push(ms)
      await new Promise((resolve) => {
        setImmediate(resolve)
      })
    },
    timeoutMs: 60_000,
    ...options,
  })
  return {events, home, promise, sleeps}
}

describe('device-code flow', () => {
  it('registers, shows the code, polls until approved, and writes the token and registration as the CLI does', async () => {
    const before = emulator.requests.length
    const {events, home, promise} = run({act: (e) => emulator.approveDevice(e.userCode!), target: session()})
    const result = await promise
    expect(events).toHaveLength(1)
    expect(events[0].flow).toBe('device-code')
    expect(events[0].userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    expect(events[0].url).toBe(`${emulator.url}/device?user_code=${events[0].userCode}`)
    const calls = emulator.requests.slice(before)
    expect(calls.map((r) => r.operation)).toEqual([
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken',
      'CreateToken',
    ])
    expect(calls[0].body).toEqual({
      clientName: 'botocore-client-corp',
      clientType: 'public',
      scopes: ['sso:account:access'],
    })
    expect(calls[1].body).toMatchObject({startUrl: START_URL})
    expect(calls[2].body).toMatchObject({grantType: 'urn:ietf:params:oauth:grant-type:device_code'})

    const file = JSON.parse(readFileSync(tokenCachePath({sessionName: 'corp'}, home.cacheDir), 'utf8'))
    expect(Object.keys(file)).toEqual([
      'startUrl',
      'region',
      'accessToken',
      'expiresAt',
      'clientId',
      'clientSecret',
      'registrationExpiresAt',
      'refreshToken',
    ])
    expect(file.accessToken).toBe(result.token.accessToken)
    expect(file.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const registration = JSON.parse(
      readFileSync(
        registrationCachePath(
          {region: 'us-east-1', scopes: ['sso:account:access'], sessionName: 'corp', startUrl: START_URL},
          home.cacheDir,
        ),
        'utf8',
      ),
    )
    expect(Object.keys(registration)).toEqual(['clientId', 'clientSecret', 'expiresAt', 'scopes'])
    expect(registration.clientId).toBe(file.clientId)
  })

  it('reuses a cached device registration on the next login', async () => {
    const first = run({act: (e) => emulator.approveDevice(e.userCode!), target: session('reuse')})
    await first.promise
    const before = emulator.requests.length
    const second = login({
      cacheDir: first.home.cacheDir,
      flow: 'device-code',
      oidc,
      onAuthorize: (e) => emulator.approveDevice(e.userCode!),
      async sleep() {},
      target: session('reuse'),
      timeoutMs: 60_000,
    })
    expect((await second).registrationReused).toBe(true)
    expect(emulator.requests.slice(before).map((r) => r.operation)).not.toContain('RegisterClient')
  })

  it('registers a legacy client without scopes, gets no refresh token, and keys the token by start URL', async () => {
    const before = emulator.requests.length
    const {home, promise} = run({act: (e) => emulator.approveDevice(e.userCode!), target: legacy})
    const result = await promise
    const register = emulator.requests.slice(before).find((r) => r.operation === 'RegisterClient')!
    expect(register.body).toEqual({clientName: expect.stringMatching(/^botocore-client-\d{10}$/), clientType: 'public'})
    expect(result.token.refreshToken).toBeUndefined()
    expect(result.path).toBe(tokenCachePath({startUrl: START_URL}, home.cacheDir))
  })

  it('honours the interval and backs off 5 s on each SlowDownException', async () => {
    const slow = await startSsoEmulator({deviceCodeInterval: 2})
    const saved = {...process.env}
    Object.assign(process.env, slow.env())
    const slowOidc = await createOidcApi('us-east-1')
    try {
      let polls = 0
      const home = tempHome()
      const sleeps: number[] = []
      const result = await login({
        cacheDir: home.cacheDir,
        flow: 'device-code',
        oidc: slowOidc,
        onAuthorize: () => slow.slowDown(2),
        async sleep(ms) {
          sleeps.push(ms)
          if (++polls === 4) slow.approveDevice(slow.pendingUserCodes()[0])
        },
        target: session('slow'),
        timeoutMs: 600_000,
      })
      expect(result.token.accessToken).toMatch(/^aoa-access-/)
      // 2 s, SlowDown → 7 s, SlowDown → 12 s, pending → 12 s, approved.
      expect(sleeps).toEqual([2000, 7000, 12_000, 12_000])
    } finally {
      slowOidc.close()
      await slow.close()
      process.env = saved
    }
  })

  it('stops with a clear error on ExpiredTokenException and writes nothing', async () => {
    const {home, promise} = run({
      act() {
        emulator.setFault('CreateToken', 400, {errorType: 'ExpiredTokenException'})
      },
      target: session('expired'),
    })
    const error = await promise.catch((error_) => error_)
    expect(error).toBeInstanceOf(LoginRequiredError)
    expect(error).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'authorization-expired'})
    expect(error.message).toContain('The pending authorization to retrieve an SSO token has expired')
    expect(existsSync(tokenCachePath({sessionName: 'expired'}, home.cacheDir))).toBe(false)
  })

  it('fails when the user denies the device code', async () => {
    const {promise} = run({act: (e) => emulator.denyDevice(e.userCode!), target: session('denied')})
    await expect(promise).rejects.toMatchObject({code: 'LOGIN_REQUIRED', reason: 'authorization-denied', exit: 4})
  })

  it('times out with exit 4 when nobody approves', async () => {
    const {home, promise} = run({target: session('timeout'), timeoutMs: 50})
    // The recorded sleeps do not wait, so the deadline passes on the wall clock while polling.
    const error = await promise.catch((error_) => error_)
    expect(error).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'timeout', exit: 4})
    expect(existsSync(tokenCachePath({sessionName: 'timeout'}, home.cacheDir))).toBe(false)
  })

  it('stops at once when aborted, leaving no token file', async () => {
    const controller = new AbortController()
    const {home, promise} = run({act: () => controller.abort(), signal: controller.signal, target: session('abort')})
    const error = await promise.catch((error_) => error_)
    expect(isAbortError(error)).toBe(true)
    expect(existsSync(tokenCachePath({sessionName: 'abort'}, home.cacheDir))).toBe(false)
  })
})

describe('PKCE flow', () => {
  it('builds the authorize URL as the CLI does and gets a token through the loopback callback', async () => {
    const before = emulator.requests.length
    let callback: Awaited<ReturnType<SsoEmulator['followAuthorize']>> | undefined
    const {events, home, promise} = run({
      async act(event) {
        callback = await emulator.followAuthorize(event.url)
      },
      flow: 'pkce',
      target: session(),
    })
    const result = await promise
    expect(callback).toMatchObject({authorizeStatus: 302, callbackStatus: 200})
    const url = new URL(events[0].url)
    expect(`${url.protocol}//${url.host}`).toBe(emulator.url)
    expect(url.pathname).toBe('/authorize')
    expect([...url.searchParams.keys()]).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'code_challenge_method',
      'scopes',
      'code_challenge',
    ])
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/)
    expect(url.searchParams.get('state')).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[\da-f]{4}-[\da-f]{12}$/)
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(events[0].url).toContain('&scopes=sso%3Aaccount%3Aaccess&')

    const calls = emulator.requests.slice(before)
    const register = calls.find((r) => r.operation === 'RegisterClient')!
    expect(register.body).toEqual({
      clientName: 'botocore-client-corp',
      clientType: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      issuerUrl: START_URL,
      redirectUris: [REGISTERED_REDIRECT_URI],
      scopes: ['sso:account:access'],
    })
    const create = calls.find((r) => r.operation === 'CreateToken')!.body as Record<string, string>
    expect(create.grantType).toBe('authorization_code')
    expect(create.redirectUri).toBe(url.searchParams.get('redirect_uri'))
    expect(create.codeVerifier).toMatch(/^[\w.~-]{64}$/)
    expect(result.token.refreshToken).toMatch(/^aor-refresh-/)
    const registration = JSON.parse(
      readFileSync(
        registrationCachePath(
          {region: 'us-east-1', scopes: ['sso:account:access'], sessionName: 'corp', startUrl: START_URL},
          home.cacheDir,
        ),
        'utf8',
      ),
    )
    expect(registration.grantTypes).toEqual(['authorization_code', 'refresh_token'])
    // The loopback server is gone once the login is over.
    await expect(get(url.searchParams.get('redirect_uri')!)).rejects.toMatchObject({code: 'ECONNREFUSED'})
  })

  it('re-registers when the cached registration is a device-code one (shared cache key), and back', async () => {
    const device = run({act: (e) => emulator.approveDevice(e.userCode!), target: session('switch')})
    await device.promise
    const pkce = login({
      cacheDir: device.home.cacheDir,
      flow: 'pkce',
      oidc,
      async onAuthorize(e) {
        await emulator.followAuthorize(e.url)
      },
      target: session('switch'),
      timeoutMs: 60_000,
    })
    expect((await pkce).registrationReused).toBe(false)
  })

  it('uses the default scope when the session sets none', async () => {
    const before = emulator.requests.length
    const {events, promise} = run({
      async act(e) {
        await emulator.followAuthorize(e.url)
      },
      flow: 'pkce',
      target: session('noscopes'),
    })
    await promise
    expect(emulator.requests.slice(before).find((r) => r.operation === 'RegisterClient')!.body).toMatchObject({
      scopes: ['sso:account:access'],
    })
    expect(new URL(events[0].url).searchParams.get('scopes')).toBe('sso:account:access')
  })

  it('rejects a callback whose state does not match', async () => {
    let callback: Awaited<ReturnType<SsoEmulator['followAuthorize']>> | undefined
    const {home, promise} = run({
      async act(event) {
        callback = await emulator.followAuthorize(event.url, {state: 'forged-state'})
      },
      flow: 'pkce',
      target: session('state'),
    })
    await expect(promise).rejects.toMatchObject({
      code: 'LOGIN_REQUIRED',
      reason: 'state-mismatch',
      exit: 4,
      message: expect.stringContaining('State parameter does not match'),
    })
    expect(callback?.callbackStatus).toBe(400)
    expect(existsSync(tokenCachePath({sessionName: 'state'}, home.cacheDir))).toBe(false)
    expect(emulator.requests.at(-1)?.operation).toBe('Authorize')
  })

  it('treats an error= callback with another state as a forgery, not as a denial', async () => {
    const {promise} = run({
      async act(e) {
        const redirect = new URL(new URL(e.url).searchParams.get('redirect_uri')!)
        await get(
          `${redirect.href}?error=access_denied&error_description=${encodeURIComponent('\u001B]0;pwned\u0007')}&state=forged`,
        )
      },
      flow: 'pkce',
      target: session('forged-error'),
    })
    await expect(promise).rejects.toMatchObject({code: 'LOGIN_REQUIRED', reason: 'state-mismatch'})
  })

  it('fails when the user denies the request in the browser', async () => {
    const {promise} = run({
      async act(e) {
        await emulator.followAuthorize(e.url, {deny: true})
      },
      flow: 'pkce',
      target: session('deny'),
    })
    await expect(promise).rejects.toMatchObject({code: 'LOGIN_REQUIRED', reason: 'authorization-denied', exit: 4})
  })

  it('refuses callbacks with a foreign Host header, other paths, and (by binding) other interfaces', async () => {
    let redirect: undefined | URL
    const controller = new AbortController()
    const {promise} = run({
      async act(event) {
        redirect = new URL(new URL(event.url).searchParams.get('redirect_uri')!)
        const state = new URL(event.url).searchParams.get('state')!
        const port = Number(redirect.port)
        // DNS rebinding: a page on evil.example resolves to 127.0.0.1 and calls the callback.
        expect((await get(`${redirect.href}?code=x&state=${state}`, {host: `evil.example:${port}`})).status).toBe(400)
        expect((await get(`http://127.0.0.1:${port}/other?code=x&state=${state}`)).status).toBe(404)
        const external = Object.values(networkInterfaces())
          .flat()
          .find((i) => i && i.family === 'IPv4' && !i.internal)
        if (external) {
          await expect(
            get(`http://${external.address}:${port}/oauth/callback?code=x&state=${state}`),
          ).rejects.toMatchObject({code: 'ECONNREFUSED'})
        }

        controller.abort()
      },
      flow: 'pkce',
      signal: controller.signal,
      target: session('hosts'),
    })
    const error = await promise.catch((error_) => error_)
    expect(isAbortError(error)).toBe(true)
    expect(redirect).toBeDefined()
    await expect(get(redirect!.href)).rejects.toMatchObject({code: 'ECONNREFUSED'})
  })

  it('times out waiting for the browser, closing the port and writing no token', async () => {
    let redirect = ''
    const {home, promise} = run({
      act(event) {
        redirect = new URL(event.url).searchParams.get('redirect_uri')!
      },
      flow: 'pkce',
      target: session('pkce-timeout'),
      timeoutMs: 200,
    })
    await expect(promise).rejects.toMatchObject({code: 'LOGIN_REQUIRED', reason: 'timeout', exit: 4})
    await expect(get(redirect)).rejects.toMatchObject({code: 'ECONNREFUSED'})
    expect(
      readdirSync(home.cacheDir).filter((f) => f === `${createHash('sha1').update('pkce-timeout').digest('hex')}.json`),
    ).toEqual([])
  })

  it('settles a pending wait when the server closes (no timer left to keep the process alive)', async () => {
    const server = await startLoopbackServer()
    const wait = server.waitForCode('s', {deadline: new Date(Date.now() + 3_600_000), loginCommand: 'ssokit login'})
    await server.close()
    expect(isAbortError(await wait.catch((error_) => error_))).toBe(true)
  })

  it('gives up at once when showing the URL fails, closing the port', async () => {
    let redirect = ''
    const {promise} = run({
      act(event) {
        redirect = new URL(event.url).searchParams.get('redirect_uri')!
        throw new Error('stdout is closed')
      },
      flow: 'pkce',
      target: session('act-fails'),
    })
    await expect(promise).rejects.toThrow('stdout is closed')
    await expect(get(redirect)).rejects.toMatchObject({code: 'ECONNREFUSED'})
  })

  it('gets InvalidGrantException for a wrong code verifier (the emulator checks S256 as the service does)', async () => {
    const verifier = makeCodeVerifier()
    expect(codeChallengeOf(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'))
    const register = await oidc.registerClient({
      clientName: 'probe',
      clientType: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      issuerUrl: START_URL,
      redirectUris: [REGISTERED_REDIRECT_URI],
      scopes: ['sso:account:access'],
    })
    const redirectUri = 'http://127.0.0.1:9/oauth/callback'
    const url = buildAuthorizeUrl({
      baseUrl: emulator.url,
      clientId: register.clientId,
      codeChallenge: codeChallengeOf(verifier),
      redirectUri,
      state: 's',
    })
    const authorize = await get(url)
    expect(authorize.status).toBe(302)
    const code = new URL(authorize.location!).searchParams.get('code')!
    const exchange = (codeVerifier: string) =>
      oidc.createToken({
        clientId: register.clientId,
        clientSecret: register.clientSecret,
        code,
        codeVerifier,
        grantType: 'authorization_code',
        redirectUri,
      })
    await expect(exchange(makeCodeVerifier())).rejects.toMatchObject({
      error_description: 'PKCE verification failed',
      name: 'InvalidGrantException',
    })
    // A code is single-use, even after a failed exchange.
    await expect(exchange(verifier)).rejects.toMatchObject({name: 'InvalidGrantException'})
  })
})

function get(url: string, headers: Record<string, string> = {}): Promise<{location?: string; status: number}> {
  return new Promise((resolve, reject) => {
    const req = request(url, {headers, method: 'GET'}, (res) => {
      res.resume()
      res.on('end', () => resolve({location: res.headers.location, status: res.statusCode ?? 0}))
    })
    req.on('error', reject)
    req.end()
  })
}
