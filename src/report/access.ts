import type {DiscoverSnapshot, PrincipalType, SnapshotPolicies, SnapshotWarning} from '../discovery/snapshot.js'

import {type Power, POWER_ORDER, powerOf} from './power.js'

/**
 * Who reaches what, from a discover snapshot: every account, permission set, user and group the snapshot
 * names (also those only seen in assignments, marked `known: false`), the raw assignments with names, and
 * the effective access after group expansion with the path of each (direct, or via which group). What the
 * snapshot lacks is listed in `missing`, so that no view shows an incomplete picture as if it were whole.
 * This is also the `--format json` document of `ssokit report`.
 */

export const REPORT_VERSION = 1

export interface ReportAccount {
  email: null | string
  id: string
  /** False when the account appears in assignments but not in the snapshot's account list. */
  known: boolean
  name: string
  /** Root, then each OU down to the account's parent, by name; null when the snapshot has no OUs. */
  ouPath: null | string[]
  status: null | string
}

export interface ReportPermissionSet {
  arn: string
  /** Number of assignments (users and groups) on any account. */
  assignmentCount: number
  description: null | string
  known: boolean
  name: string
  policies?: SnapshotPolicies
  power: Power
  sessionDuration: null | string
}

export interface ReportUser {
  displayName: null | string
  email: null | string
  id: string
  known: boolean
  userName: string
}

export interface ReportGroup {
  displayName: string
  id: string
  known: boolean
  /** Sorted by user name. */
  memberIds: string[]
}

export interface ReportAssignment {
  accountId: string
  accountName: string
  permissionSetArn: string
  permissionSetName: string
  principalId: string
  principalName: string
  principalType: PrincipalType
}

export type AccessPath = {groupId: string; groupName: string; via: 'group'} | {via: 'direct'}

/** One user reaching one permission set on one account, by one or more paths. */
export interface AccessEntry {
  accountId: string
  accountName: string
  paths: AccessPath[]
  permissionSetArn: string
  permissionSetName: string
  userId: string
  userName: string
}

export type ReportPart =
  'accounts' | 'assignments' | 'groups' | 'organizationalUnits' | 'permissionSets' | 'policies' | 'users'

export interface MissingPart {
  message: string
  part: ReportPart
  /** `warning`: the picture is incomplete; `note`: a detail (grouping, colours) is less precise. */
  severity: 'note' | 'warning'
}

