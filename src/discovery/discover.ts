import type {RequestCount, RequestStats} from '../aws/clients.js'
import type {IdentityCenterApi, InstanceRecord} from '../aws/identity-center-api.js'

import {defaultRegionOf, partitionOf} from '../aws/regions.js'
import {readAccounts} from './accounts.js'
import {auditAssignments} from './assignments.js'
import {findInstances} from './instances.js'
import {type OrganizationTree, readOrganizationTree} from './organization.js'
import {describePermissionSets, readPermissionSetArns} from './permission-sets.js'
import {readPermissionSetPolicies} from './policies.js'
import {listPrincipals, type Principals, readMemberships} from './principals.js'
import {type ProgressReporter, silentProgress} from './progress.js'
import {
  type AssignmentStrategyName,
  canonicalSnapshot,
  type DiscoverSnapshot,
  SNAPSHOT_VERSION,
  type SnapshotAccount,
  type SnapshotAssignment,
  type SnapshotCaller,
  type SnapshotGroup,
  type SnapshotInstance,
  type SnapshotPermissionSet,
  type SnapshotUser,
  type SnapshotWarning,
} from './snapshot.js'
import {defaultStartUrl} from './start-url.js'
import {readOptional} from './warnings.js'

/** What to discover. Instances and the start URL always; the rest only when asked. */
export interface DiscoverRequest {
  accounts: boolean
  assignments: boolean
  /** Calls in flight at once (the rate limiter decides how many start per second). */
  concurrency: number
  /** Region asked first when `regions` is empty: AWS_REGION or the profile's region. */
  configuredRegion?: string
  /** Also read what the human-readable view needs to show names (accounts, permission sets, principals). */
  names: boolean
  /** The organization's roots and OUs, and each account's parent (implies `accounts`). */
  organizationalUnits?: boolean
  permissionSets: boolean
  /** Each permission set's managed policies and inline-policy summary (implies `permissionSets`). */
  policies?: boolean
  /** Users and groups with memberships. */
  principals: boolean
  progress?: ProgressReporter
  /** `--region`. */
  regions?: string[]
  /** `--start-url`: the portal URL when the organization uses a custom alias. */
  startUrl?: string
  strategy?: AssignmentStrategyName
}

/** Names for ids, for the table view (also when the snapshot does not carry the arrays they come from). */
export interface NameLookup {
  accounts: Map<string, string>
  permissionSets: Map<string, string>
  principals: Map<string, string>
}

export interface DiscoverOutcome {
  names: NameLookup
  snapshot: DiscoverSnapshot
}

interface InstanceDetails {
  accounts?: SnapshotAccount[]
  assignments?: SnapshotAssignment[]
  groups?: SnapshotGroup[]
  permissionSets?: SnapshotPermissionSet[]
  strategy?: AssignmentStrategyName
  users?: SnapshotUser[]
}

/** ISO-8601 to the second, as the README's snapshot shows. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function toSnapshotInstance(record: InstanceRecord, startUrl: string | undefined): SnapshotInstance {
  return {
    identityStoreId: record.identityStoreId,
    instanceArn: record.instanceArn,
    name: record.name,
    ownerAccountId: record.ownerAccountId,
    region: record.region,
    startUrl: startUrl ?? defaultStartUrl(record.identityStoreId, record.region),
    startUrlSource: startUrl ? 'option' : 'default',
    status: record.status,
  }
}

/**
 * Discovers Identity Center from admin credentials and returns the snapshot (README: ssokit discover). Refusals on
 * optional parts (Organizations, identity store, assignment APIs) become `warnings`; a refusal on
 * ListInstances, a network failure or bad credentials is thrown as a typed error.
 */
