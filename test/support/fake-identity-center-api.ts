/**
 * An in-memory IdentityCenterApi for unit tests of the discovery logic. Unlike moto, it answers
 * ListPermissionSetsProvisionedToAccount per account (as AWS does), which is what the per-account strategy
 * tests need; it can refuse chosen IAM actions and mark regions as not enabled.
 */
import type {
  IdentityCenterApi,
  InstanceRecord,
  InstanceTarget,
  OrganizationNode,
} from '../../src/aws/identity-center-api.js'
import type {
  PrincipalType,
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotCaller,
  SnapshotGroup,
  SnapshotPermissionSet,
  SnapshotUser,
} from '../../src/discovery/snapshot.js'

import {AwsAccessDeniedError, classifyAwsError} from '../../src/aws/errors.js'

export interface FakeData {
  accounts: SnapshotAccount[]
  assignments: SnapshotAssignment[]
  caller: SnapshotCaller
  groups: SnapshotGroup[]
  instances: InstanceRecord[]
  /** Roots and OUs (a root's parent is null) and the parent of each account, for the OU walk. */
  organization?: {accountParents: Record<string, string>; nodes: Array<OrganizationNode & {parentId: null | string}>}
  /** Permission set ARN → its policies (`inline`: the document text). */
  permissionSetPolicies?: Record<string, {awsManaged: string[]; customerManaged: string[]; inline: null | string}>
  permissionSets: SnapshotPermissionSet[]
  /** Account id → permission sets provisioned there. */
  provisioned: Record<string, string[]>
  users: SnapshotUser[]
}

export class FakeApi implements IdentityCenterApi {
  readonly calls: string[] = []
  /** IAM actions answered with AccessDenied. */
  readonly denied = new Set<string>()
  /** Regions answering UnrecognizedClientException (not enabled). */
  readonly disabledRegions = new Set<string>()
  /** Options given to each ListInstances call, by region. */
  readonly listInstancesOptions = new Map<string, undefined | {timeoutMs?: number}>()
  /** Regions whose endpoint cannot be reached. */
  readonly unreachableRegions = new Set<string>()

  constructor(readonly data: FakeData) {}

  async callerIdentity(region: string): Promise<SnapshotCaller> {
    this.check('sts:GetCallerIdentity', region)
    return this.data.caller
  }

  count(action: string): number {
    return this.calls.filter((c) => c === action).length
  }

  async describePermissionSet(target: InstanceTarget, arn: string): Promise<SnapshotPermissionSet> {
    this.check('sso:DescribePermissionSet', target.region)
    const found = this.data.permissionSets.find((p) => p.arn === arn)
    if (!found) throw new Error(`no permission set ${arn}`)
    return found
  }

  async listAccountAssignments(
    target: InstanceTarget,
    accountId: string,
    permissionSetArn: string,
  ): Promise<SnapshotAssignment[]> {
    this.check('sso:ListAccountAssignments', target.region)
    return this.data.assignments.filter((a) => a.accountId === accountId && a.permissionSetArn === permissionSetArn)
  }

  async listAccountAssignmentsForPrincipal(
    target: InstanceTarget,
    type: PrincipalType,
    id: string,
  ): Promise<SnapshotAssignment[]> {
    this.check('sso:ListAccountAssignmentsForPrincipal', target.region)
    return this.data.assignments.filter((a) => a.principalType === type && a.principalId === id)
  }

  async listAccountIdsForParent(region: string, parentId: string): Promise<string[]> {
    this.check('organizations:ListAccountsForParent', region)
    return Object.entries(this.data.organization?.accountParents ?? {})
      .filter(([, parent]) => parent === parentId)
      .map(([id]) => id)
  }

  async listAccounts(region: string): Promise<SnapshotAccount[]> {
    this.check('organizations:ListAccounts', region)
    return this.data.accounts
  }

