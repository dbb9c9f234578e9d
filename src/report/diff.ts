import type {DiscoverSnapshot} from '../discovery/snapshot.js'

import {
  type AccessEntry,
  type AccessPath,
  type AccessReport,
  buildAccessReport,
  inKeyOrder,
  type ReportAccount,
  type ReportAssignment,
  type ReportGroup,
  type ReportPermissionSet,
  type ReportUser,
} from './access.js'
import {policyName} from './power.js'

/**
 * What changed between two discover snapshots (`ssokit diff OLD NEW`). Things are matched by id (account id,
 * permission set ARN, user and group id) and reported by name. A part that only one snapshot has is not
 * compared (an absent part is not an empty one: "everything was removed" would be the wrong picture); it is
 * listed in `notCompared` and counts as a change, so that a nightly job notices that its audit lost coverage.
 */

export const DIFF_VERSION = 1

export type DiffMode = 'assignments' | 'effective'

export type DiffPart =
  'accounts' | 'assignments' | 'groups' | 'organizationalUnits' | 'permissionSets' | 'policies' | 'users'

export interface FieldChange {
  field: string
  new: null | string | string[]
  old: null | string | string[]
}

export interface AccountRef {
  id: string
  name: string
}

export interface PermissionSetRef {
  arn: string
  name: string
}

export interface MembershipChange {
  /** The group's assignments (in the new snapshot for an addition, the old one for a removal). */
  groupAssignments: number
  groupId: string
  groupName: string
  userId: string
  userName: string
}

export interface PathChange extends Omit<AccessEntry, 'paths'> {
  newPaths: AccessPath[]
  oldPaths: AccessPath[]
}

export interface SnapshotDiff {
  access?: {gained: AccessEntry[]; lost: AccessEntry[]; pathsChanged: PathChange[]}
  accounts: {added: AccountRef[]; changed: Array<AccountRef & {changes: FieldChange[]}>; removed: AccountRef[]}
  assignments?: {added: ReportAssignment[]; removed: ReportAssignment[]}
  changed: boolean
  /** Number of changes listed (each added, removed or changed item, and each part compared on one side only). */
  changes: number
  groups?: {added: Array<{displayName: string; id: string}>; removed: Array<{displayName: string; id: string}>}
  memberships?: {added: MembershipChange[]; removed: MembershipChange[]}
  mode: DiffMode
  new: {file: string; generatedAt: string}
  notCompared: Array<{missingIn: 'both' | 'new' | 'old'; part: DiffPart}>
  old: {file: string; generatedAt: string}
  permissionSets: {
    added: PermissionSetRef[]
    changed: Array<PermissionSetRef & {changes: FieldChange[]}>
    removed: PermissionSetRef[]
  }
  users?: {added: Array<{id: string; userName: string}>; removed: Array<{id: string; userName: string}>}
  version: typeof DIFF_VERSION
}

export interface DiffInput {
  file: string
  snapshot: DiscoverSnapshot
}

const hasPolicies = (s: DiscoverSnapshot): boolean =>
  s.permissionSets !== undefined && s.permissionSets.length > 0 && s.permissionSets.every((p) => p.policies)

const PRESENT: Record<DiffPart, (s: DiscoverSnapshot) => boolean> = {
  accounts: (s) => s.accounts !== undefined,
  assignments: (s) => s.assignments !== undefined,
  groups: (s) => s.groups !== undefined,
  organizationalUnits: (s) => s.organizationalUnits !== undefined,
  permissionSets: (s) => s.permissionSets !== undefined,
  policies: hasPolicies,
  users: (s) => s.users !== undefined,
}

/** The parts each mode compares. */
const PARTS: Record<DiffMode, DiffPart[]> = {
  assignments: ['accounts', 'organizationalUnits', 'permissionSets', 'policies', 'users', 'groups', 'assignments'],
  effective: ['accounts', 'organizationalUnits', 'permissionSets', 'policies', 'groups', 'assignments'],
}

/** Items of `old` and `new` matched by key: only in new, only in old, in both. */
function match<T>(
  oldItems: T[],
  newItems: T[],
  key: (item: T) => string,
): {added: T[]; both: Array<[T, T]>; removed: T[]} {
  const oldByKey = new Map(oldItems.map((i) => [key(i), i]))
  const newByKey = new Map(newItems.map((i) => [key(i), i]))
  return {
    added: newItems.filter((i) => !oldByKey.has(key(i))),
    both: newItems.flatMap((i): Array<[T, T]> => (oldByKey.has(key(i)) ? [[oldByKey.get(key(i))!, i]] : [])),
    removed: oldItems.filter((i) => !newByKey.has(key(i))),
  }
}

