import type {AccessApi} from '../../aws/access-api.js'
import type {SnapshotAssignment} from '../../discovery/snapshot.js'
import type {
  AccessDirectory,
  AccessSource,
  AccountRef,
  CallerRole,
  FailedCreation,
  InstanceInfo,
  Lookup,
  PermissionSetRef,
  ProvisioningState,
  UnreadablePart,
  UserRef,
} from './types.js'

import {AwsAccessDeniedError} from '../../aws/errors.js'
import {mapConcurrently} from '../../discovery/concurrency.js'
import {SsokitError} from '../../errors.js'
import {ACCOUNT_ID, findAccountIn, findPermissionSetIn, findUserIn, PERMISSION_SET_ARN, USER_ID} from './lookup.js'

/** Users read at most for near-match suggestions (100 per page): a very large store is searched in part. */
const USER_PAGES_FOR_SUGGESTIONS = 20
/** Failed creation attempts looked at, most recent first (one DescribeAccountAssignmentCreationStatus each). */
const FAILED_CREATIONS_READ = 20
const CONCURRENCY = 8

/**
 * The assignment question answered with live calls, as few as the question needs: the user by GetUserId, their
 * groups by ListGroupMembershipsForMember, the account by DescribeAccount, and ListAccountAssignments for the one
 * account and permission set asked about. Names are read only for what the answer shows. Optional parts
 * (names, provisioning, creation attempts) that cannot be read are recorded in `unreadable`; the parts the
 * answer cannot do without (the user, the memberships, the assignments) throw.
 */
export class LiveDirectory implements AccessDirectory {
  readonly callerRole: CallerRole
  readonly cannotSee: string[] = []
  readonly instance: InstanceInfo
  readonly source: AccessSource
  readonly unreadable: UnreadablePart[] = []
  private readonly accountNames = new Map<string, Promise<null | string>>()
  private failed?: Promise<FailedCreation[] | undefined>
  private readonly groupNames = new Map<string, Promise<string>>()
  private readonly organizationsRegion: string
  private readonly permissionSets = new Map<string, Promise<PermissionSetRef | undefined>>()
  private readonly provisioned = new Map<string, Promise<ProvisioningState | undefined>>()

  constructor(
    private readonly api: AccessApi,
    options: {
      callerAccount: null | string
      callerRole: CallerRole
      instance: InstanceInfo
      organizationsRegion: string
    },
  ) {
    const {callerAccount, callerRole, instance} = options
    this.callerRole = callerRole
    this.instance = instance
    this.organizationsRegion = options.organizationsRegion
    this.source = {
      callerAccount,
      callerRole,
      instanceArn: instance.instanceArn,
      kind: 'live',
      region: instance.region,
    }
  }

  async assignments(scope: {
    accountId?: string
    permissionSetArn?: string
    principals: {groupIds: string[]; userId: string}
  }): Promise<SnapshotAssignment[]> {
    const {accountId, permissionSetArn} = scope
    if (accountId && permissionSetArn)
      return this.api.listAccountAssignments(this.instance, accountId, permissionSetArn)
    const principals = [
      {id: scope.principals.userId, type: 'USER' as const},
      ...scope.principals.groupIds.map((id) => ({id, type: 'GROUP' as const})),
    ]
    const wanted = new Set(principals.map((p) => p.id))
    const perAccount = async (accountIds: string[]): Promise<SnapshotAssignment[]> => {
      this.cannotSee.push(
        'Assignments were read per account and provisioned permission set: an assignment whose permission set was never provisioned to the account is not seen this way.',
      )
      const pairs = (
        await mapConcurrently(accountIds, CONCURRENCY, async (id) =>
          [...((await this.provisioning(id))?.provisioned ?? [])].map((arn) => [id, arn] as const),
        )
      ).flat()
      const lists = await mapConcurrently(pairs, CONCURRENCY, ([id, arn]) =>
        this.api.listAccountAssignments(this.instance, id, arn),
      )
      return lists.flat().filter((a) => wanted.has(a.principalId))
    }

    const perPrincipal = async (): Promise<SnapshotAssignment[]> => {
      const lists = await mapConcurrently(principals, CONCURRENCY, (p) =>
        this.api.listAccountAssignmentsForPrincipal(this.instance, p.type, p.id, accountId),
      )
      // Filter again: the account filter is a hint to the service, the answer must hold either way.
      return lists.flat().filter((a) => accountId === undefined || a.accountId === accountId)
    }

    // ListAccountAssignmentsForPrincipal works only for the management account (one call per principal); a
    // delegated administrator reads per account and permission set instead.
    const provisionedCount = accountId ? ((await this.provisioning(accountId))?.provisioned.size ?? Infinity) : Infinity
    const preferPrincipal = this.callerRole !== 'delegated-admin' && principals.length <= provisionedCount
    if (!preferPrincipal && accountId) return perAccount([accountId])
    try {
      return await perPrincipal()
    } catch (error) {
      if (!(error instanceof AwsAccessDeniedError)) throw error
      this.unreadable.push(unreadableOf('assignments per principal', error))
      const accountIds = accountId
        ? [accountId]
        : (await this.api.listAccounts(this.organizationsRegion)).map((a) => a.id)
      return perAccount(accountIds)
    }
  }

