import type {SsoTarget} from './target.js'

/** `ssokit status`: the state of each session's cached token. Reads files only; never calls the network. */
import {readTokenFile, tokenCachePath} from './cache.js'
import {tokenState, type TokenStateName} from './state.js'

/** One entry of `status --json` (README: login, logout, status). */
export interface SessionStatus {
  expiresAt: null | string
  hasRefreshToken: boolean
  kind: SsoTarget['kind']
  name: string
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
  loginCommand: string
  path: string
  problem?: string
  status: SessionStatus
}

export async function sessionReports(
  targets: SsoTarget[],
  options: {cacheDir: string; now?: Date},
): Promise<SessionReport[]> {
  const now = options.now ?? new Date()
  return Promise.all(
    targets.map(async (target) => {
      const path = tokenCachePath(target.tokenKey, options.cacheDir)
      const state = tokenState(await readTokenFile(path), now, {refreshes: target.kind === 'sso-session'})
      const report: SessionReport = {
        loginCommand: target.loginCommand,
        path,
        // Keys in the order the README lists them.
        status: {
          name: target.name,
          kind: target.kind,
          startUrl: target.startUrl ?? null,
          region: target.region ?? null,
          state: state.state,
          expiresAt: state.expiresAt,
          hasRefreshToken: state.hasRefreshToken,
          registrationExpiresAt: state.registrationExpiresAt,
        },
      }
      if (state.problem) report.problem = state.problem
      return report
    }),
  )
}

export {needsLogin} from './state.js'
