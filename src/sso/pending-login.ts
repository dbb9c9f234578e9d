/**
 * The state of a detached login (`ssokit login --detach`), kept by ssokit beside the token cache:
 * `~/.aws/sso/ssokit/logins/<sha1 of the session>.json` (0600 in a 0700 folder), with the detached process's
 * output in `<same>.log`. It holds what the person must open (URL, user code, expiry), the process id and the
 * outcome — never a token, a device code or a client secret (the user code is shown to people on purpose).
 *
 * Each attempt has an id; the detached process records its outcome only while the state is still its own
 * attempt's, so that an attempt replaced by `--force` cannot overwrite the new one.
 */
import {randomUUID} from 'node:crypto'
import {chmod, mkdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {ssokitStateDir} from '../config/paths.js'
import {readRegularFile, withFileLock, writeFileSafely} from '../config/write.js'
import {tokenCacheKey, type TokenKey} from './cache.js'
import {formatAwsTime, parseAwsTime} from './time.js'

export type LoginStatus = 'denied' | 'expired' | 'failed' | 'logged-in' | 'pending' | 'starting' | 'timed-out'

export const ACTIVE_STATUSES: ReadonlySet<LoginStatus> = new Set(['pending', 'starting'])

/** The `authorize` event as `login --json` prints it. */
export interface AuthorizeJson {
  event: 'authorize'
  expiresAt: string
  flow: 'device-code' | 'pkce'
  url: string
  userCode: null | string
}

export interface LoginFailure {
  code: string
  message: string
  reason?: string
  suggestions: string[]
}

export interface LoginState {
  authorize?: AuthorizeJson
  error?: LoginFailure
  finishedAt?: string
  id: string
  pid: number
  startedAt: string
  status: LoginStatus
  /** Expiry of the token the login wrote (logged-in). */
  tokenExpiresAt?: string
  version: 1
}

/** How long after its authorization expired a still-running detached login counts as hung. */
export const HUNG_AFTER_MS = 60_000

export function newLoginId(): string {
  return randomUUID()
}

export function loginStatePath(key: TokenKey, stateDir = ssokitStateDir()): string {
  return join(stateDir, 'logins', `${tokenCacheKey(key)}.json`)
}

export function loginLogPath(key: TokenKey, stateDir = ssokitStateDir()): string {
  return join(stateDir, 'logins', `${tokenCacheKey(key)}.log`)
}

/** The state, or undefined when there is none or it is not one ssokit wrote. */
export async function readLoginState(path: string): Promise<LoginState | undefined> {
  let data: unknown
  try {
    const bytes = await readRegularFile(path, 'login state file')
    if (bytes === undefined) return undefined
    data = JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }

  return validState(data)
}

/** Writes a new attempt's state (callers hold {@link withLoginStateLock}). */
export async function writeLoginState(path: string, state: LoginState): Promise<void> {
  await privateFolder(join(path, '..'))
  await writeFileSafely(path, JSON.stringify(state, null, 2) + '\n', {force: true, private: true})
}

export async function withLoginStateLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  await privateFolder(join(path, '..'))
  return withFileLock(path, fn)
}

/**
 * Changes attempt `id`'s state, only while it is that attempt's and (unless `always`) still active. Returns the
 * new state, or undefined when the state belongs to another attempt or has ended.
 */
export async function updateLoginState(
  path: string,
  id: string,
  change: Partial<Omit<LoginState, 'id' | 'version'>>,
  options: {always?: boolean} = {},
): Promise<LoginState | undefined> {
  return withLoginStateLock(path, async () => {
    const current = await readLoginState(path)
    if (!current || current.id !== id) return undefined
    if (!options.always && !ACTIVE_STATUSES.has(current.status)) return undefined
    const next: LoginState = {...current, ...change}
    await writeLoginState(path, next)
    return next
  })
}

/** Whether a process runs (a zombie does not count: it has ended, only its parent has not reaped it yet). */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }

  if (process.platform !== 'linux') return true
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
  if (text === undefined) return true
  // `pid (comm) S …`: the state letter follows the last `)`.
  return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) !== 'Z'
}

/**
 * Stops attempt `state`'s process, after checking (where the system says) that the pid still is that process:
 * a pid can be reused once the process has ended.
 */
