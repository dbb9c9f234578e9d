/**
 * The AccessDenied texts of IAM ("User: <principal> is not authorized to perform: <action> on resource: <resource>
 * because no identity-based policy allows the <action> action", "… with an explicit deny in a service control
 * policy", …; IAM User Guide, "Troubleshooting access denied error messages"). `ssokit doctor access --from-error`
 * reads its user, account, permission set and action from {@link extractAccessDenied}.
 */
import type {AccessDeniedDetails, DeniedBy} from './types.js'

import {shellWord} from '../../shell.js'
import {prepareText} from './text.js'

const POLICY_KINDS: Array<[RegExp, DeniedBy]> = [
  [/identity-based polic/i, 'identity-based-policy'],
  [/resource-based polic/i, 'resource-based-policy'],
  [/service control polic/i, 'service-control-policy'],
  [/resource control polic/i, 'resource-control-policy'],
  [/permissions? boundar/i, 'permissions-boundary'],
  [/session polic/i, 'session-policy'],
  [/VPC endpoint polic/i, 'vpc-endpoint-policy'],
]

const NOT_AUTHORIZED =
  /(?:User|Principal):\s*(\S+?)\s+is not authorized to perform:?\s*([\w-]+:[\w*]+)(?:\s+on resource:\s*(?:"([^"]+)"|(.+?)))?(?=\s+because\s|\s+(?:with|due to) an explicit deny|\s*\(Service:|["']|<\/|\s*,\s*User:|\s*$)(?:\s+because no ([\w -]+?) allows the [\w:*-]+ action|\s+(?:with|due to) an explicit deny in an? ([\w -]+?[Pp]olic(?:y|ies)|[\w -]+?[Bb]oundary)(?::\s*(arn:[^\s"'<>,]+))?)?/m
const BARE_NOT_AUTHORIZED = /\bnot authorized to perform:?\s*([\w-]+:[\w*]+)/
/** An Identity Center role: `AWSReservedSSO_<permission set name>_<16 hex digits>`. */
const RESERVED_ROLE = /^AWSReservedSSO_(.+)_([\da-f]{16})$/

/** Reads the first AccessDenied text in `text`; undefined when there is none. */
export function extractAccessDenied(text: string): AccessDeniedDetails | undefined {
  const {text: clean} = prepareText(text)
  const match = NOT_AUTHORIZED.exec(clean)
  if (!match) {
    const bare = BARE_NOT_AUTHORIZED.exec(clean)
    return bare ? {action: bare[1], guessed: []} : undefined
  }

  const [, principal, action, quotedResource, plainResource, implicitKind, explicitKind, policyArn] = match
  const resource = quotedResource ?? plainResource
  const details: AccessDeniedDetails = {action, guessed: [], principal: trimArn(principal)}
  if (resource) details.resource = trimResource(resource)
  const kind = implicitKind ?? explicitKind
  if (kind) {
    details.deniedBy = POLICY_KINDS.find(([pattern]) => pattern.test(kind))?.[1]
    details.denial = implicitKind ? 'implicit' : 'explicit'
  }

  if (policyArn) details.policyArn = policyArn
  Object.assign(details, principalParts(details.principal!))
  for (const key of Object.keys(details) as Array<keyof AccessDeniedDetails>)
    if (details[key] === undefined) delete details[key]
  return details
}

