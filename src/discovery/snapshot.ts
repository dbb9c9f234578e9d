/**
 * The discover snapshot (README: ssokit discover): what `ssokit discover --json` prints and `--out FILE` saves, and what
 * `ssokit generate --from FILE` reads back. Two runs against the same data give the same bytes apart from
 * `generatedAt` and `stats`: every array is sorted here, and arrays the user did not ask for are absent.
 */
import type {
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotCaller,
  SnapshotGroup,
  SnapshotOrganizationalUnit,
  SnapshotPermissionSet,
  SnapshotPolicies,
  SnapshotUser,
} from '../aws/records.js'

import {readRegularFile} from '../config/write.js'
import {BadInputError, messageOf} from '../errors.js'

export type {
  PrincipalType,
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotCaller,
  SnapshotGroup,
  SnapshotOrganizationalUnit,
  SnapshotPermissionSet,
  SnapshotPolicies,
  SnapshotUser,
} from '../aws/records.js'

export const SNAPSHOT_VERSION = 1

export interface SnapshotInstance {
  identityStoreId: string
  instanceArn: string
  name: null | string
  ownerAccountId: string
  region: string
  /** The access-portal URL: the default form for the partition, or `--start-url`. */
  startUrl: string
  /** `default`: derived from the identity store id (a custom alias cannot be discovered); `option`: `--start-url`. */
  startUrlSource: 'default' | 'option'
  status: string
}

/** Something asked for that could not be read completely, and why. */
export interface SnapshotWarning {
  /** The IAM action that was refused, when that is the reason. */
  action?: string
  /** Stable code, e.g. `ACCESS_DENIED`, `NOT_IN_ORGANIZATION`, `DELEGATED_ADMIN`. */
  code: string
  message: string
  /**
   * What is incomplete: `accounts`, `organizationalUnits`, `permissionSets`, `policies`, `users`, `groups`,
   * `assignments`, `instances`, `caller`.
   */
  scope: string
}

export interface SnapshotStats {
  assignmentStrategy?: AssignmentStrategyName
  /** Requests and throttles per AWS service (`sso-admin`, `identitystore`, `organizations`, `sts`), sorted by name. */
  byService?: Record<string, {requests: number; throttled: number}>
  durationMs: number
  requests: number
  throttled: number
}

export type AssignmentStrategyName = 'per-account' | 'per-principal'

export interface DiscoverSnapshot {
  accounts?: SnapshotAccount[]
  assignments?: SnapshotAssignment[]
  caller: null | SnapshotCaller
  generatedAt: string
  groups?: SnapshotGroup[]
  instances: SnapshotInstance[]
  /** Roots and organizational units, sorted by id (discover `--organizational-units`). */
  organizationalUnits?: SnapshotOrganizationalUnit[]
  permissionSets?: SnapshotPermissionSet[]
  /** Regions where ListInstances was called, sorted. */
  searchedRegions: string[]
  stats: SnapshotStats
  users?: SnapshotUser[]
  version: typeof SNAPSHOT_VERSION
  warnings: SnapshotWarning[]
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Compare by several keys in turn. Plain code-unit order: the same bytes on every machine and locale. */
function byKeys<T>(...keys: Array<(item: T) => string>): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = byString(key(a), key(b))
      if (order !== 0) return order
    }

    return 0
  }
}

export const compareAssignments = byKeys<SnapshotAssignment>(
  (a) => a.accountId,
  (a) => a.permissionSetArn,
  (a) => a.principalType,
  (a) => a.principalId,
)

export function assignmentKey(a: SnapshotAssignment): string {
  return `${a.accountId}\u0000${a.permissionSetArn}\u0000${a.principalType}\u0000${a.principalId}`
}

/*
 * Each record rebuilt with its keys in the order the README shows (ssokit's additions after them): the same
 * bytes whatever order the data was gathered in.
 */
