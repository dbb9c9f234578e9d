#!/usr/bin/env node
// Benchmark of `ssokit discover --all --json` against moto: an organization of 200 accounts, 20 permission
// sets, 60 users, 12 groups and 4 assignments per account, run directly and through a proxy that throttles above
// the published quotas (sso-admin 20/s shared, identitystore 20/s per API; Organizations 10/s). Needs the built
// CLI (`npm run build`) and moto (`pip install "moto[server]"`).
//
// Each request budget runs at its own quota, side by side, so a run takes about what its busiest budget needs:
// `busiestBudgetSeconds` (that budget's requests ÷ its rate) is printed beside each run's time. The parts
// `discover --all` reads grew after issue 12 was measured (5.6–5.9 s with one shared 20/s budget): the
// `withoutOusAndPolicies` run reads what `--all` read then.
//
// `node bench/discover.js` prints the result as JSON; `benchDiscover()` returns it.
// Reference: aws-sso-util made ~4,400 requests in ~48 s on an organization of this size.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const SIZE = {accounts: 200, assignmentsPerAccount: 4, groups: 12, permissionSets: 20, users: 60}
const REFERENCE = {tool: 'aws-sso-util', requests: 4400, seconds: 48}

/** The organization, as the moto seeder's spec: deterministic, so every run measures the same thing. */
function benchSpec() {
  const users = Array.from({length: SIZE.users}, (_, i) => ({
    displayName: `User ${i}`,
    email: `user${i}@example.com`,
    userName: `user${String(i).padStart(2, '0')}`,
  }))
  const groups = Array.from({length: SIZE.groups}, (_, g) => ({
    displayName: `Team ${g}`,
    // Every user in one or two groups.
    members: users.filter((_, u) => u % SIZE.groups === g || (u * 7) % SIZE.groups === g).map((u) => u.userName),
  }))
  const permissionSets = Array.from({length: SIZE.permissionSets}, (_, p) => ({
    description: `Permission set ${p}`,
    name: `PermissionSet${String(p).padStart(2, '0')}`,
    sessionDuration: p % 2 ? 'PT1H' : 'PT8H',
  }))
  const accounts = Array.from({length: SIZE.accounts}, (_, a) => ({
    email: `account${a}@example.com`,
    name: `Account ${a}, team ${a % 7}`,
  }))
  const ps = (p) => permissionSets[p % SIZE.permissionSets].name
  const assignments = accounts.flatMap((_, a) => [
    {account: a, group: groups[a % SIZE.groups].displayName, permissionSet: ps(a)},
    {account: a, group: groups[(a + 5) % SIZE.groups].displayName, permissionSet: ps(a + 7)},
    {account: a, permissionSet: ps(a + 3), user: users[a % SIZE.users].userName},
    {account: a, permissionSet: ps(a + 11), user: users[(a + 17) % SIZE.users].userName},
  ])
  return {accounts, assignments, groups, permissionSets, users}
}

/**
 * Runs the built CLI with only the AWS settings given (never the developer's ~/.aws), and reads the child's peak
 * memory from inside: a preloaded module writes `process.resourceUsage().maxRSS` (kB) to a file on exit.
 */
