import type {User as IdentityStoreUser} from '@aws-sdk/client-identitystore'
import type {
  AccountAssignment,
  AccountAssignmentForPrincipal,
  AttachedManagedPolicy,
  CustomerManagedPolicyReference,
  PermissionSet,
} from '@aws-sdk/client-sso-admin'

import type {AwsSession} from './clients.js'
import type {
  PrincipalType,
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotCaller,
  SnapshotGroup,
  SnapshotPermissionSet,
  SnapshotUser,
} from './records.js'

import {type AwsCallContext, classifyAwsError} from './errors.js'

/**
 * The AWS calls discovery makes, as plain data in and out. The discovery logic depends on this interface only,
 * so it can be tested against a small in-memory fake as well as against real SDK clients (moto).
 * Every method follows all pages, asks for each API's maximum page size, and throws typed ssokit errors.
 */
export interface IdentityCenterApi {
  callerIdentity(region: string): Promise<SnapshotCaller>
  describePermissionSet(target: InstanceTarget, permissionSetArn: string): Promise<SnapshotPermissionSet>
  listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<SnapshotAssignment[]>
  listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    principalType: PrincipalType,
    principalId: string,
  ): Promise<SnapshotAssignment[]>
  /** Organizations ListAccountsForParent: ids of the accounts directly under a root or OU. */
  listAccountIdsForParent(region: string, parentId: string): Promise<string[]>
  /** Organizations ListAccounts: the organization's accounts (Organizations is global; `region` picks the partition). */
  listAccounts(region: string): Promise<SnapshotAccount[]>
  /** SSO admin ListCustomerManagedPolicyReferencesInPermissionSet, as path + name (`/team/Deploy`). */
  listCustomerManagedPolicies(target: InstanceTarget, permissionSetArn: string): Promise<string[]>
  listGroupMemberIds(target: InstanceTarget, groupId: string): Promise<string[]>
  listGroups(target: InstanceTarget): Promise<Array<Omit<SnapshotGroup, 'memberIds'>>>
  /** `timeoutMs` bounds the whole call (retries included): a region scan must not wait on a silent endpoint. */
  listInstances(region: string, options?: {timeoutMs?: number}): Promise<InstanceRecord[]>
  /** SSO admin ListManagedPoliciesInPermissionSet: the AWS managed policy ARNs attached. */
  listManagedPolicyArns(target: InstanceTarget, permissionSetArn: string): Promise<string[]>
  /** Organizations ListOrganizationalUnitsForParent: the OUs directly under a root or OU. */
  listOrganizationalUnitsForParent(region: string, parentId: string): Promise<OrganizationNode[]>
  listPermissionSetArns(target: InstanceTarget): Promise<string[]>
  listPermissionSetsProvisionedToAccount(target: InstanceTarget, accountId: string): Promise<string[]>
  /** Organizations ListRoots. */
  listRoots(region: string): Promise<OrganizationNode[]>
  listUsers(target: InstanceTarget): Promise<SnapshotUser[]>
  /**
   * Starts loading what later calls in these regions will need (SDK clients), so that the loading overlaps the
   * first requests; a region left out is not used. Failures surface on the calls themselves.
   */
  preload?(regions: {identityStoreRegion?: string; organizationsRegion?: string}): void
  /** SSO admin GetInlinePolicyForPermissionSet: the policy document, or null when there is none. */
  readInlinePolicy(target: InstanceTarget, permissionSetArn: string): Promise<null | string>
}

/** A root or organizational unit. */
export interface OrganizationNode {
  id: string
  name: string
}

/** Where an instance's data lives. */
export interface InstanceTarget {
  identityStoreId: string
  instanceArn: string
  region: string
}

/** An instance as ListInstances returns it (the start URL is derived later). */
export interface InstanceRecord extends InstanceTarget {
  name: null | string
  ownerAccountId: string
  status: string
}

