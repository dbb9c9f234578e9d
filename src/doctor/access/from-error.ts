/**
 * What an AccessDenied or ForbiddenException text says about who was denied what, for `doctor access
 * --from-error`: `doctor explain`'s classifier and extraction (src/doctor/explain/), in the fields this
 * command asks with.
 *
 * AccessDenied texts in the IAM format ("Troubleshooting access denied error messages", IAM User Guide):
 *   User: <principal ARN> is not authorized to perform: <action> [on resource: <ARN>] (because no <type> policy
 *   allows the <action> action | with an explicit deny in a(n) <type> policy[: <policy ARN>])
 * where <type> is identity-based, resource-based, permissions boundary, session, service control, resource
 * control or VPC endpoint; older SCP texts say "due to an explicit deny in a Service Control Policy". S3 puts the
 * resource ARN in double quotes. For an Identity Center user the principal is
 * `arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<permission set>_<16 hex>/<session name>`, and the session
 * name is the user's user name.
 *
 * ForbiddenException (`An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No
 * access`) names nobody: the account and role come from the portal URL when the text has it
 * (`/federation/credentials?role_name=R&account_id=A`) or from the profile it names (`--profile P`).
 */

export type DenyingPolicyKind =
  | 'identity-based'
  | 'permissions-boundary'
  | 'resource-based'
  | 'resource-control-policy'
  | 'service-control-policy'
  | 'session'
  | 'vpc-endpoint'

export interface ErrorExtraction {
  accountId?: string
  action?: string
  /** `explicit` (a Deny statement) or `implicit` (no Allow), when the text says. */
  denial?: 'explicit' | 'implicit'
  /** The error code in the text: AccessDenied, AccessDeniedException, ForbiddenException, ... */
  errorCode?: string
  /** Fields that were inferred rather than read: `user` (from the role session name). */
  guessed: Array<'accountId' | 'permissionSet' | 'user'>
  kind: 'access-denied' | 'sso-no-access' | 'unknown'
  /** The operation the CLI or SDK was calling. */
  operation?: string
  /** Permission set name, from the AWSReservedSSO_ role. */
  permissionSet?: string
  /** The policy that denied it, when AWS named it (recent texts carry the policy ARN). */
  policyArn?: string
  policyKind?: DenyingPolicyKind
  /** The principal ARN the text names. */
  principalArn?: string
  /** A profile the text names (`--profile P`), for the account and role of a ForbiddenException. */
  profile?: string
  resource?: string
  /** The IAM role name (AWSReservedSSO_…) when the principal is an assumed role. */
  roleName?: string
  /** The role session name; for Identity Center, the user name. */
  user?: string
}

import type {DeniedBy} from '../explain/types.js'

import {explainText, extractAccessDenied} from '../explain/index.js'

const POLICY_KIND: Record<DeniedBy, DenyingPolicyKind> = {
  'identity-based-policy': 'identity-based',
  'permissions-boundary': 'permissions-boundary',
  'resource-based-policy': 'resource-based',
  'resource-control-policy': 'resource-control-policy',
  'service-control-policy': 'service-control-policy',
  'session-policy': 'session',
  'vpc-endpoint-policy': 'vpc-endpoint',
}

/** `AWSReservedSSO_<name>_<16 hex>` → the permission set name (which may itself contain underscores). */
export function permissionSetFromRoleName(roleName: string): string | undefined {
  return /^AWSReservedSSO_(.+)_[\da-f]{16}$/.exec(roleName)?.[1]
}

/** Reads an AccessDenied / ForbiddenException text. Never throws: what it cannot read stays undefined. */
export function extractFromError(text: string): ErrorExtraction {
  const explained = explainText(text)
  const out: ErrorExtraction = {guessed: [], kind: 'unknown'}
  if (explained.code) out.errorCode = explained.code
  if (explained.operation) out.operation = explained.operation
  if (explained.profile) out.profile = explained.profile
  const denied = extractAccessDenied(text)
  if (denied && (explained.category === 'access-denied' || denied.principal)) {
    out.kind = 'access-denied'
    if (denied.account) out.accountId = denied.account
    if (denied.action) out.action = denied.action
    if (denied.denial) out.denial = denied.denial
    if (denied.permissionSet) out.permissionSet = denied.permissionSet
    if (denied.policyArn) out.policyArn = denied.policyArn
    if (denied.deniedBy) out.policyKind = POLICY_KIND[denied.deniedBy]
    if (denied.principal) out.principalArn = denied.principal
    if (denied.resource) out.resource = denied.resource
    if (denied.role) out.roleName = denied.role
    // Only an Identity Center role's session name is (usually) the user's sign-in name.
    if (denied.user && denied.permissionSet) {
      out.user = denied.user
      out.guessed = ['user']
    }

    return out
  }

  if (explained.category === 'sso-no-access') {
    out.kind = 'sso-no-access'
    // A ForbiddenException names nobody; a portal URL in the text (`/federation/credentials?role_name=R&account_id=A`)
    // names the account and the role, which is the permission set's name.
    const portal = /federation\/credentials\?([^\s"']+)/.exec(text)
    if (portal) {
      const query = new URLSearchParams(portal[1])
      const account = query.get('account_id')
      const role = query.get('role_name')
      if (account && /^\d{12}$/.test(account)) out.accountId = account
      if (role) out.permissionSet = role
    } else {
      if (explained.account) out.accountId = explained.account
      if (explained.permissionSet) out.permissionSet = explained.permissionSet
    }

    return out
  }

  if (explained.category === 'access-denied') out.kind = 'access-denied'
  return out
}
