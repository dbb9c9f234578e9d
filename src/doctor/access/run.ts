import type {AccessApi} from '../../aws/access-api.js'
import type {RequestStats} from '../../aws/clients.js'
import type {InstanceRecord} from '../../aws/identity-center-api.js'
import type {AccessDirectory, AccessReport, ActionCheck, CallerRole, FromErrorReport} from './types.js'

import {defaultRegionOf, partitionOf} from '../../aws/regions.js'
import {findInstances} from '../../discovery/instances.js'
import {usageError} from '../../errors.js'
import {ExitCode, type ExitCodeValue} from '../../exit-codes.js'
import {type AccessQuestion, blindSpots, checkAccess} from './check.js'
import {type ErrorExtraction, extractFromError} from './from-error.js'
import {LiveDirectory} from './live-directory.js'
import {checkAction, MATCHER_NOTE} from './policies.js'

/** `ssokit doctor access` as a library call. */
export interface AccessRequest {
  account?: string
  action?: string
  /** `--from FILE`: a discover snapshot, answered offline. */
  from?: string
  /** `--from-error TEXT`, already read (stdin for `-`). */
  fromError?: string
  /** `--max-rps`: the cap of each request budget. */
  maxRps?: number
  permissionSet?: string
  profile?: string
  regions?: string[]
  resource?: string
  user?: string
}

/** Fills the question from the error text; flags win over the text. */
export async function questionFrom(
  request: AccessRequest,
  readProfile?: (name: string) => Promise<undefined | {accountId?: string; roleName?: string}>,
): Promise<{fromError?: FromErrorReport; question: AccessQuestion & {action?: string; resource?: string}}> {
  const asked = await readQuestion(request, readProfile)
  const {question} = asked
  if (question.action && (!question.account || !question.permissionSet))
    throw usageError('--action needs --account and --permission-set (the permission set whose policies decide it).')
  return asked
}

async function readQuestion(
  request: AccessRequest,
  readProfile: (name: string) => Promise<undefined | {accountId?: string; roleName?: string}> = profileFromConfig,
): Promise<{fromError?: FromErrorReport; question: AccessQuestion & {action?: string; resource?: string}}> {
  if (request.fromError === undefined) {
    if (!request.user) throw usageError('Name the user: --user USER (or give an error text with --from-error).')
    return {question: {...pick(request), user: request.user}}
  }

  const extraction = extractFromError(request.fromError)
  if (extraction.kind === 'unknown') {
    throw usageError('The --from-error text is not an AccessDenied or ForbiddenException error.', {
      suggestions: ['Classify it with: ssokit doctor explain TEXT'],
    })
  }

  const guessed: string[] = []
  const extracted: Record<string, string> = {}
  for (const key of ['accountId', 'permissionSet', 'user', 'action', 'resource', 'roleName', 'profile'] as const)
    if (extraction[key]) extracted[key] = extraction[key]
  if (extraction.user && !request.user)
    guessed.push(`user: "${extraction.user}" is the role session name, which Identity Center sets to the user name`)
  await fillFromProfile(extraction, readProfile, guessed)

  const question = {
    account: request.account ?? extraction.accountId,
    action: request.action ?? extraction.action,
    permissionSet: request.permissionSet ?? extraction.permissionSet,
    resource: request.resource ?? extraction.resource,
    user: request.user ?? extraction.user,
  }
  const missing = Object.entries({
    '--account': question.account,
    '--permission-set': question.permissionSet,
    '--user': question.user,
  })
    .filter(([, v]) => v === undefined)
    .map(([k]) => k)
  if (missing.length > 0) {
    throw usageError(
      `The error text does not say ${missing.join(', ').replaceAll('--', '').replaceAll('-', ' ')}: add ${missing.map((m) => `${m} ...`).join(' ')}.`,
      {
        suggestions:
          extraction.kind === 'sso-no-access'
            ? [
                'A ForbiddenException names nobody: give the user, and the account and permission set of the profile that failed.',
              ]
            : [],
      },
    )
  }

  const says = describeDenial(extraction)
  const denial = extraction.denial ? {denial: extraction.denial} : {}
  const policyKind = extraction.policyKind ? {policyKind: extraction.policyKind} : {}
  return {
    fromError: {extracted, guessed, kind: extraction.kind, ...(says ? {says} : {}), ...denial, ...policyKind},
    question: {...question, user: question.user!},
  }
}

function pick(request: AccessRequest): Omit<AccessQuestion, 'user'> & {action?: string; resource?: string} {
  const out: Omit<AccessQuestion, 'user'> & {action?: string; resource?: string} = {}
  if (request.account) out.account = request.account
  if (request.permissionSet) out.permissionSet = request.permissionSet
  if (request.action) out.action = request.action
  if (request.resource) out.resource = request.resource
  return out
}

