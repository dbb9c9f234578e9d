import type {AccessFix, CallerRole, InstanceInfo} from './types.js'

import {shellWord} from '../../shell.js'

/**
 * The fixes as ready AWS CLI commands, every argument filled in (the AWS CLI's `sso-admin` and `identitystore`
 * commands, IAM Identity Center API reference), and who may run them: the management account, or a delegated
 * administrator for IAM Identity Center, except on the management account itself, which only the management
 * account can manage ("Delegated administration", IAM Identity Center User Guide).
 */

export interface FixContext {
  instance: InstanceInfo
  /** `--profile` of this run: the same admin credentials can run the fix. */
  profile?: string
}

function tail(context: FixContext): string {
  const profile = context.profile ? ` --profile ${shellWord(context.profile)}` : ''
  return ` --region ${shellWord(context.instance.region)}${profile}`
}

export function runByFor(accountId: string, instance: InstanceInfo): string {
  return accountId === instance.ownerAccountId
    ? 'the management account only (a delegated administrator cannot manage access to the management account)'
    : 'the management account, or a delegated administrator for IAM Identity Center'
}

export function createAssignmentFix(
  context: FixContext,
  target: {accountId: string; permissionSetArn: string; principalId: string; principalType: 'GROUP' | 'USER'},
): AccessFix {
  const args = [
    `--instance-arn ${shellWord(context.instance.instanceArn)}`,
    `--target-id ${shellWord(target.accountId)}`,
    '--target-type AWS_ACCOUNT',
    `--permission-set-arn ${shellWord(target.permissionSetArn)}`,
    `--principal-type ${target.principalType}`,
    `--principal-id ${shellWord(target.principalId)}`,
  ]
  return {
    command: `aws sso-admin create-account-assignment ${args.join(' ')}${tail(context)}`,
    description: `assign the permission set to the ${target.principalType === 'USER' ? 'user' : 'group'} in the account`,
    runBy: runByFor(target.accountId, context.instance),
  }
}

export function provisionFix(context: FixContext, target: {accountId: string; permissionSetArn: string}): AccessFix {
  const args = [
    `--instance-arn ${shellWord(context.instance.instanceArn)}`,
    `--permission-set-arn ${shellWord(target.permissionSetArn)}`,
    '--target-type AWS_ACCOUNT',
    `--target-id ${shellWord(target.accountId)}`,
  ]
  return {
    command: `aws sso-admin provision-permission-set ${args.join(' ')}${tail(context)}`,
    description: 'provision the latest version of the permission set to the account',
    runBy: runByFor(target.accountId, context.instance),
  }
}

export function addToGroupFix(
  context: FixContext,
  target: {accountId: string; groupId: string; groupName: string; userId: string},
): AccessFix {
  const args = [
    `--identity-store-id ${shellWord(context.instance.identityStoreId)}`,
    `--group-id ${shellWord(target.groupId)}`,
    `--member-id UserId=${shellWord(target.userId)}`,
  ]
  return {
    command: `aws identitystore create-group-membership ${args.join(' ')}${tail(context)}`,
    description: `or: add the user to group ${target.groupName}, which has this assignment`,
    runBy: 'the management account, or a delegated administrator for IAM Identity Center',
  }
}

/** What the caller's role hides from it. */
export function callerBlindSpots(role: CallerRole, accountId: string | undefined, instance: InstanceInfo): string[] {
  if (role === 'delegated-admin' && (accountId === undefined || accountId === instance.ownerAccountId)) {
    return [
      'These credentials are a delegated administrator: assignments on the management account are invisible to them. Ask with management-account credentials to see them.',
    ]
  }

  return []
}