/** Page sizes: each API's documented maximum. */
export const PAGE_SIZE = {identityStore: 100, organizations: 20, ssoAdmin: 100} as const

type PageFetcher<T> = (token: string | undefined) => Promise<{items: T[] | undefined; next: string | undefined}>

/**
 * Follows NextToken to the end. A token that comes back twice would loop for ever: stop with an error
 * instead.
 */
export async function collectPages<T>(fetchPage: PageFetcher<T>): Promise<T[]> {
  return (await collectSomePages(fetchPage, Number.POSITIVE_INFINITY)).items
}

/** Follows NextToken for at most `maxPages` pages; `complete` is false when there were more. */
export async function collectSomePages<T>(
  fetchPage: PageFetcher<T>,
  maxPages: number,
): Promise<{complete: boolean; items: T[]}> {
  const items: T[] = []
  const seen = new Set<string>()
  let token: string | undefined
  let pages = 0
  do {
    // Pages depend on each other through the token: sequential by nature.
    // eslint-disable-next-line no-await-in-loop
    const page = await fetchPage(token)
    pages++
    items.push(...(page.items ?? []))
    token = page.next || undefined
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`pagination returned the same NextToken twice`)
      seen.add(token)
    }
  } while (token !== undefined && pages < maxPages)

  return {complete: token === undefined, items}
}

/**
 * The one way ssokit calls each Identity Center operation that both discovery (SdkIdentityCenterApi) and doctor
 * access (SdkAccessApi, src/aws/access-api.ts) need: the session's clients (so its budgets, retries and stats),
 * each API's largest page, every page, errors classified (typed ssokit errors; the SDK error is their `cause`).
 * Records come back as the SDK returns them; each API maps them to its own shapes.
 */
export class IdentityCenterCalls {
  constructor(readonly session: AwsSession) {}

