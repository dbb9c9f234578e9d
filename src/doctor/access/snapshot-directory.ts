import type {DiscoverSnapshot, SnapshotAssignment} from '../../discovery/snapshot.js'
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

import {BadInputError} from '../../errors.js'
import {ACCOUNT_ID, findAccountIn, findPermissionSetIn, findUserIn} from './lookup.js'

/**
 * The assignment question answered from a `ssokit discover --all --out FILE` snapshot: no request at all. The
 * snapshot has users, groups with members, accounts, permission sets and assignments; it has no provisioning
 * state, no creation attempts, no OU path and no policies, and says so.
 */
export class SnapshotDirectory implements AccessDirectory {
  readonly callerRole: CallerRole
  readonly cannotSee: string[]
  readonly instance: InstanceInfo
  readonly source: AccessSource
  readonly unreadable: UnreadablePart[] = []

  constructor(
    private readonly snapshot: DiscoverSnapshot,
    file: string,
    now: Date = new Date(),
  ) {
    const missing = (['users', 'groups', 'assignments'] as const).filter((k) => snapshot[k] === undefined)
    if (missing.length > 0) {
      throw new BadInputError(
        `Snapshot ${file} has no ${missing.join(', ')}: doctor access needs one from \`ssokit discover --all --out FILE\`.`,
        'SNAPSHOT_INCOMPLETE',
      )
    }

    const instance = snapshot.instances.find((i) => i.status === 'ACTIVE') ?? snapshot.instances[0]
    if (!instance) throw new BadInputError(`Snapshot ${file} has no Identity Center instance.`, 'SNAPSHOT_INCOMPLETE')
    this.instance = {
      identityStoreId: instance.identityStoreId,
      instanceArn: instance.instanceArn,
      ownerAccountId: instance.ownerAccountId,
      region: instance.region,
    }
    const callerAccount = snapshot.caller?.account
    this.callerRole = callerAccount
      ? callerAccount === instance.ownerAccountId
        ? 'management'
        : 'delegated-admin'
      : 'unknown'
    const generated = Date.parse(snapshot.generatedAt)
    const ageSeconds = Number.isNaN(generated) ? 0 : Math.max(0, Math.round((now.getTime() - generated) / 1000))
    this.source = {ageSeconds, file, generatedAt: snapshot.generatedAt, kind: 'snapshot'}
    this.cannotSee = [
      'The snapshot records no provisioning state and no failed assignment attempts: not-provisioned and assignment-failed need a live run (without --from).',
      `The snapshot is as of ${snapshot.generatedAt}: assignments and memberships changed since are not in it.`,
    ]
    for (const w of snapshot.warnings) this.cannotSee.push(`The snapshot is incomplete (${w.scope}): ${w.message}`)
  }

  async assignments(scope: {
    accountId?: string
    permissionSetArn?: string
    principals: {groupIds: string[]; userId: string}
  }): Promise<SnapshotAssignment[]> {
    const principals = new Set([scope.principals.userId, ...scope.principals.groupIds])
    return this.snapshot.assignments!.filter(
      (a) =>
        (scope.accountId === undefined || a.accountId === scope.accountId) &&
        (scope.permissionSetArn === undefined
          ? principals.has(a.principalId)
          : a.permissionSetArn === scope.permissionSetArn),
    )
  }

  async failedCreations(): Promise<FailedCreation[] | undefined> {
    return undefined
  }

  async findAccount(query: string): Promise<Lookup<AccountRef>> {
    const {accounts} = this.snapshot
    if (!accounts) {
      if (ACCOUNT_ID.test(query))
        return {
          found: {id: query, name: null},
          note: 'The snapshot has no account list: the account id was not checked.',
        }
      return {candidates: [], reason: `The snapshot has no account list, so account "${query}" must be given as an id.`}
    }

    return findAccountIn(accounts, query, 'the snapshot')
  }

  async findPermissionSet(query: string): Promise<Lookup<PermissionSetRef>> {
    const permissionSets = this.snapshot.permissionSets ?? []
    const found = findPermissionSetIn(permissionSets, query, 'the snapshot')
    if (!found.found && !this.snapshot.permissionSets && query.startsWith('arn:'))
      return {found: {arn: query, name: query}}
    return found
  }

  async findUser(query: string): Promise<Lookup<UserRef>> {
    return findUserIn(this.snapshot.users!, query, 'the snapshot')
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.snapshot.groups!.filter((g) => g.memberIds.includes(userId)).map((g) => g.id)
  }

  async names(ids: {accountIds?: string[]; groupIds?: string[]; permissionSetArns?: string[]}) {
    const accounts = new Map((this.snapshot.accounts ?? []).map((a) => [a.id, a.name]))
    const groups = new Map(this.snapshot.groups!.map((g) => [g.id, g.displayName]))
    const permissionSets = new Map((this.snapshot.permissionSets ?? []).map((p) => [p.arn, p.name]))
    const pick = (map: Map<string, string>, keys: string[] = []) =>
      new Map(keys.flatMap((k) => (map.has(k) ? [[k, map.get(k)!] as const] : [])))
    return {
      accounts: pick(accounts, ids.accountIds),
      groups: pick(groups, ids.groupIds),
      permissionSets: pick(permissionSets, ids.permissionSetArns),
    }
  }

  async provisioning(): Promise<ProvisioningState | undefined> {
    return undefined
  }
}
