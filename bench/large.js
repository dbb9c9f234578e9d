#!/usr/bin/env node
// Benchmark of a big organization against moto: 1,000 accounts, 50 permission sets, 2,000 users, 100 groups and
// 5,000 assignments, read by `ssokit discover --all --json` at the default budgets. Reports requests per service,
// wall time, the child's peak memory (max RSS) and both assignment strategies' estimates. Opt-in because seeding
// moto takes minutes: `npm run bench -- --large` (or BENCH_LARGE=1), or `node bench/large.js` alone.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runDiscover} from './discover.js'

const SIZE = {accounts: 1000, assignmentsPerAccount: 5, groups: 100, permissionSets: 50, users: 2000}
/** The default budgets (src/aws/budgets.ts), to compare the wall time with what the busiest one needs. */
const RATES = {identitystorePerApi: 20, organizations: 10, 'sso-admin': 20}

/** Deterministic: every run measures the same organization. */
function largeSpec() {
  const users = Array.from({length: SIZE.users}, (_, i) => ({
    displayName: `User ${i}`,
    email: `user${i}@example.com`,
    userName: `user${String(i).padStart(4, '0')}`,
  }))
  const groups = Array.from({length: SIZE.groups}, (_, g) => ({
    displayName: `Team ${String(g).padStart(3, '0')}`,
    // Every user in one group, every third in a second one.
    members: users.filter((_, u) => u % SIZE.groups === g || (u % 3 === 0 && (u * 7) % SIZE.groups === g)),
  })).map((g) => ({...g, members: [...new Set(g.members.map((u) => u.userName))]}))
  const permissionSets = Array.from({length: SIZE.permissionSets}, (_, p) => ({
    name: `PermissionSet${String(p).padStart(2, '0')}`,
    sessionDuration: 'PT1H',
  }))
  const accounts = Array.from({length: SIZE.accounts}, (_, a) => ({
    email: `account${a}@example.com`,
    name: `Account ${a}`,
  }))
  const ps = (p) => permissionSets[p % SIZE.permissionSets].name
  // Three group and two user assignments per account, each with a different permission set.
  const assignments = accounts.flatMap((_, a) => [
    {account: a, group: groups[a % SIZE.groups].displayName, permissionSet: ps(a)},
    {account: a, group: groups[(a + 31) % SIZE.groups].displayName, permissionSet: ps(a + 1)},
    {account: a, group: groups[(a + 67) % SIZE.groups].displayName, permissionSet: ps(a + 2)},
    {account: a, permissionSet: ps(a + 3), user: users[a % SIZE.users].userName},
    {account: a, permissionSet: ps(a + 4), user: users[(a + 1000) % SIZE.users].userName},
  ])
  return {accounts, assignments, groups, permissionSets, users}
}

export async function benchLarge({enabled = process.argv.includes('--large') || process.env.BENCH_LARGE === '1'} = {}) {
  if (!enabled) return {skipped: 'opt-in: npm run -s bench -- --large (seeding moto takes minutes)'}
  const {register} = await import('tsx/esm/api')
  const unregister = register()
  const {awsEnvFor, startMoto, seedIdentityCenter, motoAvailability, INSTALL_HINT} =
    await import('../test/support/moto.ts')
  const {AWS_QUOTA_RATES, startFaultProxy} = await import('../test/support/fault-proxy.ts')
  const {estimateCosts} = await import('../dist/discovery/assignments.js')
  const availability = motoAvailability()
  if (!availability.available) throw new Error(`${availability.reason}. Install it with: ${INSTALL_HINT}`)

  const home = mkdtempSync(join(tmpdir(), 'ssokit-bench-large-'))
  const moto = await startMoto()
  // The proxy only counts (and enforces the quotas, so the run is held to what AWS would allow).
  const proxy = await startFaultProxy(moto.url, {rates: {...AWS_QUOTA_RATES}})
  try {
    const seedStarted = performance.now()
    const seeded = await seedIdentityCenter(moto.url, largeSpec())
    const seedMs = Math.round(performance.now() - seedStarted)
    proxy.resetStats()
    const run = await runDiscover(['--all'], awsEnvFor(proxy.url), home)
    const {stats} = run.snapshot
    const byOperation = Object.fromEntries([...proxy.stats.byOperation].sort(([a], [b]) => (a < b ? -1 : 1)))
    const identityStoreBusiestApi = Math.max(
      ...Object.entries(byOperation)
        .filter(([key]) => key.startsWith('identitystore:'))
        .map(([, n]) => n),
    )
    const budgetSeconds = {
      identitystoreBusiestApi: identityStoreBusiestApi / RATES.identitystorePerApi,
      organizations: (stats.byService?.organizations?.requests ?? 0) / RATES.organizations,
      'sso-admin': (stats.byService?.['sso-admin']?.requests ?? 0) / RATES['sso-admin'],
    }
    const busiest = Math.max(...Object.values(budgetSeconds))
    const problems = []
    const expect = (what, actual, expected) => {
      if (actual !== expected) problems.push(`${what}: ${actual}, expected ${expected}`)
    }

    expect('accounts', run.snapshot.accounts?.length, seeded.accounts.length)
    expect('users', run.snapshot.users?.length, seeded.users.length)
    expect('groups', run.snapshot.groups?.length, seeded.groups.length)
    expect('assignments', run.snapshot.assignments?.length, seeded.assignments.length)
    if (run.snapshot.warnings.length > 0) problems.push(`warnings: ${run.snapshot.warnings.map((w) => w.message)}`)
    const estimates = estimateCosts({
      accountIds: seeded.accounts.map((a) => a.id),
      callerAccountId: seeded.managementAccountId,
      permissionSetCount: seeded.permissionSets.length,
      principals: {groupIds: seeded.groups.map((g) => g.id), userIds: seeded.users.map((u) => u.id)},
      target: seeded.instance,
    })
    return {
      assignmentStrategy: stats.assignmentStrategy,
      budgetSeconds: {...budgetSeconds, busiestPlusOne: Math.round((busiest + 1) * 10) / 10},
      byOperation,
      byService: stats.byService,
      durationMs: stats.durationMs,
      estimates,
      maxRssMb: run.maxRssMb,
      ok: problems.length === 0,
      problems,
      requests: stats.requests,
      seedMs,
      size: {
        ...SIZE,
        accountsIncludingManagement: seeded.accounts.length,
        assignments: seeded.assignments.length,
        memberships: seeded.groups.reduce((n, g) => n + g.memberIds.length, 0),
      },
      throttled: stats.throttled,
      wallMs: run.wallMs,
    }
  } finally {
    await proxy.close()
    await moto.stop()
    rmSync(home, {force: true, recursive: true})
    await unregister()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const result = await benchLarge({enabled: true})
    process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    if (!result.ok) process.exitCode = 1
  } catch (error) {
    process.stderr.write(`bench/large: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
}
