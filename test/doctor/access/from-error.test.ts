import {describe, expect, it} from 'vitest'

import {extractFromError, permissionSetFromRoleName} from '../../../src/doctor/access/from-error.js'

/*
 * Texts in the shapes AWS prints them: the IAM User Guide's "Troubleshooting access denied error messages"
 * examples (every policy type, explicit and implicit), S3's quoted resource, STS AssumeRole without a reason,
 * EC2's UnauthorizedOperation with an encoded message, the JS SDK's `Name: message` form, the AWS CLI ≥ 2.34
 * `aws: [ERROR]:` prefix, and the portal's ForbiddenException (ministryofjustice/aws-root-account#581).
 */
const SSO_PRINCIPAL =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice@example.com'

function denied(reason: string, action = 'codecommit:ListRepositories', resource = ''): string {
  return `An error occurred (AccessDeniedException) when calling the ListRepositories operation: User: ${SSO_PRINCIPAL} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''} ${reason}`
}

describe('extractFromError: AccessDenied reasons', () => {
  it.each([
    ['because no identity-based policy allows the codecommit:ListRepositories action', 'implicit', 'identity-based'],
    ['with an explicit deny in an identity-based policy', 'explicit', 'identity-based'],
    ['because no resource-based policy allows the codecommit:ListRepositories action', 'implicit', 'resource-based'],
    ['with an explicit deny in a resource-based policy', 'explicit', 'resource-based'],
    [
      'because no permissions boundary allows the codecommit:ListRepositories action',
      'implicit',
      'permissions-boundary',
    ],
    ['with an explicit deny in a permissions boundary', 'explicit', 'permissions-boundary'],
    ['because no session policy allows the codecommit:ListRepositories action', 'implicit', 'session'],
    ['with an explicit deny in a session policy', 'explicit', 'session'],
    [
      'because no service control policy allows the codecommit:ListRepositories action',
      'implicit',
      'service-control-policy',
    ],
    ['with an explicit deny in a service control policy', 'explicit', 'service-control-policy'],
    ['due to an explicit deny in a Service Control Policy', 'explicit', 'service-control-policy'],
    ['with an explicit deny in a resource control policy', 'explicit', 'resource-control-policy'],
    ['because no VPC endpoint policy allows the codecommit:ListRepositories action', 'implicit', 'vpc-endpoint'],
    ['with an explicit deny in a VPC endpoint policy', 'explicit', 'vpc-endpoint'],
  ])('%s', (reason, denial, policyKind) => {
    const out = extractFromError(denied(reason))
    expect(out).toMatchObject({
      accountId: '111122223333',
      action: 'codecommit:ListRepositories',
      denial,
      errorCode: 'AccessDeniedException',
      guessed: ['user'],
      kind: 'access-denied',
      operation: 'ListRepositories',
      permissionSet: 'ReadOnly',
      policyKind,
      roleName: 'AWSReservedSSO_ReadOnly_0123456789abcdef',
      user: 'alice@example.com',
    })
    expect(out.resource).toBeUndefined()
  })

  it('the policy ARN that recent texts append to an explicit deny', () => {
    const scp = 'arn:aws:organizations::999988887777:policy/o-a1b2c3d4e5/service_control_policy/p-examplepolicyid111'
    const out = extractFromError(
      `aws: [ERROR]: ${denied(`with an explicit deny in a service control policy: ${scp}`, 'lambda:ListFunctions', '*')}`,
    )
    expect(out).toMatchObject({
      action: 'lambda:ListFunctions',
      policyArn: scp,
      policyKind: 'service-control-policy',
      resource: '*',
    })
    const identity = extractFromError(
      denied('with an explicit deny in an identity-based policy: arn:aws:iam::111122223333:policy/DenyDeletes'),
    )
    expect(identity.policyArn).toBe('arn:aws:iam::111122223333:policy/DenyDeletes')
  })

  it("S3's quoted resource ARN", () => {
    const out = extractFromError(
      `An error occurred (AccessDenied) when calling the ListObjectsV2 operation: User: ${SSO_PRINCIPAL} is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::amzn-s3-demo-bucket" because no identity-based policy allows the s3:ListBucket action`,
    )
    expect(out).toMatchObject({
      action: 's3:ListBucket',
      errorCode: 'AccessDenied',
      resource: 'arn:aws:s3:::amzn-s3-demo-bucket',
    })
  })

  it('a permission set name with underscores, STS AssumeRole without a reason', () => {
    const out = extractFromError(
      'An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Data_Eng_Admin_a1b2c3d4e5f60718/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/Deploy',
    )
    expect(out).toMatchObject({
      action: 'sts:AssumeRole',
      permissionSet: 'Data_Eng_Admin',
      resource: 'arn:aws:iam::444455556666:role/Deploy',
      user: 'carol',
    })
    expect(out.denial).toBeUndefined()
  })

  it("EC2's UnauthorizedOperation with an encoded message after the reason", () => {
    const out = extractFromError(
      'An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dave is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: AbCdEf0123',
    )
    expect(out).toMatchObject({
      action: 'ec2:RunInstances',
      denial: 'implicit',
      errorCode: 'UnauthorizedOperation',
      permissionSet: 'Dev',
      resource: 'arn:aws:ec2:us-east-1:111122223333:instance/*',
    })
  })

  it("the JS SDK's form and a multi-line paste", () => {
    const out = extractFromError(
      '\nAccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/dave is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:111122223333:table/Orders because no identity-based policy allows the dynamodb:PutItem action\n    at ...',
    )
    expect(out).toMatchObject({
      action: 'dynamodb:PutItem',
      errorCode: 'AccessDeniedException',
      resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Orders',
    })
  })

  it('a principal that is not an Identity Center role: account only', () => {
    const out = extractFromError(
      'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action',
    )
    expect(out).toMatchObject({accountId: '111122223333', guessed: [], kind: 'access-denied'})
    expect(out.permissionSet).toBeUndefined()
    expect(out.user).toBeUndefined()
  })
})

describe('extractFromError: ForbiddenException', () => {
  it('the portal text names nobody', () => {
    const out = extractFromError(
      '\nAn error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access\n',
    )
    expect(out).toEqual({
      errorCode: 'ForbiddenException',
      guessed: [],
      kind: 'sso-no-access',
      operation: 'GetRoleCredentials',
    })
    expect(extractFromError('ForbiddenException: No access').kind).toBe('sso-no-access')
  })

  it('account and role from the portal URL in a debug log, and the profile from the command', () => {
    const out = extractFromError(
      'aws s3 ls --profile prod.Admin --debug\n... GET https://portal.sso.us-east-1.amazonaws.com/federation/credentials?role_name=AdministratorAccess&account_id=111122223333\nAn error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access',
    )
    expect(out).toMatchObject({
      accountId: '111122223333',
      kind: 'sso-no-access',
      permissionSet: 'AdministratorAccess',
      profile: 'prod.Admin',
    })
  })

  it('an unrelated text is unknown', () => {
    expect(extractFromError('Unable to locate credentials').kind).toBe('unknown')
  })
})

describe('permissionSetFromRoleName', () => {
  it('needs the 16-hex suffix', () => {
    expect(permissionSetFromRoleName('AWSReservedSSO_AdministratorAccess_abcdef0123456789')).toBe('AdministratorAccess')
    expect(permissionSetFromRoleName('AWSReservedSSO_Admin')).toBeUndefined()
    expect(permissionSetFromRoleName('Deploy')).toBeUndefined()
  })
})
