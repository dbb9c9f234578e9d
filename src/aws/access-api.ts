import type {AwsSession} from './clients.js'
import type {PrincipalType, SnapshotAccount, SnapshotAssignment, SnapshotPermissionSet} from './records.js'

import {type AwsCallContext, classifyAwsError} from './errors.js'
import {
  collectPages,
  IdentityCenterCalls,
  type InstanceRecord,
  type InstanceTarget,
  PAGE_SIZE,
  primaryEmail,
  type ProvisioningStatusFilter,
  toAccount,
} from './identity-center-api.js'

export type {ProvisioningStatusFilter} from './identity-center-api.js'

/**
 * The AWS calls `ssokit doctor access` makes, as plain data in and out: the identity store (one user and their
 * groups), sso-admin (assignments, provisioning, creation status, a permission set's policies), Organizations
 * (the account, its path to the root, the SCPs and RCPs there) and IAM (AWS managed policy documents). The
 * access logic depends on this interface only, so it is tested against a fake as well as against moto.
 * Every method follows all pages and throws typed ssokit errors; "not found" answers come back as undefined.
 */
export interface AccessApi {
  callerIdentity(region: string): Promise<{account: string; arn: string}>
  describeAccount(region: string, accountId: string): Promise<SnapshotAccount | undefined>
  /** DescribeAccountAssignmentCreationStatus. */
  describeAssignmentCreation(target: InstanceTarget, requestId: string): Promise<AssignmentCreation>
  describeGroup(target: InstanceTarget, groupId: string): Promise<AccessGroup | undefined>
  describePermissionSet(target: InstanceTarget, permissionSetArn: string): Promise<SnapshotPermissionSet | undefined>
  describePolicy(region: string, policyId: string): Promise<OrgPolicy>
  describeUser(target: InstanceTarget, userId: string): Promise<AccessUser | undefined>
  /** identitystore:GetUserId by a unique attribute (`userName` or `emails.value`). */
  findUserId(target: InstanceTarget, attribute: 'emails.value' | 'userName', value: string): Promise<string | undefined>
  /** The inline policy document, or undefined when the permission set has none. */
  getInlinePolicy(target: InstanceTarget, permissionSetArn: string): Promise<string | undefined>
  /** iam:GetPolicy then iam:GetPolicyVersion of its default version: the document as IAM returns it. */
  getManagedPolicyDocument(region: string, policyArn: string): Promise<string>
  getPermissionsBoundary(target: InstanceTarget, permissionSetArn: string): Promise<PermissionsBoundary | undefined>
  listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<SnapshotAssignment[]>
  /** Management account only; `accountId` narrows it to one account. */
  listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    principalType: PrincipalType,
    principalId: string,
    accountId?: string,
  ): Promise<SnapshotAssignment[]>
  listAccounts(region: string): Promise<SnapshotAccount[]>
  listCustomerManagedPolicyReferences(target: InstanceTarget, permissionSetArn: string): Promise<PolicyReference[]>
  /** ListAccountAssignmentCreationStatus with the FAILED filter: the request ids of failed creations. */
  listFailedAssignmentCreations(target: InstanceTarget): Promise<string[]>
  listGroupIdsForMember(target: InstanceTarget, userId: string): Promise<string[]>
  listInstances(region: string, options?: {timeoutMs?: number}): Promise<InstanceRecord[]>
  listManagedPolicies(target: InstanceTarget, permissionSetArn: string): Promise<Array<{arn: string; name: string}>>
  listParents(region: string, childId: string): Promise<OrgParent[]>
  listPermissionSetArns(target: InstanceTarget): Promise<string[]>
  listPermissionSetsProvisionedToAccount(
    target: InstanceTarget,
    accountId: string,
    status?: ProvisioningStatusFilter,
  ): Promise<string[]>
  /** 'not-enabled' when the policy type is not enabled in the organization. */
  listPoliciesForTarget(
    region: string,
    targetId: string,
    type: OrgPolicyType,
  ): Promise<'not-enabled' | OrgPolicySummary[]>
  /** Every user, up to `maxPages` pages of 100 (`complete` false when there were more). */
  listUsers(target: InstanceTarget, maxPages: number): Promise<{complete: boolean; users: AccessUser[]}>
}

export interface AccessUser {
  displayName: null | string
  email: null | string
  id: string
  userName: string
}

export interface AccessGroup {
  displayName: string
  id: string
}

export interface OrgParent {
  id: string
  type: 'ORGANIZATIONAL_UNIT' | 'ROOT'
}

export type OrgPolicyType = 'RESOURCE_CONTROL_POLICY' | 'SERVICE_CONTROL_POLICY'