  async listCustomerManagedPolicies(target: InstanceTarget, arn: string): Promise<string[]> {
    this.check('sso:ListCustomerManagedPolicyReferencesInPermissionSet', target.region)
    return this.data.permissionSetPolicies?.[arn]?.customerManaged ?? []
  }

  async listGroupMemberIds(target: InstanceTarget, groupId: string): Promise<string[]> {
    this.check('identitystore:ListGroupMemberships', target.region)
    return this.data.groups.find((g) => g.id === groupId)?.memberIds ?? []
  }

  async listGroups(target: InstanceTarget): Promise<Array<Omit<SnapshotGroup, 'memberIds'>>> {
    this.check('identitystore:ListGroups', target.region)
    return this.data.groups.map(({memberIds: _, ...g}) => g)
  }

  async listInstances(region: string, options?: {timeoutMs?: number}): Promise<InstanceRecord[]> {
    this.listInstancesOptions.set(region, options)
    this.check('sso:ListInstances', region)
    return this.data.instances.filter((i) => i.region === region)
  }

  async listManagedPolicyArns(target: InstanceTarget, arn: string): Promise<string[]> {
    this.check('sso:ListManagedPoliciesInPermissionSet', target.region)
    return this.data.permissionSetPolicies?.[arn]?.awsManaged ?? []
  }

  async listOrganizationalUnitsForParent(region: string, parentId: string): Promise<OrganizationNode[]> {
    this.check('organizations:ListOrganizationalUnitsForParent', region)
    return (this.data.organization?.nodes ?? [])
      .filter((n) => n.parentId === parentId)
      .map(({id, name}) => ({id, name}))
  }

  async listPermissionSetArns(target: InstanceTarget): Promise<string[]> {
    this.check('sso:ListPermissionSets', target.region)
    return this.data.permissionSets.map((p) => p.arn)
  }

  async listPermissionSetsProvisionedToAccount(target: InstanceTarget, accountId: string): Promise<string[]> {
    this.check('sso:ListPermissionSetsProvisionedToAccount', target.region)
    return this.data.provisioned[accountId] ?? []
  }

  async listRoots(region: string): Promise<OrganizationNode[]> {
    this.check('organizations:ListRoots', region)
    return (this.data.organization?.nodes ?? []).filter((n) => n.parentId === null).map(({id, name}) => ({id, name}))
  }

  async listUsers(target: InstanceTarget): Promise<SnapshotUser[]> {
    this.check('identitystore:ListUsers', target.region)
    return this.data.users
  }

  async readInlinePolicy(target: InstanceTarget, arn: string): Promise<null | string> {
    this.check('sso:GetInlinePolicyForPermissionSet', target.region)
    return this.data.permissionSetPolicies?.[arn]?.inline ?? null
  }

  /** Records the call and fails it the way the SDK-backed API would (typed ssokit errors). */
  private check(action: string, region: string): void {
    this.calls.push(action)
    const context = {action, region}
    if (this.unreachableRegions.has(region)) {
      throw classifyAwsError(
        Object.assign(new Error(`getaddrinfo ENOTFOUND sso.${region}.amazonaws.com`), {code: 'ENOTFOUND'}),
        context,
      )
    }

    if (this.disabledRegions.has(region)) {
      throw classifyAwsError(
        Object.assign(new Error('The security token included in the request is invalid.'), {
          $metadata: {httpStatusCode: 400},
          name: 'UnrecognizedClientException',
        }),
        context,
      )
    }

    if (this.denied.has(action))
      throw new AwsAccessDeniedError(action, region, `User is not authorized to perform: ${action}`)
  }
}

const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1111111111111111'
const psArn = (id: string): string => `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-${id}`

/**
 * A small organization: 4 accounts (in a root and two OUs, one nested), 3 permission sets with policies,
 * 3 users, 2 groups, assignments to both kinds.
 */
