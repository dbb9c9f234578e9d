/**
 * Logins for agents and scripts, in two short commands: `login --detach` starts a sign-in in a
 * detached ssokit process and returns its `authorize` event at once; `login --wait` blocks (bounded) until that
 * sign-in ends. The detached process is ssokit's own `login` with a hidden flag; it records its progress and
 * outcome in the state of src/sso/pending-login.ts, which is all the two commands share.
 */
import {spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {stat} from 'node:fs/promises'

import type {PortalApi} from './clients.js'
import type {LogoutEntry} from './logout.js'
import type {FreshTokenResult} from './refresh.js'
import type {LoginFlow} from './registration.js'
import type {CompleteSsoTarget} from './target.js'

import {homeDir, ssokitStateDir} from '../config/paths.js'
import {ERROR_CODES, type ErrorCode, type LoginReason, LoginRequiredError, SsokitError} from '../errors.js'
import {shellWord} from '../shell.js'
import {readTokenFile, tokenCachePath, type TokenKey} from './cache.js'
import {
  type AuthorizeJson,
  livenessOf,
  type LoginFailure,
  loginLogPath,
  type LoginState,
  loginStatePath,
  type LoginStatus,
  markLost,
  newLoginId,
  readLoginState,
  stopLoginProcess,
  updateLoginState,
  withLoginStateLock,
  writeLoginState,
} from './pending-login.js'
import {formatAwsTime, parseAwsTime} from './time.js'

/** The hidden first argument of bin/run.js that makes a process the detached half of `login --detach`. */
export const WORKER_ARGUMENT = '--detached-login'

/** What `--detach` hands over to the detached process (one JSON argument: nothing in it is a secret). */
export interface WorkerSpec {
  configFile: string
  credentialsFile: string
  flow: LoginFlow
  /** The attempt's id. */
  id: string
  profile?: string
  ssoSession?: string
  timeoutMs: number
  tokenKey: TokenKey
}

/** How long `--detach` waits for the detached process to show the URL (it registers a client and asks first). */
export const AUTHORIZE_WAIT_MS = 60_000
/** A pending sign-in this close to expiring is not offered again: a new one starts instead. */
export const REUSE_MARGIN_MS = 30_000

const POLL_MS = 50
const WAIT_POLL_MS = 250
const OTHER_LOGIN_GRACE_MS = 1000

export interface DetachedStartOptions {
  now?: () => Date
  /** The program and leading arguments that run this CLI (default: this process's Node, flags and script). */
  self?: {args: string[]; command: string}
  /** Stop a pending sign-in of this session and start a new one. */
  startOver?: boolean
  stateDir?: string
  target: CompleteSsoTarget
  /** What the detached process signs in to, and how (the attempt id and token key are added). */
  worker: Omit<WorkerSpec, 'id' | 'tokenKey'>
}

export interface DetachedStart {
  /** Undefined when the sign-in needed no approval (a pre-authorised client): then `tokenExpiresAt` is set. */
  authorize?: AuthorizeJson
  /** The detached process's id. */
  pid: number
  /** True when a sign-in was already pending and this is its URL again. */
  reused: boolean
  startedAt: string
  /** The new token's expiry, when the sign-in already ended. */
  tokenExpiresAt?: string
  /** What to run next: the `login --wait` command of this session. */
  waitCommand: string
}

/** `ssokit login --wait …` for a target, as the agent should run it next. */
export function waitCommandOf(target: CompleteSsoTarget): string {
  return target.kind === 'sso-session'
    ? `ssokit login --wait --sso-session ${shellWord(target.name)}`
    : `ssokit login --wait --profile ${shellWord(target.profiles[0])}`
}

/**
 * Starts a detached sign-in (or finds the one already pending for the session) and returns its authorize event
 * as soon as the detached process has it. A failure before that point (no network, a refused registration) is
 * thrown as the same error the login would have reported.
 */
export async function startDetachedLogin(options: DetachedStartOptions): Promise<DetachedStart> {
  const now = options.now ?? (() => new Date())
  const stateDir = options.stateDir ?? ssokitStateDir()
  const path = loginStatePath(options.target.tokenKey, stateDir)
  let child: ReturnType<typeof spawn> | undefined
  const chosen = await withLoginStateLock(path, async () => {
    const current = await readLoginState(path)
    if (current && (await livenessOf(current, now())) === 'active') {
      const expiry = current.authorize ? parseAwsTime(current.authorize.expiresAt) : undefined
      const usable = !expiry || expiry.getTime() - now().getTime() > REUSE_MARGIN_MS
      if (usable && !options.startOver) return {reused: true, state: current}
      await stopLoginProcess(current)
    }

    const id = newLoginId()
    child = spawnDetached(options, id, loginLogPath(options.target.tokenKey, stateDir))
    const state: LoginState = {
      version: 1,
      id,
      pid: child.pid!,
      status: 'starting',
      startedAt: formatAwsTime(now()),
    }
    await writeLoginState(path, state)
    return {reused: false, state}
  })
  let exited = false
  child?.once('exit', () => {
    exited = true
  })
  try {
    const state = await authorizeOf(path, chosen.state, () => exited, now)
    const start: DetachedStart = {
      pid: state.pid,
      reused: chosen.reused,
      startedAt: state.startedAt,
      waitCommand: waitCommandOf(options.target),
    }
    if (state.authorize) start.authorize = state.authorize
    if (state.tokenExpiresAt) start.tokenExpiresAt = state.tokenExpiresAt
    return start
  } finally {
    // The detached process outlives this one: no handle of it may keep this process running.
    child?.unref()
  }
}

function spawnDetached(options: DetachedStartOptions, id: string, logPath: string) {
  const self = options.self ?? {args: [...process.execArgv, process.argv[1]], command: process.execPath}
  const spec: WorkerSpec = {...options.worker, id, tokenKey: options.target.tokenKey}
  // Its output goes to ssokit's own log (messages only: ssokit never prints a secret), never to the caller's
  // stdout or stderr, so that `$(ssokit login --detach --json)` returns at once.
  const log = openSync(logPath, 'w', 0o600)
  try {
    return spawn(self.command, [...self.args, WORKER_ARGUMENT, JSON.stringify(spec)], {
      cwd: homeDir(),
      detached: true,
      env: process.env,
      stdio: ['ignore', log, log],
      windowsHide: true,
    })
  } finally {
    closeSync(log)
  }
}

/** Polls the state until attempt `state.id` has its authorize event, or has failed. */
async function authorizeOf(
  path: string,
  initial: LoginState,
  exited: () => boolean,
  now: () => Date,
): Promise<LoginState> {
  const deadline = now().getTime() + AUTHORIZE_WAIT_MS
  for (;;) {
    // eslint-disable-next-line no-await-in-loop
    const state = (await readLoginState(path)) ?? initial
    if (state.id !== initial.id)
      throw new SsokitError(
        'Another ssokit replaced this sign-in (login --force) before it showed its URL.',
        'UNEXPECTED',
      )
    if (state.status === 'logged-in' || (state.status === 'pending' && state.authorize)) return state
    if (state.status !== 'starting' && state.status !== 'pending') throw failureError(state)
    // eslint-disable-next-line no-await-in-loop
    const liveness = await livenessOf(state, now())
    if (exited() || liveness === 'gone') {
      // The process may have written its outcome just before it ended.
      // eslint-disable-next-line no-await-in-loop
      const last = await readLoginState(path)
      if (last?.id === state.id && last.status === 'logged-in') return last
      if (last && last.id === state.id && last.status !== 'starting' && last.status !== 'pending')
        throw failureError(last)
      // eslint-disable-next-line no-await-in-loop
      throw failureError(await markLost(path, state, 'gone', now()))
    }

    if (now().getTime() > deadline) {
      // eslint-disable-next-line no-await-in-loop
      await stopLoginProcess(state)
      throw new SsokitError(
        `The detached sign-in did not show a URL within ${AUTHORIZE_WAIT_MS / 1000} s; it was stopped.`,
        'NETWORK',
        {suggestions: ['Check the network with: ssokit doctor']},
      )
    }

    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => {
      setTimeout(resolve, POLL_MS)
    })
  }
}

