/** `--from-portal`: the signed-in user's own accounts and roles (ListAccounts, ListAccountRoles); no admin rights. */
import pLimit from 'p-limit'

import type {CompleteSsoTarget} from '../sso/target.js'
import type {Entitlement} from './naming.js'
import type {SourceResult} from './sources.js'

import {budgetRate} from '../aws/budgets.js'
import {describeFailure, failureToError} from '../aws/errors.js'
import {RateLimiter} from '../aws/rate-limiter.js'
import {ssoCacheDir} from '../config/paths.js'
import {writableValue} from '../config/values.js'
import {LoginRequiredError, SsokitError} from '../errors.js'
import {createOidcApi, createPortalApi} from '../sso/clients.js'
import {recordLearned} from '../sso/learned.js'
import {obtainFreshToken} from '../sso/refresh.js'

/** A few calls in flight; the portal's budget (src/aws/budgets.ts: no published quota, 10/s) sets the pace. */
const PORTAL_CONCURRENCY = 6

export async function entitlementsFromPortal(target: CompleteSsoTarget): Promise<SourceResult & {warnings: string[]}> {
  const {token, warnings} = await obtainFreshToken({
    cacheDir: ssoCacheDir(),
    oidc: () => createOidcApi(target.region),
    target,
  })
  const portal = await createPortalApi(target.region)
  let operation = 'ListAccounts'
  try {
    const accounts = await portal.listAccounts({accessToken: token.accessToken})
    operation = 'ListAccountRoles'
    const limit = pLimit(PORTAL_CONCURRENCY)
    const budget = new RateLimiter(budgetRate('portal'))
    const perAccount = await Promise.all(
      accounts.map((account) =>
        limit(async () => {
          // Answers are checked like any outside value before they can reach the config file.
          const accountId = writableValue('account id', account.accountId, "the portal's ListAccounts answer")
          // One role list per account, most often one page: the budget is taken per account.
          await budget.acquire()
          const roles = await portal.listAccountRoles({accessToken: token.accessToken, accountId})
          return roles.map((roleName): Entitlement => ({
            accountId,
            accountName: account.accountName ?? accountId,
            roleName: writableValue(
              'role name',
              roleName,
              `the portal's ListAccountRoles answer for account ${accountId}`,
            ),
          }))
        }),
      ),
    )
    return {entitlements: perAccount.flat(), source: `the access portal (${target.startUrl})`, warnings}
  } catch (error) {
    // A token the portal rejects is remembered, so that `status` says `revoked` rather than `valid`.
    const failure = describeFailure(error)
    if (failure.kind === 'service' && failure.code === 'UnauthorizedException')
      await recordLearned(target.tokenKey, token, {code: failure.code, kind: 'token-rejected', operation})
    throw portalError(operation, error, target)
  } finally {
    portal.close()
  }
}

/** A failed portal call: a rejected token needs a login (exit 4); network, 5xx and throttling are exit 6. */
function portalError(operation: string, error: unknown, target: CompleteSsoTarget): SsokitError {
  if (error instanceof SsokitError) return error
  const failure = describeFailure(error)
  if (failure.kind === 'service' && failure.code === 'UnauthorizedException') {
    return new LoginRequiredError(
      `The access portal rejected the SSO token for ${target.kind === 'sso-session' ? `sso-session ${target.name}` : target.name} (${operation}: ${failure.message}): it was revoked or has ended.`,
      target.loginCommand,
      {cause: error, reason: 'token-rejected'},
    )
  }

  return failureToError(`The access portal's ${operation}`, failure, error)
}