  async failedCreations(accountId: string): Promise<FailedCreation[] | undefined> {
    this.failed ??= this.optional('failed assignment attempts', async () => {
      const ids = (await this.api.listFailedAssignmentCreations(this.instance)).slice(-FAILED_CREATIONS_READ)
      const all = await mapConcurrently(ids, CONCURRENCY, (id) =>
        this.api.describeAssignmentCreation(this.instance, id),
      )
      return all.flatMap((s) =>
        s.status === 'FAILED' && s.targetId && s.permissionSetArn && s.principalId
          ? [
              {
                createdDate: s.createdDate,
                failureReason: s.failureReason,
                permissionSetArn: s.permissionSetArn,
                principalId: s.principalId,
                principalType: s.principalType ?? 'USER',
                requestId: s.requestId,
                targetId: s.targetId,
              },
            ]
          : [],
      )
    })
    const all = await this.failed
    return all?.filter((f) => f.targetId === accountId)
  }

  async findAccount(query: string): Promise<Lookup<AccountRef>> {
    if (ACCOUNT_ID.test(query)) {
      const denied = Symbol('denied')
      const account = await this.optional(
        'account',
        () => this.api.describeAccount(this.organizationsRegion, query),
        denied,
      )
      if (account === denied)
        return {
          found: {id: query, name: null},
          note: 'Organizations could not be read: the account id was not checked.',
        }
      if (account) {
        this.accountNames.set(account.id, Promise.resolve(account.name))
        return {found: {id: account.id, name: account.name}}
      }

      return {candidates: [], reason: `No account ${query} in the organization.`}
    }

    const accounts = await this.api.listAccounts(this.organizationsRegion)
    for (const a of accounts) this.accountNames.set(a.id, Promise.resolve(a.name))
    return findAccountIn(
      accounts.map((a) => ({id: a.id, name: a.name})),
      query,
      'the organization',
    )
  }

  async findPermissionSet(query: string, accountId?: string): Promise<Lookup<PermissionSetRef>> {
    if (query.startsWith('arn:')) {
      const found = PERMISSION_SET_ARN.test(query) ? await this.describePermissionSet(query) : undefined
      if (found) return {found}
      return {candidates: [], reason: `No permission set ${query} in instance ${this.instance.instanceArn}.`}
    }

    // The permission sets provisioned to the account first (usually a few), then the rest of the instance.
    const provisioned = accountId ? [...((await this.provisioning(accountId))?.provisioned ?? [])] : []
    const first = await this.describeAll(provisioned)
    const hit = findPermissionSetIn(first, query, 'the account')
    if (hit.found && !hit.note) return hit
    const all = await this.describeAll(await this.api.listPermissionSetArns(this.instance))
    return findPermissionSetIn(all, query, `instance ${this.instance.instanceArn}`)
  }

  async findUser(query: string): Promise<Lookup<UserRef>> {
    const byId = USER_ID.test(query) ? await this.api.describeUser(this.instance, query) : undefined
    if (byId) return {found: byId}
    let id = await this.api.findUserId(this.instance, 'userName', query)
    if (!id && query.includes('@')) id = await this.api.findUserId(this.instance, 'emails.value', query)
    const user = id ? await this.api.describeUser(this.instance, id) : undefined
    if (user) return {found: user}
    // Not by a unique attribute: by display name or case, with near matches (one listing of the store).
    const {complete, users} = await this.api.listUsers(this.instance, USER_PAGES_FOR_SUGGESTIONS)
    const found = findUserIn(users, query, `identity store ${this.instance.identityStoreId}`)
    if (!found.found && !complete)
      found.reason += ` Only the first ${users.length} users were searched for near matches.`
    return found
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.api.listGroupIdsForMember(this.instance, userId)
  }