/** The status a failed login's error means for `--wait`. */
export function statusOfFailure(error: unknown): Exclude<LoginStatus, 'logged-in' | 'pending' | 'starting'> {
  if (error instanceof LoginRequiredError) {
    if (error.reason === 'authorization-denied') return 'denied'
    if (error.reason === 'authorization-expired') return 'expired'
    if (error.reason === 'timeout') return 'timed-out'
  }

  return 'failed'
}

/** What the detached process records when its login ended: the outcome, and for a failure the error as printed. */
export async function recordOutcome(
  options: {id: string; stateDir?: string; tokenKey: TokenKey},
  outcome: {error: unknown} | {tokenExpiresAt: string},
  now = new Date(),
): Promise<void> {
  const path = loginStatePath(options.tokenKey, options.stateDir)
  if ('tokenExpiresAt' in outcome) {
    await updateLoginState(path, options.id, {
      finishedAt: formatAwsTime(now),
      status: 'logged-in',
      tokenExpiresAt: outcome.tokenExpiresAt,
    })
    return
  }

  const {error} = outcome
  const failure: LoginFailure =
    error instanceof SsokitError
      ? {code: error.code, message: error.message, suggestions: error.suggestions}
      : {code: 'UNEXPECTED', message: `Unexpected error (a bug in ssokit): ${String(error)}`, suggestions: []}
  if (error instanceof LoginRequiredError) failure.reason = error.reason
  await updateLoginState(path, options.id, {
    error: failure,
    finishedAt: formatAwsTime(now),
    status: statusOfFailure(error),
  })
}

