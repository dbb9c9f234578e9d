import type {OidcApi} from './clients.js'
import type {CompleteSsoTarget} from './target.js'

import {describeFailure, failureToError} from '../aws/errors.js'
/**
 * Using a cached token: refresh it as botocore does (less than 15 minutes left, refresh token and registration
 * still valid, `CreateToken grant_type=refresh_token`), and say clearly when only a new login helps.
 */
import {withFileLock} from '../config/write.js'
import {LoginRequiredError, SsokitError} from '../errors.js'
import {type CachedToken, readTokenFile, tokenCachePath, writeTokenFile} from './cache.js'
import {readLearned, recordLearned} from './learned.js'
import {canRefresh, remainingMs} from './state.js'
import {formatAwsTime, REFRESH_WINDOW_MS} from './time.js'

export interface FreshTokenOptions {
  cacheDir: string
  now?: () => Date
  /** Creates the sso-oidc client only if a refresh is needed. */
  oidc: () => Promise<OidcApi>
  /** ssokit's state folder, where refused refreshes are remembered (default `~/.aws/sso/ssokit`). */
  stateDir?: string
  target: CompleteSsoTarget
}

export interface FreshTokenResult {
  path: string
  refreshed: boolean
  token: CachedToken
  /** Things the user should know that did not stop us (a failed refresh of a token that still works). */
  warnings: string[]
}

/** One `CreateToken grant_type=refresh_token` call; the new token as botocore writes it. */
export async function refreshAccessToken(
  oidc: OidcApi,
  token: CachedToken,
  target: CompleteSsoTarget,
  now: Date,
): Promise<CachedToken> {
  const out = await oidc.createToken({
    clientId: token.clientId!,
    clientSecret: token.clientSecret!,
    grantType: 'refresh_token',
    refreshToken: token.refreshToken!,
  })
  return {
    accessToken: out.accessToken,
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    expiresAt: formatAwsTime(new Date(now.getTime() + out.expiresIn * 1000)),
    region: target.region,
    registrationExpiresAt: token.registrationExpiresAt,
    // botocore drops the key when the answer has none; keeping the old one lets a later refresh still try.
    refreshToken: out.refreshToken ?? token.refreshToken,
    startUrl: target.startUrl,
  }
}

/**
 * A token good for an API call: the cached one if more than 15 minutes remain, else a refreshed one (sso-session
 * tokens only, under a lock so that concurrent credential processes refresh once). Throws LoginRequiredError
 * (exit 4) when only a new login helps.
 */
export async function obtainFreshToken(options: FreshTokenOptions): Promise<FreshTokenResult> {
  const {cacheDir, target} = options
  const now = options.now ?? (() => new Date())
  const path = tokenCachePath(target.tokenKey, cacheDir)
  const what = target.kind === 'sso-session' ? `sso-session ${target.name}` : `start URL ${target.name}`
  const first = await readTokenFile(path)
  if (first.status !== 'ok') {
    const why =
      first.status === 'missing' ? 'there is no cached token' : `the cached token is unusable (${first.reason})`
    throw new LoginRequiredError(`No SSO login for ${what}: ${why}.`, target.loginCommand, {reason: 'no-token'})
  }

  if (remainingMs(first.token, now()) >= REFRESH_WINDOW_MS)
    return {path, refreshed: false, token: first.token, warnings: []}
  if (target.kind !== 'sso-session' || !canRefresh(first.token, now()))
    return usableOrLogin(first.token, path, target, what, now(), [])
  // A refresh token the Identity Center refused stays refused: do not ask again (and do not say "refreshable").
  if (await refreshRefused(first.token, options)) {
    if (remainingMs(first.token, now()) > 0) {
      const warning = `IAM Identity Center refused to refresh this token earlier; it works until ${first.token.expiresAt}. Log in again soon: ${target.loginCommand}`
      return {path, refreshed: false, token: first.token, warnings: [warning]}
    }

    throw new LoginRequiredError(
      `Token has expired and refresh failed for ${what}: IAM Identity Center already refused to refresh this token, so the session has ended.`,
      target.loginCommand,
      {reason: 'refresh-refused'},
    )
  }

  return withFileLock(path, async () => {
    // Another process may have refreshed while we waited for the lock.
    const current = await readTokenFile(path)
    if (current.status !== 'ok')
      throw new LoginRequiredError(`No SSO login for ${what}: the cached token disappeared.`, target.loginCommand, {
        reason: 'no-token',
      })
    const {token} = current
    if (remainingMs(token, now()) >= REFRESH_WINDOW_MS) return {path, refreshed: false, token, warnings: []}
    if (!canRefresh(token, now())) return usableOrLogin(token, path, target, what, now(), [])
    const oidc = await options.oidc()
    try {
      const fresh = await refreshAccessToken(oidc, token, target, now())
      await writeTokenFile(path, fresh)
      return {path, refreshed: true, token: fresh, warnings: []}
    } catch (error) {
      if (error instanceof SsokitError) throw error
      const failure = describeFailure(error)
      const ended =
        failure.kind === 'service' &&
        (failure.code === 'InvalidGrantException' || failure.code === 'InvalidClientException')
      const reason = failure.kind === 'service' ? `${failure.code}: ${failure.message}` : failure.message
      if (ended) {
        await recordLearned(
          target.tokenKey,
          token,
          {code: failure.code, kind: 'refresh-refused', operation: 'CreateToken'},
          {now: now(), stateDir: options.stateDir},
        )
      }

      if (remainingMs(token, now()) > 0) {
        const hint = ended ? ' The IAM Identity Center session has ended; log in again soon.' : ''
        return {
          path,
          refreshed: false,
          token,
          warnings: [`The token refresh failed (${reason}); using the current token until it expires.${hint}`],
        }
      }

      if (ended) {
        throw new LoginRequiredError(
          `Token has expired and refresh failed for ${what}: the refresh was refused (${reason}), so the IAM Identity Center session has ended.`,
          target.loginCommand,
          {cause: error, reason: 'refresh-refused'},
        )
      }

      throw failureToError('Refreshing the SSO token (CreateToken)', failure, error)
    } finally {
      oidc.close()
    }
  })
}

async function refreshRefused(token: CachedToken, options: FreshTokenOptions): Promise<boolean> {
  const facts = await readLearned(options.target.tokenKey, token, options.stateDir)
  return facts.some((f) => f.kind === 'refresh-refused')
}

function usableOrLogin(
  token: CachedToken,
  path: string,
  target: CompleteSsoTarget,
  what: string,
  now: Date,
  warnings: string[],
): FreshTokenResult {
  if (remainingMs(token, now) > 0) return {path, refreshed: false, token, warnings}
  const why =
    target.kind === 'legacy'
      ? ' Legacy profiles (start URL in the profile) cannot refresh; an sso-session can.'
      : token.refreshToken
        ? ' Its client registration has expired, so it cannot be refreshed.'
        : ' It has no refresh token.'
  throw new LoginRequiredError(`The SSO token for ${what} expired at ${token.expiresAt}.${why}`, target.loginCommand, {
    reason: 'token-expired',
  })
}
