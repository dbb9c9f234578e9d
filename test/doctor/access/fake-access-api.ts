/**
 * An in-memory AccessApi for unit tests of `doctor access`. Unlike moto it answers provisioning per account and
 * per version, failed creation attempts, permissions boundaries and customer-managed references, and it can
 * refuse chosen IAM actions (AccessDenied, as AWS answers a caller without that permission).
 */
import type {
  AccessApi,
  AccessGroup,
  AccessUser,
  AssignmentCreation,
  OrgParent,
  OrgPolicy,
  OrgPolicySummary,
  OrgPolicyType,
  PermissionsBoundary,
  PolicyReference,
  ProvisioningStatusFilter,
} from '../../../src/aws/access-api.js'
import type {InstanceRecord, InstanceTarget} from '../../../src/aws/identity-center-api.js'
import type {
  PrincipalType,
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotPermissionSet,
} from '../../../src/discovery/snapshot.js'

import {classifyAwsError} from '../../../src/aws/errors.js'

export interface FakePermissionSet {
  arn: string
  boundary?: PermissionsBoundary
  customerManaged?: PolicyReference[]
  inline?: object
  managed?: string[]
  name: string
}

export interface FakeAccessData {
  accounts: Array<SnapshotAccount & {parent: string}>
  assignments: SnapshotAssignment[]
  caller: {account: string; arn: string}
  /** Failed creation attempts. */
  failed?: Array<Omit<AssignmentCreation, 'status'>>
  groups: Array<AccessGroup & {members: string[]}>
  instance: InstanceRecord
  /** AWS managed policy ARN → document. */
  managedPolicies?: Record<string, object>
  /** Organization policies by id, with the targets they are attached to. */
  orgPolicies?: Array<{content: object; id: string; name: string; targets: string[]; type: OrgPolicyType}>
  /** OU id → parent id (an OU or the root). */
  ous?: Record<string, string>
  /** Account id → permission set ARNs provisioned, and those of them not at their latest version. */
  outdated?: Record<string, string[]>
  permissionSets: FakePermissionSet[]
  provisioned: Record<string, string[]>
  rootId?: string
  users: AccessUser[]
}

export const INSTANCE: InstanceRecord = {
  identityStoreId: 'd-1234567890',
  instanceArn: 'arn:aws:sso:::instance/ssoins-1111222233334444',
  name: null,
  ownerAccountId: '111111111111',
  region: 'eu-west-1',
  status: 'ACTIVE',
}

export function psArn(id: string): string {
  return `arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-${id.padEnd(16, '0')}`
}

export class FakeAccessApi implements AccessApi {
  readonly calls: string[] = []
  readonly denied = new Set<string>()

  constructor(readonly data: FakeAccessData) {}

  async callerIdentity(region: string) {
    this.check('sts:GetCallerIdentity', region)
    return this.data.caller
  }

  count(action?: string): number {
    return action ? this.calls.filter((c) => c === action).length : this.calls.length
  }

  async describeAccount(region: string, accountId: string): Promise<SnapshotAccount | undefined> {
    this.check('organizations:DescribeAccount', region)
    const a = this.data.accounts.find((x) => x.id === accountId)
    return a && {email: a.email, id: a.id, name: a.name, status: a.status}
  }

  async describeAssignmentCreation(target: InstanceTarget, requestId: string): Promise<AssignmentCreation> {
    this.check('sso:DescribeAccountAssignmentCreationStatus', target.region)
    const f = (this.data.failed ?? []).find((x) => x.requestId === requestId)!
    return {...f, status: 'FAILED'}
  }

  async describeGroup(target: InstanceTarget, groupId: string): Promise<AccessGroup | undefined> {
    this.check('identitystore:DescribeGroup', target.region)
    const g = this.data.groups.find((x) => x.id === groupId)
    return g && {displayName: g.displayName, id: g.id}
  }

  async describePermissionSet(target: InstanceTarget, arn: string): Promise<SnapshotPermissionSet | undefined> {
    this.check('sso:DescribePermissionSet', target.region)
    const p = this.data.permissionSets.find((x) => x.arn === arn)
    return p && {arn: p.arn, description: null, name: p.name, sessionDuration: 'PT1H'}
  }

  async describePolicy(region: string, policyId: string): Promise<OrgPolicy> {
    this.check('organizations:DescribePolicy', region)
    const p = this.data.orgPolicies!.find((x) => x.id === policyId)!
    return {
      arn: `arn:aws:organizations::111111111111:policy/${p.id}`,
      awsManaged: false,
      content: JSON.stringify(p.content),
      id: p.id,
      name: p.name,
    }
  }

  async describeUser(target: InstanceTarget, userId: string): Promise<AccessUser | undefined> {
    this.check('identitystore:DescribeUser', target.region)
    return this.data.users.find((u) => u.id === userId)
  }

  async findUserId(target: InstanceTarget, attribute: 'emails.value' | 'userName', value: string) {
    this.check('identitystore:GetUserId', target.region)
    return this.data.users.find((u) => (attribute === 'userName' ? u.userName === value : u.email === value))?.id
  }

  async getInlinePolicy(target: InstanceTarget, arn: string): Promise<string | undefined> {
    this.check('sso:GetInlinePolicyForPermissionSet', target.region)
    const p = this.ps(arn)
    return p.inline ? JSON.stringify(p.inline) : undefined
  }

