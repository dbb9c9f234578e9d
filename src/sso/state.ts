import type {CachedToken, TokenRead} from './cache.js'

import {decisiveFact, type LearnedFact} from './learned.js'
import {formatAwsTime, parseAwsTime, REFRESH_WINDOW_MS} from './time.js'

/**
 * `valid`: more than 15 minutes left. `expiring`: less than 15 minutes left (tools refresh it now).
 * `refreshable`: expired, but a refresh token and a still-valid client registration can get a new one.
 * `expired`: expired and not refreshable, or its refresh was refused. `missing`: no token (or an unreadable cache
 * file). `revoked`: the access portal rejected the token (learned by ssokit, or by `status --verify`).
 */
export type TokenStateName = 'expired' | 'expiring' | 'missing' | 'refreshable' | 'revoked' | 'valid'

export interface TokenState {
  /** `%Y-%m-%dT%H:%M:%SZ`, or null when there is no token. */
  expiresAt: null | string
  hasRefreshToken: boolean
  /** What ssokit learned about this token that changed its state (see learned.ts). */
  learned?: LearnedFact
  /** Why a present file counts as missing (unreadable, no accessToken, ...). */
  problem?: string
  registrationExpiresAt: null | string
  state: TokenStateName
}

/** Whether the token can be refreshed at `now`: refresh token, client id and secret, and a registration not yet expired. */
export function canRefresh(token: CachedToken, now: Date): boolean {
  if (!token.refreshToken || !token.clientId || !token.clientSecret) return false
  const registrationExpiry = parseAwsTime(token.registrationExpiresAt)
  return registrationExpiry !== undefined && registrationExpiry.getTime() > now.getTime()
}

/** Milliseconds until the token expires (negative once expired). */
export function remainingMs(token: CachedToken, now: Date): number {
  const expiry = parseAwsTime(token.expiresAt)
  return expiry ? expiry.getTime() - now.getTime() : Number.NEGATIVE_INFINITY
}

/**
 * The state of one cached token. `refreshable` applies only where tools do refresh: sso-session tokens
 * (botocore and the JS SDK never refresh a legacy profile's token).
 */
export function tokenState(
  read: TokenRead,
  now: Date,
  options: {learned?: LearnedFact[]; refreshes: boolean},
): TokenState {
  if (read.status !== 'ok') {
    const state: TokenState = {expiresAt: null, hasRefreshToken: false, registrationExpiresAt: null, state: 'missing'}
    if (read.status === 'invalid') state.problem = `${read.path}: ${read.reason}`
    return state
  }

  const {token} = read
  const remaining = remainingMs(token, now)
  const fact = decisiveFact(options.learned ?? [])
  let state: TokenStateName
  if (fact?.kind === 'token-rejected') state = 'revoked'
  else if (remaining >= REFRESH_WINDOW_MS) state = 'valid'
  else if (remaining > 0) state = 'expiring'
  else state = options.refreshes && canRefresh(token, now) && !fact ? 'refreshable' : 'expired'
  const registrationExpiry = parseAwsTime(token.registrationExpiresAt)
  const result: TokenState = {
    expiresAt: formatAwsTime(parseAwsTime(token.expiresAt)!),
    hasRefreshToken: Boolean(token.refreshToken),
    registrationExpiresAt: registrationExpiry ? formatAwsTime(registrationExpiry) : null,
    state,
  }
  if (fact) result.learned = fact
  return result
}

/** States after which only a new login helps. */
export function needsLogin(state: TokenStateName): boolean {
  return state === 'expired' || state === 'missing' || state === 'revoked'
}
