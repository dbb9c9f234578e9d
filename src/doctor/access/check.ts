import type {SnapshotAssignment} from '../../discovery/snapshot.js'
import type {
  AccessDirectory,
  AccessEntry,
  AccessFix,
  AccessPath,
  AccessReport,
  AccessVerdict,
  AccountRef,
  FailedCreation,
  PermissionSetRef,
  ProvisioningState,
  UserRef,
} from './types.js'

import {addToGroupFix, callerBlindSpots, createAssignmentFix, type FixContext, provisionFix} from './fix.js'

/**
 * The assignment question: can USER reach ACCOUNT with PERMISSION SET, through which paths, and if not, why and
 * what to run. Works on any {@link AccessDirectory} (live calls or a snapshot); policies are a separate step.
 */
export interface AccessQuestion {
  account?: string
  permissionSet?: string
  user: string
}

/** Blind spots that hold for every answer. */
export const ALWAYS_INVISIBLE = [
  'Temporary elevated access tools (e.g. TEAM, or an approval workflow) create and remove assignments on demand: an assignment they manage shows only while it is active.',
  'Account access manager entitlements (IAM roles that Identity Center users assume without a permission set) are not covered yet.',
]

type Partial = Omit<AccessReport, 'cannotSee' | 'source' | 'stats' | 'unreadable'>

function base(user: null | UserRef, verdict: AccessVerdict): Partial {
  return {
    account: null,
    fix: null,
    fixes: [],
    paths: [],
    permissionSet: null,
    reasons: [],
    suggestions: [],
    user,
    verdict,
  }
}

function notFound(user: null | UserRef, verdict: AccessVerdict, reason: string, candidates: string[]): Partial {
  return {
    ...base(user, verdict),
    reasons: [reason],
    suggestions: candidates.length > 0 ? [`Did you mean: ${candidates.join(', ')}?`] : [],
  }
}

function pathsOf(
  assignments: SnapshotAssignment[],
  userId: string,
  groupIds: Set<string>,
  groupNames: Map<string, string>,
): AccessPath[] {
  const paths: AccessPath[] = []
  const seen = new Set<string>()
  for (const a of assignments) {
    const key = `${a.principalType}:${a.principalId}`
    if (seen.has(key)) continue
    if (a.principalType === 'USER' && a.principalId === userId) paths.push({via: 'direct'})
    else if (a.principalType === 'GROUP' && groupIds.has(a.principalId))
      paths.push({groupId: a.principalId, groupName: groupNames.get(a.principalId) ?? a.principalId, via: 'group'})
    else continue
    seen.add(key)
  }

  return paths.sort((a, b) => (a.via === 'direct' ? -1 : b.via === 'direct' ? 1 : a.groupName < b.groupName ? -1 : 1))
}

function describePath(path: AccessPath): string {
  return path.via === 'direct' ? 'assigned to the user directly' : `through group ${path.groupName}`
}

/** granted or not-provisioned, for a permission set the user is assigned in the account. */
function assignedVerdict(
  permissionSetArn: string,
  provisioning: ProvisioningState | undefined,
): {reasons: string[]; verdict: AccessVerdict} {
  if (!provisioning) return {reasons: ['Provisioning could not be checked.'], verdict: 'granted'}
  if (!provisioning.provisioned.has(permissionSetArn))
    return {reasons: ['The permission set is assigned but not provisioned to the account.'], verdict: 'not-provisioned'}
  if (provisioning.outdated.has(permissionSetArn)) {
    return {
      reasons: [
        'The permission set is provisioned to the account, but not its latest version: changes made since are not in the role yet.',
      ],
      verdict: 'not-provisioned',
    }
  }

  return {reasons: [], verdict: 'granted'}
}

interface Context {
  dir: AccessDirectory
  fix: FixContext
  groupIds: string[]
  user: UserRef
}

export async function checkAccess(
  dir: AccessDirectory,
  question: AccessQuestion,
  options: {profile?: string} = {},
): Promise<Partial> {
  const found = await dir.findUser(question.user)
  if (!found.found) return notFound(null, 'user-not-found', found.reason, found.candidates)
  const user = found.found
  const groupIds = await dir.groupIdsOf(user.id)
  const context: Context = {dir, fix: {instance: dir.instance, profile: options.profile}, groupIds, user}
  const notes = found.note ? [found.note] : []

  if (question.account === undefined) {
    const report = await everyAccount(context)
    return {...report, reasons: [...notes, ...report.reasons]}
  }

  const account = await dir.findAccount(question.account)
  if (!account.found) return notFound(user, 'account-not-found', account.reason, account.candidates)
  if (question.permissionSet === undefined) {
    if (account.note) notes.push(account.note)
    const report = await oneAccount(context, account.found)
    return {...report, reasons: [...notes, ...report.reasons]}
  }

  if (account.note) notes.push(account.note)
  const permissionSet = await dir.findPermissionSet(question.permissionSet, account.found.id)
  if (!permissionSet.found) {
    return {
      ...notFound(user, 'permission-set-not-found', permissionSet.reason, permissionSet.candidates),
      account: account.found,
    }
  }

  const report = await onePair(context, account.found, permissionSet.found)
  return {...report, reasons: [...notes, ...(permissionSet.note ? [permissionSet.note] : []), ...report.reasons]}
}

