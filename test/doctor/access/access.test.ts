import {beforeEach, describe, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../../src/discovery/snapshot.js'

import {
  accessFromSnapshot,
  accessLive,
  type AccessRequest,
  exitCodeOf,
  questionFrom,
} from '../../../src/doctor/access/run.js'
import {SnapshotDirectory} from '../../../src/doctor/access/snapshot-directory.js'
import {renderAccess} from '../../../src/render/access.js'
import {FakeAccessApi, type FakeAccessData, INSTANCE, psArn} from './fake-access-api.js'

const MGMT = '111111111111'
const PROD = '222222222222'
const DEV = '333333333333'
const PS = {
  admin: psArn('admin'),
  dev: psArn('dev'),
  readOnly: psArn('readonly'),
  stale: psArn('stale'),
  unprovisioned: psArn('unprov'),
}
const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess'
const BOUNDARY = 'arn:aws:iam::aws:policy/PowerUserAccess'
const allowAll = {Action: '*', Effect: 'Allow', Resource: '*'}

function data(): FakeAccessData {
  const tenGroups = Array.from({length: 10}, (_, i) => ({
    displayName: `Team ${i}`,
    id: `g-team-${i}`,
    members: ['u-bob'],
  }))
  return {
    accounts: [
      {email: 'm@example.com', id: MGMT, name: 'Management', parent: 'r-root', status: 'ACTIVE'},
      {email: 'p@example.com', id: PROD, name: 'Production', parent: 'ou-work', status: 'ACTIVE'},
      {email: 'd@example.com', id: DEV, name: 'Development', parent: 'ou-dev', status: 'ACTIVE'},
    ],
    assignments: [
      {accountId: PROD, permissionSetArn: PS.readOnly, principalId: 'u-alice', principalType: 'USER'},
      {accountId: PROD, permissionSetArn: PS.readOnly, principalId: 'g-readers', principalType: 'GROUP'},
      {accountId: PROD, permissionSetArn: PS.dev, principalId: 'g-team-3', principalType: 'GROUP'},
      {accountId: DEV, permissionSetArn: PS.admin, principalId: 'g-admins', principalType: 'GROUP'},
      {accountId: DEV, permissionSetArn: PS.admin, principalId: 'g-ops', principalType: 'GROUP'},
      {accountId: DEV, permissionSetArn: PS.dev, principalId: 'u-alice', principalType: 'USER'},
      {accountId: PROD, permissionSetArn: PS.stale, principalId: 'u-alice', principalType: 'USER'},
      {accountId: PROD, permissionSetArn: PS.unprovisioned, principalId: 'u-alice', principalType: 'USER'},
      {accountId: MGMT, permissionSetArn: PS.admin, principalId: 'g-admins', principalType: 'GROUP'},
    ],
    caller: {account: MGMT, arn: `arn:aws:sts::${MGMT}:assumed-role/Admin/me`},
    failed: [
      {
        createdDate: '2026-11-30T10:00:00.000Z',
        failureReason: 'Received a 404 status error: No such permission set',
        permissionSetArn: PS.readOnly,
        principalId: 'u-dave',
        principalType: 'USER',
        requestId: 'req-1',
        targetId: PROD,
      },
    ],
    groups: [
      {displayName: 'Admins', id: 'g-admins', members: ['u-alice']},
      {displayName: 'Ops', id: 'g-ops', members: ['u-alice']},
      {displayName: 'Readers', id: 'g-readers', members: ['u-carol']},
      ...tenGroups,
    ],
    instance: INSTANCE,
    managedPolicies: {
      [BOUNDARY]: {Statement: [{Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*'}]},
      [READ_ONLY_ACCESS]: {
        Statement: [{Action: ['s3:Get*', 's3:List*', 'ec2:Describe*'], Effect: 'Allow', Resource: '*'}],
      },
    },
    orgPolicies: [
      {
        content: {Statement: [allowAll]},
        id: 'p-FullAWSAccess',
        name: 'FullAWSAccess',
        targets: ['r-root', 'ou-work', 'ou-dev', MGMT, PROD, DEV],
        type: 'SERVICE_CONTROL_POLICY',
      },
      {
        content: {Statement: [{Action: 's3:DeleteBucket', Effect: 'Deny', Resource: '*', Sid: 'NoBucketDeletes'}]},
        id: 'p-nodelete',
        name: 'DenyBucketDeletes',
        targets: ['ou-work'],
        type: 'SERVICE_CONTROL_POLICY',
      },
      {
        content: {Statement: [{Action: 'organizations:LeaveOrganization', Effect: 'Deny', Resource: '*'}]},
        id: 'p-noleave',
        name: 'DenyLeave',
        targets: ['r-root'],
        type: 'SERVICE_CONTROL_POLICY',
      },
      {
        content: {Statement: [allowAll]},
        id: 'p-RCPFullAWSAccess',
        name: 'RCPFullAWSAccess',
        targets: ['r-root', 'ou-work', 'ou-dev', PROD, DEV],
        type: 'RESOURCE_CONTROL_POLICY',
      },
      {
        content: {
          Statement: [
            {
              Action: 's3:PutObject',
              Condition: {Bool: {'aws:SecureTransport': 'false'}},
              Effect: 'Deny',
              Resource: '*',
            },
          ],
        },
        id: 'p-tls',
        name: 'RequireTls',
        targets: ['r-root'],
        type: 'RESOURCE_CONTROL_POLICY',
      },
    ],
    ous: {'ou-dev': 'ou-work', 'ou-work': 'r-root'},
    outdated: {[PROD]: [PS.stale]},
    permissionSets: [
      {arn: PS.readOnly, managed: [READ_ONLY_ACCESS], name: 'ReadOnly'},
      {arn: PS.admin, inline: {Statement: [allowAll]}, name: 'AdministratorAccess'},
      {
        arn: PS.dev,
        boundary: {managedPolicyArn: BOUNDARY},
        customerManaged: [{name: 'TeamExtras', path: '/'}],
        inline: {
          Statement: [
            {
              Action: 's3:*',
              Effect: 'Allow',
              Resource: ['arn:aws:s3:::dev-*', 'arn:aws:s3:::dev-*/*'],
              Sid: 'DevBuckets',
            },
            {
              Action: 'ec2:*',
              Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}},
              Effect: 'Allow',
              Resource: '*',
              Sid: 'Ec2InIreland',
            },
            {Action: 'iam:*', Effect: 'Allow', Resource: '*', Sid: 'IamButBoundaryBlocks'},
          ],
        },
        name: 'Developer',
      },
      {arn: PS.stale, name: 'Stale'},
      {arn: PS.unprovisioned, name: 'Unprovisioned'},
    ],
    provisioned: {[DEV]: [PS.admin, PS.dev], [MGMT]: [PS.admin], [PROD]: [PS.readOnly, PS.dev, PS.stale]},
    rootId: 'r-root',
    users: [
      {displayName: 'Alice Liddell', email: 'alice@example.com', id: 'u-alice', userName: 'alice'},
      {displayName: 'Bob Builder', email: 'bob@example.com', id: 'u-bob', userName: 'bob'},
      {displayName: 'Carol Reader', email: 'carol@example.com', id: 'u-carol', userName: 'carol'},
      {displayName: 'Dave Failed', email: 'dave@example.com', id: 'u-dave', userName: 'dave'},
    ],
  }
}

let api: FakeAccessApi
beforeEach(() => {
  api = new FakeAccessApi(data())
})

function ask(request: Partial<AccessRequest>) {
  return accessLive(
    {api, configuredRegion: INSTANCE.region, stats: {requests: 0, throttled: 0}},
    {maxRps: 20, ...request},
  )
}

describe('doctor access: assignments', () => {
  it('granted directly, with the path and exit 0', async () => {
    const report = await ask({account: PROD, permissionSet: 'ReadOnly', user: 'alice'})
    expect(report).toMatchObject({
      account: {id: PROD, name: 'Production'},
      fix: null,
      paths: [{via: 'direct'}],
      permissionSet: {arn: PS.readOnly, name: 'ReadOnly'},
      user: {id: 'u-alice', userName: 'alice'},
      verdict: 'granted',
    })
    expect(exitCodeOf(report)).toBe(0)
    expect(report.source).toMatchObject({callerRole: 'management', kind: 'live'})
  })

  it('granted through a group, by email and account name', async () => {
    const report = await ask({account: 'Production', permissionSet: 'ReadOnly', user: 'carol@example.com'})
    expect(report.verdict).toBe('granted')
    expect(report.paths).toEqual([{groupId: 'g-readers', groupName: 'Readers', via: 'group'}])
  })

  it('granted through two groups', async () => {
    const report = await ask({account: DEV, permissionSet: 'AdministratorAccess', user: 'Alice Liddell'})
    expect(report.verdict).toBe('granted')
    expect(report.paths).toEqual([
      {groupId: 'g-admins', groupName: 'Admins', via: 'group'},
      {groupId: 'g-ops', groupName: 'Ops', via: 'group'},
    ])
    expect(report.reasons[0]).toMatch(/display name/)
  })

  it('not assigned: the create-account-assignment command with every argument, and the group alternative', async () => {
    const report = await ask({account: PROD, permissionSet: 'ReadOnly', profile: 'mgmt', user: 'bob'})
    expect(report.verdict).toBe('not-assigned')
    expect(report.fix).toBe(
      `aws sso-admin create-account-assignment --instance-arn ${INSTANCE.instanceArn} --target-id ${PROD} --target-type AWS_ACCOUNT --permission-set-arn ${PS.readOnly} --principal-type USER --principal-id u-bob --region eu-west-1 --profile mgmt`,
    )
    expect(report.fixes[0].runBy).toMatch(/management account, or a delegated administrator/)
    expect(report.fixes[1].command).toBe(
      'aws identitystore create-group-membership --identity-store-id d-1234567890 --group-id g-readers --member-id UserId=u-bob --region eu-west-1 --profile mgmt',
    )
    expect(report.reasons.join(' ')).toMatch(/Readers/)
    expect(exitCodeOf(report)).toBe(1)
  })

  it('assigned to another account only: not-assigned in this one', async () => {
    const report = await ask({account: DEV, permissionSet: 'ReadOnly', user: 'alice'})
    expect(report.verdict).toBe('not-assigned')
  })

  it('unknown user, with a near match', async () => {
    const report = await ask({account: PROD, permissionSet: 'ReadOnly', user: 'alcie'})
    expect(report.verdict).toBe('user-not-found')
    expect(report.suggestions).toEqual(['Did you mean: alice <alice@example.com>?'])
    expect(exitCodeOf(report)).toBe(1)
  })

  it('unknown account, by id and by name with a near match', async () => {
    expect((await ask({account: '999999999999', permissionSet: 'ReadOnly', user: 'alice'})).verdict).toBe(
      'account-not-found',
    )
    const byName = await ask({account: 'Prodution', permissionSet: 'ReadOnly', user: 'alice'})
    expect(byName.verdict).toBe('account-not-found')
    expect(byName.suggestions[0]).toContain(`Production (${PROD})`)
  })

  it('unknown permission set, with a near match; by ARN too', async () => {
    const report = await ask({account: PROD, permissionSet: 'ReadOnyl', user: 'alice'})
    expect(report.verdict).toBe('permission-set-not-found')
    expect(report.suggestions[0]).toContain('ReadOnly')
    expect((await ask({account: PROD, permissionSet: psArn('nope'), user: 'alice'})).verdict).toBe(
      'permission-set-not-found',
    )
  })

  it('not provisioned: never, and not in its latest version; the fix provisions it', async () => {
    const never = await ask({account: PROD, permissionSet: 'Unprovisioned', user: 'alice'})
    expect(never.verdict).toBe('not-provisioned')
    expect(never.fix).toBe(
      `aws sso-admin provision-permission-set --instance-arn ${INSTANCE.instanceArn} --permission-set-arn ${PS.unprovisioned} --target-type AWS_ACCOUNT --target-id ${PROD} --region eu-west-1`,
    )
    const stale = await ask({account: PROD, permissionSet: 'Stale', user: 'alice'})
    expect(stale.verdict).toBe('not-provisioned')
    expect(stale.reasons.join(' ')).toMatch(/not its latest version/)
  })

  it('assignment-failed: the last creation attempt failed, with its reason', async () => {
    const report = await ask({account: PROD, permissionSet: 'ReadOnly', user: 'dave'})
    expect(report.verdict).toBe('assignment-failed')
    expect(report.reasons[0]).toMatch(/req-1.*No such permission set/)
    expect(report.fix).toContain('--principal-id u-dave')
  })

  it('no permission set: everything the user reaches in the account', async () => {
    const report = await ask({account: PROD, user: 'alice'})
    expect(report.verdict).toBe('granted')
    expect(report.entries?.map((e) => [e.permissionSet.name, e.verdict])).toEqual([
      ['ReadOnly', 'granted'],
      ['Stale', 'not-provisioned'],
      ['Unprovisioned', 'not-provisioned'],
    ])
    expect(report.fixes.map((f) => f.command)).toEqual([
      expect.stringContaining(PS.stale),
      expect.stringContaining(PS.unprovisioned),
    ])
  })

  it('no account: every account and permission set, and through which group', async () => {
    const report = await ask({user: 'alice'})
    expect(report.verdict).toBe('granted')
    expect(report.entries?.map((e) => `${e.account.name}/${e.permissionSet.name}/${e.verdict}`)).toEqual([
      'Management/AdministratorAccess/granted',
      'Production/ReadOnly/granted',
      'Production/Stale/not-provisioned',
      'Production/Unprovisioned/not-provisioned',
      'Development/AdministratorAccess/granted',
      'Development/Developer/granted',
    ])
    const text = renderAccess(report)
    expect(text).toMatch(/Development \(333333333333\)\s+AdministratorAccess\s+granted\s+group Admins, group Ops/)
  })

  it('a user in 10 groups costs a handful of requests, not an audit', async () => {
    const report = await ask({account: PROD, permissionSet: 'Developer', user: 'bob'})
    expect(report.verdict).toBe('granted')
    expect(report.paths).toEqual([{groupId: 'g-team-3', groupName: 'Team 3', via: 'group'}])
    expect(api.count()).toBeLessThan(30)
    expect(api.count('identitystore:DescribeGroup')).toBe(1)
    const everything = new FakeAccessApi(data())
    api = everything
    await ask({user: 'bob'})
    expect(everything.count()).toBeLessThan(30)
  })

  it('a delegated administrator: per account, and blind to the management account', async () => {
    const d = data()
    d.caller = {account: '444444444444', arn: 'arn:aws:sts::444444444444:assumed-role/Delegated/me'}
    api = new FakeAccessApi(d)
    const report = await ask({account: MGMT, user: 'alice'})
    expect(report.source).toMatchObject({callerRole: 'delegated-admin'})
    expect(report.cannotSee[0]).toMatch(/delegated administrator: assignments on the management account are invisible/)
    expect(api.count('sso:ListAccountAssignmentsForPrincipal')).toBe(0)
    const fix = await ask({account: MGMT, permissionSet: 'ReadOnly', user: 'bob'})
    expect(fix.fixes[0].runBy).toMatch(/management account only/)
  })

  it('always names what it cannot see', async () => {
    const report = await ask({account: PROD, permissionSet: 'ReadOnly', user: 'alice'})
    expect(report.cannotSee.join('\n')).toMatch(/TEAM/)
    expect(report.cannotSee.join('\n')).toMatch(/Account access manager/)
  })

  it('an API the caller may not use: named with its IAM action, exit 5, and the rest of the answer given', async () => {
    api.denied.add('organizations:DescribeAccount')
    api.denied.add('sso:ListPermissionSetsProvisionedToAccount')
    const report = await ask({account: PROD, permissionSet: 'ReadOnly', user: 'alice'})
    expect(report.verdict).toBe('granted')
    expect(report.account).toEqual({id: PROD, name: null})
    expect(report.reasons).toContain('Organizations could not be read: the account id was not checked.')
    expect(report.unreadable.map((u) => u.action)).toEqual(
      expect.arrayContaining(['organizations:DescribeAccount', 'sso:ListPermissionSetsProvisionedToAccount']),
    )
    expect(exitCodeOf(report)).toBe(5)
    expect(renderAccess(report)).toMatch(/Could not read:\n.*needs the IAM permission organizations:DescribeAccount/)
  })

  it('per principal refused: falls back to per account', async () => {
    api.denied.add('sso:ListAccountAssignmentsForPrincipal')
    const report = await ask({user: 'alice'})
    expect(report.entries?.map((e) => `${e.account.name}/${e.permissionSet.name}`)).toEqual([
      'Management/AdministratorAccess',
      'Production/ReadOnly',
      'Production/Stale',
      'Development/AdministratorAccess',
      'Development/Developer',
    ])
    expect(report.unreadable[0].action).toBe('sso:ListAccountAssignmentsForPrincipal')
    expect(report.cannotSee.join(' ')).toMatch(/never provisioned to the account is not seen/)
  })
})

describe('doctor access --action', () => {
  it('allowed by an AWS managed policy (document read through IAM)', async () => {
    const report = await ask({
      account: PROD,
      action: 's3:GetObject',
      permissionSet: 'ReadOnly',
      resource: 'arn:aws:s3:::reports/q3.csv',
      user: 'alice',
    })
    expect(report.action).toMatchObject({verdict: 'allowed'})
    expect(report.action!.note).toMatch(/statement matcher, not a full IAM evaluator/)
    const managed = report.action!.policies.find((p) => p.kind === 'aws-managed')!
    expect(managed.statements[0]).toMatchObject({effect: 'Allow', match: 'yes'})
    expect(exitCodeOf(report)).toBe(0)
  })

  it('allowed by the inline policy, and the customer-managed policy named as not read', async () => {
    const report = await ask({
      account: PROD,
      action: 's3:PutObject',
      permissionSet: 'Developer',
      resource: 'arn:aws:s3:::dev-data/x',
      user: 'bob',
    })
    expect(report.action!.verdict).toBe('allowed-if-conditions')
    // The RCP's conditional deny on PutObject is what leaves it conditional.
    expect(report.action!.deciding[0].statement.condition).toEqual({Bool: {'aws:SecureTransport': 'false'}})
    expect(report.action!.reasons.join(' ')).toMatch(/TeamExtras .* were not read/)
    const get = await ask({
      account: PROD,
      action: 's3:GetObject',
      permissionSet: 'Developer',
      resource: 'arn:aws:s3:::dev-data/x',
      user: 'bob',
    })
    expect(get.action!.verdict).toBe('allowed')
    expect(get.action!.policies.find((p) => p.kind === 'inline')!.statements[0].sid).toBe('DevBuckets')
  })

  it('denied by an SCP on a parent OU', async () => {
    const report = await ask({
      account: DEV,
      action: 's3:DeleteBucket',
      permissionSet: 'AdministratorAccess',
      resource: 'arn:aws:s3:::x',
      user: 'alice',
    })
    expect(report.action!.verdict).toBe('explicit-deny')
    expect(report.action!.reasons[0]).toBe(
      'Explicitly denied by DenyBucketDeletes (p-nodelete), statement "NoBucketDeletes".',
    )
    expect(report.action!.policies.find((p) => p.name.startsWith('DenyBucketDeletes'))!.level).toBe('OU ou-work')
    expect(exitCodeOf(report)).toBe(1)
  })

  it('denied by an SCP on the root', async () => {
    const report = await ask({
      account: DEV,
      action: 'organizations:LeaveOrganization',
      permissionSet: 'AdministratorAccess',
      user: 'alice',
    })
    expect(report.action!.verdict).toBe('explicit-deny')
    expect(report.action!.policies.find((p) => p.name.startsWith('DenyLeave'))!.level).toBe('root r-root')
  })

  it('allowed only under a condition', async () => {
    const report = await ask({account: PROD, action: 'ec2:RunInstances', permissionSet: 'Developer', user: 'bob'})
    expect(report.action!.verdict).toBe('allowed-if-conditions')
    expect(report.action!.reasons[0]).toMatch(/Ec2InIreland.*aws:RequestedRegion/)
  })

  it('no allow anywhere; the permissions boundary cuts what the inline policy allows', async () => {
    const none = await ask({account: PROD, action: 'dynamodb:PutItem', permissionSet: 'ReadOnly', user: 'alice'})
    expect(none.action!.verdict).toBe('no-allow')
    expect(none.action!.reasons[0]).toMatch(/No statement in the permission set’s policies allows dynamodb:PutItem/)
    const boundary = await ask({account: PROD, action: 'iam:CreateUser', permissionSet: 'Developer', user: 'bob'})
    expect(boundary.action!.verdict).toBe('no-allow')
    expect(boundary.action!.reasons[0]).toMatch(/permissions boundary/)
  })

  it('the management account: SCPs and RCPs do not apply', async () => {
    const report = await ask({
      account: MGMT,
      action: 's3:DeleteBucket',
      permissionSet: 'AdministratorAccess',
      user: 'alice',
    })
    expect(report.action!.verdict).toBe('allowed')
    expect(report.action!.reasons.join(' ')).toMatch(/management account: SCPs and RCPs do not apply/)
    expect(api.count('organizations:ListParents')).toBe(0)
  })

  it('a policy read refused: named with its action, exit 5, the other layers still shown', async () => {
    api.denied.add('iam:GetPolicy')
    const report = await ask({account: PROD, action: 's3:GetObject', permissionSet: 'ReadOnly', user: 'alice'})
    expect(report.action!.verdict).toBe('no-allow')
    expect(report.action!.policies.find((p) => p.kind === 'aws-managed')).toMatchObject({read: false})
    expect(report.unreadable.some((u) => u.action === 'iam:GetPolicy')).toBe(true)
    expect(exitCodeOf(report)).toBe(5)
  })

  it('--action without an account and permission set is a usage error', async () => {
    await expect(ask({action: 's3:GetObject', user: 'alice'})).rejects.toThrow(
      /--action needs --account and --permission-set/,
    )
  })
})

describe('doctor access --from-error', () => {
  const text =
    'An error occurred (AccessDenied) when calling the DeleteBucket operation: User: arn:aws:sts::333333333333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice is not authorized to perform: s3:DeleteBucket on resource: "arn:aws:s3:::x" with an explicit deny in a service control policy'

  it('asks the same question, and says what it guessed', async () => {
    const report = await ask({fromError: text})
    expect(report).toMatchObject({
      account: {id: DEV},
      permissionSet: {name: 'AdministratorAccess'},
      user: {userName: 'alice'},
      verdict: 'granted',
    })
    expect(report.action!.verdict).toBe('explicit-deny')
    expect(report.fromError).toMatchObject({
      extracted: {
        accountId: DEV,
        action: 's3:DeleteBucket',
        permissionSet: 'AdministratorAccess',
        resource: 'arn:aws:s3:::x',
        user: 'alice',
      },
      kind: 'access-denied',
      says: 'an explicit deny in a service control policy',
    })
    expect(report.fromError!.guessed[0]).toMatch(/session name/)
    expect(report.fromError!.comparison).toBe('The policies read agree: the deny is in DenyBucketDeletes (p-nodelete).')
  })

  it('a ForbiddenException for an assignment that exists says what else it can be', async () => {
    const report = await ask({
      fromError: `GET https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?role_name=ReadOnly&account_id=${PROD}\nAn error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access`,
      user: 'alice',
    })
    expect(report.verdict).toBe('granted')
    expect(report.fromError).toMatchObject({
      kind: 'sso-no-access',
      says: expect.stringMatching(/portal found no assignment/),
    })
    expect(report.reasons.at(-1)).toMatch(/sso_role_name must be the permission set name/)
  })

  it('compares what the error says with what the policies say', async () => {
    const implicit = await ask({
      fromError:
        'User: arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:222222222222:table/T because no identity-based policy allows the dynamodb:PutItem action',
    })
    expect(implicit.action!.verdict).toBe('no-allow')
    expect(implicit.fromError!.comparison).toBe(
      'The policies read agree: no statement in the permission set’s policies allows it unconditionally.',
    )
    const disagree = await ask({
      fromError:
        'User: arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a service control policy',
    })
    expect(disagree.fromError!.comparison).toMatch(/found no Deny statement matching it there/)
    const bucket = await ask({
      fromError:
        'User: arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no resource-based policy allows the s3:GetObject action',
    })
    expect(bucket.fromError!.comparison).toMatch(/names a resource-based policy, which ssokit does not read/)
  })

  it('flags win over the text; a ForbiddenException needs the user and takes the rest from the profile', async () => {
    const {question} = await questionFrom({fromError: text, maxRps: 20, user: 'bob'})
    expect(question.user).toBe('bob')
    await expect(
      questionFrom({
        fromError: 'An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access',
        maxRps: 20,
      }),
    ).rejects.toThrow(/does not say account, permission set, user/)
    const forbidden = await questionFrom(
      {
        fromError:
          'aws s3 ls --profile prod.ro\nAn error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access',
        maxRps: 20,
        user: 'alice',
      },
      async (name) => (name === 'prod.ro' ? {accountId: PROD, roleName: 'ReadOnly'} : undefined),
    )
    expect(forbidden.question).toMatchObject({account: PROD, permissionSet: 'ReadOnly', user: 'alice'})
    expect(forbidden.fromError!.guessed.join(' ')).toMatch(/sso_account_id of profile prod.ro/)
    await expect(questionFrom({fromError: 'Unable to locate credentials', maxRps: 20})).rejects.toThrow(
      /not an AccessDenied/,
    )
  })
})

describe('doctor access --from FILE', () => {
  function snapshot(): DiscoverSnapshot {
    const d = data()
    return {
      accounts: d.accounts.map(({email, id, name, status}) => ({email, id, name, status})),
      assignments: d.assignments,
      caller: d.caller,
      generatedAt: '2026-11-28T10:00:00Z',
      groups: d.groups.map((g) => ({
        displayName: g.displayName,
        id: g.id,
        identityStoreId: INSTANCE.identityStoreId,
        memberIds: g.members,
      })),
      instances: [{...INSTANCE, startUrl: 'https://d-1234567890.awsapps.com/start', startUrlSource: 'default'}],
      permissionSets: d.permissionSets.map((p) => ({
        arn: p.arn,
        description: null,
        name: p.name,
        sessionDuration: 'PT1H',
      })),
      searchedRegions: ['eu-west-1'],
      stats: {durationMs: 0, requests: 0, throttled: 0},
      users: d.users.map((u) => ({...u, identityStoreId: INSTANCE.identityStoreId})),
      version: 1,
      warnings: [],
    }
  }

  it('answers the assignment question with zero requests and says how old the snapshot is', async () => {
    const dir = new SnapshotDirectory(snapshot(), 'snap.json', new Date('2026-12-01T10:00:00Z'))
    const report = await accessFromSnapshot(dir, {
      account: 'Development',
      maxRps: 20,
      permissionSet: 'AdministratorAccess',
      user: 'alice',
    })
    expect(report.verdict).toBe('granted')
    expect(report.paths.map((p) => p.via === 'group' && p.groupName)).toEqual(['Admins', 'Ops'])
    expect(report.stats.requests).toBe(0)
    expect(report.source).toEqual({
      ageSeconds: 259_200,
      file: 'snap.json',
      generatedAt: '2026-11-28T10:00:00Z',
      kind: 'snapshot',
    })
    expect(renderAccess(report)).toMatch(/snapshot of 2026-11-28T10:00:00Z, 3 days old\); 0 requests/)
    expect(report.cannotSee.join(' ')).toMatch(/no provisioning state/)
  })

  it('--action cannot be answered offline, and says so', async () => {
    const dir = new SnapshotDirectory(snapshot(), 'snap.json')
    const report = await accessFromSnapshot(dir, {
      account: PROD,
      action: 's3:GetObject',
      maxRps: 20,
      permissionSet: 'ReadOnly',
      user: 'alice',
    })
    expect(report.action).toBeUndefined()
    expect(report.cannotSee[0]).toMatch(/--action s3:GetObject needs live calls/)
  })

  it('a snapshot without principals is incomplete (exit 3)', () => {
    const s = snapshot()
    delete s.users
    expect(() => new SnapshotDirectory(s, 'snap.json')).toThrow(/has no users/)
  })
})
