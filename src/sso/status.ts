import type {SsoTarget} from './target.js'

/**
 * `ssokit status`: the state of each session's cached token, with what ssokit learned about it (a refused
 * refresh, a token the portal rejected). Reads files only; `verify.ts` adds the online check of `--verify`.
 */
import {ssokitStateDir} from '../config/paths.js'
import {readTokenFile, tokenCachePath} from './cache.js'
import {describeFact, type LearnedFact, readLearned} from './learned.js'
import {needsLogin, tokenState, type TokenStateName} from './state.js'

/** One entry of `status --json`, keys in the order the README documents. */
export interface SessionStatus {
  expiresAt: null | string
  hasRefreshToken: boolean
  kind: SsoTarget['kind']
  /** The exact command that logs in to this session. */
  loginCommand: string
  name: string
  /** True when only a new login helps (`expired`, `missing`, `revoked`). */
  needsLogin: boolean
  region: null | string
  registrationExpiresAt: null | string
  startUrl: null | string
  state: TokenStateName
}

export interface StatusResult {
  sessions: SessionStatus[]
}

/** A status with what the human rendering and the exit code need beside the JSON fields. */
export interface SessionReport {
  /** What ssokit learned that decided the state. */
  learned?: LearnedFact
  /** Notes for people (a failed verification, what was learned). */
  notes: string[]
  path: string
  problem?: string
  status: SessionStatus
  target: SsoTarget
  /** Set by `--verify` (verify.ts). */
  verification?: {checked: boolean; detail: string}
}

export interface StatusOptions {
  cacheDir: string
  now?: Date
  /** ssokit's state folder (default `~/.aws/sso/ssokit`). */
  stateDir?: string
}

export async function sessionReports(targets: SsoTarget[], options: StatusOptions): Promise<SessionReport[]> {
  return Promise.all(targets.map((target) => sessionReport(target, options)))
}

/** The offline status of one target: its token file and what ssokit learned about that token. */
export async function sessionReport(target: SsoTarget, options: StatusOptions): Promise<SessionReport> {
  const now = options.now ?? new Date()
  const path = tokenCachePath(target.tokenKey, options.cacheDir)
  const read = await readTokenFile(path)
  const learned =
    read.status === 'ok' ? await readLearned(target.tokenKey, read.token, options.stateDir ?? ssokitStateDir()) : []
  const state = tokenState(read, now, {learned, refreshes: target.kind === 'sso-session'})
  const report: SessionReport = {
    notes: [],
    path,
    status: {
      name: target.name,
      kind: target.kind,
      startUrl: target.startUrl ?? null,
      region: target.region ?? null,
      state: state.state,
      expiresAt: state.expiresAt,
      hasRefreshToken: state.hasRefreshToken,
      registrationExpiresAt: state.registrationExpiresAt,
      needsLogin: needsLogin(state.state),
      loginCommand: target.loginCommand,
    },
    target,
  }
  if (state.problem) report.problem = state.problem
  if (state.learned) {
    report.learned = state.learned
    report.notes.push(`${describeFact(state.learned)}.`)
  }

  return report
}

/** Sets the state of a report (after an online check), keeping `needsLogin` in step. */
export function withState(report: SessionReport, state: TokenStateName): SessionReport {
  report.status.state = state
  report.status.needsLogin = needsLogin(state)
  return report
}

export {needsLogin} from './state.js'
