import type {CachedToken, TokenRead} from './cache.js'

import {formatAwsTime, parseAwsTime, REFRESH_WINDOW_MS} from './time.js'

/**
 * `valid`: more than 15 minutes left. `expiring`: less than 15 minutes left (tools refresh it now).
 * `refreshable`: expired, but a refresh token and a still-valid client registration can get a new one.
 * `expired`: expired and not refreshable. `missing`: no token (or an unreadable cache file).
 */
export type TokenStateName = 'expired' | 'expiring' | 'missing' | 'refreshable' | 'valid'

export interface TokenState {
  /** `%Y-%m-%dT%H:%M:%SZ`, or null when there is no token. */
  expiresAt: null | string
  hasRefreshToken: boolean
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
export function tokenState(read: TokenRead, now: Date, options: {refreshes: boolean}): TokenState {
  if (read.status !== 'ok') {
    const state: TokenState = {expiresAt: null, hasRefreshToken: false, registrationExpiresAt: null, state: 'missing'}
    if (read.status === 'invalid') state.problem = `${read.path}: ${read.reason}`
    return state
  }

  const {token} = read
  const remaining = remainingMs(token, now)
  let state: TokenStateName
  if (remaining >= REFRESH_WINDOW_MS) state = 'valid'
  else if (remaining > 0) state = 'expiring'
  else state = options.refreshes && canRefresh(token, now) ? 'refreshable' : 'expired'
  const registrationExpiry = parseAwsTime(token.registrationExpiresAt)
  return {
    expiresAt: formatAwsTime(parseAwsTime(token.expiresAt)!),
    hasRefreshToken: Boolean(token.refreshToken),
    registrationExpiresAt: registrationExpiry ? formatAwsTime(registrationExpiry) : null,
    state,
  }
}

/** States after which only a new login helps. */
export function needsLogin(state: TokenStateName): boolean {
  return state === 'expired' || state === 'missing'
}
