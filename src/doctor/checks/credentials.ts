/**
 * `doctor --profile P`: the profile resolves (its kind, its session), its token is usable or refreshable,
 * GetRoleCredentials gives role credentials, and sts:GetCallerIdentity answers with the expected account and
 * role. One chain, each step under its own deadline; a step that cannot run because an earlier one failed is
 * skipped and says why.
 */
import type {ProcessCredentials} from '../../sso/credentials.js'
import type {SsoProfileTarget} from '../../sso/target.js'

import {profileKind} from '../../config/profiles.js'
import {LoginRequiredError, messageOf, SsokitError} from '../../errors.js'
import {escapeLine} from '../../render/terminal.js'
import {sessionReport} from '../../sso/status.js'
import {adviceFor, adviceText} from './advice.js'
import {type CheckDefinition, type CheckResult, type DoctorContext, result} from './types.js'

const step = (id: string) => ({category: 'credentials' as const, id})
const skip = (id: string, why: string) => result(step(id), 'skip', why)
const rest = (why: string) => [skip('profile-token', why), skip('role-credentials', why), skip('caller-identity', why)]

export const credentialsCheck: CheckDefinition = {
  category: 'credentials',
  id: 'profile',
  online: false,
  async run(context) {
    if (context.profile === undefined) return []
    return profileChain(context, context.profile)
  },
  // Four steps, three of them on the network.
  timeoutMs: (context) => context.timeoutMs * 3 + 2000,
}

async function profileChain(context: DoctorContext, name: string): Promise<CheckResult[]> {
  const shown = escapeLine(name)
  const {model} = await context.config()
  const view = model.profiles.get(name)
  if (!view) {
    const known = [...model.profiles.keys()].slice(0, 8).map(escapeLine).join(', ')
    return [
      result(
        step('profile'),
        'fail',
        `The config profile (${shown}) could not be found in ${escapeLine(context.paths.configFile)} or the credentials file.`,
        known ? `Use one of: ${known} (ssokit profiles)` : 'ssokit generate --sso-session NAME',
      ),
      ...rest('No such profile.'),
    ]
  }

  const kind = profileKind(view.settings)
  if (kind !== 'sso-session' && kind !== 'legacy-sso') {
    const first = result(step('profile'), 'pass', `Profile ${shown}: ${kind} profile (not SSO: no token to check).`)
    return [
      first,
      skip('profile-token', 'Not an SSO profile.'),
      skip('role-credentials', 'Not an SSO profile.'),
      await callerIdentity(context, {profile: name}),
    ]
  }

  const {selectProfile} = await import('../../sso/target.js')
  let profile: SsoProfileTarget
  try {
    profile = selectProfile(await context.ssoConfig(), name)
  } catch (error) {
    const fix = error instanceof SsokitError ? (error.suggestions[0] ?? 'ssokit lint') : 'ssokit lint'
    return [
      result(step('profile'), 'fail', `Profile ${shown}: ${messageOf(error)}`, fix),
      ...rest('The profile does not resolve.'),
    ]
  }

  const {target} = profile
  const session =
    target.kind === 'sso-session'
      ? `sso-session ${escapeLine(target.name)}`
      : `legacy start URL ${escapeLine(target.name)}`
  const region = view.settings.get('region')
  const out: CheckResult[] = [
    result(
      step('profile'),
      'pass',
      `Profile ${shown}: ${kind} profile (${session}, account ${profile.accountId}, role ${escapeLine(profile.roleName)}${region ? `, region ${escapeLine(region)}` : ''}).`,
    ),
  ]

  return [...out, ...(await sessionSteps(context, profile, {region, session}))]
}