/** The detached process shows its URL: the state becomes `pending` with the event `--detach` prints. */
export async function recordAuthorize(
  options: {id: string; stateDir?: string; tokenKey: TokenKey},
  authorize: AuthorizeJson,
): Promise<void> {
  await updateLoginState(loginStatePath(options.tokenKey, options.stateDir), options.id, {
    authorize,
    status: 'pending',
  })
}

/**
 * A recorded failure as the error it was (same code, message and suggestions; login errors keep their reason).
 * `loginRequired`: any failure as a login-required error (what `--wait` reports), with the login command first.
 */
export function failureError(state: LoginState, loginRequired?: {loginCommand: string}): SsokitError {
  const failure = state.error ?? {code: 'LOGIN_REQUIRED', message: 'The detached sign-in failed.', suggestions: []}
  if (loginRequired && failure.code !== 'LOGIN_REQUIRED') {
    return new LoginRequiredError(
      `The detached sign-in started at ${state.startedAt} failed: ${failure.message}`,
      loginRequired.loginCommand,
      {reason: 'login-failed', suggestions: failure.suggestions},
    )
  }

  if (failure.code === 'LOGIN_REQUIRED' || !(failure.code in ERROR_CODES)) {
    const reasonByStatus: Partial<Record<LoginStatus, LoginReason>> = {
      denied: 'authorization-denied',
      expired: 'authorization-expired',
      'timed-out': 'timeout',
    }
    const reason = (failure.reason as LoginReason | undefined) ?? reasonByStatus[state.status] ?? 'login-failed'
    const [first, ...rest] = failure.suggestions
    const command = first?.startsWith('Run: ') ? first.slice(5) : undefined
    return new LoginRequiredError(failure.message, command ?? loginRequired?.loginCommand ?? 'ssokit login', {
      reason,
      suggestions: command ? rest : failure.suggestions,
    })
  }

  return new SsokitError(failure.message, failure.code as ErrorCode, {suggestions: failure.suggestions})
}

export interface WaitOptions {
  cacheDir: string
  now?: () => Date
  /** Called once while a sign-in is pending (to tell people what is awaited). */
  onPending?: (state: LoginState) => void
  /** The token, refreshed when it can be: `obtainFreshToken` for the target. */
  session: () => Promise<FreshTokenResult>
  sleep?: (ms: number) => Promise<void>
  stateDir?: string
  target: CompleteSsoTarget
  timeoutMs: number
}

export interface WaitResult {
  expiresAt: string
  /** How the session is usable: through the last detached login, another login meanwhile, or it already was. */
  via: 'already' | 'detached-login' | 'other-login'
}

/**
 * `login --wait`: waits (at most `timeoutMs`) for the session's pending sign-in to end, then answers whether the
 * session is usable. A sign-in finished elsewhere meanwhile (`aws sso login`, another terminal) ends the wait too,
 * and stops the pending one. Throws LoginRequiredError (exit 4) with a reason when the session is not usable:
 * `login-pending` when the wait timed out while the sign-in still waits for the person.
 */
export async function waitForLogin(options: WaitOptions): Promise<WaitResult> {
  const {target} = options
  const tokenPath = tokenCachePath(target.tokenKey, options.cacheDir)
  const {otherLogin, state} = await untilSettled(options, tokenPath)
  try {
    const token = await options.session()
    const via = otherLogin ? 'other-login' : state?.status === 'logged-in' ? 'detached-login' : 'already'
    return {expiresAt: token.token.expiresAt, via}
  } catch (error) {
    if (!(error instanceof LoginRequiredError) || !state || state.status === 'logged-in') throw error
    // A failed sign-in explains the missing login better than "no token", unless a token came after it.
    const token = await stat(tokenPath).catch(() => undefined)
    const finished = parseAwsTime(state.finishedAt)
    if (token && finished && token.mtime.getTime() > finished.getTime()) throw error
    throw failureError(state, {loginCommand: target.loginCommand})
  }
}

