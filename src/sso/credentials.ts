import type {CachedToken} from './cache.js'
import type {OidcApi, PortalApi} from './clients.js'
import type {ProcessCredentials} from './credential-formats.js'
import type {SsoProfileTarget} from './target.js'

import {describeFailure, failureToError} from '../aws/errors.js'
/** `ssokit credential-process`: an SSO profile's role credentials in the `credential_process` format (Version 1). */
import {LoginRequiredError, PermissionDeniedError, SsokitError} from '../errors.js'
import {recordLearned} from './learned.js'
import {obtainFreshToken} from './refresh.js'
import {formatAwsTime} from './time.js'

export type {ProcessCredentials} from './credential-formats.js'

export interface RoleCredentialsOptions {
  cacheDir: string
  now?: () => Date
  oidc: () => Promise<OidcApi>
  portal: () => Promise<PortalApi>
  profile: SsoProfileTarget
  /** ssokit's state folder (default `~/.aws/sso/ssokit`): a rejected token is remembered there. */
  stateDir?: string
}

/** The profile's role credentials from the portal, with the token they were fetched with (for the role cache). */
export async function processCredentials(
  options: RoleCredentialsOptions,
): Promise<{credentials: ProcessCredentials; token: CachedToken; warnings: string[]}> {
  const {profile} = options
  const {target} = profile
  const {token, warnings} = await obtainFreshToken({
    cacheDir: options.cacheDir,
    now: options.now,
    oidc: options.oidc,
    stateDir: options.stateDir,
    target,
  })
  const portal = await options.portal()
  try {
    const creds = await portal.getRoleCredentials({
      accessToken: token.accessToken,
      accountId: profile.accountId,
      roleName: profile.roleName,
    })
    return {
      credentials: {
        AccessKeyId: creds.accessKeyId,
        Expiration: formatAwsTime(creds.expiration),
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Version: 1,
      },
      token,
      warnings,
    }
  } catch (error) {
    if (error instanceof SsokitError) throw error
    const failure = describeFailure(error)
    const what = `GetRoleCredentials for account ${profile.accountId}, role ${profile.roleName} (profile ${profile.profile})`
    if (failure.kind === 'service' && failure.code === 'UnauthorizedException') {
      await recordLearned(
        target.tokenKey,
        token,
        {code: failure.code, kind: 'token-rejected', operation: 'GetRoleCredentials'},
        {now: options.now?.(), stateDir: options.stateDir},
      )
      throw new LoginRequiredError(
        `The SSO session was rejected by ${what}: ${failure.message} (UnauthorizedException). It was revoked, has ended, or belongs to another region.`,
        target.loginCommand,
        {cause: error, reason: 'token-rejected'},
      )
    }

    if (failure.kind === 'service' && failure.code === 'ForbiddenException') {
      throw new PermissionDeniedError(
        `${what} was denied: ${failure.message} (ForbiddenException). A new login does not help.`,
        'NO_ACCESS',
        {
          cause: error,
          suggestions: [
            `Ask an administrator to assign ${profile.roleName} in account ${profile.accountId}; \`ssokit doctor access\` shows why.`,
          ],
        },
      )
    }

    throw failureToError(what, failure, error)
  } finally {
    portal.close()
  }
}