const canonicalInstance = (i: SnapshotInstance): SnapshotInstance => ({
  instanceArn: i.instanceArn,
  identityStoreId: i.identityStoreId,
  ownerAccountId: i.ownerAccountId,
  region: i.region,
  name: i.name,
  status: i.status,
  startUrl: i.startUrl,
  startUrlSource: i.startUrlSource,
})
const canonicalAccount = (a: SnapshotAccount): SnapshotAccount => ({
  id: a.id,
  name: a.name,
  email: a.email,
  status: a.status,
  ...(a.parentId === undefined ? {} : {parentId: a.parentId}),
})
const canonicalOrganizationalUnit = (u: SnapshotOrganizationalUnit): SnapshotOrganizationalUnit => ({
  id: u.id,
  name: u.name,
  parentId: u.parentId,
})
const canonicalPolicies = (p: SnapshotPolicies): SnapshotPolicies => ({
  awsManaged: [...new Set(p.awsManaged)].sort(byString),
  customerManaged: [...new Set(p.customerManaged)].sort(byString),
  inline: p.inline ? {sha256: p.inline.sha256, allowsEverything: p.inline.allowsEverything} : null,
})
const canonicalPermissionSet = (p: SnapshotPermissionSet): SnapshotPermissionSet => ({
  arn: p.arn,
  name: p.name,
  description: p.description,
  sessionDuration: p.sessionDuration,
  ...(p.policies === undefined ? {} : {policies: canonicalPolicies(p.policies)}),
})
const canonicalUser = (u: SnapshotUser): SnapshotUser => ({
  id: u.id,
  userName: u.userName,
  displayName: u.displayName,
  email: u.email,
  identityStoreId: u.identityStoreId,
})
const canonicalGroup = (g: SnapshotGroup): SnapshotGroup => ({
  id: g.id,
  displayName: g.displayName,
  memberIds: [...new Set(g.memberIds)].sort(byString),
  identityStoreId: g.identityStoreId,
})
const canonicalAssignment = (a: SnapshotAssignment): SnapshotAssignment => ({
  accountId: a.accountId,
  permissionSetArn: a.permissionSetArn,
  principalType: a.principalType,
  principalId: a.principalId,
})
const canonicalWarning = (w: SnapshotWarning): SnapshotWarning => ({
  scope: w.scope,
  code: w.code,
  message: w.message,
  ...(w.action === undefined ? {} : {action: w.action}),
})
const canonicalStats = (s: SnapshotStats): SnapshotStats => ({
  requests: s.requests,
  throttled: s.throttled,
  durationMs: s.durationMs,
  ...(s.assignmentStrategy === undefined ? {} : {assignmentStrategy: s.assignmentStrategy}),
  ...(s.byService === undefined
    ? {}
    : {
        byService: Object.fromEntries(
          Object.keys(s.byService)
            .sort(byString)
            .map((name) => [name, {requests: s.byService![name].requests, throttled: s.byService![name].throttled}]),
        ),
      }),
})

/**
 * The snapshot in its canonical form: keys in the order the README shows, arrays sorted (instances by region and
 * ARN, accounts by id, organizational units by id, permission sets by name, users by user name, groups by display
 * name, assignments by
 * account, permission set, principal), duplicate assignments dropped, arrays not asked for left absent.
 */
export function canonicalSnapshot(snapshot: DiscoverSnapshot): DiscoverSnapshot {
  const out: DiscoverSnapshot = {
    version: SNAPSHOT_VERSION,
    generatedAt: snapshot.generatedAt,
    caller: snapshot.caller ? {account: snapshot.caller.account, arn: snapshot.caller.arn} : null,
    instances: snapshot.instances.map(canonicalInstance).sort(
      byKeys(
        (i) => i.region,
        (i) => i.instanceArn,
      ),
    ),
    searchedRegions: [...new Set(snapshot.searchedRegions)].sort(byString),
    stats: canonicalStats(snapshot.stats),
    warnings: snapshot.warnings.map(canonicalWarning).sort(
      byKeys(
        (w) => w.scope,
        (w) => w.code,
        (w) => w.message,
      ),
    ),
  }
  if (snapshot.accounts) out.accounts = snapshot.accounts.map(canonicalAccount).sort(byKeys((a) => a.id))
  if (snapshot.organizationalUnits)
    out.organizationalUnits = snapshot.organizationalUnits.map(canonicalOrganizationalUnit).sort(byKeys((u) => u.id))
  if (snapshot.permissionSets)
    out.permissionSets = snapshot.permissionSets.map(canonicalPermissionSet).sort(
      byKeys(
        (p) => p.name,
        (p) => p.arn,
      ),
    )
  if (snapshot.users)
    out.users = snapshot.users.map(canonicalUser).sort(
      byKeys(
        (u) => u.userName,
        (u) => u.id,
      ),
    )
  if (snapshot.groups)
    out.groups = snapshot.groups.map(canonicalGroup).sort(
      byKeys(
        (g) => g.displayName,
        (g) => g.id,
      ),
    )
  if (snapshot.assignments) {
    const unique = new Map(snapshot.assignments.map((a) => [assignmentKey(a), canonicalAssignment(a)]))
    out.assignments = [...unique.values()].sort(compareAssignments)
  }

  return orderKeys(out)
}