export async function discover(
  api: IdentityCenterApi,
  stats: Partial<Pick<RequestStats, 'byService'>> & Readonly<RequestCount>,
  asked: DiscoverRequest,
): Promise<DiscoverOutcome> {
  const request = withImpliedParts(asked)
  const started = performance.now()
  const progress = request.progress ?? silentProgress
  const warnings: SnapshotWarning[] = []

  progress.watchRequests?.(stats)
  const homeRegion = request.regions?.[0] ?? request.configuredRegion ?? defaultRegionOf('aws')
  preloadClients(api, request, homeRegion)
  // STS and sso-admin have budgets of their own: ask both at once.
  const [caller, {instances: records, searchedRegions}] = await Promise.all([
    readOptional<SnapshotCaller>('caller', warnings, () => api.callerIdentity(homeRegion)),
    findInstances(api, {
      concurrency: request.concurrency,
      configuredRegion: request.configuredRegion,
      progress,
      regions: request.regions,
    }),
  ])

  if (request.startUrl && records.length > 1) {
    warnings.push({
      code: 'START_URL_AMBIGUOUS',
      message: `--start-url was applied to all ${records.length} instances found; use --region to pick one.`,
      scope: 'instances',
    })
  }

  const instances = records.map((r) => toSnapshotInstance(r, request.startUrl))
  const active = records.filter((r) => r.status === 'ACTIVE')
  for (const r of records.filter((r) => r.status !== 'ACTIVE')) {
    warnings.push({
      code: 'INSTANCE_NOT_ACTIVE',
      message: `Instance ${r.instanceArn} in ${r.region} is ${r.status}; its contents were not read.`,
      scope: 'instances',
    })
  }

  const wantsDetails = request.accounts || request.permissionSets || request.principals || request.assignments
  const details: InstanceDetails[] = []
  let organization: OrganizationTree | undefined
  if (wantsDetails && active.length > 0) {
    // Organizations is global: one account list for the run, in the partition of the (first) instance. Read
    // alongside the instance's own lists; only the assignment audit waits for it.
    const {accounts, tree} = readOrganization(api, organizationsRegion(active[0].region), request, warnings)
    for (const record of active) {
      // Instances are few (usually one); each one's reads are concurrent inside.
      // eslint-disable-next-line no-await-in-loop
      details.push(await discoverInstance(api, record, accounts, caller, request, warnings))
    }

    organization = await tree
  }

  const accounts = request.accounts ? withParents(details[0]?.accounts, organization) : undefined
  const snapshot: DiscoverSnapshot = {
    caller: caller ?? null,
    generatedAt: timestamp(new Date()),
    instances,
    searchedRegions,
    stats: {durationMs: 0, requests: 0, throttled: 0},
    version: SNAPSHOT_VERSION,
    warnings,
  }
  if (accounts) snapshot.accounts = accounts
  if (organization) snapshot.organizationalUnits = organization.units
  const permissionSets = request.permissionSets ? allRead(details.map((d) => d.permissionSets)) : undefined
  const users = request.principals ? allRead(details.map((d) => d.users)) : undefined
  const groups = request.principals ? allRead(details.map((d) => d.groups)) : undefined
  const assignments = request.assignments ? allRead(details.map((d) => d.assignments)) : undefined
  if (permissionSets) snapshot.permissionSets = permissionSets
  if (users) snapshot.users = users
  if (groups) snapshot.groups = groups
  if (assignments) snapshot.assignments = assignments
  snapshot.stats = snapshotStats(stats, started, details.find((d) => d.strategy)?.strategy)
  return {names: nameLookup(details), snapshot: canonicalSnapshot(snapshot)}
}

function snapshotStats(
  stats: Partial<Pick<RequestStats, 'byService'>> & Readonly<RequestCount>,
  started: number,
  strategy: AssignmentStrategyName | undefined,
): DiscoverSnapshot['stats'] {
  return {
    ...(strategy ? {assignmentStrategy: strategy} : {}),
    ...(stats.byService ? {byService: stats.byService} : {}),
    durationMs: Math.round(performance.now() - started),
    requests: stats.requests,
    throttled: stats.throttled,
  }
}

/**
 * Loads the identity-store and Organizations clients a run will need while STS and ListInstances are in flight,
 * not after: the account list is read one page after the other, and the assignment audit waits for it.
 */
function preloadClients(api: IdentityCenterApi, request: DiscoverRequest, homeRegion: string): void {
  api.preload?.({
    identityStoreRegion: request.principals || request.assignments ? homeRegion : undefined,
    organizationsRegion:
      request.accounts || request.assignments || request.organizationalUnits
        ? organizationsRegion(homeRegion)
        : undefined,
  })
}

/** OUs need the accounts to place; policies belong to permission sets. */
function withImpliedParts(asked: DiscoverRequest): DiscoverRequest {
  return {
    ...asked,
    accounts: asked.accounts || Boolean(asked.organizationalUnits),
    permissionSets: asked.permissionSets || Boolean(asked.policies),
  }
}

/** The Organizations reads the request needs, started at once: the accounts and the OU tree. */
function readOrganization(
  api: IdentityCenterApi,
  region: string,
  request: DiscoverRequest,
  warnings: SnapshotWarning[],
): {accounts: Promise<SnapshotAccount[] | undefined>; tree: Promise<OrganizationTree | undefined>} {
  const {concurrency, progress} = request
  return {
    accounts:
      request.accounts || request.assignments
        ? readAccounts(api, region, warnings, progress)
        : Promise.resolve(undefined),
    tree: request.organizationalUnits
      ? readOrganizationTree(api, region, {concurrency, progress, warnings})
      : Promise.resolve(undefined),
  }
}