function trimArn(arn: string): string {
  return arn.replace(/[.,;:"']+$/, '')
}

function trimResource(resource: string): string {
  return resource.replace(/\s*\(Service:.*$/, '').replace(/[.,;"'<]+$/, '')
}

/** Account, role, session and the permission set of an Identity Center role, from the principal ARN. */
function principalParts(principal: string): Partial<AccessDeniedDetails> {
  if (principal === 'anonymous') return {principalType: 'anonymous'}
  const arn = /^arn:aws[\w-]*:(sts|iam)::([^:]*):(.+)$/.exec(principal)
  if (!arn) return {}
  const [, service, account, resource] = arn
  const parts: Partial<AccessDeniedDetails> = {guessed: []}
  if (/^\d{12}$/.test(account)) parts.account = account
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    const [, role, ...session] = resource.split('/')
    parts.principalType = 'assumed-role'
    parts.role = role
    const reserved = RESERVED_ROLE.exec(role)
    if (reserved) {
      parts.permissionSet = reserved[1]
      // The session name of an Identity Center role is the user's sign-in name (user name or email).
      if (session.length > 0) {
        parts.user = session.join('/')
        parts.guessed = ['user']
      }
    }
  } else if (resource.startsWith('user/')) {
    parts.principalType = 'user'
    parts.user = resource.split('/').at(-1)
  } else if (resource === 'root') {
    parts.principalType = 'root'
  } else if (resource.startsWith('federated-user/')) {
    parts.principalType = 'federated-user'
    parts.user = resource.slice('federated-user/'.length)
  } else if (resource.startsWith('role/')) {
    const role = resource.split('/').at(-1)!
    parts.principalType = 'role'
    parts.role = role
    const reserved = RESERVED_ROLE.exec(role)
    if (reserved) parts.permissionSet = reserved[1]
  }

  return parts
}

/** What the denial means for someone who signs in through IAM Identity Center, and who can change it. */
export function accessDeniedMeaning(details: AccessDeniedDetails): string {
  const action = details.action ? `\`${details.action}\`` : 'this action'
  const on = details.resource && details.resource !== '*' ? ` on ${details.resource}` : ''
  const ps = details.permissionSet ? `permission set ${details.permissionSet}` : 'the role'
  const account = details.account ? ` in account ${details.account}` : ''
  const noLogin = 'A new login never helps'
  switch (details.deniedBy) {
    case 'identity-based-policy': {
      return details.denial === 'explicit'
        ? `A Deny statement in the policies of ${ps}${account} forbids ${action}${on}. ${noLogin}: only an Identity Center administrator who edits ${ps} can change it.`
        : `No policy of ${ps}${account} allows ${action}${on}. ${noLogin}: an Identity Center administrator must add the permission to ${ps} (and re-provision it), or you need a profile with another permission set.`
    }

    case 'permissions-boundary': {
      return `The permissions boundary of ${ps}${account} does not allow ${action}${on}. ${noLogin}: an Identity Center administrator must widen the boundary of ${ps}.`
    }

    case 'resource-based-policy': {
      return `The policy of the resource itself${on ? ` (${details.resource})` : ''} ${details.denial === 'explicit' ? 'denies' : 'does not allow'} ${action} for ${ps}. ${noLogin}: the owner of the resource must change its policy (bucket, key, queue or role trust policy).`
    }

    case 'resource-control-policy': {
      return `A resource control policy (AWS Organizations) on the account that owns the resource denies ${action}${on}. ${noLogin}, and no permission set can override it: only the organization's administrators can change the RCP.`
    }

    case 'service-control-policy': {
      return `A service control policy (AWS Organizations) on account${account ? account.replace(' in account', '') : ''} or an OU above it ${details.denial === 'explicit' ? 'denies' : 'does not allow'} ${action}. ${noLogin}, and no permission set can override it: only the organization's administrators (management account) can change the SCP.`
    }

    case 'session-policy': {
      return `A session policy passed when these credentials were issued does not allow ${action}${on}; it is not part of ${ps}. ${noLogin} with the same tool: get credentials without that session policy.`
    }

    case 'vpc-endpoint-policy': {
      return `The policy of the VPC endpoint the request went through does not allow ${action}${on}. ${noLogin}: the network administrators must change the endpoint policy.`
    }

    default: {
      return `${details.permissionSet ? `Permission set ${details.permissionSet}` : 'The caller'}${account} may not perform ${action}${on}. ${noLogin}: the permissions must change.`
    }
  }
}

/** The `ssokit doctor access` command that shows the evidence, when the text names an Identity Center role. */
export function doctorAccessCommand(details: {
  account?: string
  action?: string
  permissionSet?: string
  resource?: string
  user?: string
}): string | undefined {
  if (!details.permissionSet && !details.account) return undefined
  const words = ['ssokit', 'doctor', 'access', '--user', details.user ? shellWord(details.user) : '<user>']
  words.push(
    '--account',
    details.account ?? '<account>',
    '--permission-set',
    shellWord(details.permissionSet ?? '<permission set>'),
  )
  if (details.action) words.push('--action', shellWord(details.action))
  if (details.resource && details.resource !== '*' && details.resource.startsWith('arn:'))
    words.push('--resource', shellWord(details.resource))
  return words.join(' ')
}
