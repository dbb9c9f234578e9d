import type {OidcApi, PortalApi} from './clients.js'
import type {SessionReport, StatusOptions} from './status.js'

import {describeFailure} from '../aws/errors.js'
/**
 * `status --verify`: ask the service, with the cheapest call, whether the cached token still works. A token
 * that needs a refresh gets one refresh attempt (CreateToken; a success is written to the cache as any
 * refresh is, since the service may have rotated the refresh token). A token that has not expired gets one
 * ListAccounts request for at most one account. An expired token that cannot be refreshed, or a missing one,
 * needs no call. What the service says is remembered (learned.ts), so plain `status` says it too.
 */
import {LoginRequiredError, messageOf} from '../errors.js'
import {readTokenFile} from './cache.js'
import {recordLearned} from './learned.js'
import {obtainFreshToken} from './refresh.js'
import {canRefresh} from './state.js'
import {sessionReport, withState} from './status.js'

export interface VerifyOptions extends StatusOptions {
  oidc: (region: string) => Promise<OidcApi>
  portal: (region: string) => Promise<PortalApi>
}

/** What `--verify` found for one session: `checked` is false when the service could not be asked or reached. */
export interface Verification {
  checked: boolean
  detail: string
}

export async function verifyReport(
  report: SessionReport,
  options: VerifyOptions,
): Promise<SessionReport & {verification: Verification}> {
  const {target} = report
  const done = (r: SessionReport, checked: boolean, detail: string) =>
    Object.assign(r, {verification: {checked, detail}})
  const {region, startUrl} = target
  switch (report.status.state) {
    case 'expired': {
      return done(report, true, 'expired and not refreshable: nothing to ask the service')
    }

    case 'missing': {
      return done(report, true, 'no cached token: nothing to ask the service')
    }

    case 'revoked': {
      return done(report, true, 'the portal already rejected this token; a rejected token is never accepted again')
    }

    default: {
      break
    }
  }

  if (!region || !startUrl)
    return done(report, false, `cannot ask the service: the ${target.kind} has no sso_start_url or sso_region`)
  const read = await readTokenFile(report.path)
  if (read.status !== 'ok') return done(report, false, 'the cached token disappeared')
  let {token} = read
  const now = options.now ?? new Date()
  const refreshFirst =
    target.kind === 'sso-session' &&
    (report.status.state === 'refreshable' || (report.status.state === 'expiring' && canRefresh(token, now)))
  if (refreshFirst) {
    try {
      const fresh = await obtainFreshToken({
        cacheDir: options.cacheDir,
        now: () => options.now ?? new Date(),
        oidc: () => options.oidc(region),
        stateDir: options.stateDir,
        target: {...target, region, startUrl},
      })
      if (fresh.refreshed) {
        return done(await sessionReport(target, options), true, 'refreshed: IAM Identity Center issued a new token')
      }

      token = fresh.token
    } catch (error) {
      if (error instanceof LoginRequiredError)
        return done(await sessionReport(target, options), true, `the refresh was refused: ${error.message}`)
      return done(report, false, `could not reach sso-oidc to refresh: ${messageOf(error)}`)
    }
  }

  const portal = await options.portal(region)
  try {
    await portal.probeToken({accessToken: token.accessToken})
    return done(await sessionReport(target, options), true, 'the access portal accepts the token (ListAccounts)')
  } catch (error) {
    const failure = describeFailure(error)
    if (failure.kind === 'service' && failure.code === 'UnauthorizedException') {
      await recordLearned(
        target.tokenKey,
        token,
        {code: failure.code, kind: 'token-rejected', operation: 'ListAccounts'},
        {now, stateDir: options.stateDir},
      )
      const rejected = await sessionReport(target, options)
      // The state file may be unwritable; the answer of this run stays what the portal said.
      return done(withState(rejected, 'revoked'), true, `the access portal rejected the token (${failure.message})`)
    }

    const why = failure.kind === 'service' ? `${failure.code}: ${failure.message}` : failure.message
    return done(report, false, `could not verify with the access portal: ${why}`)
  } finally {
    portal.close()
  }
}

/**
 * `status --verify` (and the MCP server's status tool): every report checked with the service, with short retries
 * and a deadline, the SSO clients loaded only now.
 */
export async function verifyReports(reports: SessionReport[], options: StatusOptions): Promise<SessionReport[]> {
  const {createOidcApi, createPortalApi} = await import('./clients.js')
  const clientOptions = {maxAttempts: 2, timeoutMs: 10_000}
  return Promise.all(
    reports.map((report) =>
      verifyReport(report, {
        ...options,
        oidc: (region) => createOidcApi(region, clientOptions),
        portal: (region) => createPortalApi(region, clientOptions),
      }),
    ),
  )
}