/** Each account with the root or OU it sits in, when the tree was read. */
function withParents(
  accounts: SnapshotAccount[] | undefined,
  organization: OrganizationTree | undefined,
): SnapshotAccount[] | undefined {
  if (!accounts || !organization) return accounts
  return accounts.map((a) => {
    const parentId = organization.parentOf.get(a.id)
    return parentId === undefined ? a : {...a, parentId}
  })
}

/** Organizations' endpoint region for the partition of the instance's region. */
function organizationsRegion(instanceRegion: string): string {
  return defaultRegionOf(partitionOf(instanceRegion))
}

/** The per-instance parts joined, or undefined unless every instance's part could be read. */
function allRead<T>(parts: Array<T[] | undefined>): T[] | undefined {
  if (parts.length === 0 || parts.includes(undefined)) return undefined
  return parts.flatMap((p) => p ?? [])
}

async function discoverInstance(
  api: IdentityCenterApi,
  record: InstanceRecord,
  accountsRead: Promise<SnapshotAccount[] | undefined>,
  caller: SnapshotCaller | undefined,
  request: DiscoverRequest,
  warnings: SnapshotWarning[],
): Promise<InstanceDetails> {
  const {concurrency} = request
  const progress = request.progress ?? silentProgress
  const needPermissionSetArns = request.permissionSets || request.assignments
  const needPermissionSetDetails = request.permissionSets || (request.assignments && request.names)
  const needPrincipals = request.principals || request.assignments

  // Every read starts as soon as what it needs is known, so the budgets (sso-admin, each identity-store API,
  // Organizations) are busy side by side: the audit does not wait for the memberships, nor the permission set
  // details for the users.
  progress.addWork(needPermissionSetArns ? 1 : 0)
  const permissionSetArnsRead = needPermissionSetArns
    ? readPermissionSetArns(api, record, warnings).finally(() => progress.complete())
    : Promise.resolve(undefined)
  const listed: Promise<Principals> = needPrincipals
    ? listPrincipals(api, record, {progress, warnings})
    : Promise.resolve({})
  const principalsRead = request.principals
    ? listed.then((found) => readMemberships(api, record, found, {concurrency, progress, warnings}))
    : listed
  const permissionSetsRead = permissionSetArnsRead.then((arns) =>
    needPermissionSetDetails && arns ? permissionSetDetails(api, record, arns, {...request, warnings}) : undefined,
  )
  const auditRead = request.assignments
    ? Promise.all([permissionSetArnsRead, listed, accountsRead]).then(([permissionSetArns, principals, accounts]) =>
        auditAssignments(api, {
          accountIds: accounts?.map((a) => a.id),
          callerAccountId: caller?.account,
          concurrency,
          permissionSetCount: permissionSetArns?.length,
          principals:
            principals.users && principals.groups
              ? {groupIds: principals.groups.map((g) => g.id), userIds: principals.users.map((u) => u.id)}
              : undefined,
          progress,
          strategy: request.strategy,
          target: record,
        }),
      )
    : Promise.resolve(undefined)
  const [permissionSets, audit, principals, accounts] = await Promise.all([
    permissionSetsRead,
    auditRead,
    principalsRead,
    accountsRead,
  ])
  if (audit) warnings.push(...audit.warnings)
  return {
    accounts,
    assignments: audit?.assignments,
    groups: principals.groups,
    permissionSets,
    strategy: audit?.strategy,
    users: principals.users,
  }
}

/** Each permission set described, with its policies when asked (read alongside). */
async function permissionSetDetails(
  api: IdentityCenterApi,
  record: InstanceRecord,
  arns: string[],
  request: DiscoverRequest & {warnings: SnapshotWarning[]},
): Promise<SnapshotPermissionSet[] | undefined> {
  const {concurrency, progress, warnings} = request
  const [described, policies] = await Promise.all([
    describePermissionSets(api, record, arns, {concurrency, progress, warnings}),
    request.policies ? readPermissionSetPolicies(api, record, arns, {concurrency, progress, warnings}) : undefined,
  ])
  if (!policies) return described
  return described?.map((p) => {
    const found = policies.get(p.arn)
    return found ? {...p, policies: found} : p
  })
}

function nameLookup(details: InstanceDetails[]): NameLookup {
  const names: NameLookup = {accounts: new Map(), permissionSets: new Map(), principals: new Map()}
  for (const d of details) {
    for (const a of d.accounts ?? []) names.accounts.set(a.id, a.name)
    for (const p of d.permissionSets ?? []) names.permissionSets.set(p.arn, p.name)
    for (const u of d.users ?? []) names.principals.set(u.id, u.userName)
    for (const g of d.groups ?? []) names.principals.set(g.id, g.displayName)
  }

  return names
}
