/**
 * `ssokit login`: the device-code and PKCE authorization-code flows of `aws sso login` (botocore `utils.py` `SSOTokenFetcher`, `SSOTokenFetcherAuth`),
 * ending in a token cache file the AWS CLI, botocore and the JS SDK read.
 */
import {createHash, randomInt, randomUUID} from 'node:crypto'

import type {CreateTokenOutput, OidcApi} from './clients.js'
import type {CompleteSsoTarget} from './target.js'

import {describeFailure, failureToError} from '../aws/errors.js'
import {ensureWritableFolder} from '../config/write.js'
import {LoginRequiredError, SsokitError} from '../errors.js'
import {rememberSecret} from '../secrets.js'
import {abortError, isAbortError} from './abort.js'
import {type CachedRegistration, type CachedToken, tokenCachePath, writeTokenFile} from './cache.js'
import {startLoopbackServer} from './loopback.js'
import {DEFAULT_PKCE_SCOPE, type LoginFlow, obtainRegistration} from './registration.js'
import {formatAwsTime} from './time.js'

export type {LoginFlow} from './registration.js'

/** What the user (or agent) must open, sent once the flow is ready for it. */
export interface AuthorizeEvent {
  /** When this authorization stops being usable (device code expiry or the login timeout, whichever is first). */
  expiresAt: Date
  flow: LoginFlow
  /** The page to open: the authorize URL (PKCE), or the verification URL with the code filled in (device code). */
  url: string
  /** The code to confirm on the page (device code only). */
  userCode: null | string
  /** The verification page without the code (device code only). */
  verificationUri?: string
}

export interface LoginOptions {
  cacheDir: string
  flow: LoginFlow
  now?: () => Date
  oidc: OidcApi
  /** Called once, when the URL is ready; may open a browser. */
  onAuthorize: (event: AuthorizeEvent) => Promise<void> | void
  signal?: AbortSignal
  /** Waits between device-code polls; tests pass one that does not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  target: CompleteSsoTarget
  /** How long to wait for the user, in ms. */
  timeoutMs: number
}

export interface LoginResult {
  flow: LoginFlow
  path: string
  registrationReused: boolean
  token: CachedToken
}

/** Device-code grant constants (RFC 8628 §3.5; `SSOTokenFetcher`). */
export const DEFAULT_POLL_INTERVAL_S = 5
export const SLOW_DOWN_STEP_S = 5
export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code'

/** Runs a login and writes the token cache file (only at the very end: an interrupted login writes no token). */
export async function login(options: LoginOptions): Promise<LoginResult> {
  // Before anything is asked of the user: the token and the client registration must be savable.
  await ensureWritableFolder(options.cacheDir, 'the SSO token cache')
  const now = options.now ?? (() => new Date())
  const deadline = new Date(now().getTime() + options.timeoutMs)
  const result =
    options.flow === 'pkce' ? await pkceLogin(options, now, deadline) : await deviceCodeLogin(options, now, deadline)
  if (options.signal?.aborted) throw abortError()
  const path = tokenCachePath(options.target.tokenKey, options.cacheDir)
  await writeTokenFile(path, result.token)
  return {flow: options.flow, path, registrationReused: result.reused, token: result.token}
}

/** `setTimeout` as a promise that an abort signal cuts short. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError())
      return
    }

    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError())
    }

    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

/** A PKCE verifier as the CLI makes it: 64 characters from the unreserved set. */
export function makeCodeVerifier(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'
  let verifier = ''
  for (let i = 0; i < 64; i++) verifier += alphabet[randomInt(alphabet.length)]
  return verifier
}

/** `base64url(sha256(verifier))` without padding (S256). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/**
 * The authorize URL exactly as the CLI builds it (parameter order, `scopes` space-joined, Python's
 * `percent_encode`), on the resolved sso-oidc endpoint.
 */
export function buildAuthorizeUrl(input: {
  baseUrl: string
  clientId: string
  codeChallenge: string
  redirectUri: string
  scopes?: string[]
  state: string
}): string {
  const params: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['state', input.state],
    ['code_challenge_method', 'S256'],
    ['scopes', (input.scopes && input.scopes.length > 0 ? input.scopes : [DEFAULT_PKCE_SCOPE]).join(' ')],
  ]
  const query = params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')
  return `${input.baseUrl}/authorize?${query}&code_challenge=${input.codeChallenge}`
}