/** Key order of the JSON document: as the README shows it, then ssokit's additions, `stats` last. */
const KEY_ORDER: Array<keyof DiscoverSnapshot> = [
  'version',
  'generatedAt',
  'caller',
  'instances',
  'accounts',
  'organizationalUnits',
  'permissionSets',
  'users',
  'groups',
  'assignments',
  'searchedRegions',
  'warnings',
  'stats',
]

function orderKeys(snapshot: DiscoverSnapshot): DiscoverSnapshot {
  const ordered: Record<string, unknown> = {}
  for (const key of KEY_ORDER) if (snapshot[key] !== undefined) ordered[key] = snapshot[key]
  return ordered as unknown as DiscoverSnapshot
}

/** The bytes `--out` writes. */
export function serializeSnapshot(snapshot: DiscoverSnapshot): string {
  return JSON.stringify(canonicalSnapshot(snapshot), null, 2) + '\n'
}

// ---- reading a snapshot back (generate --from FILE) ----

class ShapeError extends Error {}

type Json = unknown

function expectObject(value: Json, where: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeError(`${where} must be an object`)
  return value as Record<string, Json>
}

function expectString(value: Json, where: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${where} must be a string`)
  return value
}

function expectNullableString(value: Json, where: string): null | string {
  if (value === null || value === undefined) return null
  return expectString(value, where)
}

function expectArray(value: Json, where: string): Json[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} must be an array`)
  return value
}

function optionalArray<T>(
  doc: Record<string, Json>,
  key: string,
  read: (item: Json, where: string) => T,
): T[] | undefined {
  if (doc[key] === undefined) return undefined
  return expectArray(doc[key], key).map((item, index) => read(item, `${key}[${index}]`))
}

function readInstance(item: Json, where: string): SnapshotInstance {
  const o = expectObject(item, where)
  const source = o.startUrlSource ?? 'default'
  if (source !== 'default' && source !== 'option')
    throw new ShapeError(`${where}.startUrlSource must be "default" or "option"`)
  return {
    identityStoreId: expectString(o.identityStoreId, `${where}.identityStoreId`),
    instanceArn: expectString(o.instanceArn, `${where}.instanceArn`),
    name: expectNullableString(o.name, `${where}.name`),
    ownerAccountId: expectString(o.ownerAccountId, `${where}.ownerAccountId`),
    region: expectString(o.region, `${where}.region`),
    startUrl: expectString(o.startUrl, `${where}.startUrl`),
    startUrlSource: source,
    status: expectString(o.status, `${where}.status`),
  }
}

function expectMatching(value: Json, pattern: RegExp, where: string, what: string): string {
  const text = expectString(value, where)
  if (!pattern.test(text)) throw new ShapeError(`${where} must be ${what}`)
  return text
}

/** Organizations root and OU ids (Organizations API reference, `ParentId` pattern). */
const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/
const AWS_MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/[\w+=,.@/-]{1,512}$/
const CUSTOMER_MANAGED_POLICY = /^\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/

function readAccount(item: Json, where: string): SnapshotAccount {
  const o = expectObject(item, where)
  const id = expectString(o.id, `${where}.id`)
  if (!/^\d{12}$/.test(id)) throw new ShapeError(`${where}.id must be a 12-digit account id`)
  const account: SnapshotAccount = {
    email: expectNullableString(o.email, `${where}.email`),
    id,
    name: expectString(o.name, `${where}.name`),
    status: expectNullableString(o.status, `${where}.status`),
  }
  if (o.parentId !== undefined)
    account.parentId = expectMatching(o.parentId, PARENT_ID, `${where}.parentId`, 'a root or OU id (r-…, ou-…)')
  return account
}

