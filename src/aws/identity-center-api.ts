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

/**
 * Follows NextToken to the end. A token that comes back twice would loop for ever: stop with an error
 * instead.
 */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<{items: T[] | undefined; next: string | undefined}>,
): Promise<T[]> {
  const items: T[] = []
  const seen = new Set<string>()
  let token: string | undefined
  do {
    // Pages depend on each other through the token: sequential by nature.
    // eslint-disable-next-line no-await-in-loop
    const page = await fetchPage(token)
    items.push(...(page.items ?? []))
    token = page.next || undefined
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`pagination returned the same NextToken twice`)
      seen.add(token)
    }
  } while (token !== undefined)

  return items
}

function primaryEmail(emails: Array<{Primary?: boolean; Value?: string}> | undefined): null | string {
  if (!emails || emails.length === 0) return null
  return (emails.find((e) => e.Primary) ?? emails[0]).Value ?? null
}

function principalTypeOf(value: string | undefined): PrincipalType {
  if (value === 'USER' || value === 'GROUP') return value
  throw new Error(`unexpected PrincipalType ${JSON.stringify(value)}`)
}

/** The SDK-backed implementation: real clients from an {@link AwsSession}. */
export class SdkIdentityCenterApi implements IdentityCenterApi {
  constructor(private readonly session: AwsSession) {}

  async callerIdentity(region: string): Promise<SnapshotCaller> {
    return this.call({action: 'sts:GetCallerIdentity', region}, async () => {
      const {client, sdk} = await this.session.sts(region)
      const out = await client.send(new sdk.GetCallerIdentityCommand({}))
      return {account: out.Account ?? '', arn: out.Arn ?? ''}
    })
  }

  async describePermissionSet(target: InstanceTarget, permissionSetArn: string): Promise<SnapshotPermissionSet> {
    return this.call({action: 'sso:DescribePermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const out = await client.send(
        new sdk.DescribePermissionSetCommand({InstanceArn: target.instanceArn, PermissionSetArn: permissionSetArn}),
      )
      const ps = out.PermissionSet ?? {}
      return {
        arn: ps.PermissionSetArn ?? permissionSetArn,
        description: ps.Description ?? null,
        name: ps.Name ?? permissionSetArn,
        sessionDuration: ps.SessionDuration ?? null,
      }
    })
  }

  async listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<SnapshotAssignment[]> {
    return this.call({action: 'sso:ListAccountAssignments', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const items = await collectPages(async (NextToken) => {
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
      return items.map((a) => ({
        accountId: a.AccountId ?? accountId,
        permissionSetArn: a.PermissionSetArn ?? permissionSetArn,
        principalId: a.PrincipalId ?? '',
        principalType: principalTypeOf(a.PrincipalType),
      }))
    })
  }

  async listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    principalType: PrincipalType,
    principalId: string,
  ): Promise<SnapshotAssignment[]> {
    return this.call({action: 'sso:ListAccountAssignmentsForPrincipal', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListAccountAssignmentsForPrincipalCommand({
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
            PrincipalId: principalId,
            PrincipalType: principalType,
          }),
        )
        return {items: out.AccountAssignments, next: out.NextToken}
      })
      return items.map((a) => ({
        accountId: a.AccountId ?? '',
        permissionSetArn: a.PermissionSetArn ?? '',
        principalId: a.PrincipalId ?? principalId,
        principalType: principalTypeOf(a.PrincipalType ?? principalType),
      }))
    })
  }

  async listAccountIdsForParent(region: string, parentId: string): Promise<string[]> {
    return this.call({action: 'organizations:ListAccountsForParent', region}, async () => {
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
    return this.call({action: 'organizations:ListAccounts', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(new sdk.ListAccountsCommand({MaxResults: PAGE_SIZE.organizations, NextToken}))
        return {items: out.Accounts, next: out.NextToken}
      })
      return items.map((a) => ({
        email: a.Email ?? null,
        id: a.Id ?? '',
        name: a.Name ?? '',
        // `State` replaces the deprecated `Status`; older responses only have `Status`.
        status: a.State ?? a.Status ?? null,
      }))
    })
  }

  async listCustomerManagedPolicies(target: InstanceTarget, permissionSetArn: string): Promise<string[]> {
    return this.call(
      {action: 'sso:ListCustomerManagedPolicyReferencesInPermissionSet', region: target.region},
      async () => {
        const {client, sdk} = await this.session.ssoAdmin(target.region)
        const items = await collectPages(async (NextToken) => {
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
        // The path defaults to `/` (IAM's default) when the reference was created without one.
        return items.flatMap((r) => (r.Name ? [`${r.Path || '/'}${r.Name}`] : []))
      },
    )
  }

  async listGroupMemberIds(target: InstanceTarget, groupId: string): Promise<string[]> {
    return this.call({action: 'identitystore:ListGroupMemberships', region: target.region}, async () => {
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
    return this.call({action: 'identitystore:ListGroups', region: target.region}, async () => {
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

  async listManagedPolicyArns(target: InstanceTarget, permissionSetArn: string): Promise<string[]> {
    return this.call({action: 'sso:ListManagedPoliciesInPermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const items = await collectPages(async (NextToken) => {
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
      return items.flatMap((p) => (p.Arn ? [p.Arn] : []))
    })
  }

  async listOrganizationalUnitsForParent(region: string, parentId: string): Promise<OrganizationNode[]> {
    return this.call({action: 'organizations:ListOrganizationalUnitsForParent', region}, async () => {
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

  async listPermissionSetsProvisionedToAccount(target: InstanceTarget, accountId: string): Promise<string[]> {
    return this.call({action: 'sso:ListPermissionSetsProvisionedToAccount', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      return collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListPermissionSetsProvisionedToAccountCommand({
            AccountId: accountId,
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
          }),
        )
        return {items: out.PermissionSets, next: out.NextToken}
      })
    })
  }

  async listRoots(region: string): Promise<OrganizationNode[]> {
    return this.call({action: 'organizations:ListRoots', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(new sdk.ListRootsCommand({MaxResults: PAGE_SIZE.organizations, NextToken}))
        return {items: out.Roots, next: out.NextToken}
      })
      return items.flatMap((r) => (r.Id ? [{id: r.Id, name: r.Name ?? 'Root'}] : []))
    })
  }

  async listUsers(target: InstanceTarget): Promise<SnapshotUser[]> {
    return this.call({action: 'identitystore:ListUsers', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListUsersCommand({
            IdentityStoreId: target.identityStoreId,
            MaxResults: PAGE_SIZE.identityStore,
            NextToken,
          }),
        )
        return {items: out.Users, next: out.NextToken}
      })
      return items.map((u) => ({
        displayName: u.DisplayName || null,
        email: primaryEmail(u.Emails),
        id: u.UserId ?? '',
        identityStoreId: target.identityStoreId,
        userName: u.UserName ?? u.UserId ?? '',
      }))
    })
  }

  async readInlinePolicy(target: InstanceTarget, permissionSetArn: string): Promise<null | string> {
    return this.call({action: 'sso:GetInlinePolicyForPermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const out = await client.send(
        new sdk.GetInlinePolicyForPermissionSetCommand({
          InstanceArn: target.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      )
      return out.InlinePolicy || null
    })
  }

  private async call<T>(context: AwsCallContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw classifyAwsError(error, context, this.session.profile)
    }
  }
}