/**
 * Polls until the session's sign-in is no longer pending: it ended (its state says how), its process is gone
 * (recorded as failed), or a login made another way replaced it (then it is stopped). Throws `login-pending`
 * at the deadline.
 */
async function untilSettled(
  options: WaitOptions,
  tokenPath: string,
): Promise<{otherLogin: boolean; state: LoginState | undefined}> {
  const now = options.now ?? (() => new Date())
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, ms)
      }))
  const path = loginStatePath(options.target.tokenKey, options.stateDir ?? ssokitStateDir())
  const deadline = now().getTime() + options.timeoutMs
  let announced = false
  let tokenSeenAt: number | undefined
  let state = await readLoginState(path)
  while (state) {
    // eslint-disable-next-line no-await-in-loop
    const liveness = await livenessOf(state, now())
    if (liveness === 'ended') break
    // eslint-disable-next-line no-await-in-loop
    if (liveness !== 'active') return {otherLogin: false, state: await markLost(path, state, liveness, now())}
    // A valid token written since the sign-in started, while the sign-in still runs a second later: someone signed
    // in another way (the detached process itself records its outcome right after it writes the token).
    // eslint-disable-next-line no-await-in-loop
    tokenSeenAt = (await loggedInSince(tokenPath, state.startedAt, now()))
      ? (tokenSeenAt ?? now().getTime())
      : undefined
    if (tokenSeenAt !== undefined && now().getTime() - tokenSeenAt >= OTHER_LOGIN_GRACE_MS) {
      // eslint-disable-next-line no-await-in-loop
      await updateLoginState(path, state.id, {finishedAt: formatAwsTime(now()), status: 'logged-in'})
      // eslint-disable-next-line no-await-in-loop
      await stopLoginProcess(state)
      return {otherLogin: true, state}
    }

    if (!announced && state.authorize) {
      options.onPending?.(state)
      announced = true
    }

    const left = deadline - now().getTime()
    if (left <= 0) throw stillPending(state, options.target)
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(WAIT_POLL_MS, left))
    // eslint-disable-next-line no-await-in-loop
    state = (await readLoginState(path)) ?? state
  }

  return {otherLogin: false, state}
}

async function loggedInSince(tokenPath: string, startedAt: string, now: Date): Promise<boolean> {
  const started = parseAwsTime(startedAt)
  const info = await stat(tokenPath).catch(() => undefined)
  // Timestamps of the state have whole seconds: compare with the second the sign-in started.
  if (!started || !info || info.mtime.getTime() < started.getTime()) return false
  const read = await readTokenFile(tokenPath)
  const expiry = read.status === 'ok' ? parseAwsTime(read.token.expiresAt) : undefined
  return expiry !== undefined && expiry.getTime() > now.getTime()
}

function stillPending(state: LoginState, target: CompleteSsoTarget): LoginRequiredError {
  const where = state.authorize
    ? ` at ${state.authorize.url}${state.authorize.userCode ? ` (code ${state.authorize.userCode})` : ''}`
    : ''
  const until = state.authorize ? `; it can be approved until ${state.authorize.expiresAt}` : ''
  return new LoginRequiredError(
    `The sign-in started at ${state.startedAt} is still waiting for approval${where}${until}.`,
    waitCommandOf(target),
    {reason: 'login-pending'},
  )
}

/**
 * `login --force`: stops a pending detached sign-in of the session, then signs out with the portal's Logout and
 * removes the cached token and role credentials, so that the next sign-in starts a new IAM Identity Center session
 * (with its full duration) instead of joining the current one (aws-sso-cli's `login --force`, synfinatic/aws-sso-cli#1455).
 */
export async function signOutFirst(
  target: CompleteSsoTarget,
  options: {cacheDir: string; cliCacheDir: string; portal: (region: string) => Promise<PortalApi>; stateDir?: string},
): Promise<LogoutEntry> {
  const state = await readLoginState(loginStatePath(target.tokenKey, options.stateDir))
  if (state && (await livenessOf(state, new Date())) === 'active') await stopLoginProcess(state)
  const {logout} = await import('./logout.js')
  const [entry] = await logout({...options, targets: [target]})
  return entry
}