export function runDiscover(parts, awsEnv, home) {
  const rssFile = join(home, 'max-rss')
  const preload = `data:text/javascript,${encodeURIComponent(
    `import {writeFileSync} from 'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`,
  )}`
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('SSOKIT_')),
  )
  Object.assign(env, awsEnv, {
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    HOME: home,
    NODE_NO_WARNINGS: '1',
  })
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['--import', preload, BIN, 'discover', ...parts, '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // Bytes, joined once: a snapshot of a big organization is megabytes.
    const chunks = []
    let stderr = ''
    child.stdout.on('data', (d) => chunks.push(d))
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = Math.round(performance.now() - started)
      const stdout = Buffer.concat(chunks).toString('utf8')
      if (code !== 0) {
        reject(new Error(`ssokit discover exited ${code}: ${(stderr.trim() || stdout).slice(0, 500)}`))
        return
      }

      const maxRssMb = Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024)
      resolve({maxRssMb, snapshot: JSON.parse(stdout), wallMs})
    })
  })
}

/** Differences between the snapshot and what was seeded (empty when it is right). */
function check(snapshot, seeded) {
  const problems = []
  const expect = (what, actual, expected) => {
    if (actual !== expected) problems.push(`${what}: ${actual}, expected ${expected}`)
  }

  expect('accounts', snapshot.accounts?.length, seeded.accounts.length)
  expect('permission sets', snapshot.permissionSets?.length, seeded.permissionSets.length)
  expect('users', snapshot.users?.length, seeded.users.length)
  expect('groups', snapshot.groups?.length, seeded.groups.length)
  const members = (groups) => groups.reduce((n, g) => n + g.memberIds.length, 0)
  expect('group memberships', members(snapshot.groups ?? []), members(seeded.groups))
  expect('assignments', snapshot.assignments?.length, seeded.assignments.length)
  const key = (a) => `${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`
  const found = new Set((snapshot.assignments ?? []).map(key))
  const missing = seeded.assignments.filter((a) => !found.has(key(a)))
  if (missing.length > 0) problems.push(`${missing.length} seeded assignments missing, e.g. ${key(missing[0])}`)
  if (snapshot.warnings?.length) problems.push(`warnings: ${snapshot.warnings.map((w) => w.message).join('; ')}`)
  return problems
}

/** What the busiest budget needs at the default rates (s): its requests ÷ its rate. */
function busiestBudgetSeconds(stats) {
  const count = (service) => stats.byService?.[service]?.requests ?? 0
  return Math.round(Math.max(count('sso-admin') / 20, count('organizations') / 10) * 10) / 10
}

function summary(run, problems, extra = {}) {
  const {stats} = run.snapshot
  return {
    ...extra,
    assignmentStrategy: stats.assignmentStrategy,
    busiestBudgetSeconds: busiestBudgetSeconds(stats),
    byService: stats.byService,
    durationMs: stats.durationMs,
    maxRssMb: run.maxRssMb,
    ok: problems.length === 0,
    problems,
    requests: stats.requests,
    throttled: stats.throttled,
    wallMs: run.wallMs,
  }
}

export async function benchDiscover() {
  // The moto launcher, seeder and fault proxy are the test suite's own (TypeScript): load them through tsx.
  const {register} = await import('tsx/esm/api')
  const unregister = register()
  const {awsEnvFor, startMoto, seedIdentityCenter, motoAvailability, INSTALL_HINT} =
    await import('../test/support/moto.ts')
  const {AWS_QUOTA_RATES, startFaultProxy} = await import('../test/support/fault-proxy.ts')
  const availability = motoAvailability()
  if (!availability.available) throw new Error(`${availability.reason}. Install it with: ${INSTALL_HINT}`)

  const home = mkdtempSync(join(tmpdir(), 'ssokit-bench-'))
  const moto = await startMoto()
  let proxy
  try {
    const seedStarted = performance.now()
    const seeded = await seedIdentityCenter(moto.url, benchSpec())
    const seedMs = Math.round(performance.now() - seedStarted)
    const all = ['--all']
    const direct = await runDiscover(all, awsEnvFor(moto.url), home)
    const issueParts = ['--accounts', '--permission-sets', '--principals', '--assignments']
    const lean = await runDiscover(issueParts, awsEnvFor(moto.url), home)
    proxy = await startFaultProxy(moto.url, {rates: {...AWS_QUOTA_RATES}})
    const throttled = await runDiscover(all, awsEnvFor(proxy.url), home)
    const result = {
      size: {...SIZE, accountsIncludingManagement: seeded.accounts.length, assignments: seeded.assignments.length},
      seedMs,
      runs: {
        direct: summary(direct, check(direct.snapshot, seeded)),
        throttlingProxyAtQuotas: summary(throttled, check(throttled.snapshot, seeded), {
          proxyRates: AWS_QUOTA_RATES,
          proxyRejected: proxy.stats.throttled,
          proxyReceived: proxy.stats.received,
        }),
        withoutOusAndPolicies: summary(lean, check(lean.snapshot, seeded), {parts: issueParts}),
      },
      reference: REFERENCE,
    }
    result.ok = Object.values(result.runs).every((r) => r.ok)
    return result
  } finally {
    await proxy?.close()
    await moto.stop()
    rmSync(home, {force: true, recursive: true})
    await unregister()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const result = await benchDiscover()
    process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    if (!result.ok) process.exitCode = 1
  } catch (error) {
    process.stderr.write(`bench/discover: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
}