function readOrganizationalUnit(item: Json, where: string): SnapshotOrganizationalUnit {
  const o = expectObject(item, where)
  return {
    id: expectMatching(o.id, PARENT_ID, `${where}.id`, 'a root or OU id (r-…, ou-…)'),
    name: expectString(o.name, `${where}.name`),
    parentId:
      o.parentId === null
        ? null
        : expectMatching(o.parentId, PARENT_ID, `${where}.parentId`, 'null or a root or OU id (r-…, ou-…)'),
  }
}

function readPolicies(value: Json, where: string): SnapshotPolicies {
  const o = expectObject(value, where)
  const list = (key: string, pattern: RegExp, what: string): string[] =>
    expectArray(o[key], `${where}.${key}`).map((v, i) => expectMatching(v, pattern, `${where}.${key}[${i}]`, what))
  let inline: SnapshotPolicies['inline'] = null
  if (o.inline !== null) {
    const i = expectObject(o.inline, `${where}.inline`)
    if (typeof i.allowsEverything !== 'boolean')
      throw new ShapeError(`${where}.inline.allowsEverything must be a boolean`)
    inline = {
      allowsEverything: i.allowsEverything,
      sha256: expectMatching(i.sha256, /^[0-9a-f]{64}$/, `${where}.inline.sha256`, 'a SHA-256 in hex'),
    }
  }

  return {
    awsManaged: list('awsManaged', AWS_MANAGED_POLICY_ARN, 'an AWS managed policy ARN'),
    customerManaged: list('customerManaged', CUSTOMER_MANAGED_POLICY, 'a policy path and name (/path/Name)'),
    inline,
  }
}

function readPermissionSet(item: Json, where: string): SnapshotPermissionSet {
  const o = expectObject(item, where)
  const permissionSet: SnapshotPermissionSet = {
    arn: expectString(o.arn, `${where}.arn`),
    description: expectNullableString(o.description, `${where}.description`),
    name: expectString(o.name, `${where}.name`),
    sessionDuration: expectNullableString(o.sessionDuration, `${where}.sessionDuration`),
  }
  if (o.policies !== undefined) permissionSet.policies = readPolicies(o.policies, `${where}.policies`)
  return permissionSet
}

function readUser(item: Json, where: string): SnapshotUser {
  const o = expectObject(item, where)
  return {
    displayName: expectNullableString(o.displayName, `${where}.displayName`),
    email: expectNullableString(o.email, `${where}.email`),
    id: expectString(o.id, `${where}.id`),
    identityStoreId: expectNullableString(o.identityStoreId, `${where}.identityStoreId`) ?? '',
    userName: expectString(o.userName, `${where}.userName`),
  }
}

function readGroup(item: Json, where: string): SnapshotGroup {
  const o = expectObject(item, where)
  return {
    displayName: expectString(o.displayName, `${where}.displayName`),
    id: expectString(o.id, `${where}.id`),
    identityStoreId: expectNullableString(o.identityStoreId, `${where}.identityStoreId`) ?? '',
    memberIds: expectArray(o.memberIds ?? [], `${where}.memberIds`).map((m, i) =>
      expectString(m, `${where}.memberIds[${i}]`),
    ),
  }
}

function readAssignment(item: Json, where: string): SnapshotAssignment {
  const o = expectObject(item, where)
  const {principalType} = o
  if (principalType !== 'USER' && principalType !== 'GROUP')
    throw new ShapeError(`${where}.principalType must be "USER" or "GROUP"`)
  return {
    accountId: expectString(o.accountId, `${where}.accountId`),
    permissionSetArn: expectString(o.permissionSetArn, `${where}.permissionSetArn`),
    principalId: expectString(o.principalId, `${where}.principalId`),
    principalType,
  }
}

function readWarning(item: Json, where: string): SnapshotWarning {
  const o = expectObject(item, where)
  const warning: SnapshotWarning = {
    code: expectString(o.code, `${where}.code`),
    message: expectString(o.message, `${where}.message`),
    scope: expectString(o.scope, `${where}.scope`),
  }
  if (o.action !== undefined) warning.action = expectString(o.action, `${where}.action`)
  return warning
}