  async names(ids: {accountIds?: string[]; groupIds?: string[]; permissionSetArns?: string[]}) {
    const [accounts, groups, permissionSets] = await Promise.all([
      mapConcurrently(ids.accountIds ?? [], CONCURRENCY, async (id) => [id, await this.accountName(id)] as const),
      mapConcurrently(ids.groupIds ?? [], CONCURRENCY, async (id) => [id, await this.groupName(id)] as const),
      mapConcurrently(
        ids.permissionSetArns ?? [],
        CONCURRENCY,
        async (arn) => [arn, (await this.describePermissionSet(arn))?.name ?? arn] as const,
      ),
    ])
    return {
      accounts: new Map(accounts.flatMap(([id, name]) => (name === null ? [] : [[id, name] as const]))),
      groups: new Map(groups),
      permissionSets: new Map(permissionSets),
    }
  }

  /** Both lists: every provisioned permission set, and those whose latest version is; the difference is outdated. */
  async provisioning(accountId: string): Promise<ProvisioningState | undefined> {
    let entry = this.provisioned.get(accountId)
    if (!entry) {
      entry = this.optional(`provisioning to ${accountId}`, async () => {
        const [all, latest] = await Promise.all([
          this.api.listPermissionSetsProvisionedToAccount(this.instance, accountId),
          this.api.listPermissionSetsProvisionedToAccount(
            this.instance,
            accountId,
            'LATEST_PERMISSION_SET_PROVISIONED',
          ),
        ])
        const current = new Set(latest)
        return {outdated: new Set(all.filter((arn) => !current.has(arn))), provisioned: new Set(all)}
      })
      this.provisioned.set(accountId, entry)
    }

    return entry
  }

  private accountName(id: string): Promise<null | string> {
    let entry = this.accountNames.get(id)
    if (!entry) {
      entry = this.optional(
        `account ${id}`,
        async () => (await this.api.describeAccount(this.organizationsRegion, id))?.name ?? null,
      ).then((name) => name ?? null)
      this.accountNames.set(id, entry)
    }

    return entry
  }

  private describeAll(arns: string[]): Promise<PermissionSetRef[]> {
    return mapConcurrently(arns, CONCURRENCY, (arn) => this.describePermissionSet(arn)).then((list) =>
      list.filter((p): p is PermissionSetRef => p !== undefined),
    )
  }

  private describePermissionSet(arn: string): Promise<PermissionSetRef | undefined> {
    let entry = this.permissionSets.get(arn)
    if (!entry) {
      entry = this.api
        .describePermissionSet(this.instance, arn)
        .then((p) => (p ? {arn: p.arn, name: p.name} : undefined))
      this.permissionSets.set(arn, entry)
    }

    return entry
  }

  private groupName(id: string): Promise<string> {
    let entry = this.groupNames.get(id)
    if (!entry) {
      entry = this.optional(
        `group ${id}`,
        async () => (await this.api.describeGroup(this.instance, id))?.displayName ?? id,
      ).then((name) => name ?? id)
      this.groupNames.set(id, entry)
    }

    return entry
  }

  /** A part the answer can do without: a failure is recorded (with the IAM action if refused) and `fallback` returned. */
  private async optional<T, F = undefined>(part: string, read: () => Promise<T>, fallback?: F): Promise<F | T> {
    try {
      return await read()
    } catch (error) {
      if (!(error instanceof SsokitError) || error.code === 'LOGIN_REQUIRED') throw error
      this.unreadable.push(unreadableOf(part, error))
      return fallback as F
    }
  }
}

export function unreadableOf(part: string, error: SsokitError): UnreadablePart {
  return {
    ...(error instanceof AwsAccessDeniedError ? {action: error.action} : {}),
    code: error.code,
    message: error.message,
    part,
  }
}

export {type AccessUser} from '../../aws/access-api.js'