  async getManagedPolicyDocument(region: string, policyArn: string): Promise<string> {
    this.check('iam:GetPolicy', region)
    this.check('iam:GetPolicyVersion', region)
    // As IAM returns it: URL-encoded JSON.
    return encodeURIComponent(JSON.stringify(this.data.managedPolicies![policyArn]))
  }

  async getPermissionsBoundary(target: InstanceTarget, arn: string): Promise<PermissionsBoundary | undefined> {
    this.check('sso:GetPermissionsBoundaryForPermissionSet', target.region)
    return this.ps(arn).boundary
  }

  async listAccountAssignments(target: InstanceTarget, accountId: string, arn: string): Promise<SnapshotAssignment[]> {
    this.check('sso:ListAccountAssignments', target.region)
    return this.data.assignments.filter((a) => a.accountId === accountId && a.permissionSetArn === arn)
  }

  async listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    type: PrincipalType,
    id: string,
    accountId?: string,
  ): Promise<SnapshotAssignment[]> {
    this.check('sso:ListAccountAssignmentsForPrincipal', target.region)
    return this.data.assignments.filter(
      (a) => a.principalType === type && a.principalId === id && (!accountId || a.accountId === accountId),
    )
  }

  async listAccounts(region: string): Promise<SnapshotAccount[]> {
    this.check('organizations:ListAccounts', region)
    return this.data.accounts.map(({email, id, name, status}) => ({email, id, name, status}))
  }

  async listCustomerManagedPolicyReferences(target: InstanceTarget, arn: string): Promise<PolicyReference[]> {
    this.check('sso:ListCustomerManagedPolicyReferencesInPermissionSet', target.region)
    return this.ps(arn).customerManaged ?? []
  }

  async listFailedAssignmentCreations(target: InstanceTarget): Promise<string[]> {
    this.check('sso:ListAccountAssignmentCreationStatus', target.region)
    return (this.data.failed ?? []).map((f) => f.requestId)
  }

  async listGroupIdsForMember(target: InstanceTarget, userId: string): Promise<string[]> {
    this.check('identitystore:ListGroupMembershipsForMember', target.region)
    return this.data.groups.filter((g) => g.members.includes(userId)).map((g) => g.id)
  }

  async listInstances(region: string): Promise<InstanceRecord[]> {
    this.check('sso:ListInstances', region)
    return region === this.data.instance.region ? [this.data.instance] : []
  }

  async listManagedPolicies(target: InstanceTarget, arn: string): Promise<Array<{arn: string; name: string}>> {
    this.check('sso:ListManagedPoliciesInPermissionSet', target.region)
    return (this.ps(arn).managed ?? []).map((a) => ({arn: a, name: a.split('/').pop()!}))
  }

  async listParents(region: string, childId: string): Promise<OrgParent[]> {
    this.check('organizations:ListParents', region)
    const parent = this.data.accounts.find((a) => a.id === childId)?.parent ?? this.data.ous?.[childId]
    if (!parent) return []
    return [{id: parent, type: parent === this.data.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT'}]
  }

  async listPermissionSetArns(target: InstanceTarget): Promise<string[]> {
    this.check('sso:ListPermissionSets', target.region)
    return this.data.permissionSets.map((p) => p.arn)
  }

  async listPermissionSetsProvisionedToAccount(
    target: InstanceTarget,
    accountId: string,
    status?: ProvisioningStatusFilter,
  ): Promise<string[]> {
    this.check('sso:ListPermissionSetsProvisionedToAccount', target.region)
    const all = this.data.provisioned[accountId] ?? []
    const outdated = new Set(this.data.outdated?.[accountId] ?? [])
    if (status === 'LATEST_PERMISSION_SET_PROVISIONED') return all.filter((a) => !outdated.has(a))
    if (status === 'LATEST_PERMISSION_SET_NOT_PROVISIONED') return all.filter((a) => outdated.has(a))
    return all
  }

  async listPoliciesForTarget(
    region: string,
    targetId: string,
    type: OrgPolicyType,
  ): Promise<'not-enabled' | OrgPolicySummary[]> {
    this.check('organizations:ListPoliciesForTarget', region)
    if (!this.data.orgPolicies?.some((p) => p.type === type)) return 'not-enabled'
    return this.data.orgPolicies
      .filter((p) => p.type === type && p.targets.includes(targetId))
      .map((p) => ({
        arn: `arn:aws:organizations::111111111111:policy/${p.id}`,
        awsManaged: false,
        id: p.id,
        name: p.name,
      }))
  }

  async listUsers(target: InstanceTarget): Promise<{complete: boolean; users: AccessUser[]}> {
    this.check('identitystore:ListUsers', target.region)
    return {complete: true, users: this.data.users}
  }

  private check(action: string, region: string): void {
    this.calls.push(action)
    if (this.denied.has(action)) {
      throw classifyAwsError(
        Object.assign(new Error(`User is not authorized to perform: ${action}`), {name: 'AccessDeniedException'}),
        {action, region},
      )
    }
  }

  private ps(arn: string): FakePermissionSet {
    return this.data.permissionSets.find((p) => p.arn === arn)!
  }
}