export interface OrgPolicySummary {
  arn: string
  awsManaged: boolean
  id: string
  name: string
}

export interface OrgPolicy extends OrgPolicySummary {
  content: string
}

export interface PolicyReference {
  name: string
  path: string
}

export type PermissionsBoundary = {customerManagedPolicy: PolicyReference} | {managedPolicyArn: string}

export interface AssignmentCreation {
  createdDate?: string
  failureReason?: string
  permissionSetArn?: string
  principalId?: string
  principalType?: string
  requestId: string
  status: string
  targetId?: string
}

/** Error codes that mean "no such thing" for the lookups that return undefined. */
const NOT_FOUND = new Set(['AccountNotFoundException', 'NoSuchEntityException', 'ResourceNotFoundException'])

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as {name?: string}).name : undefined
}

function toUser(u: {
  DisplayName?: string
  Emails?: Array<{Primary?: boolean; Value?: string}>
  UserId?: string
  UserName?: string
}): AccessUser {
  return {
    displayName: u.DisplayName || null,
    email: primaryEmail(u.Emails),
    id: u.UserId ?? '',
    userName: u.UserName ?? u.UserId ?? '',
  }
}

function toAssignment(
  a: {AccountId?: string; PermissionSetArn?: string; PrincipalId?: string; PrincipalType?: string},
  defaults: Partial<SnapshotAssignment>,
): SnapshotAssignment {
  const type = a.PrincipalType ?? defaults.principalType
  if (type !== 'USER' && type !== 'GROUP') throw new Error(`unexpected PrincipalType ${JSON.stringify(type)}`)
  return {
    accountId: a.AccountId ?? defaults.accountId ?? '',
    permissionSetArn: a.PermissionSetArn ?? defaults.permissionSetArn ?? '',
    principalId: a.PrincipalId ?? defaults.principalId ?? '',
    principalType: type,
  }
}

function isoDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined
  return value instanceof Date ? value.toISOString() : String(value)
}

/** The SDK-backed implementation, on the clients of one {@link AwsSession} (shared limiter, retries, stats). */
export class SdkAccessApi implements AccessApi {
  /** The calls discovery makes too, made the same way (src/aws/identity-center-api.ts). */
  private readonly calls: IdentityCenterCalls

  constructor(private readonly session: AwsSession) {
    this.calls = new IdentityCenterCalls(session)
  }

  async callerIdentity(region: string): Promise<{account: string; arn: string}> {
    return this.calls.callerIdentity(region)
  }

  async describeAccount(region: string, accountId: string): Promise<SnapshotAccount | undefined> {
    return this.lookup({action: 'organizations:DescribeAccount', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const out = await client.send(new sdk.DescribeAccountCommand({AccountId: accountId}))
      return out.Account ? toAccount(out.Account) : undefined
    })
  }

  async describeAssignmentCreation(target: InstanceTarget, requestId: string): Promise<AssignmentCreation> {
    return this.call({action: 'sso:DescribeAccountAssignmentCreationStatus', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const out = await client.send(
        new sdk.DescribeAccountAssignmentCreationStatusCommand({
          AccountAssignmentCreationRequestId: requestId,
          InstanceArn: target.instanceArn,
        }),
      )
      const s = out.AccountAssignmentCreationStatus ?? {}
      return {
        createdDate: isoDate(s.CreatedDate),
        failureReason: s.FailureReason,
        permissionSetArn: s.PermissionSetArn,
        principalId: s.PrincipalId,
        principalType: s.PrincipalType,
        requestId: s.RequestId ?? requestId,
        status: s.Status ?? 'UNKNOWN',
        targetId: s.TargetId,
      }
    })
  }

  async describeGroup(target: InstanceTarget, groupId: string): Promise<AccessGroup | undefined> {
    return this.lookup({action: 'identitystore:DescribeGroup', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const out = await client.send(
        new sdk.DescribeGroupCommand({GroupId: groupId, IdentityStoreId: target.identityStoreId}),
      )
      return {displayName: out.DisplayName ?? groupId, id: out.GroupId ?? groupId}
    })
  }

  async describePermissionSet(
    target: InstanceTarget,
    permissionSetArn: string,
  ): Promise<SnapshotPermissionSet | undefined> {
    return this.lookup({action: 'sso:DescribePermissionSet', region: target.region}, async () => {
      const ps = await this.calls.describePermissionSet(target, permissionSetArn)
      return {
        arn: ps.PermissionSetArn ?? permissionSetArn,
        description: ps.Description ?? null,
        name: ps.Name ?? permissionSetArn,
        sessionDuration: ps.SessionDuration === undefined ? null : String(ps.SessionDuration),
      }
    })
  }