export interface AccessReport {
  access: AccessEntry[]
  accounts: ReportAccount[]
  assignments: ReportAssignment[]
  generatedAt: string
  groups: ReportGroup[]
  instances: Array<{identityStoreId: string; instanceArn: string; region: string; startUrl: string}>
  missing: MissingPart[]
  permissionSets: ReportPermissionSet[]
  summary: {
    accounts: number
    assignments: number
    /** Distinct (user, account, permission set) triples. */
    effectiveAccess: number
    groups: number
    permissionSets: number
    users: number
    /** Users who reach an `admin` permission set on at least one account. */
    usersWithAdmin: number
  }
  users: ReportUser[]
  version: typeof REPORT_VERSION
  warnings: SnapshotWarning[]
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
/** People read names: case-insensitive first, then exact, so the order is stable everywhere. */
const byName = (a: string, b: string): number => byText(a.toLowerCase(), b.toLowerCase()) || byText(a, b)

const PART_LABEL: Record<ReportPart, string> = {
  accounts: 'Accounts',
  assignments: 'Assignments',
  groups: 'Groups',
  organizationalUnits: 'Organizational units',
  permissionSets: 'Permission sets',
  policies: 'Permission set policies',
  users: 'Users',
}

const EFFECT: Record<ReportPart, string> = {
  accounts: 'accounts appear by id only, and accounts without assignments are not shown',
  assignments: 'nobody is shown with access: the matrix and the per-person view are empty',
  groups:
    'group assignments cannot be expanded: the people who reach an account through a group are not shown, and group names appear as ids',
  organizationalUnits: 'accounts are not grouped by OU',
  permissionSets: 'permission sets appear by ARN, and their power is unknown',
  policies: 'how powerful each permission set is, is guessed from its name',
  users: 'people appear by id only (no user names or emails)',
}

function missingParts(snapshot: DiscoverSnapshot): MissingPart[] {
  const parts: Array<[ReportPart, boolean, MissingPart['severity']]> = [
    ['accounts', snapshot.accounts !== undefined, 'warning'],
    ['permissionSets', snapshot.permissionSets !== undefined, 'warning'],
    ['users', snapshot.users !== undefined, 'warning'],
    ['groups', snapshot.groups !== undefined, 'warning'],
    ['assignments', snapshot.assignments !== undefined, 'warning'],
    ['organizationalUnits', snapshot.organizationalUnits !== undefined, 'note'],
    [
      'policies',
      snapshot.permissionSets === undefined || snapshot.permissionSets.every((p) => p.policies !== undefined),
      'note',
    ],
  ]
  return parts
    .filter(([, present]) => !present)
    .map(([part, , severity]) => {
      const warning = snapshot.warnings.find((w) => w.scope === part)
      const why = warning
        ? `could not be read: ${warning.message.replace(/\.$/, '')}`
        : 'are not in this snapshot (ssokit discover --all)'
      return {message: `${PART_LABEL[part]} ${why}; ${EFFECT[part]}.`, part, severity}
    })
}

/** Root → … → parent names for each OU id. */
function ouPaths(snapshot: DiscoverSnapshot): Map<string, string[]> | undefined {
  if (!snapshot.organizationalUnits) return undefined
  const byId = new Map(snapshot.organizationalUnits.map((u) => [u.id, u]))
  const paths = new Map<string, string[]>()
  const pathOf = (id: string, depth = 0): string[] => {
    const known = paths.get(id)
    if (known) return known
    const unit = byId.get(id)
    if (!unit) return [id]
    const path = unit.parentId === null || depth > 10 ? [unit.name] : [...pathOf(unit.parentId, depth + 1), unit.name]
    paths.set(id, path)
    return path
  }

  for (const unit of snapshot.organizationalUnits) pathOf(unit.id)
  return paths
}

interface Entities {
  accounts: Map<string, ReportAccount>
  groups: Map<string, ReportGroup>
  permissionSets: Map<string, ReportPermissionSet>
  users: Map<string, ReportUser>
}

/** What the snapshot lists, each marked `known`. */
function listedEntities(snapshot: DiscoverSnapshot): Entities {
  const paths = ouPaths(snapshot)
  const accounts = new Map<string, ReportAccount>()
  for (const a of snapshot.accounts ?? []) {
    const ouPath = paths ? (a.parentId ? (paths.get(a.parentId) ?? [a.parentId]) : []) : null
    accounts.set(a.id, {email: a.email, id: a.id, known: true, name: a.name, ouPath, status: a.status})
  }

  const permissionSets = new Map<string, ReportPermissionSet>()
  for (const p of snapshot.permissionSets ?? []) {
    permissionSets.set(p.arn, {
      arn: p.arn,
      assignmentCount: 0,
      description: p.description,
      known: true,
      name: p.name,
      ...(p.policies ? {policies: p.policies} : {}),
      power: powerOf(p),
      sessionDuration: p.sessionDuration,
    })
  }

  const users = new Map<string, ReportUser>()
  for (const u of snapshot.users ?? [])
    users.set(u.id, {displayName: u.displayName, email: u.email, id: u.id, known: true, userName: u.userName})
  const groups = new Map<string, ReportGroup>()
  for (const g of snapshot.groups ?? []) {
    for (const id of g.memberIds) if (!users.has(id)) users.set(id, unknownUser(id))
    groups.set(g.id, {displayName: g.displayName, id: g.id, known: true, memberIds: [...g.memberIds]})
  }

  return {accounts, groups, permissionSets, users}
}

const unknownUser = (id: string): ReportUser => ({displayName: null, email: null, id, known: false, userName: id})

/** Adds what assignments refer to but the snapshot does not list (`known: false`), and counts assignments. */
function addReferenced(entities: Entities, snapshot: DiscoverSnapshot): void {
  const {accounts, groups, permissionSets, users} = entities
  const withOus = snapshot.organizationalUnits !== undefined
  for (const a of snapshot.assignments ?? []) {
    if (!accounts.has(a.accountId)) {
      const ouPath = withOus ? [] : null
      accounts.set(a.accountId, {email: null, id: a.accountId, known: false, name: a.accountId, ouPath, status: null})
    }

    let permissionSet = permissionSets.get(a.permissionSetArn)
    if (!permissionSet) {
      permissionSet = {
        arn: a.permissionSetArn,
        assignmentCount: 0,
        description: null,
        known: false,
        name: a.permissionSetArn.split('/').pop() || a.permissionSetArn,
        power: {basis: 'unknown', level: 'unknown', reasons: ['permission set not in the snapshot']},
        sessionDuration: null,
      }
      permissionSets.set(a.permissionSetArn, permissionSet)
    }

    permissionSet.assignmentCount++
    if (a.principalType === 'USER' && !users.has(a.principalId)) users.set(a.principalId, unknownUser(a.principalId))
    if (a.principalType === 'GROUP' && !groups.has(a.principalId))
      groups.set(a.principalId, {displayName: a.principalId, id: a.principalId, known: false, memberIds: []})
  }
}

/** Key order of the JSON document: what it is, what it lacks, then the data, the largest part last. */
const KEY_ORDER: Array<keyof AccessReport> = [
  'version',
  'generatedAt',
  'instances',
  'summary',
  'missing',
  'warnings',
  'accounts',
  'permissionSets',
  'users',
  'groups',
  'assignments',
  'access',
]

export function buildAccessReport(snapshot: DiscoverSnapshot): AccessReport {
  const entities = listedEntities(snapshot)
  addReferenced(entities, snapshot)
  const {accounts, groups, permissionSets, users} = entities
  const sorted = {
    accounts: [...accounts.values()].sort(compareAccounts),
    groups: [...groups.values()].sort((x, y) => byName(x.displayName, y.displayName) || byText(x.id, y.id)),
    permissionSets: [...permissionSets.values()].sort(comparePermissionSets),
    users: [...users.values()].sort((x, y) => byName(x.userName, y.userName) || byText(x.id, y.id)),
  }
  const names: Names = {
    accountName: (id) => accounts.get(id)!.name,
    groups,
    permissionSetName: (arn) => permissionSets.get(arn)!.name,
    rank: {
      account: rank(sorted.accounts, (a) => a.id),
      permissionSet: rank(sorted.permissionSets, (p) => p.arn),
      user: rank(sorted.users, (u) => u.id),
    },
    userName: (id) => users.get(id)?.userName ?? id,
  }
  const userRank = names.rank.user
  for (const g of groups.values()) g.memberIds.sort((x, y) => userRank.get(x)! - userRank.get(y)!)

  const assignments = snapshot.assignments ?? []
  const access = effectiveAccess(snapshot, names)
  const adminArns = new Set(sorted.permissionSets.filter((p) => p.power.level === 'admin').map((p) => p.arn))
  return inKeyOrder<AccessReport>(KEY_ORDER, {
    access,
    accounts: sorted.accounts,
    assignments: namedAssignments(snapshot, names),
    generatedAt: snapshot.generatedAt,
    groups: sorted.groups,
    instances: snapshot.instances.map((i) => ({
      identityStoreId: i.identityStoreId,
      instanceArn: i.instanceArn,
      region: i.region,
      startUrl: i.startUrl,
    })),
    missing: missingParts(snapshot),
    permissionSets: sorted.permissionSets,
    summary: {
      accounts: accounts.size,
      assignments: assignments.length,
      effectiveAccess: access.length,
      groups: groups.size,
      permissionSets: permissionSets.size,
      users: users.size,
      usersWithAdmin: new Set(access.filter((e) => adminArns.has(e.permissionSetArn)).map((e) => e.userId)).size,
    },
    users: sorted.users,
    version: REPORT_VERSION,
    warnings: snapshot.warnings,
  })
}

/** The same object with its keys in the given order (JSON output reads top-down). */
export function inKeyOrder<T extends object>(order: Array<keyof T>, object: T): T {
  const ordered: Partial<T> = {}
  for (const key of order) if (object[key] !== undefined) ordered[key] = object[key]
  return ordered as T
}

interface Names {
  accountName: (id: string) => string
  groups: Map<string, ReportGroup>
  permissionSetName: (arn: string) => string
  /** Position of each account, permission set and user in the report's order. */
  rank: {account: Map<string, number>; permissionSet: Map<string, number>; user: Map<string, number>}
  userName: (id: string) => string
}

function namedAssignments(snapshot: DiscoverSnapshot, names: Names): ReportAssignment[] {
  const {account, permissionSet} = names.rank
  return (snapshot.assignments ?? [])
    .map((a) => ({
      accountId: a.accountId,
      accountName: names.accountName(a.accountId),
      permissionSetArn: a.permissionSetArn,
      permissionSetName: names.permissionSetName(a.permissionSetArn),
      principalId: a.principalId,
      principalName:
        a.principalType === 'USER' ? names.userName(a.principalId) : names.groups.get(a.principalId)!.displayName,
      principalType: a.principalType,
    }))
    .sort(
      (x, y) =>
        account.get(x.accountId)! - account.get(y.accountId)! ||
        permissionSet.get(x.permissionSetArn)! - permissionSet.get(y.permissionSetArn)! ||
        byText(x.principalType, y.principalType) ||
        byName(x.principalName, y.principalName) ||
        byText(x.principalId, y.principalId),
    )
}

const rank = <T>(items: T[], key: (item: T) => string): Map<string, number> =>
  new Map(items.map((item, i) => [key(item), i]))

/** Direct first, then groups by name. */
const pathOrder = (p: AccessPath): string =>
  p.via === 'direct' ? '' : `${p.groupName.toLowerCase()}\u0000${p.groupId}`

/** Accounts by OU path, then name, then id. */
function compareAccounts(x: ReportAccount, y: ReportAccount): number {
  const px = (x.ouPath ?? []).join('\u0000')
  const py = (y.ouPath ?? []).join('\u0000')
  return byName(px, py) || byName(x.name, y.name) || byText(x.id, y.id)
}

/** Strongest first (the matrix reads left to right from admin), then by name. */
function comparePermissionSets(x: ReportPermissionSet, y: ReportPermissionSet): number {
  return (
    POWER_ORDER.indexOf(x.power.level) - POWER_ORDER.indexOf(y.power.level) ||
    byName(x.name, y.name) ||
    byText(x.arn, y.arn)
  )
}

/**
 * Every (user, account, permission set) a user reaches, directly or through the groups they are in, with
 * each path (direct first, then groups by name). Group assignments whose members are not in the snapshot add
 * nothing here (see `missing`). Sorted by user, then account and permission set in the report's order.
 */
export function effectiveAccess(
  snapshot: Pick<DiscoverSnapshot, 'assignments' | 'groups'>,
  names: Names,
): AccessEntry[] {
  const entries = new Map<string, AccessEntry>()
  const add = (userId: string, accountId: string, permissionSetArn: string, path: AccessPath): void => {
    const key = `${userId}\u0000${accountId}\u0000${permissionSetArn}`
    let entry = entries.get(key)
    if (!entry) {
      entry = {
        accountId,
        accountName: names.accountName(accountId),
        paths: [],
        permissionSetArn,
        permissionSetName: names.permissionSetName(permissionSetArn),
        userId,
        userName: names.userName(userId),
      }
      entries.set(key, entry)
    }

    entry.paths.push(path)
  }

  for (const a of snapshot.assignments ?? []) {
    if (a.principalType === 'USER') {
      add(a.principalId, a.accountId, a.permissionSetArn, {via: 'direct'})
      continue
    }

    const group = names.groups.get(a.principalId)
    for (const member of group?.memberIds ?? [])
      add(member, a.accountId, a.permissionSetArn, {
        groupId: a.principalId,
        groupName: group!.displayName,
        via: 'group',
      })
  }

  for (const entry of entries.values())
    if (entry.paths.length > 1) entry.paths.sort((x, y) => byText(pathOrder(x), pathOrder(y)))
  // One numeric key per entry: a hundred thousand entries sort in milliseconds instead of a second.
  const {account, permissionSet, user} = names.rank
  const keyed = [...entries.values()].map((entry) => ({
    entry,
    key:
      (user.get(entry.userId)! * account.size + account.get(entry.accountId)!) * permissionSet.size +
      permissionSet.get(entry.permissionSetArn)!,
  }))
  return keyed.sort((x, y) => x.key - y.key).map((k) => k.entry)
}
