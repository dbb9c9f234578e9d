/**
 * What an AccessDenied or ForbiddenException text says about who was denied what, for `doctor access
 * --from-error`. A small extraction of its own until `doctor explain`'s classifier is merged (the lead switches
 * this function to it then): the same fields, from the same texts.
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

const POLICY_KINDS: Array<[RegExp, DenyingPolicyKind]> = [
  [/^identity-based/i, 'identity-based'],
  [/^resource-based/i, 'resource-based'],
  [/^permissions boundary/i, 'permissions-boundary'],
  [/^session/i, 'session'],
  [/^service control/i, 'service-control-policy'],
  [/^resource control/i, 'resource-control-policy'],
  [/^vpc endpoint/i, 'vpc-endpoint'],
]

function policyKindOf(text: string): DenyingPolicyKind | undefined {
  return POLICY_KINDS.find(([pattern]) => pattern.test(text.trim()))?.[1]
}

/** `AWSReservedSSO_<name>_<16 hex>` → the permission set name (which may itself contain underscores). */
export function permissionSetFromRoleName(roleName: string): string | undefined {
  return /^AWSReservedSSO_(.+)_[\da-f]{16}$/.exec(roleName)?.[1]
}

function principalParts(arn: string): Pick<ErrorExtraction, 'accountId' | 'permissionSet' | 'roleName' | 'user'> {
  const assumed = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/.exec(arn)
  if (assumed) {
    const [, accountId, roleName, session] = assumed
    return {accountId, permissionSet: permissionSetFromRoleName(roleName), roleName, user: session}
  }

  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(arn)
  if (role) return {accountId: role[1], permissionSet: permissionSetFromRoleName(role[2]), roleName: role[2]}
  const other = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)
  return other ? {accountId: other[1]} : {}
}

/** Strips the AWS CLI's prefixes (`aws: [ERROR]: `) and keeps code, operation and message apart. */
function clientError(text: string): {code?: string; message: string; operation?: string} {
  const cleaned = text.replaceAll('aws: [ERROR]: ', '')
  const wrapped =
    /An error occurred \(([\w.]+)\)(?: when calling the (\w+) operation)?(?: \(reached max retries: \d+\))?: ?([\s\S]*)/.exec(
      cleaned,
    )
  if (wrapped) return {code: wrapped[1], message: wrapped[3].trim(), operation: wrapped[2]}
  // JS SDK and other tools: `AccessDeniedException: User: ...`
  const named = /\b((?:AccessDenied|Forbidden|UnauthorizedOperation)\w*): ([\s\S]*)/.exec(cleaned)
  if (named) return {code: named[1], message: named[2].trim()}
  return {message: cleaned.trim()}
}

/** Reads an AccessDenied / ForbiddenException text. Never throws: what it cannot read stays undefined. */
export function extractFromError(text: string): ErrorExtraction {
  const {code, message, operation} = clientError(text)
  const out: ErrorExtraction = {guessed: [], kind: 'unknown'}
  if (code) out.errorCode = code
  if (operation) out.operation = operation
  const profile = /--profile[= ]+(?:"([^"]+)"|'([^']+)'|(\S+))/.exec(text)
  if (profile) out.profile = profile[1] ?? profile[2] ?? profile[3]

  const denied = readAccessDenied(message)
  if (denied) return {...out, ...denied, guessed: denied.user ? ['user'] : []}
  if (/ForbiddenException/.test(code ?? text) || (operation === 'GetRoleCredentials' && /No access/i.test(message))) {
    out.kind = 'sso-no-access'
    const portal = /federation\/credentials\?([^\s"']+)/.exec(text)
    if (portal) {
      const query = new URLSearchParams(portal[1])
      const role = query.get('role_name')
      const account = query.get('account_id')
      if (account && /^\d{12}$/.test(account)) out.accountId = account
      // The role name of a GetRoleCredentials call is the permission set name.
      if (role) out.permissionSet = role
    }

    return out
  }

  if (code && /AccessDenied|UnauthorizedOperation/.test(code)) out.kind = 'access-denied'
  return out
}

/** The IAM-format AccessDenied sentence: principal, action, resource, and the reason clause. */
function readAccessDenied(message: string): Omit<ErrorExtraction, 'guessed'> | undefined {
  const denied =
    /User: (\S+) is not authorized to perform: ([\w*-]+:[\w*-]+)(?: on resource: (?:"([^"]+)"|(\S+?)))?(?:\s+(?:because|with|due to)\b|[.\s]*$)/.exec(
      message,
    )
  if (!denied) return undefined
  const out: Omit<ErrorExtraction, 'guessed'> = {action: denied[2], kind: 'access-denied', principalArn: denied[1]}
  const resource = denied[3] ?? denied[4]
  if (resource) out.resource = resource.replace(/[.,;]$/, '')
  for (const [key, value] of Object.entries(principalParts(denied[1])))
    if (value !== undefined) Object.assign(out, {[key]: value})
  const explicit = /(?:with|due to) an explicit deny in an? (.+?)(?: policy)?(?:: (arn:\S+?))?[.\s]*$/im.exec(message)
  const implicit = /because no (.+?) (?:policy )?allows the /i.exec(message)
  const reason = explicit ?? implicit
  if (reason) {
    out.denial = explicit ? 'explicit' : 'implicit'
    const kind = policyKindOf(reason[1])
    if (kind) out.policyKind = kind
    if (explicit?.[2]) out.policyArn = explicit[2]
  }

  return out
}