  async describePolicy(region: string, policyId: string): Promise<OrgPolicy> {
    return this.call({action: 'organizations:DescribePolicy', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const out = await client.send(new sdk.DescribePolicyCommand({PolicyId: policyId}))
      const summary = out.Policy?.PolicySummary ?? {}
      return {
        arn: summary.Arn ?? '',
        awsManaged: summary.AwsManaged ?? false,
        content: out.Policy?.Content ?? '',
        id: summary.Id ?? policyId,
        name: summary.Name ?? policyId,
      }
    })
  }

  async describeUser(target: InstanceTarget, userId: string): Promise<AccessUser | undefined> {
    return this.lookup({action: 'identitystore:DescribeUser', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const out = await client.send(
        new sdk.DescribeUserCommand({IdentityStoreId: target.identityStoreId, UserId: userId}),
      )
      return toUser(out)
    })
  }

  async findUserId(
    target: InstanceTarget,
    attribute: 'emails.value' | 'userName',
    value: string,
  ): Promise<string | undefined> {
    return this.lookup({action: 'identitystore:GetUserId', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const out = await client.send(
        new sdk.GetUserIdCommand({
          AlternateIdentifier: {UniqueAttribute: {AttributePath: attribute, AttributeValue: value}},
          IdentityStoreId: target.identityStoreId,
        }),
      )
      return out.UserId
    })
  }

  async getInlinePolicy(target: InstanceTarget, permissionSetArn: string): Promise<string | undefined> {
    return (await this.calls.getInlinePolicy(target, permissionSetArn)) || undefined
  }

  async getManagedPolicyDocument(region: string, policyArn: string): Promise<string> {
    const versionId = await this.call({action: 'iam:GetPolicy', region}, async () => {
      const {client, sdk} = await this.session.iam(region)
      const out = await client.send(new sdk.GetPolicyCommand({PolicyArn: policyArn}))
      return out.Policy?.DefaultVersionId ?? 'v1'
    })
    return this.call({action: 'iam:GetPolicyVersion', region}, async () => {
      const {client, sdk} = await this.session.iam(region)
      const out = await client.send(new sdk.GetPolicyVersionCommand({PolicyArn: policyArn, VersionId: versionId}))
      return out.PolicyVersion?.Document ?? ''
    })
  }