  /** Runs one AWS call and turns its failure into a typed ssokit error. */
  async call<T>(context: AwsCallContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw classifyAwsError(error, context, this.session.profile)
    }
  }

  async callerIdentity(region: string): Promise<SnapshotCaller> {
    return this.call({action: 'sts:GetCallerIdentity', region}, async () => {
      const {client, sdk} = await this.session.sts(region)
      const out = await client.send(new sdk.GetCallerIdentityCommand({}))
      return {account: out.Account ?? '', arn: out.Arn ?? ''}
    })
  }

  async describePermissionSet(target: InstanceTarget, permissionSetArn: string): Promise<PermissionSet> {
    return this.call({action: 'sso:DescribePermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const out = await client.send(
        new sdk.DescribePermissionSetCommand({InstanceArn: target.instanceArn, PermissionSetArn: permissionSetArn}),
      )
      return out.PermissionSet ?? {}
    })
  }

  async getInlinePolicy(target: InstanceTarget, permissionSetArn: string): Promise<string | undefined> {
    return this.call({action: 'sso:GetInlinePolicyForPermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const out = await client.send(
        new sdk.GetInlinePolicyForPermissionSetCommand({
          InstanceArn: target.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      )
      return out.InlinePolicy
    })
  }

  async listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<AccountAssignment[]> {
    return this.call({action: 'sso:ListAccountAssignments', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      return collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListAccountAssignmentsCommand({
            AccountId: accountId,
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
            PermissionSetArn: permissionSetArn,
          }),
        )
        return {items: out.AccountAssignments, next: out.NextToken}
      })
    })
  }

  /** Management account only; `accountId` narrows it to one account. */
  async listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    principalType: PrincipalType,
    principalId: string,
    accountId?: string,
  ): Promise<AccountAssignmentForPrincipal[]> {
    return this.call({action: 'sso:ListAccountAssignmentsForPrincipal', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      return collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListAccountAssignmentsForPrincipalCommand({
            ...(accountId ? {Filter: {AccountId: accountId}} : {}),
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
            PrincipalId: principalId,
            PrincipalType: principalType,
          }),
        )
        return {items: out.AccountAssignments, next: out.NextToken}
      })
    })
  }

  /** Organizations ListAccounts (Organizations is global; `region` picks the partition). */
  async listAccounts(region: string): Promise<SnapshotAccount[]> {
    return this.call({action: 'organizations:ListAccounts', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(new sdk.ListAccountsCommand({MaxResults: PAGE_SIZE.organizations, NextToken}))
        return {items: out.Accounts, next: out.NextToken}
      })
      return items.map((a) => toAccount(a))
    })
  }

  async listCustomerManagedPolicyReferences(
    target: InstanceTarget,
    permissionSetArn: string,
  ): Promise<CustomerManagedPolicyReference[]> {
    return this.call(
      {action: 'sso:ListCustomerManagedPolicyReferencesInPermissionSet', region: target.region},
      async () => {
        const {client, sdk} = await this.session.ssoAdmin(target.region)
        return collectPages(async (NextToken) => {
          const out = await client.send(
            new sdk.ListCustomerManagedPolicyReferencesInPermissionSetCommand({
              InstanceArn: target.instanceArn,
              MaxResults: PAGE_SIZE.ssoAdmin,
              NextToken,
              PermissionSetArn: permissionSetArn,
            }),
          )
          return {items: out.CustomerManagedPolicyReferences, next: out.NextToken}
        })
      },
    )
  }

  async listInstances(region: string, options: {timeoutMs?: number} = {}): Promise<InstanceRecord[]> {
    return this.call({action: 'sso:ListInstances', region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(region)
      const abortSignal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(new sdk.ListInstancesCommand({MaxResults: PAGE_SIZE.ssoAdmin, NextToken}), {
          abortSignal,
        })
        return {items: out.Instances, next: out.NextToken}
      })
      return items.map((i) => ({
        identityStoreId: i.IdentityStoreId ?? '',
        instanceArn: i.InstanceArn ?? '',
        name: i.Name || null,
        ownerAccountId: i.OwnerAccountId ?? '',
        region,
        status: i.Status ?? 'UNKNOWN',
      }))
    })
  }

  async listManagedPolicies(target: InstanceTarget, permissionSetArn: string): Promise<AttachedManagedPolicy[]> {
    return this.call({action: 'sso:ListManagedPoliciesInPermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      return collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListManagedPoliciesInPermissionSetCommand({
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
            PermissionSetArn: permissionSetArn,
          }),
        )
        return {items: out.AttachedManagedPolicies, next: out.NextToken}
      })
    })
  }

  async listPermissionSetArns(target: InstanceTarget): Promise<string[]> {
    return this.call({action: 'sso:ListPermissionSets', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      return collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListPermissionSetsCommand({
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
          }),
        )
        return {items: out.PermissionSets, next: out.NextToken}
      })
    })
  }

  async listPermissionSetsProvisionedToAccount(
    target: InstanceTarget,
    accountId: string,
    status?: ProvisioningStatusFilter,
  ): Promise<string[]> {
    return this.call({action: 'sso:ListPermissionSetsProvisionedToAccount', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      return collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListPermissionSetsProvisionedToAccountCommand({
            AccountId: accountId,
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
            ...(status ? {ProvisioningStatus: status} : {}),
          }),
        )
        return {items: out.PermissionSets, next: out.NextToken}
      })
    })
  }

  /** Identity store ListUsers, up to `maxPages` pages of 100 (`complete` false when there were more). */
  async listUsers(
    target: InstanceTarget,
    maxPages = Number.POSITIVE_INFINITY,
  ): Promise<{complete: boolean; items: IdentityStoreUser[]}> {
    return this.call({action: 'identitystore:ListUsers', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      return collectSomePages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListUsersCommand({
            IdentityStoreId: target.identityStoreId,
            MaxResults: PAGE_SIZE.identityStore,
            NextToken,
          }),
        )
        return {items: out.Users, next: out.NextToken}
      }, maxPages)
    })
  }
}

