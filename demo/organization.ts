import type {OrganizationalUnitSpec, PolicySpec, SeedSpec} from '../test/support/moto.js'

/**
 * The demo's organization, "Northwind": a dozen accounts laid out the way AWS Control Tower and the AWS
 * multi-account guidance name them (a security OU with Log Archive and Audit, infrastructure, workloads split into
 * production and non-production, a sandbox), five permission sets, seven people in four groups, and one service
 * control policy. Small enough to read in a terminal, real enough that every command has something to say.
 */

/** The sso-session the demo's engineer signs in to, and the region everything lives in. */
export const SSO_SESSION = 'northwind'
export const REGION = 'us-east-1'

/** The engineer who signs in: a developer, reaching accounts through the Developers group. */
export const ENGINEER = 'alex'

const ACCOUNTS = [
  'Log Archive',
  'Audit',
  'Shared Services',
  'Network',
  'Production',
  'Payments Production',
  'Staging',
  'Development',
  'Data Platform',
  'Analytics',
  'Sandbox',
] as const

type AccountName = (typeof ACCOUNTS)[number]

const at = (name: AccountName): number => ACCOUNTS.indexOf(name)

const email = (name: string): string => `aws+${name.toLowerCase().replaceAll(' ', '-')}@northwind.example`

export function northwindSpec(): SeedSpec {
  const every = (permissionSet: string, group: string) =>
    ACCOUNTS.map((name) => ({account: at(name), group, permissionSet}))
  return {
    accounts: ACCOUNTS.map((name) => ({email: email(name), name})),
    assignments: [
      ...every('AdministratorAccess', 'Platform'),
      {account: 'management', group: 'Platform', permissionSet: 'AdministratorAccess'},
      ...(['Staging', 'Development', 'Sandbox'] as const).map((name) => ({
        account: at(name),
        group: 'Developers',
        permissionSet: 'PowerUserAccess',
      })),
      {account: at('Production'), group: 'Developers', permissionSet: 'ReadOnlyAccess'},
      {account: at('Payments Production'), group: 'Developers', permissionSet: 'ReadOnlyAccess'},
      {account: at('Data Platform'), group: 'Data', permissionSet: 'DataEngineer'},
      {account: at('Analytics'), group: 'Data', permissionSet: 'DataEngineer'},
      ...(['Log Archive', 'Audit', 'Production', 'Payments Production'] as const).map((name) => ({
        account: at(name),
        group: 'Security',
        permissionSet: 'SecurityAudit',
      })),
      // One person with a direct assignment, outside any group: what access reviews look for.
      {account: at('Data Platform'), permissionSet: 'ReadOnlyAccess', user: 'alex'},
    ],
    groups: [
      {displayName: 'Platform', members: ['priya']},
      {displayName: 'Developers', members: ['alex', 'marcus', 'lena']},
      {displayName: 'Data', members: ['sofia']},
      {displayName: 'Security', members: ['tom', 'priya']},
    ],
    permissionSets: [
      {description: 'Full access, for the platform team', name: 'AdministratorAccess', sessionDuration: 'PT1H'},
      {description: 'Build and run workloads; no IAM changes', name: 'PowerUserAccess', sessionDuration: 'PT4H'},
      {description: 'Look, do not touch', name: 'ReadOnlyAccess', sessionDuration: 'PT8H'},
      {description: 'S3, Glue and Athena for the data team', name: 'DataEngineer', sessionDuration: 'PT8H'},
      {description: 'Read-only security review', name: 'SecurityAudit', sessionDuration: 'PT4H'},
    ],
    users: [
      {displayName: 'Alex Rivera', email: 'alex@northwind.example', userName: 'alex'},
      {displayName: 'Priya Natarajan', email: 'priya@northwind.example', userName: 'priya'},
      {displayName: 'Marcus Chen', email: 'marcus@northwind.example', userName: 'marcus'},
      {displayName: 'Lena Fischer', email: 'lena@northwind.example', userName: 'lena'},
      {displayName: 'Sofía García', email: 'sofia@northwind.example', userName: 'sofia'},
      {displayName: 'Tom Okafor', email: 'tom@northwind.example', userName: 'tom'},
      {displayName: 'Noah Williams', email: 'noah@northwind.example', userName: 'noah'},
    ],
  }
}

/** The OU tree; Workloads holds the accounts the service control policy protects. */
export const ORGANIZATIONAL_UNITS: OrganizationalUnitSpec[] = [
  {accounts: [at('Log Archive'), at('Audit')], name: 'Security'},
  {accounts: [at('Shared Services'), at('Network')], name: 'Infrastructure'},
  {accounts: [], name: 'Workloads'},
  {accounts: [at('Production'), at('Payments Production')], name: 'Prod', parent: 'Workloads'},
  {
    accounts: [at('Staging'), at('Development'), at('Data Platform'), at('Analytics')],
    name: 'NonProd',
    parent: 'Workloads',
  },
  {accounts: [at('Sandbox')], name: 'Sandbox'},
]

/** The service control policy on the Workloads OU: nobody deletes S3 buckets or stops CloudTrail there. */
export const WORKLOADS_SCP = {
  description: 'Protect workload data and audit trails',
  document: {
    Statement: [
      {
        Action: ['s3:DeleteBucket', 'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'],
        Effect: 'Deny',
        Resource: '*',
        Sid: 'ProtectDataAndTrails',
      },
    ],
    Version: '2012-10-17',
  },
  name: 'ProtectWorkloads',
  ou: 'Workloads',
}

export const PERMISSION_SET_POLICIES: Record<string, PolicySpec> = {
  AdministratorAccess: {awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess']},
  DataEngineer: {
    inline: JSON.stringify({
      Statement: [{Action: ['s3:*', 'glue:*', 'athena:*'], Effect: 'Allow', Resource: '*', Sid: 'DataServices'}],
      Version: '2012-10-17',
    }),
  },
  PowerUserAccess: {awsManaged: ['arn:aws:iam::aws:policy/PowerUserAccess']},
  ReadOnlyAccess: {awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess']},
  SecurityAudit: {awsManaged: ['arn:aws:iam::aws:policy/SecurityAudit']},
}

/** What changes between the two discover runs that `ssokit diff` compares: a joiner and a new grant. */
export const CHANGES = {
  /** Noah joins the Developers group. */
  joiner: {group: 'Developers', user: 'noah'},
  /** The Data team gets ReadOnlyAccess on Production. */
  grant: {account: 'Production' as AccountName, group: 'Data', permissionSet: 'ReadOnlyAccess'},
}

/** The accounts and permission sets `user` reaches, directly or through groups: the access portal's view. */
export function portalAccess(spec: SeedSpec, user: string): Map<'management' | number, Set<string>> {
  const groups = new Set(spec.groups.filter((g) => g.members.includes(user)).map((g) => g.displayName))
  const access = new Map<'management' | number, Set<string>>()
  for (const a of spec.assignments) {
    if (a.user !== user && !(a.group && groups.has(a.group))) continue
    const roles = access.get(a.account) ?? new Set<string>()
    roles.add(a.permissionSet)
    access.set(a.account, roles)
  }

  return access
}

export {at as accountIndex, ACCOUNTS}