export function smallOrg(): FakeData {
  const assignments: SnapshotAssignment[] = [
    {accountId: '111111111111', permissionSetArn: psArn('admin'), principalId: 'g-admins', principalType: 'GROUP'},
    {accountId: '222222222222', permissionSetArn: psArn('admin'), principalId: 'g-admins', principalType: 'GROUP'},
    {accountId: '222222222222', permissionSetArn: psArn('read'), principalId: 'u-bob', principalType: 'USER'},
    {accountId: '333333333333', permissionSetArn: psArn('read'), principalId: 'u-carol', principalType: 'USER'},
    {accountId: '333333333333', permissionSetArn: psArn('dev'), principalId: 'g-devs', principalType: 'GROUP'},
  ]
  const provisioned: Record<string, string[]> = {}
  for (const a of assignments)
    provisioned[a.accountId] = [...new Set([a.permissionSetArn, ...(provisioned[a.accountId] ?? [])])]
  return {
    accounts: [
      {email: 'mgmt@example.com', id: '111111111111', name: 'Management', status: 'ACTIVE'},
      {email: 'prod@example.com', id: '222222222222', name: 'Prod', status: 'ACTIVE'},
      {email: 'dev@example.com', id: '333333333333', name: 'Dev', status: 'ACTIVE'},
      {email: 'idle@example.com', id: '444444444444', name: 'Idle', status: 'SUSPENDED'},
    ],
    assignments,
    caller: {account: '111111111111', arn: 'arn:aws:iam::111111111111:user/admin'},
    groups: [
      {displayName: 'Admins', id: 'g-admins', identityStoreId: 'd-1111111111', memberIds: ['u-alice']},
      {displayName: 'Developers', id: 'g-devs', identityStoreId: 'd-1111111111', memberIds: ['u-bob', 'u-alice']},
    ],
    instances: [
      {
        identityStoreId: 'd-1111111111',
        instanceArn: INSTANCE_ARN,
        name: 'corp',
        ownerAccountId: '111111111111',
        region: 'eu-west-1',
        status: 'ACTIVE',
      },
    ],
    organization: {
      accountParents: {
        '111111111111': 'r-ab12',
        '222222222222': 'ou-ab12-prod0001',
        '333333333333': 'ou-ab12-dev00001',
        '444444444444': 'ou-ab12-dev00001',
      },
      nodes: [
        {id: 'r-ab12', name: 'Root', parentId: null},
        {id: 'ou-ab12-work0001', name: 'Workloads', parentId: 'r-ab12'},
        {id: 'ou-ab12-prod0001', name: 'Production', parentId: 'ou-ab12-work0001'},
        {id: 'ou-ab12-dev00001', name: 'Development', parentId: 'ou-ab12-work0001'},
      ],
    },
    permissionSetPolicies: {
      [psArn('admin')]: {
        awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManaged: [],
        inline: null,
      },
      [psArn('dev')]: {
        awsManaged: ['arn:aws:iam::aws:policy/PowerUserAccess'],
        customerManaged: ['/team/DeployRole'],
        inline: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}',
      },
      [psArn('read')]: {awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], customerManaged: [], inline: null},
    },
    permissionSets: [
      {arn: psArn('read'), description: 'Read only', name: 'ReadOnly', sessionDuration: 'PT8H'},
      {arn: psArn('admin'), description: null, name: 'Admin', sessionDuration: 'PT1H'},
      {arn: psArn('dev'), description: 'Developers', name: 'Developer', sessionDuration: 'PT4H'},
    ],
    provisioned,
    users: [
      {
        displayName: 'Carol',
        email: 'carol@example.com',
        id: 'u-carol',
        identityStoreId: 'd-1111111111',
        userName: 'carol',
      },
      {
        displayName: 'Alice',
        email: 'alice@example.com',
        id: 'u-alice',
        identityStoreId: 'd-1111111111',
        userName: 'alice',
      },
      {displayName: null, email: null, id: 'u-bob', identityStoreId: 'd-1111111111', userName: 'bob'},
    ],
  }
}