/** Whether a failed creation was for this user or one of their groups. */
function concerns(context: Context, f: FailedCreation): boolean {
  return (
    (f.principalType === 'USER' && f.principalId === context.user.id) ||
    (f.principalType === 'GROUP' && context.groupIds.includes(f.principalId))
  )
}

async function onePair(context: Context, account: AccountRef, permissionSet: PermissionSetRef): Promise<Partial> {
  const {dir, groupIds, user} = context
  const [all, provisioning] = await Promise.all([
    dir.assignments({
      accountId: account.id,
      permissionSetArn: permissionSet.arn,
      principals: {groupIds, userId: user.id},
    }),
    dir.provisioning(account.id),
  ])
  const groupSet = new Set(groupIds)
  const mine = all.filter(
    (a) =>
      (a.principalType === 'USER' && a.principalId === user.id) ||
      (a.principalType === 'GROUP' && groupSet.has(a.principalId)),
  )
  const {groups: groupNames} = await dir.names({
    groupIds: [...new Set(all.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId))],
  })
  const paths = pathsOf(mine, user.id, groupSet, groupNames)
  const result: Partial = {...base(user, 'not-assigned'), account, paths, permissionSet}
  const target = {accountId: account.id, permissionSetArn: permissionSet.arn}

  if (paths.length > 0) {
    const {reasons, verdict} = assignedVerdict(permissionSet.arn, provisioning)
    result.verdict = verdict
    result.reasons = [
      `${user.userName} is assigned ${permissionSet.name} in ${accountLabel(account)}: ${paths.map((p) => describePath(p)).join('; ')}.`,
      ...reasons,
    ]
    if (verdict === 'not-provisioned') setFixes(result, [provisionFix(context.fix, target)])
    return result
  }

  const failed = (await dir.failedCreations(account.id))?.filter(
    (f) => f.permissionSetArn === permissionSet.arn && concerns(context, f),
  )
  const userFix = createAssignmentFix(context.fix, {...target, principalId: user.id, principalType: 'USER'})
  const assignedGroups = [...new Set(all.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId))]
  const groupFixes = assignedGroups.map((groupId) =>
    addToGroupFix(context.fix, {
      accountId: account.id,
      groupId,
      groupName: groupNames.get(groupId) ?? groupId,
      userId: user.id,
    }),
  )
  if (failed && failed.length > 0) {
    const last = failed.sort((a, b) => ((a.createdDate ?? '') < (b.createdDate ?? '') ? 1 : -1))[0]
    const retry = createAssignmentFix(context.fix, {
      ...target,
      principalId: last.principalId,
      principalType: last.principalType === 'GROUP' ? 'GROUP' : 'USER',
    })
    result.verdict = 'assignment-failed'
    result.reasons = [
      `The last attempt to assign ${permissionSet.name} in ${accountLabel(account)} failed (request ${last.requestId}${last.createdDate ? `, ${last.createdDate}` : ''}): ${last.failureReason ?? 'no reason given'}.`,
      'Fix the cause, then create the assignment again.',
    ]
    setFixes(result, [retry])
    return result
  }

  result.reasons = [
    `Neither ${user.userName} nor any of their ${groupIds.length} group(s) is assigned ${permissionSet.name} in ${accountLabel(account)}.`,
  ]
  if (groupFixes.length > 0)
    result.reasons.push(
      `Group(s) with this assignment: ${assignedGroups.map((id) => groupNames.get(id) ?? id).join(', ')}.`,
    )
  setFixes(result, [userFix, ...groupFixes])
  return result
}

function setFixes(result: Partial, fixes: AccessFix[]): void {
  result.fixes = fixes
  result.fix = fixes[0]?.command ?? null
}

function accountLabel(account: AccountRef): string {
  return account.name ? `${account.name} (${account.id})` : account.id
}