async function fillFromProfile(
  extraction: ErrorExtraction,
  readProfile: (name: string) => Promise<undefined | {accountId?: string; roleName?: string}>,
  guessed: string[],
): Promise<void> {
  if (!extraction.profile || (extraction.accountId && extraction.permissionSet)) return
  const profile = await readProfile(extraction.profile)
  if (!profile) return
  if (!extraction.accountId && profile.accountId) {
    extraction.accountId = profile.accountId
    guessed.push(`account: sso_account_id of profile ${extraction.profile} in this machine's config`)
  }

  if (!extraction.permissionSet && profile.roleName) {
    extraction.permissionSet = profile.roleName
    guessed.push(`permission set: sso_role_name of profile ${extraction.profile} in this machine's config`)
  }
}

async function profileFromConfig(name: string): Promise<undefined | {accountId?: string; roleName?: string}> {
  const [{loadSsoConfig}, {configPaths}] = await Promise.all([
    import('../../config/sso-config.js'),
    import('../../config/paths.js'),
  ])
  const config = await loadSsoConfig(configPaths({}))
  return config.profiles.find((p) => p.profile === name)
}

const POLICY_PHRASES: Record<string, string> = {
  'identity-based': 'identity-based policy',
  'permissions-boundary': 'permissions boundary',
  'resource-based': 'resource-based policy',
  'resource-control-policy': 'resource control policy',
  'service-control-policy': 'service control policy',
  session: 'session policy',
  'vpc-endpoint': 'VPC endpoint policy',
}

function describeDenial(e: ErrorExtraction): string | undefined {
  if (e.kind === 'sso-no-access') return 'ForbiddenException: the portal found no assignment for that account and role'
  if (!e.denial) return undefined
  const kind = POLICY_PHRASES[e.policyKind ?? ''] ?? 'policy'
  return e.denial === 'explicit'
    ? `an explicit deny in a ${kind}${e.policyArn ? ` (${e.policyArn})` : ''}`
    : `no ${kind} allows ${e.action ?? 'the action'}`
}

/** The policy kinds ssokit reads, by the name AWS gives them in the error text. */
const READ_KINDS: Record<string, string[]> = {
  'identity-based': ['inline', 'aws-managed', 'customer-managed'],
  'permissions-boundary': ['permissions-boundary'],
  'resource-control-policy': ['resource-control-policy'],
  'service-control-policy': ['service-control-policy'],
}

const LAYER_OF: Record<string, (label: string) => boolean> = {
  'identity-based': (l) => l === 'the permission set’s policies',
  'permissions-boundary': (l) => l === 'the permissions boundary',
  'resource-control-policy': (l) => l.startsWith('RCPs on'),
  'service-control-policy': (l) => l.startsWith('SCPs on'),
}

/** Whether ssokit's reading of the policies matches what the error says decided it. */
export function compareWithError(
  policyKind: string,
  denial: 'explicit' | 'implicit' | undefined,
  check: ActionCheck,
): string {
  const kinds = READ_KINDS[policyKind]
  if (!kinds) {
    return `The error names a ${POLICY_PHRASES[policyKind] ?? policyKind}, which ssokit does not read: look there (the statements above only show the policies it could read).`
  }

  if (denial === 'explicit') {
    const found = check.deciding.find(
      (d) => d.statement.effect === 'Deny' && check.policies.some((p) => p.name === d.policy && kinds.includes(p.kind)),
    )
    if (check.verdict === 'explicit-deny' && found) return `The policies read agree: the deny is in ${found.policy}.`
    const maybe = check.policies.some((p) => kinds.includes(p.kind) && p.statements.some((s) => s.effect === 'Deny'))
    return maybe
      ? 'ssokit found only Deny statements with conditions there: the request met their conditions.'
      : 'ssokit found no Deny statement matching it there: a policy it could not read, or one changed since, decided it.'
  }

  const layers = check.layers.filter((l) => LAYER_OF[policyKind](l.label))
  if (layers.length === 0) return `No ${POLICY_PHRASES[policyKind]} was read for this account and permission set.`
  const short = layers.find((l) => l.allow !== 'yes')
  return short
    ? `The policies read agree: no statement in ${short.label} allows it unconditionally.`
    : `Every ${POLICY_PHRASES[policyKind]} read has an Allow for it: a condition, a policy that could not be read, or a change since decided it.`
}

/** The exit code of an answer: 5 when a part was refused, 0 only when granted (and allowed, with --action). */
export function exitCodeOf(report: AccessReport): ExitCodeValue {
  if (report.unreadable.some((u) => u.code === 'ACCESS_DENIED')) return ExitCode.PERMISSION_DENIED
  if (report.verdict !== 'granted' || (report.unanswered?.length ?? 0) > 0) return ExitCode.FINDINGS
  if (report.action && report.action.verdict !== 'allowed') return ExitCode.FINDINGS
  return ExitCode.OK
}

export interface AccessDependencies {
  api: AccessApi
  /** The configured region (AWS_REGION or the profile's), asked first when no --region. */
  configuredRegion?: string
  stats: RunStats
}