export type ProvisioningStatusFilter = 'LATEST_PERMISSION_SET_NOT_PROVISIONED' | 'LATEST_PERMISSION_SET_PROVISIONED'

export function toAccount(a: {
  Email?: string
  Id?: string
  Name?: string
  State?: string
  Status?: string
}): SnapshotAccount {
  // `State` replaces the deprecated `Status`; older responses only have `Status`.
  return {email: a.Email ?? null, id: a.Id ?? '', name: a.Name ?? '', status: a.State ?? a.Status ?? null}
}

export function primaryEmail(emails: Array<{Primary?: boolean; Value?: string}> | undefined): null | string {
  if (!emails || emails.length === 0) return null
  return (emails.find((e) => e.Primary) ?? emails[0]).Value ?? null
}

function principalTypeOf(value: string | undefined): PrincipalType {
  if (value === 'USER' || value === 'GROUP') return value
  throw new Error(`unexpected PrincipalType ${JSON.stringify(value)}`)
}

/** The SDK-backed implementation: real clients from an {@link AwsSession}. */
export class SdkIdentityCenterApi implements IdentityCenterApi {
  private readonly calls: IdentityCenterCalls
  private readonly session: AwsSession

  constructor(session: AwsSession) {
    this.session = session
    this.calls = new IdentityCenterCalls(session)
  }

  async callerIdentity(region: string): Promise<SnapshotCaller> {
    return this.calls.callerIdentity(region)
  }

  async describePermissionSet(target: InstanceTarget, permissionSetArn: string): Promise<SnapshotPermissionSet> {
    const ps = await this.calls.describePermissionSet(target, permissionSetArn)
    return {
      arn: ps.PermissionSetArn ?? permissionSetArn,
      description: ps.Description ?? null,
      name: ps.Name ?? permissionSetArn,
      sessionDuration: ps.SessionDuration ?? null,
    }
  }

  async listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<SnapshotAssignment[]> {
    const items = await this.calls.listAccountAssignments(target, accountId, permissionSetArn)
    return this.calls.call({action: 'sso:ListAccountAssignments', region: target.region}, async () =>
      items.map((a) => ({
        accountId: a.AccountId ?? accountId,
        permissionSetArn: a.PermissionSetArn ?? permissionSetArn,
        principalId: a.PrincipalId ?? '',
        principalType: principalTypeOf(a.PrincipalType),
      })),
    )
  }