/** The token, GetRoleCredentials and GetCallerIdentity of an SSO profile that resolved. */
async function sessionSteps(
  context: DoctorContext,
  profile: SsoProfileTarget,
  {region, session}: {region?: string; session: string},
): Promise<CheckResult[]> {
  const {target} = profile
  const out: CheckResult[] = []
  // The token, offline: what status says.
  const report = await sessionReport(target, {cacheDir: context.cacheDir, now: context.now, stateDir: context.stateDir})
  if (context.offline) {
    const usable = !report.status.needsLogin
    return [
      result(
        step('profile-token'),
        usable ? 'pass' : 'fail',
        `Token of ${session}: ${report.status.state} (offline: not refreshed).${report.notes.length > 0 ? ` ${report.notes.join(' ')}` : ''}`,
        usable ? null : target.loginCommand,
      ),
      skip('role-credentials', 'Skipped: --offline.'),
      skip('caller-identity', 'Skipped: --offline.'),
    ]
  }

  if (report.status.needsLogin) {
    out.push(
      result(
        step('profile-token'),
        'fail',
        `Token of ${session}: ${report.status.state}.${report.notes.length > 0 ? ` ${report.notes.join(' ')}` : ''}`,
        target.loginCommand,
      ),
    )
    return [...out, skip('role-credentials', 'Needs a login first.'), skip('caller-identity', 'Needs a login first.')]
  }

  const [{processCredentials}, {obtainFreshToken}, {createOidcApi, createPortalApi}] = await Promise.all([
    import('../../sso/credentials.js'),
    import('../../sso/refresh.js'),
    import('../../sso/clients.js'),
    // Loaded before the deadlines start: they bound the network, not a slow disk or a busy machine.
    import('@aws-sdk/client-sso'),
    import('@aws-sdk/client-sso-oidc'),
  ])
  // One attempt: a diagnosis reports what the service says at once, and a dead network costs one deadline.
  const clientOptions = {maxAttempts: 1, timeoutMs: context.timeoutMs}
  const oidc = () => createOidcApi(target.region, clientOptions)
  try {
    const fresh = await withDeadline(
      obtainFreshToken({cacheDir: context.cacheDir, oidc, stateDir: context.stateDir, target}),
      context.timeoutMs,
    )
    const note = fresh.warnings.length > 0 ? ` ${fresh.warnings.join(' ')}` : ''
    out.push(
      result(
        step('profile-token'),
        fresh.warnings.length > 0 ? 'warn' : 'pass',
        `Token of ${session}: ${fresh.refreshed ? 'refreshed just now' : 'usable'}, expires ${fresh.token.expiresAt}.${note}`,
        fresh.warnings.length > 0 ? target.loginCommand : null,
      ),
    )
  } catch (error) {
    const advice = adviceFor(error, {loginCommand: target.loginCommand, operation: 'CreateToken (refresh)'})
    const text =
      error instanceof LoginRequiredError ? {fix: error.loginCommand, message: error.message} : adviceText(advice)
    out.push(result(step('profile-token'), 'fail', `Token of ${session}: ${text.message}`, text.fix))
    return [...out, skip('role-credentials', 'No usable token.'), skip('caller-identity', 'No usable token.')]
  }

  let credentials: ProcessCredentials
  try {
    ;({credentials} = await withDeadline(
      processCredentials({
        cacheDir: context.cacheDir,
        oidc,
        portal: () => createPortalApi(target.region, clientOptions),
        profile,
        stateDir: context.stateDir,
      }),
      context.timeoutMs,
    ))
    out.push(
      result(
        step('role-credentials'),
        'pass',
        `GetRoleCredentials gave credentials for role ${escapeLine(profile.roleName)} in account ${profile.accountId}, until ${credentials.Expiration}.`,
      ),
    )
  } catch (error) {
    const text = adviceText(
      adviceFor(error, {
        accountId: profile.accountId,
        loginCommand: target.loginCommand,
        operation: 'GetRoleCredentials',
        roleName: profile.roleName,
      }),
    )
    out.push(result(step('role-credentials'), 'fail', text.message, text.fix))
    return [...out, skip('caller-identity', 'No role credentials.')]
  }

  out.push(await callerIdentity(context, {credentials, expected: profile, region: region ?? target.region}))
  return out
}

interface IdentityInput {
  credentials?: ProcessCredentials
  expected?: SsoProfileTarget
  /** A non-SSO profile: the SDK's own chain resolves it. */
  profile?: string
  region?: string
}

/** sts:GetCallerIdentity, and for an SSO profile whether the answer is its account and permission set. */
async function callerIdentity(context: DoctorContext, input: IdentityInput): Promise<CheckResult> {
  const id = step('caller-identity')
  if (context.offline) return result(id, 'skip', 'Skipped: --offline.')
  let arn: string
  let account: string
  try {
    await import('@aws-sdk/client-sts')
    ;({account, arn} = await withDeadline(getCallerIdentity(context, input), context.timeoutMs))
  } catch (error) {
    const {classifyAwsError} = await import('../../aws/errors.js')
    const typed = classifyAwsError(error, {action: 'sts:GetCallerIdentity', region: input.region}, input.profile)
    return result(id, 'fail', typed.message, typed.suggestions[0]?.replace(/^Run: /, '') ?? null)
  }

  const {expected} = input
  if (!expected) return result(id, 'pass', `sts:GetCallerIdentity: ${escapeLine(arn)}.`)
  // Identity Center's roles are `AWSReservedSSO_<permission set>_<hash>` (IAM Identity Center user guide).
  const role = /:assumed-role\/(?:[^/]*\/)*([^/]+)\/[^/]+$/.exec(arn)?.[1]
  const roleMatches = role !== undefined && role.startsWith(`AWSReservedSSO_${expected.roleName}_`)
  if (account !== expected.accountId || !roleMatches) {
    return result(
      id,
      'fail',
      `sts:GetCallerIdentity answered ${escapeLine(arn)}, but profile ${escapeLine(expected.profile)} expects account ${expected.accountId} and permission set ${escapeLine(expected.roleName)} (role AWSReservedSSO_${escapeLine(expected.roleName)}_…).`,
      'Check sso_account_id and sso_role_name of the profile, and AWS_ENDPOINT_URL_STS.',
    )
  }

  return result(
    id,
    'pass',
    `sts:GetCallerIdentity: ${escapeLine(arn)} (account ${account}, permission set ${escapeLine(expected.roleName)}).`,
  )
}

async function getCallerIdentity(
  context: DoctorContext,
  input: IdentityInput,
): Promise<{account: string; arn: string}> {
  const [sdk, {sdkRequestHandler}] = await Promise.all([import('@aws-sdk/client-sts'), import('../../sso/clients.js')])
  const region = input.region ?? context.env.AWS_REGION ?? 'us-east-1'
  const base = {maxAttempts: 1, region, ...(await sdkRequestHandler({timeoutMs: context.timeoutMs}))}
  let client
  if (input.credentials) {
    const c = input.credentials
    client = new sdk.STSClient({
      ...base,
      credentials: {accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken},
    })
  } else {
    const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers')
    client = new sdk.STSClient({...base, credentials: fromNodeProviderChain({profile: input.profile})})
  }

  try {
    const out = await client.send(new sdk.GetCallerIdentityCommand({}))
    return {account: out.Account ?? '', arn: out.Arn ?? ''}
  } finally {
    client.destroy()
  }
}

/** Rejects when `work` takes longer than `ms` (the SDK clients have their own timeouts; this bounds the rest). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), {name: 'TimeoutError'})), ms)
    timer.unref()
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}