/** botocore's `percent_encode`: everything but `A-Za-z0-9-_.~` escaped as UTF-8. */
function percentEncode(text: string): string {
  return encodeURIComponent(text).replaceAll(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function tokenFrom(
  target: CompleteSsoTarget,
  registration: CachedRegistration,
  out: CreateTokenOutput,
  issuedAt: Date,
): CachedToken {
  const token: CachedToken = {
    accessToken: out.accessToken,
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    expiresAt: formatAwsTime(new Date(issuedAt.getTime() + out.expiresIn * 1000)),
    region: target.region,
    registrationExpiresAt: registration.expiresAt,
    startUrl: target.startUrl,
  }
  if (out.refreshToken) token.refreshToken = out.refreshToken
  return token
}

function expiredAuthorization(target: CompleteSsoTarget, why: string): LoginRequiredError {
  return new LoginRequiredError(
    `The pending authorization to retrieve an SSO token has expired${why}. The login flow must be restarted; nothing was written.`,
    target.loginCommand,
    {reason: 'authorization-expired'},
  )
}

/** Maps a failed OIDC call during a login to what the user should know. */
function loginCallError(operation: string, error: unknown, target: CompleteSsoTarget): Error {
  if (isAbortError(error)) return abortError()
  if (error instanceof SsokitError) return error
  const failure = describeFailure(error)
  if (failure.kind === 'aborted') return abortError()
  if (failure.kind === 'service') {
    switch (failure.code) {
      case 'AccessDeniedException': {
        return new LoginRequiredError(
          `The sign-in was denied (${failure.code}: ${failure.message}).`,
          target.loginCommand,
          {
            cause: error,
            reason: 'authorization-denied',
          },
        )
      }

      case 'ExpiredTokenException': {
        return expiredAuthorization(target, '')
      }

      case 'InvalidClientException':
      case 'InvalidGrantException':
      case 'InvalidRequestException':
      case 'InvalidScopeException':
      case 'UnauthorizedClientException': {
        return new LoginRequiredError(
          `${operation} was refused (${failure.code}: ${failure.message}). Check sso_start_url and sso_region of ${target.kind === 'sso-session' ? `[sso-session ${target.name}]` : `profile ${target.profiles[0]}`}, then log in again.`,
          target.loginCommand,
          {cause: error, reason: 'login-refused'},
        )
      }
    }
  }

  return failureToError(operation, failure, error)
}

async function deviceCodeLogin(
  options: LoginOptions,
  now: () => Date,
  deadline: Date,
): Promise<{reused: boolean; token: CachedToken}> {
  const {oidc, signal, target} = options
  const sleep = options.sleep ?? abortableSleep
  const {registration, reused} = await obtainRegistration({...options, flow: 'device-code', now}).catch((error) => {
    throw loginCallError('RegisterClient', error, target)
  })
  const authorization = await oidc
    .startDeviceAuthorization(
      {clientId: registration.clientId, clientSecret: registration.clientSecret, startUrl: target.startUrl},
      signal,
    )
    .catch((error) => {
      throw loginCallError('StartDeviceAuthorization', error, target)
    })
  rememberSecret(authorization.deviceCode)
  const codeExpiry = new Date(now().getTime() + authorization.expiresIn * 1000)
  const waitUntil = codeExpiry < deadline ? codeExpiry : deadline
  let intervalS = authorization.interval ?? DEFAULT_POLL_INTERVAL_S

  // One attempt before showing anything, in case the client is pre-authorised (as the CLI does).
  const attempt = async (): Promise<CachedToken | undefined> => {
    const issuedAt = now()
    try {
      const out = await oidc.createToken(
        {
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          deviceCode: authorization.deviceCode,
          grantType: DEVICE_GRANT_TYPE,
        },
        signal,
      )
      return tokenFrom(target, registration, out, issuedAt)
    } catch (error) {
      const failure = describeFailure(error)
      if (failure.kind === 'service' && failure.code === 'AuthorizationPendingException') return undefined
      if (failure.kind === 'service' && failure.code === 'SlowDownException') {
        intervalS += SLOW_DOWN_STEP_S
        return undefined
      }

      throw loginCallError('CreateToken', error, target)
    }
  }

  const first = await attempt()
  if (first) return {reused, token: first}
  await options.onAuthorize({
    expiresAt: waitUntil,
    flow: 'device-code',
    url: authorization.verificationUriComplete ?? authorization.verificationUri,
    userCode: authorization.userCode,
    verificationUri: authorization.verificationUri,
  })
  for (;;) {
    const left = waitUntil.getTime() - now().getTime()
    if (left <= 0) {
      throw waitUntil === deadline
        ? new LoginRequiredError(
            'The device code was not approved before the timeout; nothing was written.',
            target.loginCommand,
            {reason: 'timeout'},
          )
        : expiredAuthorization(target, ' (the device code expired)')
    }

    // Polling: each attempt waits for the interval after the previous one.
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(intervalS * 1000, left), signal)
    // eslint-disable-next-line no-await-in-loop
    const token = await attempt()
    if (token) return {reused, token}
  }
}

async function pkceLogin(
  options: LoginOptions,
  now: () => Date,
  deadline: Date,
): Promise<{reused: boolean; token: CachedToken}> {
  const {oidc, signal, target} = options
  let server
  try {
    server = await startLoopbackServer()
  } catch (error) {
    throw new SsokitError(
      `Unable to start the OAuth 2.0 callback server on 127.0.0.1: ${(error as Error).message}.`,
      'CALLBACK_SERVER_FAILED',
      {
        cause: error,
        suggestions: [`Use the device-code flow instead: ${target.loginCommand} --flow device-code`],
      },
    )
  }

  try {
    const {registration, reused} = await obtainRegistration({...options, flow: 'pkce', now}).catch((error) => {
      throw loginCallError('RegisterClient', error, target)
    })
    const verifier = makeCodeVerifier()
    rememberSecret(verifier)
    const state = randomUUID()
    const baseUrl = await oidc.authorizeBaseUrl()
    const url = buildAuthorizeUrl({
      baseUrl,
      clientId: registration.clientId,
      codeChallenge: codeChallengeOf(verifier),
      redirectUri: server.redirectUri,
      scopes: target.registrationScopes,
      state,
    })
    // Listen for the callback before the browser can possibly come back.
    const callback = server.waitForCode(state, {deadline, loginCommand: target.loginCommand, signal})
    callback.catch(() => {})
    await options.onAuthorize({expiresAt: deadline, flow: 'pkce', url, userCode: null})
    const code = await callback
    // The browser is done with us: stop listening before the token exchange.
    await server.close()
    const issuedAt = now()
    const out = await oidc
      .createToken(
        {
          clientId: registration.clientId,
          clientSecret: registration.clientSecret,
          code,
          codeVerifier: verifier,
          grantType: 'authorization_code',
          redirectUri: server.redirectUri,
        },
        signal,
      )
      .catch((error) => {
        throw loginCallError('CreateToken', error, target)
      })
    return {reused, token: tokenFrom(target, registration, out, issuedAt)}
  } finally {
    await server.close()
  }
}