function fieldChanges(pairs: Array<[string, null | string, null | string]>): FieldChange[] {
  return pairs.filter(([, o, n]) => o !== n).map(([field, o, n]) => ({field, new: n, old: o}))
}

const ouText = (a: ReportAccount): null | string => (a.ouPath ? a.ouPath.join(' / ') : null)

function accountChanges(o: ReportAccount, n: ReportAccount, withOus: boolean): FieldChange[] {
  return fieldChanges([
    ['name', o.name, n.name],
    ['email', o.email, n.email],
    ['status', o.status, n.status],
    ...(withOus ? [['organizationalUnit', ouText(o), ouText(n)] as [string, null | string, null | string]] : []),
  ])
}

function listChange(field: string, o: string[], n: string[]): FieldChange[] {
  const same = o.length === n.length && o.every((v, i) => v === n[i])
  return same ? [] : [{field, new: n, old: o}]
}

function permissionSetChanges(o: ReportPermissionSet, n: ReportPermissionSet, withPolicies: boolean): FieldChange[] {
  const changes = fieldChanges([
    ['name', o.name, n.name],
    ['description', o.description, n.description],
    ['sessionDuration', o.sessionDuration, n.sessionDuration],
  ])
  if (withPolicies && o.policies && n.policies) {
    changes.push(
      ...listChange('awsManagedPolicies', o.policies.awsManaged.map(policyName), n.policies.awsManaged.map(policyName)),
      ...listChange('customerManagedPolicies', o.policies.customerManaged, n.policies.customerManaged),
      ...fieldChanges([
        ['inlinePolicy', o.policies.inline?.sha256 ?? null, n.policies.inline?.sha256 ?? null],
        [
          'inlinePolicyAllowsEverything',
          String(o.policies.inline?.allowsEverything ?? false),
          String(n.policies.inline?.allowsEverything ?? false),
        ],
      ]),
    )
  }

  return changes
}

const assignmentKey = (a: ReportAssignment): string =>
  `${a.accountId}\u0000${a.permissionSetArn}\u0000${a.principalType}\u0000${a.principalId}`
const accessKey = (e: AccessEntry): string => `${e.userId}\u0000${e.accountId}\u0000${e.permissionSetArn}`
const pathKey = (p: AccessPath): string => (p.via === 'direct' ? 'direct' : `group:${p.groupId}`)

const knownOnly = <T extends {known: boolean}>(items: T[]): T[] => items.filter((i) => i.known)

function membershipChanges(
  oldReport: AccessReport,
  newReport: AccessReport,
): {added: MembershipChange[]; removed: MembershipChange[]} {
  const lookups = (report: AccessReport) => {
    const assignments = new Map<string, number>()
    for (const a of report.assignments)
      if (a.principalType === 'GROUP') assignments.set(a.principalId, (assignments.get(a.principalId) ?? 0) + 1)
    return {assignments, userNames: new Map(report.users.map((u) => [u.id, u.userName]))}
  }

  const before = lookups(oldReport)
  const after = lookups(newReport)
  const added: MembershipChange[] = []
  const removed: MembershipChange[] = []
  for (const [o, n] of match(knownOnly(oldReport.groups), knownOnly(newReport.groups), (g) => g.id).both) {
    const oldMembers = new Set(o.memberIds)
    const newMembers = new Set(n.memberIds)
    for (const id of n.memberIds.filter((m) => !oldMembers.has(m))) {
      added.push({
        groupAssignments: after.assignments.get(n.id) ?? 0,
        groupId: n.id,
        groupName: n.displayName,
        userId: id,
        userName: after.userNames.get(id) ?? id,
      })
    }

    for (const id of o.memberIds.filter((m) => !newMembers.has(m))) {
      removed.push({
        groupAssignments: before.assignments.get(o.id) ?? 0,
        groupId: o.id,
        groupName: o.displayName,
        userId: id,
        userName: before.userNames.get(id) ?? id,
      })
    }
  }

  return {added, removed}
}

function accessChanges(oldReport: AccessReport, newReport: AccessReport): NonNullable<SnapshotDiff['access']> {
  const {added, both, removed} = match(oldReport.access, newReport.access, accessKey)
  const pathsChanged: PathChange[] = []
  for (const [o, n] of both) {
    if (o.paths.map(pathKey).join(' ') === n.paths.map(pathKey).join(' ')) continue
    const {paths, ...entry} = n
    pathsChanged.push({...entry, newPaths: paths, oldPaths: o.paths})
  }

  return {gained: added, lost: removed, pathsChanged}
}

