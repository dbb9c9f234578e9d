import cliProgress from 'cli-progress'

import type {NameLookup} from '../discovery/discover.js'
import type {ProgressReporter} from '../discovery/progress.js'
import type {DiscoverSnapshot, SnapshotWarning} from '../discovery/snapshot.js'

import {plainTable} from './table.js'
import {escapeControl} from './terminal.js'

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
  const {assignmentStrategy, byService, durationMs, requests, throttled} = snapshot.stats
  const strategy = assignmentStrategy ? `, assignments read ${assignmentStrategy}` : ''
  const services = Object.entries(byService ?? {})
    .filter(([, count]) => count.requests > 0)
    .map(([name, count]) => `${name} ${count.requests}${count.throttled > 0 ? ` (${count.throttled} throttled)` : ''}`)
  const split = services.length > 1 ? ` (${services.join(', ')})` : ''
  return `\n${requests} requests${split}, ${throttled} throttled, ${(durationMs / 1000).toFixed(1)} s${strategy}\n`
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

/** What the progress bar shows: requests sent, the estimated total and the time left (undefined: not known yet). */
export interface ProgressFigures {
  estimatedTotal: number
  requests: number
  secondsLeft?: number
}

/**
 * The estimate: each unit of work still open is about one more request (a page or a retry more is absorbed as the
 * run goes), and the rest goes at the rate the run has kept so far, which is its busiest budget's.
 */
export function progressFigures(input: {
  elapsedMs: number
  requests: number
  unitsDone: number
  unitsTotal: number
}): ProgressFigures {
  const open = Math.max(0, input.unitsTotal - input.unitsDone)
  const estimatedTotal = input.requests + open
  if (input.requests === 0 || input.elapsedMs <= 0) return {estimatedTotal, requests: input.requests}
  const perSecond = input.requests / (input.elapsedMs / 1000)
  return {estimatedTotal, requests: input.requests, secondsLeft: Math.ceil(open / perSecond)}
}

/** `45 s`, `3 min 05 s`. */
export function formatTimeLeft(seconds: number | undefined): string {
  if (seconds === undefined) return '…'
  if (seconds < 60) return `${seconds} s`
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
}

/**
 * A progress bar on a TTY (stderr), shown only once the run has taken more than `delayMs`, so quick runs
 * print nothing extra: requests sent of the estimated total, the time left and what the run is reading. Not a
 * TTY: no output at all.
 */
export function createProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
  delayMs = 700,
): ProgressReporter & {stop(): void} {
  let unitsTotal = 0
  let unitsDone = 0
  let phase = ''
  let requests: (() => number) | undefined
  if (!stream.isTTY) return {addWork() {}, complete() {}, phase() {}, stop() {}}
  const started = performance.now()
  const bar = new cliProgress.SingleBar(
    {
      clearOnComplete: true,
      format: 'discover {bar} {value}/~{total} requests, {left} left  {phase}',
      hideCursor: true,
      stream,
    },
    cliProgress.Presets.shades_classic,
  )
  let shown = false
  let refresh: NodeJS.Timeout | undefined
  const figures = (): ProgressFigures =>
    progressFigures({
      elapsedMs: performance.now() - started,
      // Before the request counter is known, units stand in for requests.
      requests: requests ? requests() : unitsDone,
      unitsDone,
      unitsTotal,
    })
  const update = (): void => {
    if (!shown) return
    const now = figures()
    bar.setTotal(Math.max(1, now.estimatedTotal))
    bar.update(now.requests, {left: formatTimeLeft(now.secondsLeft), phase: escapeControl(phase)})
  }

  const timer = setTimeout(() => {
    shown = true
    const now = figures()
    bar.start(Math.max(1, now.estimatedTotal), now.requests, {
      left: formatTimeLeft(now.secondsLeft),
      phase: escapeControl(phase),
    })
    // Requests go out between the units' completions: redraw a few times a second.
    refresh = setInterval(update, 250)
    refresh.unref()
  }, delayMs)
  timer.unref()

  return {
    addWork(units) {
      unitsTotal += units
      update()
    },
    complete(units = 1) {
      unitsDone += units
      update()
    },
    phase(label) {
      phase = label
      update()
    },
    stop() {
      clearTimeout(timer)
      if (refresh) clearInterval(refresh)
      if (shown) bar.stop()
    },
    watchRequests(stats) {
      requests = () => stats.requests
    },
  }
}