/** The instance to ask about: the one active instance found. */
async function instanceFor(api: AccessApi, request: AccessRequest, configuredRegion?: string): Promise<InstanceRecord> {
  const {instances} = await findInstances(api, {concurrency: 8, configuredRegion, regions: request.regions})
  const active = instances.filter((i) => i.status === 'ACTIVE')
  if (active.length === 1) return active[0]
  if (active.length === 0)
    throw usageError(`The Identity Center instance found is not active (${instances[0]?.status}).`)
  throw usageError(
    `Several Identity Center instances are visible (${active.map((i) => `${i.instanceArn} in ${i.region}`).join(', ')}): pick one with --region.`,
  )
}

/** Answers the question live, on an {@link AccessApi}. */
export async function accessLive(
  deps: AccessDependencies,
  request: AccessRequest,
  options: {asked?: Awaited<ReturnType<typeof questionFrom>>; started?: number} = {},
): Promise<AccessReport> {
  const started = options.started ?? performance.now()
  const {fromError, question} = options.asked ?? (await questionFrom(request))
  const {api} = deps
  const record = await instanceFor(api, request, deps.configuredRegion)
  const globalRegion = defaultRegionOf(partitionOf(record.region))
  const caller = await api.callerIdentity(globalRegion).catch(() => undefined)
  const role: CallerRole = caller
    ? caller.account === record.ownerAccountId
      ? 'management'
      : 'delegated-admin'
    : 'unknown'
  const dir = new LiveDirectory(api, {
    callerAccount: caller?.account ?? null,
    callerRole: role,
    instance: record,
    organizationsRegion: globalRegion,
  })
  const answer = await checkAccess(dir, question, {profile: request.profile})
  const report = finish(dir, answer, {fromError, started, stats: deps.stats})
  if (question.action && answer.account && answer.permissionSet) {
    const {check, unreadable} = await checkAction(api, {
      accountId: answer.account.id,
      action: question.action,
      globalRegion,
      instance: record,
      permissionSetArn: answer.permissionSet.arn,
      resource: question.resource,
    })
    report.action = check
    report.unreadable.push(...unreadable)
    if (fromError?.policyKind) fromError.comparison = compareWithError(fromError.policyKind, fromError.denial, check)
  }

  if (fromError?.kind === 'sso-no-access' && report.verdict === 'granted') {
    report.reasons.push(
      'The portal refused GetRoleCredentials, yet the assignment exists: it may be newer than the error, or the profile names another account or role (sso_role_name must be the permission set name).',
    )
  }

  report.stats = stats(started, deps.stats)
  return report
}

/** Answers from a snapshot: zero requests. `--action` cannot be answered offline. */
export async function accessFromSnapshot(dir: AccessDirectory, request: AccessRequest): Promise<AccessReport> {
  const started = performance.now()
  const {fromError, question} = await questionFrom(request)
  const answer = await checkAccess(dir, question, {profile: request.profile})
  const report = finish(dir, answer, {fromError, started, stats: {requests: 0, throttled: 0}})
  if (question.action) {
    report.unanswered = [`--action ${question.action}`]
    report.cannotSee.unshift(
      `--action ${question.action} needs live calls (the permission set's policies, the OU path, SCPs and RCPs are not in a snapshot): run again without --from. ${MATCHER_NOTE}`,
    )
  }

  return report
}

type RunStats = Partial<Pick<RequestStats, 'byService'>> & Pick<RequestStats, 'requests' | 'throttled'>

function stats(started: number, s: RunStats): AccessReport['stats'] {
  return {
    ...(s.byService ? {byService: s.byService} : {}),
    durationMs: Math.round(performance.now() - started),
    requests: s.requests,
    throttled: s.throttled,
  }
}

function finish(
  dir: AccessDirectory,
  answer: Awaited<ReturnType<typeof checkAccess>>,
  run: {fromError?: FromErrorReport; started: number; stats: RunStats},
): AccessReport {
  return {
    ...answer,
    cannotSee: blindSpots(dir, answer.account?.id),
    ...(run.fromError ? {fromError: run.fromError} : {}),
    source: dir.source,
    stats: stats(run.started, run.stats),
    unreadable: dir.unreadable,
  }
}

/** With real SDK clients from the standard credential chain. */
export async function runAccess(request: AccessRequest): Promise<AccessReport> {
  const started = performance.now()
  if (request.from) {
    const [{readSnapshot}, {SnapshotDirectory}] = await Promise.all([
      import('../../discovery/snapshot.js'),
      import('./snapshot-directory.js'),
    ])
    return accessFromSnapshot(new SnapshotDirectory(await readSnapshot(request.from), request.from), request)
  }

  const [{AwsSession}, {SdkAccessApi}, {configuredRegion}] = await Promise.all([
    import('../../aws/clients.js'),
    import('../../aws/access-api.js'),
    import('../../aws/configured-region.js'),
  ])
  // The question is checked before any credential or request.
  const asked = await questionFrom(request)
  const session = new AwsSession({maxRps: request.maxRps, profile: request.profile})
  await session.resolveCredentials()
  const region = request.regions && request.regions.length > 0 ? undefined : await configuredRegion(request.profile)
  const deps = {api: new SdkAccessApi(session), configuredRegion: region, stats: session.stats}
  return accessLive(deps, request, {asked, started})
}
