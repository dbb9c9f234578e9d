import type {SnapshotPermissionSet} from '../discovery/snapshot.js'

/**
 * How powerful a permission set is, from what the snapshot knows. With its policies (discover `--policies`):
 * the strongest of them, where AdministratorAccess or an inline policy allowing `*` on `*` is `admin`.
 * Without them: a guess from the name, marked as such (`basis: "name"`). Permissions boundaries and the
 * content of customer managed policies are not read, so `custom` means "other permissions: read the policies".
 */
export type PowerLevel = 'admin' | 'billing' | 'custom' | 'none' | 'power-user' | 'read-only' | 'unknown'

export interface Power {
  basis: 'name' | 'policies' | 'unknown'
  level: PowerLevel
  /** Why, for people: the policies or the name that decided it. */
  reasons: string[]
}

/** Strongest first: the order of the legend and of "the strongest of its policies". */
export const POWER_ORDER: PowerLevel[] = ['admin', 'power-user', 'custom', 'billing', 'read-only', 'none', 'unknown']

export const POWER_LABEL: Record<PowerLevel, string> = {
  admin: 'admin',
  billing: 'billing',
  custom: 'custom',
  none: 'no permissions',
  'power-user': 'power user',
  'read-only': 'read only',
  unknown: 'unknown',
}

/**
 * AWS managed policies with a known level, by name (the part of the ARN after `policy/`, job-function paths
 * included). From the AWS managed policy reference: AdministratorAccess, PowerUserAccess, ReadOnlyAccess,
 * job-function/ViewOnlyAccess, SecurityAudit, job-function/Billing. IAMFullAccess counts as admin: it can grant
 * itself any permission.
 */
const AWS_MANAGED_LEVELS: Record<string, PowerLevel> = {
  AdministratorAccess: 'admin',
  AWSBillingReadOnlyAccess: 'read-only',
  IAMFullAccess: 'admin',
  'job-function/Billing': 'billing',
  'job-function/ViewOnlyAccess': 'read-only',
  PowerUserAccess: 'power-user',
  ReadOnlyAccess: 'read-only',
  SecurityAudit: 'read-only',
}

/** Name patterns for a guess, strongest first. */
const NAME_GUESSES: Array<[RegExp, PowerLevel]> = [
  [/admin/i, 'admin'],
  [/power.?user/i, 'power-user'],
  [/billing/i, 'billing'],
  [/read.?only|view.?only|audit|viewer/i, 'read-only'],
]

const rank = (level: PowerLevel): number => POWER_ORDER.indexOf(level)

export function policyName(arn: string): string {
  return arn.replace(/^arn:[^:]+:iam::aws:policy\//, '')
}

export function powerOf(permissionSet: Pick<SnapshotPermissionSet, 'name' | 'policies'>): Power {
  const {policies} = permissionSet
  if (policies) {
    const found: Array<{level: PowerLevel; reason: string}> = []
    for (const arn of policies.awsManaged) {
      const name = policyName(arn)
      found.push({level: AWS_MANAGED_LEVELS[name] ?? 'custom', reason: `AWS managed policy ${name}`})
    }

    for (const name of policies.customerManaged)
      found.push({level: 'custom', reason: `customer managed policy ${name}`})
    if (policies.inline) {
      found.push(
        policies.inline.allowsEverything
          ? {level: 'admin', reason: 'inline policy allows * on *'}
          : {level: 'custom', reason: 'inline policy'},
      )
    }

    if (found.length === 0) return {basis: 'policies', level: 'none', reasons: ['no policies attached']}
    const level = found.map((f) => f.level).sort((a, b) => rank(a) - rank(b))[0]
    return {basis: 'policies', level, reasons: found.filter((f) => f.level === level).map((f) => f.reason)}
  }

  for (const [pattern, level] of NAME_GUESSES) {
    const match = pattern.exec(permissionSet.name)
    if (match) return {basis: 'name', level, reasons: [`name contains "${match[0]}" (policies not in the snapshot)`]}
  }

  return {basis: 'unknown', level: 'unknown', reasons: ['policies not in the snapshot']}
}