export async function stopLoginProcess(state: LoginState): Promise<boolean> {
  if (!(await processAlive(state.pid))) return false
  if (process.platform === 'linux') {
    const cmdline = await readFile(`/proc/${state.pid}/cmdline`, 'utf8').catch(() => '')
    if (!cmdline.includes(state.id)) return false
  }

  try {
    process.kill(state.pid, 'SIGTERM')
    return true
  } catch {
    return false
  }
}

export type Liveness = 'active' | 'ended' | 'gone' | 'hung'

/** `active`: still running; `ended`: finished with an outcome; `gone`: its process ended without one; `hung`: past its expiry. */
export async function livenessOf(state: LoginState, now: Date): Promise<Liveness> {
  if (!ACTIVE_STATUSES.has(state.status)) return 'ended'
  if (!(await processAlive(state.pid))) return 'gone'
  const expiry = state.authorize ? parseAwsTime(state.authorize.expiresAt) : undefined
  if (expiry && now.getTime() > expiry.getTime() + HUNG_AFTER_MS) return 'hung'
  return 'active'
}

/** Records that an attempt's process is gone or hung: failed, with what happened. */
export async function markLost(path: string, state: LoginState, liveness: 'gone' | 'hung', now: Date) {
  if (liveness === 'hung') await stopLoginProcess(state)
  const message =
    liveness === 'gone'
      ? `The detached sign-in (process ${state.pid}, started at ${state.startedAt}) ended without an outcome.`
      : `The detached sign-in (process ${state.pid}, started at ${state.startedAt}) was still running after its authorization expired, and was stopped.`
  return (
    (await updateLoginState(path, state.id, {
      error: {code: 'LOGIN_REQUIRED', message, reason: 'login-failed', suggestions: []},
      finishedAt: formatAwsTime(now),
      status: 'failed',
    })) ?? state
  )
}

async function privateFolder(dir: string): Promise<void> {
  await mkdir(dir, {mode: 0o700, recursive: true})
  const info = await stat(dir)
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700)
}

const STATUSES = new Set<LoginStatus>(['denied', 'expired', 'failed', 'logged-in', 'pending', 'starting', 'timed-out'])

function isTime(value: unknown): value is string {
  return typeof value === 'string' && parseAwsTime(value) !== undefined
}

function validState(data: unknown): LoginState | undefined {
  const s = data as null | Partial<LoginState>
  if (!s || typeof s !== 'object' || s.version !== 1) return undefined
  if (typeof s.id !== 'string' || !/^[\da-f-]{36}$/.test(s.id)) return undefined
  if (typeof s.pid !== 'number' || !Number.isInteger(s.pid) || s.pid <= 0) return undefined
  if (!s.status || !STATUSES.has(s.status) || !isTime(s.startedAt)) return undefined
  const state: LoginState = {version: 1, id: s.id, pid: s.pid, status: s.status, startedAt: s.startedAt}
  if (s.authorize) {
    const authorize = validAuthorize(s.authorize)
    if (!authorize) return undefined
    state.authorize = authorize
  }

  if (isTime(s.finishedAt)) state.finishedAt = s.finishedAt
  if (isTime(s.tokenExpiresAt)) state.tokenExpiresAt = s.tokenExpiresAt
  const error = validFailure(s.error)
  if (error) state.error = error
  return state
}

function validAuthorize(a: Partial<AuthorizeJson>): AuthorizeJson | undefined {
  if (a.flow !== 'device-code' && a.flow !== 'pkce') return undefined
  if (typeof a.url !== 'string' || !/^https?:\/\/\S+$/.test(a.url) || !isTime(a.expiresAt)) return undefined
  if (a.userCode !== null && (typeof a.userCode !== 'string' || !/^[\w-]{1,64}$/.test(a.userCode))) return undefined
  return {event: 'authorize', flow: a.flow, url: a.url, userCode: a.userCode, expiresAt: a.expiresAt}
}

function validFailure(e: Partial<LoginFailure> | undefined): LoginFailure | undefined {
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return undefined
  const failure: LoginFailure = {
    code: e.code,
    message: e.message,
    suggestions: Array.isArray(e.suggestions) ? e.suggestions.filter((x) => typeof x === 'string') : [],
  }
  if (typeof e.reason === 'string') failure.reason = e.reason
  return failure
}