function readStats(value: Json): SnapshotStats {
  if (value === undefined) return {durationMs: 0, requests: 0, throttled: 0}
  const o = expectObject(value, 'stats')
  const num = (v: Json, key: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(`stats.${key} must be a number`)
    return v
  }

  const stats: SnapshotStats = {
    durationMs: num(o.durationMs, 'durationMs'),
    requests: num(o.requests, 'requests'),
    throttled: num(o.throttled, 'throttled'),
  }
  if (o.assignmentStrategy === 'per-account' || o.assignmentStrategy === 'per-principal')
    stats.assignmentStrategy = o.assignmentStrategy
  if (o.byService !== undefined) {
    const byService = expectObject(o.byService, 'stats.byService')
    stats.byService = Object.fromEntries(
      Object.entries(byService).map(([name, count]) => {
        const c = expectObject(count, `stats.byService.${name}`)
        return [
          name,
          {
            requests: num(c.requests, `byService.${name}.requests`),
            throttled: num(c.throttled, `byService.${name}.throttled`),
          },
        ]
      }),
    )
  }

  return stats
}

/** Validates a parsed JSON document as a snapshot; throws a plain message (the caller adds the file name). */
export function parseSnapshot(document: Json): DiscoverSnapshot {
  const doc = expectObject(document, 'the document')
  if (doc.version !== SNAPSHOT_VERSION) {
    throw new ShapeError(
      `"version" must be ${SNAPSHOT_VERSION} (found ${JSON.stringify(doc.version)}); is this an ssokit discover snapshot?`,
    )
  }

  const callerDoc = doc.caller === null || doc.caller === undefined ? null : expectObject(doc.caller, 'caller')
  const snapshot: DiscoverSnapshot = {
    caller: callerDoc
      ? {account: expectString(callerDoc.account, 'caller.account'), arn: expectString(callerDoc.arn, 'caller.arn')}
      : null,
    generatedAt: expectString(doc.generatedAt, 'generatedAt'),
    instances: expectArray(doc.instances, 'instances').map((item, index) => readInstance(item, `instances[${index}]`)),
    searchedRegions: expectArray(doc.searchedRegions ?? [], 'searchedRegions').map((r, i) =>
      expectString(r, `searchedRegions[${i}]`),
    ),
    stats: readStats(doc.stats),
    version: SNAPSHOT_VERSION,
    warnings: expectArray(doc.warnings ?? [], 'warnings').map((item, index) => readWarning(item, `warnings[${index}]`)),
  }
  const accounts = optionalArray(doc, 'accounts', readAccount)
  const organizationalUnits = optionalArray(doc, 'organizationalUnits', readOrganizationalUnit)
  const permissionSets = optionalArray(doc, 'permissionSets', readPermissionSet)
  const users = optionalArray(doc, 'users', readUser)
  const groups = optionalArray(doc, 'groups', readGroup)
  const assignments = optionalArray(doc, 'assignments', readAssignment)
  if (accounts) snapshot.accounts = accounts
  if (organizationalUnits) snapshot.organizationalUnits = organizationalUnits
  if (permissionSets) snapshot.permissionSets = permissionSets
  if (users) snapshot.users = users
  if (groups) snapshot.groups = groups
  if (assignments) snapshot.assignments = assignments
  return snapshot
}

/**
 * Reads and validates a snapshot saved by `ssokit discover --out FILE`. Anything unreadable is a BadInputError
 * (exit 3) naming the file and what is wrong.
 */
export async function readSnapshot(path: string): Promise<DiscoverSnapshot> {
  const bytes = await readRegularFile(path, 'snapshot')
  if (bytes === undefined)
    throw new BadInputError(`Cannot read snapshot ${path}: there is no such file.`, 'FILE_UNREADABLE')
  const text = bytes.toString('utf8')

  let document: Json
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new BadInputError(`Snapshot ${path} is not valid JSON: ${messageOf(error)}`, 'SNAPSHOT_INVALID', {
      cause: error,
    })
  }

  try {
    return parseSnapshot(document)
  } catch (error) {
    if (error instanceof ShapeError) {
      throw new BadInputError(
        `Snapshot ${path} is not an ssokit discover snapshot: ${error.message}`,
        'SNAPSHOT_INVALID',
        {
          suggestions: ['Create one with: ssokit discover --all --out FILE'],
        },
      )
    }

    throw error
  }
}