  async listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    principalType: PrincipalType,
    principalId: string,
  ): Promise<SnapshotAssignment[]> {
    const items = await this.calls.listAccountAssignmentsForPrincipal(target, principalType, principalId)
    return this.calls.call({action: 'sso:ListAccountAssignmentsForPrincipal', region: target.region}, async () =>
      items.map((a) => ({
        accountId: a.AccountId ?? '',
        permissionSetArn: a.PermissionSetArn ?? '',
        principalId: a.PrincipalId ?? principalId,
        principalType: principalTypeOf(a.PrincipalType ?? principalType),
      })),
    )
  }

  async listAccountIdsForParent(region: string, parentId: string): Promise<string[]> {
    return this.calls.call({action: 'organizations:ListAccountsForParent', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListAccountsForParentCommand({MaxResults: PAGE_SIZE.organizations, NextToken, ParentId: parentId}),
        )
        return {items: out.Accounts, next: out.NextToken}
      })
      return items.flatMap((a) => (a.Id ? [a.Id] : []))
    })
  }

  async listAccounts(region: string): Promise<SnapshotAccount[]> {
    return this.calls.listAccounts(region)
  }

  async listCustomerManagedPolicies(target: InstanceTarget, permissionSetArn: string): Promise<string[]> {
    const items = await this.calls.listCustomerManagedPolicyReferences(target, permissionSetArn)
    // The path defaults to `/` (IAM's default) when the reference was created without one.
    return items.flatMap((r) => (r.Name ? [`${r.Path || '/'}${r.Name}`] : []))
  }

  async listGroupMemberIds(target: InstanceTarget, groupId: string): Promise<string[]> {
    return this.calls.call({action: 'identitystore:ListGroupMemberships', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListGroupMembershipsCommand({
            GroupId: groupId,
            IdentityStoreId: target.identityStoreId,
            MaxResults: PAGE_SIZE.identityStore,
            NextToken,
          }),
        )
        return {items: out.GroupMemberships, next: out.NextToken}
      })
      return items.flatMap((m) =>
        m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId ? [m.MemberId.UserId] : [],
      )
    })
  }

  async listGroups(target: InstanceTarget): Promise<Array<Omit<SnapshotGroup, 'memberIds'>>> {
    return this.calls.call({action: 'identitystore:ListGroups', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListGroupsCommand({
            IdentityStoreId: target.identityStoreId,
            MaxResults: PAGE_SIZE.identityStore,
            NextToken,
          }),
        )
        return {items: out.Groups, next: out.NextToken}
      })
      return items.map((g) => ({
        displayName: g.DisplayName ?? g.GroupId ?? '',
        id: g.GroupId ?? '',
        identityStoreId: target.identityStoreId,
      }))
    })
  }

  async listInstances(region: string, options: {timeoutMs?: number} = {}): Promise<InstanceRecord[]> {
    return this.calls.listInstances(region, options)
  }

  async listManagedPolicyArns(target: InstanceTarget, permissionSetArn: string): Promise<string[]> {
    const items = await this.calls.listManagedPolicies(target, permissionSetArn)
    return items.flatMap((p) => (p.Arn ? [p.Arn] : []))
  }

  async listOrganizationalUnitsForParent(region: string, parentId: string): Promise<OrganizationNode[]> {
    return this.calls.call({action: 'organizations:ListOrganizationalUnitsForParent', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListOrganizationalUnitsForParentCommand({
            MaxResults: PAGE_SIZE.organizations,
            NextToken,
            ParentId: parentId,
          }),
        )
        return {items: out.OrganizationalUnits, next: out.NextToken}
      })
      return items.flatMap((u) => (u.Id ? [{id: u.Id, name: u.Name ?? u.Id}] : []))
    })
  }

  async listPermissionSetArns(target: InstanceTarget): Promise<string[]> {
    return this.calls.listPermissionSetArns(target)
  }

  async listPermissionSetsProvisionedToAccount(target: InstanceTarget, accountId: string): Promise<string[]> {
    return this.calls.listPermissionSetsProvisionedToAccount(target, accountId)
  }

  async listRoots(region: string): Promise<OrganizationNode[]> {
    return this.calls.call({action: 'organizations:ListRoots', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(new sdk.ListRootsCommand({MaxResults: PAGE_SIZE.organizations, NextToken}))
        return {items: out.Roots, next: out.NextToken}
      })
      return items.flatMap((r) => (r.Id ? [{id: r.Id, name: r.Name ?? 'Root'}] : []))
    })
  }

  async listUsers(target: InstanceTarget): Promise<SnapshotUser[]> {
    const {items} = await this.calls.listUsers(target)
    return items.map((u) => ({
      displayName: u.DisplayName || null,
      email: primaryEmail(u.Emails),
      id: u.UserId ?? '',
      identityStoreId: target.identityStoreId,
      userName: u.UserName ?? u.UserId ?? '',
    }))
  }

  preload(regions: {identityStoreRegion?: string; organizationsRegion?: string}): void {
    const loading = [
      regions.identityStoreRegion && this.session.identityStore(regions.identityStoreRegion),
      regions.organizationsRegion && this.session.organizations(regions.organizationsRegion),
    ]
    for (const client of loading) if (client) client.catch(() => {})
  }

  async readInlinePolicy(target: InstanceTarget, permissionSetArn: string): Promise<null | string> {
    return (await this.calls.getInlinePolicy(target, permissionSetArn)) || null
  }
}
