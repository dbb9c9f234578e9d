/** `--from-portal`: the signed-in user's own accounts and roles (ListAccounts, ListAccountRoles); no admin rights. */
import pLimit from 'p-limit'

import type {CompleteSsoTarget} from '../sso/target.js'
import type {Entitlement} from './naming.js'
import type {SourceResult} from './sources.js'

import {ssoCacheDir} from '../config/paths.js'
import {classifyAwsError} from '../sso/aws-errors.js'
import {createOidcApi, createPortalApi} from '../sso/clients.js'
import {recordLearned} from '../sso/learned.js'
import {obtainFreshToken} from '../sso/refresh.js'

/** The portal API shares the account's ~20 requests/s with everything else: a few calls in flight at a time. */
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
    const perAccount = await Promise.all(
      accounts.map((account) =>
        limit(async () => {
          const roles = await portal.listAccountRoles({accessToken: token.accessToken, accountId: account.accountId})
          return roles.map((roleName): Entitlement => ({
            accountId: account.accountId,
            accountName: account.accountName ?? account.accountId,
            roleName,
          }))
        }),
      ),
    )
    return {entitlements: perAccount.flat(), source: `the access portal (${target.startUrl})`, warnings}
  } catch (error) {
    // A token the portal rejects is remembered, so that `status` says `revoked` rather than `valid`.
    const failure = classifyAwsError(error)
    if (failure.kind === 'service' && failure.code === 'UnauthorizedException')
      await recordLearned(target.tokenKey, token, {code: failure.code, kind: 'token-rejected', operation})
    throw error
  } finally {
    portal.close()
  }
}