const userRef = (u: ReportUser): {id: string; userName: string} => ({id: u.id, userName: u.userName})
const groupRef = (g: ReportGroup): {displayName: string; id: string} => ({displayName: g.displayName, id: g.id})

export function diffSnapshots(oldInput: DiffInput, newInput: DiffInput, options: {effective: boolean}): SnapshotDiff {
  const mode: DiffMode = options.effective ? 'effective' : 'assignments'
  const [o, n] = [oldInput.snapshot, newInput.snapshot]
  const compared = (part: DiffPart): boolean => PRESENT[part](o) && PRESENT[part](n)
  const notCompared = PARTS[mode]
    .filter((part) => !compared(part))
    .map((part) => ({
      missingIn: (PRESENT[part](o) ? 'new' : PRESENT[part](n) ? 'old' : 'both') as 'both' | 'new' | 'old',
      part,
    }))
  const oldReport = buildAccessReport(o)
  const newReport = buildAccessReport(n)

  const diff: SnapshotDiff = {
    accounts: {added: [], changed: [], removed: []},
    changed: false,
    changes: 0,
    mode,
    new: {file: newInput.file, generatedAt: n.generatedAt},
    notCompared,
    old: {file: oldInput.file, generatedAt: o.generatedAt},
    permissionSets: {added: [], changed: [], removed: []},
    version: DIFF_VERSION,
  }

  if (compared('accounts')) {
    const accounts = match(knownOnly(oldReport.accounts), knownOnly(newReport.accounts), (a) => a.id)
    const ref = (a: ReportAccount): AccountRef => ({id: a.id, name: a.name})
    diff.accounts = {
      added: accounts.added.map(ref),
      changed: accounts.both.flatMap(([x, y]) => {
        const changes = accountChanges(x, y, compared('organizationalUnits'))
        return changes.length > 0 ? [{...ref(y), changes}] : []
      }),
      removed: accounts.removed.map(ref),
    }
  }

  if (compared('permissionSets')) {
    const sets = match(knownOnly(oldReport.permissionSets), knownOnly(newReport.permissionSets), (p) => p.arn)
    const ref = (p: ReportPermissionSet): PermissionSetRef => ({arn: p.arn, name: p.name})
    diff.permissionSets = {
      added: sets.added.map(ref),
      changed: sets.both.flatMap(([x, y]) => {
        const changes = permissionSetChanges(x, y, compared('policies'))
        return changes.length > 0 ? [{...ref(y), changes}] : []
      }),
      removed: sets.removed.map(ref),
    }
  }

  if (mode === 'assignments') {
    if (compared('assignments')) {
      const {added, removed} = match(oldReport.assignments, newReport.assignments, assignmentKey)
      diff.assignments = {added, removed}
    }

    if (compared('users')) {
      const {added, removed} = match(knownOnly(oldReport.users), knownOnly(newReport.users), (u) => u.id)
      diff.users = {added: added.map(userRef), removed: removed.map(userRef)}
    }

    if (compared('groups')) {
      const {added, removed} = match(knownOnly(oldReport.groups), knownOnly(newReport.groups), (g) => g.id)
      diff.groups = {added: added.map(groupRef), removed: removed.map(groupRef)}
      diff.memberships = membershipChanges(oldReport, newReport)
    }
  } else if (compared('assignments') && compared('groups')) {
    diff.access = accessChanges(oldReport, newReport)
  }

  diff.changes = countChanges(diff)
  diff.changed = diff.changes > 0
  return inKeyOrder(KEY_ORDER, diff)
}

const KEY_ORDER: Array<keyof SnapshotDiff> = [
  'version',
  'mode',
  'old',
  'new',
  'changed',
  'changes',
  'notCompared',
  'accounts',
  'permissionSets',
  'assignments',
  'memberships',
  'users',
  'groups',
  'access',
]

function countChanges(diff: SnapshotDiff): number {
  const lists: Array<undefined | unknown[]> = [
    diff.accounts.added,
    diff.accounts.removed,
    diff.accounts.changed,
    diff.permissionSets.added,
    diff.permissionSets.removed,
    diff.permissionSets.changed,
    diff.assignments?.added,
    diff.assignments?.removed,
    diff.users?.added,
    diff.users?.removed,
    diff.groups?.added,
    diff.groups?.removed,
    diff.memberships?.added,
    diff.memberships?.removed,
    diff.access?.gained,
    diff.access?.lost,
    diff.access?.pathsChanged,
  ]
  const oneSided = diff.notCompared.filter((p) => p.missingIn !== 'both').length
  return lists.reduce((sum: number, list) => sum + (list?.length ?? 0), oneSided)
}