/** Every permission set the user reaches in one account. */
async function oneAccount(context: Context, account: AccountRef): Promise<Partial> {
  const {dir, groupIds, user} = context
  const [assignments, provisioning, failed] = await Promise.all([
    dir.assignments({accountId: account.id, principals: {groupIds, userId: user.id}}),
    dir.provisioning(account.id),
    dir.failedCreations(account.id),
  ])
  const entries = await entriesOf(context, assignments, new Map([[account.id, account]]), () => provisioning)
  const result: Partial = {...base(user, 'not-assigned'), account, entries}
  summarize(
    context,
    result,
    entries,
    `${user.userName} has no permission set in ${accountLabel(account)}, directly or through any of their ${groupIds.length} group(s).`,
  )
  if (result.verdict === 'not-assigned') {
    const mine = failed?.filter((f) => concerns(context, f)) ?? []
    if (mine.length > 0) {
      result.verdict = 'assignment-failed'
      result.reasons.push(
        ...mine.map(
          (f) => `A failed assignment attempt (request ${f.requestId}): ${f.failureReason ?? 'no reason given'}.`,
        ),
      )
    }

    result.suggestions.push(
      `Name the permission set to get the command that assigns it: ssokit doctor access --user ${user.userName} --account ${account.id} --permission-set NAME`,
    )
  }

  return result
}

/** Every account and permission set the user reaches. */
async function everyAccount(context: Context): Promise<Partial> {
  const {dir, groupIds, user} = context
  const assignments = await dir.assignments({principals: {groupIds, userId: user.id}})
  const accountIds = [...new Set(assignments.map((a) => a.accountId))].sort()
  const provisioning = new Map(
    await Promise.all(accountIds.map(async (id) => [id, await dir.provisioning(id)] as const)),
  )
  const {accounts} = await dir.names({accountIds})
  const refs = new Map(accountIds.map((id) => [id, {id, name: accounts.get(id) ?? null}]))
  const entries = await entriesOf(context, assignments, refs, (id) => provisioning.get(id))
  const result: Partial = {...base(user, 'not-assigned'), entries}
  summarize(
    context,
    result,
    entries,
    `${user.userName} has no account assignment, directly or through any of their ${groupIds.length} group(s).`,
  )
  return result
}

async function entriesOf(
  context: Context,
  assignments: SnapshotAssignment[],
  accounts: Map<string, AccountRef>,
  provisioningOf: (accountId: string) => ProvisioningState | undefined,
): Promise<AccessEntry[]> {
  const {dir, groupIds, user} = context
  const groupSet = new Set(groupIds)
  const names = await dir.names({
    groupIds: [...new Set(assignments.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId))],
    permissionSetArns: [...new Set(assignments.map((a) => a.permissionSetArn))],
  })
  const byPair = new Map<string, SnapshotAssignment[]>()
  for (const a of assignments) {
    const key = `${a.accountId}\u0000${a.permissionSetArn}`
    byPair.set(key, [...(byPair.get(key) ?? []), a])
  }

  const entries: AccessEntry[] = []
  for (const list of byPair.values()) {
    const {accountId, permissionSetArn} = list[0]
    const paths = pathsOf(list, user.id, groupSet, names.groups)
    if (paths.length === 0) continue
    const {reasons, verdict} = assignedVerdict(permissionSetArn, provisioningOf(accountId))
    entries.push({
      account: accounts.get(accountId) ?? {id: accountId, name: null},
      paths,
      permissionSet: {arn: permissionSetArn, name: names.permissionSets.get(permissionSetArn) ?? permissionSetArn},
      reasons,
      verdict,
    })
  }

  return entries.sort((a, b) =>
    a.account.id === b.account.id
      ? a.permissionSet.name < b.permissionSet.name
        ? -1
        : 1
      : a.account.id < b.account.id
        ? -1
        : 1,
  )
}

function summarize(context: Context, result: Partial, entries: AccessEntry[], none: string): void {
  const granted = entries.filter((e) => e.verdict === 'granted')
  const stale = entries.filter((e) => e.verdict === 'not-provisioned')
  result.paths = uniquePaths(entries.flatMap((e) => e.paths))
  if (granted.length > 0) {
    result.verdict = 'granted'
    result.reasons = [`${granted.length} account and permission set pair(s) reachable.`]
  } else if (stale.length > 0) {
    result.verdict = 'not-provisioned'
    result.reasons = ['Every assigned permission set is not (or not in its latest version) provisioned to its account.']
  } else {
    result.reasons = [none]
  }

  const fixes = stale.map((e) =>
    provisionFix(context.fix, {accountId: e.account.id, permissionSetArn: e.permissionSet.arn}),
  )
  if (fixes.length > 0) setFixes(result, fixes)
}

function uniquePaths(paths: AccessPath[]): AccessPath[] {
  const seen = new Map<string, AccessPath>()
  for (const p of paths) seen.set(p.via === 'direct' ? 'direct' : p.groupId, p)
  return [...seen.values()]
}

/** Blind spots of this answer: the caller's role, and the ones that always hold. */
export function blindSpots(dir: AccessDirectory, accountId: string | undefined): string[] {
  return [...callerBlindSpots(dir.callerRole, accountId, dir.instance), ...dir.cannotSee, ...ALWAYS_INVISIBLE]
}