  async getPermissionsBoundary(
    target: InstanceTarget,
    permissionSetArn: string,
  ): Promise<PermissionsBoundary | undefined> {
    return this.lookup({action: 'sso:GetPermissionsBoundaryForPermissionSet', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const out = await client.send(
        new sdk.GetPermissionsBoundaryForPermissionSetCommand({
          InstanceArn: target.instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      )
      const boundary = out.PermissionsBoundary
      if (boundary?.ManagedPolicyArn) return {managedPolicyArn: boundary.ManagedPolicyArn}
      const ref = boundary?.CustomerManagedPolicyReference
      if (ref?.Name) return {customerManagedPolicy: {name: ref.Name, path: ref.Path ?? '/'}}
      return undefined
    })
  }

  async listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<SnapshotAssignment[]> {
    const items = await this.calls.listAccountAssignments(target, accountId, permissionSetArn)
    return this.call({action: 'sso:ListAccountAssignments', region: target.region}, async () =>
      items.map((a) => toAssignment(a, {accountId, permissionSetArn})),
    )
  }

  async listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    principalType: PrincipalType,
    principalId: string,
    accountId?: string,
  ): Promise<SnapshotAssignment[]> {
    const items = await this.calls.listAccountAssignmentsForPrincipal(target, principalType, principalId, accountId)
    return this.call({action: 'sso:ListAccountAssignmentsForPrincipal', region: target.region}, async () =>
      items.map((a) => toAssignment(a, {principalId, principalType})),
    )
  }

  async listAccounts(region: string): Promise<SnapshotAccount[]> {
    return this.calls.listAccounts(region)
  }

  async listCustomerManagedPolicyReferences(
    target: InstanceTarget,
    permissionSetArn: string,
  ): Promise<PolicyReference[]> {
    const items = await this.calls.listCustomerManagedPolicyReferences(target, permissionSetArn)
    return items.map((r) => ({name: r.Name ?? '', path: r.Path ?? '/'}))
  }

  async listFailedAssignmentCreations(target: InstanceTarget): Promise<string[]> {
    return this.call({action: 'sso:ListAccountAssignmentCreationStatus', region: target.region}, async () => {
      const {client, sdk} = await this.session.ssoAdmin(target.region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListAccountAssignmentCreationStatusCommand({
            Filter: {Status: 'FAILED'},
            InstanceArn: target.instanceArn,
            MaxResults: PAGE_SIZE.ssoAdmin,
            NextToken,
          }),
        )
        return {items: out.AccountAssignmentsCreationStatus, next: out.NextToken}
      })
      return items.flatMap((s) => (s.RequestId ? [s.RequestId] : []))
    })
  }

  async listGroupIdsForMember(target: InstanceTarget, userId: string): Promise<string[]> {
    return this.call({action: 'identitystore:ListGroupMembershipsForMember', region: target.region}, async () => {
      const {client, sdk} = await this.session.identityStore(target.region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(
          new sdk.ListGroupMembershipsForMemberCommand({
            IdentityStoreId: target.identityStoreId,
            MaxResults: PAGE_SIZE.identityStore,
            MemberId: {UserId: userId},
            NextToken,
          }),
        )
        return {items: out.GroupMemberships, next: out.NextToken}
      })
      return [...new Set(items.flatMap((m) => (m.GroupId ? [m.GroupId] : [])))]
    })
  }

  async listInstances(region: string, options: {timeoutMs?: number} = {}): Promise<InstanceRecord[]> {
    return this.calls.listInstances(region, options)
  }

  async listManagedPolicies(
    target: InstanceTarget,
    permissionSetArn: string,
  ): Promise<Array<{arn: string; name: string}>> {
    const items = await this.calls.listManagedPolicies(target, permissionSetArn)
    return items.map((p) => ({arn: p.Arn ?? '', name: p.Name ?? p.Arn ?? ''}))
  }

  async listParents(region: string, childId: string): Promise<OrgParent[]> {
    return this.call({action: 'organizations:ListParents', region}, async () => {
      const {client, sdk} = await this.session.organizations(region)
      const items = await collectPages(async (NextToken) => {
        const out = await client.send(new sdk.ListParentsCommand({ChildId: childId, MaxResults: 20, NextToken}))
        return {items: out.Parents, next: out.NextToken}
      })
      return items.map((p) => ({id: p.Id ?? '', type: p.Type === 'ROOT' ? 'ROOT' : 'ORGANIZATIONAL_UNIT'}))
    })
  }

  async listPermissionSetArns(target: InstanceTarget): Promise<string[]> {
    return this.calls.listPermissionSetArns(target)
  }

  async listPermissionSetsProvisionedToAccount(
    target: InstanceTarget,
    accountId: string,
    status?: ProvisioningStatusFilter,
  ): Promise<string[]> {
    return this.calls.listPermissionSetsProvisionedToAccount(target, accountId, status)
  }

  async listPoliciesForTarget(
    region: string,
    targetId: string,
    type: OrgPolicyType,
  ): Promise<'not-enabled' | OrgPolicySummary[]> {
    try {
      return await this.call({action: 'organizations:ListPoliciesForTarget', region}, async () => {
        const {client, sdk} = await this.session.organizations(region)
        const items = await collectPages(async (NextToken) => {
          const out = await client.send(
            new sdk.ListPoliciesForTargetCommand({Filter: type, MaxResults: 20, NextToken, TargetId: targetId}),
          )
          return {items: out.Policies, next: out.NextToken}
        })
        return items.map((p) => ({
          arn: p.Arn ?? '',
          awsManaged: p.AwsManaged ?? false,
          id: p.Id ?? '',
          name: p.Name ?? p.Id ?? '',
        }))
      })
    } catch (error) {
      const {cause} = error as {cause?: unknown}
      if (errorName(cause) === 'PolicyTypeNotEnabledException') return 'not-enabled'
      throw error
    }
  }

  async listUsers(target: InstanceTarget, maxPages: number): Promise<{complete: boolean; users: AccessUser[]}> {
    const {complete, items} = await this.calls.listUsers(target, maxPages)
    return {complete, users: items.map((u) => toUser(u))}
  }

  private async call<T>(context: AwsCallContext, fn: () => Promise<T>): Promise<T> {
    return this.calls.call(context, fn)
  }

  /**
   * A call whose "not found" answer is a result (undefined), not an error: the SDK's error, or the cause of the
   * typed error a shared call (IdentityCenterCalls) already turned it into.
   */
  private async lookup<T>(context: AwsCallContext, fn: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await fn()
    } catch (error) {
      const {cause} = error as {cause?: unknown}
      if (NOT_FOUND.has(errorName(error) ?? '') || NOT_FOUND.has(errorName(cause) ?? '')) return undefined
      throw classifyAwsError(error, context, this.session.profile)
    }
  }
}
