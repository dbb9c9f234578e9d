import cliProgress from 'cli-progress'

import type {NameLookup} from '../discovery/discover.js'
import type {ProgressReporter} from '../discovery/progress.js'
import type {DiscoverSnapshot, SnapshotWarning} from '../discovery/snapshot.js'

import {plainTable} from './table.js'

/**
 * Human output of `ssokit discover`: the portal URL first, then one table per part, in the same plain table
 * style as the other commands. Never used under `--json`.
 */

function orDash(value: null | string | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : value
}

function section(title: string, head: string[], rows: string[][]): string {
  return `\n${title} (${rows.length})\n${rows.length > 0 ? plainTable(head, rows) : '  (none)\n'}`
}

function portalLines(snapshot: DiscoverSnapshot): string[] {
  const lines: string[] = []
  for (const instance of snapshot.instances) {
    const label = snapshot.instances.length > 1 ? `Access portal (${instance.region})` : 'Access portal'
    lines.push(`${label}: ${instance.startUrl}`)
  }

  if (snapshot.instances.some((i) => i.startUrlSource === 'default')) {
    lines.push(
      '  This is the default URL form. A custom alias (https://<alias>.awsapps.com/start) cannot be discovered;',
      '  if your organization set one, pass it with --start-url.',
    )
  }

  return lines
}

function summaryLines(snapshot: DiscoverSnapshot): string[] {
  const lines = portalLines(snapshot)
  if (snapshot.caller) lines.push(`Caller: ${snapshot.caller.arn} (account ${snapshot.caller.account})`)
  const regions = snapshot.searchedRegions
  lines.push(`Searched: ${regions.length > 6 ? `${regions.length} regions` : regions.join(', ')}`)
  return lines
}

function instancesTable(snapshot: DiscoverSnapshot): string {
  const rows = snapshot.instances.map((i) => [
    i.region,
    i.instanceArn,
    i.identityStoreId,
    i.ownerAccountId,
    i.status,
    orDash(i.name),
  ])
  return section('Instances', ['Region', 'Instance ARN', 'Identity store', 'Owner account', 'Status', 'Name'], rows)
}

function accountsTable(snapshot: DiscoverSnapshot): string {
  const rows = (snapshot.accounts ?? []).map((a) => [a.id, a.name, orDash(a.email), orDash(a.status)])
  return section('Accounts', ['Account', 'Name', 'Email', 'Status'], rows)
}

function permissionSetsTable(snapshot: DiscoverSnapshot): string {
  const rows = (snapshot.permissionSets ?? []).map((p) => [p.name, orDash(p.sessionDuration), orDash(p.description)])
  return section('Permission sets', ['Permission set', 'Session', 'Description'], rows)
}

function usersTable(snapshot: DiscoverSnapshot): string {
  const groupsOf = new Map<string, string[]>()
  for (const g of snapshot.groups ?? [])
    for (const id of g.memberIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), g.displayName])
  const rows = (snapshot.users ?? []).map((u) => [
    u.userName,
    orDash(u.displayName),
    orDash(u.email),
    (groupsOf.get(u.id) ?? []).join(', ') || '-',
  ])
  return section('Users', ['User', 'Display name', 'Email', 'Groups'], rows)
}

function groupsTable(snapshot: DiscoverSnapshot, names: NameLookup): string {
  const rows = (snapshot.groups ?? []).map((g) => {
    const members = g.memberIds.map((id) => names.principals.get(id) ?? id).sort((a, b) => a.localeCompare(b))
    return [g.displayName, members.join(', ') || '-']
  })
  return section('Groups', ['Group', 'Members'], rows)
}

function assignmentsTable(snapshot: DiscoverSnapshot, names: NameLookup): string {
  const assignments = snapshot.assignments ?? []
  const rows = assignments.map((a) => {
    const account = names.accounts.get(a.accountId)
    return [
      account === undefined ? a.accountId : `${account} (${a.accountId})`,
      names.permissionSets.get(a.permissionSetArn) ?? a.permissionSetArn,
      a.principalType === 'USER' ? 'user' : 'group',
      names.principals.get(a.principalId) ?? a.principalId,
      a.accountId,
    ]
  })
  // Readers look for names: by account id, then permission set name, then principal type and name.
  rows.sort(
    (x, y) =>
      x[4].localeCompare(y[4]) || x[1].localeCompare(y[1]) || x[2].localeCompare(y[2]) || x[3].localeCompare(y[3]),
  )
  return section(
    'Assignments',
    ['Account', 'Permission set', 'Type', 'Principal'],
    rows.map((row) => row.slice(0, 4)),
  )
}

export function warningLines(warnings: SnapshotWarning[]): string[] {
  return warnings.map((w) => `Warning (${w.scope}): ${w.message}`)
}

function statsLine(snapshot: DiscoverSnapshot): string {
  const {assignmentStrategy, durationMs, requests, throttled} = snapshot.stats
  const strategy = assignmentStrategy ? `, assignments read ${assignmentStrategy}` : ''
  return `\n${requests} requests, ${throttled} throttled, ${(durationMs / 1000).toFixed(1)} s${strategy}\n`
}

/** The whole human-readable report (stdout). Warnings are not in it: they go to stderr. */
export function renderDiscover(snapshot: DiscoverSnapshot, names: NameLookup): string {
  const parts = [summaryLines(snapshot).join('\n') + '\n', instancesTable(snapshot)]
  if (snapshot.accounts) parts.push(accountsTable(snapshot))
  if (snapshot.permissionSets) parts.push(permissionSetsTable(snapshot))
  if (snapshot.users) parts.push(usersTable(snapshot))
  if (snapshot.groups) parts.push(groupsTable(snapshot, names))
  if (snapshot.assignments) parts.push(assignmentsTable(snapshot, names))
  parts.push(statsLine(snapshot))
  return parts.join('').trimEnd()
}

/**
 * A progress bar on a TTY (stderr), shown only once the run has taken more than `delayMs`, so quick runs
 * print nothing extra. Not a TTY: no output at all.
 */
export function createProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
  delayMs = 700,
): ProgressReporter & {stop(): void} {
  let total = 0
  let done = 0
  let phase = ''
  if (!stream.isTTY) return {addWork() {}, complete() {}, phase() {}, stop() {}}
  const bar = new cliProgress.SingleBar(
    {clearOnComplete: true, format: 'discover {bar} {value}/{total} {phase}', hideCursor: true, stream},
    cliProgress.Presets.shades_classic,
  )
  let shown = false
  const timer = setTimeout(() => {
    shown = true
    bar.start(total, done, {phase})
  }, delayMs)
  timer.unref()
  const update = (): void => {
    if (!shown) return
    bar.setTotal(total)
    bar.update(done, {phase})
  }

  return {
    addWork(units) {
      total += units
      update()
    },
    complete(units = 1) {
      done += units
      update()
    },
    phase(label) {
      phase = label
      update()
    },
    stop() {
      clearTimeout(timer)
      if (shown) bar.stop()
    },
  }
}
