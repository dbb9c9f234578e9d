import {createHash} from 'node:crypto'

import type {AccessReport, ReportAccount, ReportGroup, ReportPermissionSet, ReportUser} from '../report/access.js'

import {POWER_LABEL, POWER_ORDER, type PowerLevel} from '../report/power.js'
import {jsonForScript, markup, type SafeHtml, trusted} from './html.js'
import {REPORT_CSS, REPORT_SCRIPT} from './report-assets.js'
import {escapeLine} from './terminal.js'

/**
 * The access report as one self-contained HTML page: a matrix of accounts (grouped by OU when the snapshot has
 * them) × permission sets (strongest first) with the principals in each cell, people and groups with their
 * members, the permission sets and their power, and what the snapshot lacks. Everything a reader needs is in
 * the markup (it prints and reads without JavaScript); the inline script adds the filter, the per-person view
 * and the group pop-ups. The Content-Security-Policy allows no network at all and only the page's own style
 * and script (by hash), so even a value that got past the escaping could not run or load anything.
 */

export interface ReportPageOptions {
  /** Where the data came from, e.g. `snapshot.json` or `live discovery`. */
  source: string
  /** ssokit's version, for the generator tag. */
  version: string
}

/** Principals shown in a cell before the rest folds into "+N more". */
const CELL_LIMIT = 6

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64')

interface Cell {
  groups: number[]
  /** People who reach it, groups expanded. */
  people: number
  users: number[]
}

/** The report as the page addresses it: rows, columns, users and groups by position. */
interface Page {
  accountIndex: Map<string, number>
  cells: Map<string, Cell>
  columnIndex: Map<string, number>
  /** Permission sets with at least one assignment, strongest first. */
  columns: ReportPermissionSet[]
  groupIndex: Map<string, number>
  groups: ReportGroup[]
  /** The groups' members are known (the snapshot has groups). */
  membersKnown: boolean
  reachCount: Map<string, {admin: number; total: number}>
  report: AccessReport
  rows: ReportAccount[]
  userIndex: Map<string, number>
  users: ReportUser[]
}

const cellKey = (accountId: string, arn: string): string => `${accountId}\u0000${arn}`

function pageOf(report: AccessReport): Page {
  const columns = report.permissionSets.filter((p) => p.assignmentCount > 0)
  const cells = new Map<string, Cell>()
  const userIndex = new Map(report.users.map((u, i) => [u.id, i]))
  const groupIndex = new Map(report.groups.map((g, i) => [g.id, i]))
  for (const a of report.assignments) {
    const key = cellKey(a.accountId, a.permissionSetArn)
    const cell = cells.get(key) ?? {groups: [], people: 0, users: []}
    cells.set(key, cell)
    if (a.principalType === 'USER') cell.users.push(userIndex.get(a.principalId)!)
    else cell.groups.push(groupIndex.get(a.principalId)!)
  }

  const levelOf = new Map(report.permissionSets.map((p) => [p.arn, p.power.level]))
  const reachCount = new Map<string, {admin: number; total: number}>()
  for (const e of report.access) {
    const cell = cells.get(cellKey(e.accountId, e.permissionSetArn))
    if (cell) cell.people++
    const count = reachCount.get(e.userId) ?? {admin: 0, total: 0}
    count.total++
    if (levelOf.get(e.permissionSetArn) === 'admin') count.admin++
    reachCount.set(e.userId, count)
  }

  for (const cell of cells.values()) {
    cell.users.sort((x, y) => x - y)
    cell.groups.sort((x, y) => x - y)
  }

  return {
    accountIndex: new Map(report.accounts.map((a, i) => [a.id, i])),
    cells,
    columnIndex: new Map(columns.map((p, i) => [p.arn, i])),
    columns,
    groupIndex,
    groups: report.groups,
    membersKnown: !report.missing.some((m) => m.part === 'groups'),
    reachCount,
    report,
    rows: report.accounts,
    userIndex,
    users: report.users,
  }
}

const count = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
const ouLabel = (a: ReportAccount): string => (a.ouPath && a.ouPath.length > 0 ? a.ouPath.join(' / ') : '')

function levelBadge(p: ReportPermissionSet): SafeHtml {
  const label = POWER_LABEL[p.power.level] + (p.power.basis === 'name' ? ' (by name)' : '')
  return markup`<span class="lvl lv-${p.power.level}" title="${p.power.reasons.join('; ')}">${label}</span>`
}

function userLink(page: Page, index: number): SafeHtml {
  const user = page.users[index]
  // Known users carry no title: the person view has their details, and 5,000 cells must stay small.
  const unknown = user.known ? '' : markup` class="unknown" title="not in the snapshot’s users"`
  return markup`<a href="#u${index}"${unknown}>${user.userName}</a>`
}

function groupLink(page: Page, index: number, withCount = false): SafeHtml {
  const group = page.groups[index]
  const size = withCount && group.known ? ` (${group.memberIds.length})` : ''
  const unknown = group.known ? '' : markup` class="unknown" title="group not in the snapshot"`
  return markup`<a href="#g${index}" class="g"${unknown}>${group.displayName}${size}</a>`
}

function matrixCell(page: Page, account: ReportAccount, column: ReportPermissionSet): SafeHtml {
  const cell = page.cells.get(cellKey(account.id, column.arn))
  if (!cell) return markup`<td></td>`
  const links = [...cell.groups.map((g) => groupLink(page, g, true)), ...cell.users.map((u) => userLink(page, u))]
  const rest = links.slice(CELL_LIMIT)
  const more =
    rest.length > 0 ? markup`<details class="more"><summary>+${rest.length} more</summary>${rest}</details>` : ''
  const people =
    page.membersKnown && cell.groups.length > 0
      ? markup`<span class="c">${count(cell.people, 'person', 'people')}</span>`
      : ''
  return markup`<td class="lv-${column.power.level}">${links.slice(0, CELL_LIMIT)}${more}${people}</td>`
}

function columnHead(p: ReportPermissionSet, index: number): SafeHtml {
  const name = p.known ? p.name : markup`<span class="unknown">${p.name}</span>`
  return markup`<th scope="col" data-p="${index}" class="lv-${p.power.level}">${name}<br>${levelBadge(p)}</th>`
}

function matrix(page: Page): SafeHtml {
  if (page.columns.length === 0 || page.rows.length === 0) return markup`<p class="help">No assignments to show.</p>`
  const head = markup`<thead><tr><th scope="col" class="corner">Account</th>${page.columns.map(columnHead)}</tr></thead>`
  const byOu = new Map<string, ReportAccount[]>()
  for (const a of page.rows) byOu.set(ouLabel(a), [...(byOu.get(ouLabel(a)) ?? []), a])
  const grouped = page.rows.some((a) => a.ouPath !== null)
  const bodies = [...byOu.entries()].map(([label, accounts]) => {
    const title = label || 'Not in an organizational unit the snapshot knows'
    const ouRow = grouped
      ? markup`<tr class="ou"><th scope="rowgroup" colspan="${page.columns.length + 1}">${title} <span class="meta">(${count(accounts.length, 'account')})</span></th></tr>`
      : ''
    const rows = accounts.map(
      (a) =>
        markup`<tr data-a="${page.accountIndex.get(a.id)!}"><th scope="row">${a.known ? a.name : markup`<span class="unknown">name unknown</span>`}<span class="id">${a.id}</span></th>${page.columns.map((p) => matrixCell(page, a, p))}</tr>`,
    )
    return markup`<tbody>${ouRow}${rows}</tbody>`
  })
  return markup`<div class="scroll" tabindex="0" role="region" aria-label="Accounts and permission sets (scrolls)"><table class="matrix" id="matrix-table">${head}${bodies}</table></div>`
}

const LEVEL_MEANING: Record<PowerLevel, string> = {
  admin: 'AdministratorAccess, IAMFullAccess or an inline policy allowing * on *',
  billing: 'the Billing job function',
  custom: 'other policies: read them',
  none: 'no policies attached',
  'power-user': 'PowerUserAccess',
  'read-only': 'ReadOnlyAccess, ViewOnlyAccess, SecurityAudit',
  unknown: 'no policies in the snapshot, nothing telling in the name',
}

function legend(report: AccessReport): SafeHtml {
  const used = new Set(report.permissionSets.map((p) => p.power.level))
  const guessed = report.permissionSets.some((p) => p.power.basis === 'name')
  return markup`<ul class="legend">${POWER_ORDER.filter((l) => used.has(l)).map(
    (l) => markup`<li><span class="sw lv-${l}"></span><b>${POWER_LABEL[l]}</b>: ${LEVEL_MEANING[l]}</li>`,
  )}${guessed ? markup`<li>“(by name)”: guessed from the name, the snapshot has no policies</li>` : ''}</ul>`
}

function notices(report: AccessReport): SafeHtml {
  const missing = report.missing.map((m) => markup`<li class="${m.severity}">${m.message}</li>`)
  const warnings = report.warnings.filter((w) => !report.missing.some((m) => m.part === w.scope))
  if (missing.length === 0 && warnings.length === 0) return markup``
  const recorded =
    warnings.length > 0
      ? markup`<h3>Recorded by discover</h3><ul>${warnings.map((w) => markup`<li class="warning">${w.scope}: ${w.message}</li>`)}</ul>`
      : ''
  return markup`<section class="notices" id="notices" aria-labelledby="notices-title"><h2 id="notices-title">What this report cannot show</h2>${missing.length > 0 ? markup`<ul>${missing}</ul>` : ''}${recorded}</section>`
}

function peopleSection(page: Page): SafeHtml {
  const groupsOf = new Map<string, number[]>()
  for (const [gi, g] of page.groups.entries())
    for (const id of g.memberIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), gi])
  const rows = page.users.map((u, ui) => {
    const reach = page.reachCount.get(u.id) ?? {admin: 0, total: 0}
    const groups = (groupsOf.get(u.id) ?? []).map((gi, i) => markup`${i > 0 ? ', ' : ''}${groupLink(page, gi)}`)
    const admin = reach.admin > 0 ? markup` <span class="lvl lv-admin">${reach.admin} admin</span>` : ''
    return markup`<tr id="u${ui}"><th scope="row">${userLink(page, ui)}</th><td>${u.displayName ?? ''}</td><td>${u.email ?? ''}</td><td>${groups}</td><td>${reach.total}${admin}</td></tr>`
  })
  const table =
    rows.length > 0
      ? markup`<table class="people"><thead><tr><th scope="col">User</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Groups</th><th scope="col">Reaches</th></tr></thead><tbody>${rows}</tbody></table>`
      : markup`<p>No users in this snapshot.</p>`
  return markup`<section id="people" aria-labelledby="people-title"><h2 id="people-title">People</h2><p class="help">Select a name for every account and permission set the person reaches, and through which group. “Reaches” counts account × permission set pairs, groups expanded.</p>${table}</section>`
}

function groupsSection(page: Page): SafeHtml {
  const assigned = new Map<string, number>()
  for (const a of page.report.assignments)
    if (a.principalType === 'GROUP') assigned.set(a.principalId, (assigned.get(a.principalId) ?? 0) + 1)
  const items = page.groups.map((g, gi) => {
    const members = g.memberIds.map((id, i) => markup`${i > 0 ? ', ' : ''}${userLink(page, page.userIndex.get(id)!)}`)
    const size = g.known ? count(g.memberIds.length, 'member') : 'members unknown'
    return markup`<details id="g${gi}"><summary>${g.displayName} <span class="meta">(${size}, ${count(assigned.get(g.id) ?? 0, 'assignment')})</span></summary><p class="members">${members.length > 0 ? members : 'No members.'}</p></details>`
  })
  return markup`<section id="groups" class="groups" aria-labelledby="groups-title"><h2 id="groups-title">Groups</h2>${items.length > 0 ? items : markup`<p>No groups in this snapshot.</p>`}</section>`
}

function permissionSetsSection(report: AccessReport): SafeHtml {
  const rows = report.permissionSets.map(
    (p) =>
      markup`<tr><th scope="row">${p.name}<span class="id">${p.arn}</span></th><td>${levelBadge(p)}</td><td>${p.power.reasons.join('; ')}</td><td>${p.sessionDuration ?? ''}</td><td>${p.description ?? ''}</td><td>${p.assignmentCount}</td></tr>`,
  )
  const table =
    rows.length > 0
      ? markup`<table class="sets"><thead><tr><th scope="col">Permission set</th><th scope="col">Power</th><th scope="col">Why</th><th scope="col">Session</th><th scope="col">Description</th><th scope="col">Assignments</th></tr></thead><tbody>${rows}</tbody></table>`
      : markup`<p>No permission sets in this snapshot.</p>`
  return markup`<section id="permission-sets" aria-labelledby="sets-title"><h2 id="sets-title">Permission sets</h2>${table}</section>`
}

const t = (text: null | string): string => escapeLine(text ?? '')

/**
 * The compact data the script needs: rows, columns, users, groups and assignments by position. Names are in
 * their display form (control and bidi characters as escapes), as in the markup: the script shows them with
 * `textContent`, which would otherwise render a right-to-left override as it is.
 */
function pageData(page: Page): unknown {
  return {
    a: page.rows.map((a) => [t(a.name), a.id, t(ouLabel(a))]),
    g: page.groups.map((g) => [t(g.displayName), g.memberIds.map((id) => page.userIndex.get(id)!)]),
    lv: POWER_LABEL,
    membersKnown: page.membersKnown,
    p: page.columns.map((p) => [t(p.name), p.power.level]),
    u: page.users.map((u) => [t(u.userName), t(u.displayName), t(u.email)]),
    x: page.report.assignments.map((a) => [
      page.accountIndex.get(a.accountId)!,
      page.columnIndex.get(a.permissionSetArn)!,
      a.principalType === 'USER' ? 0 : 1,
      a.principalType === 'USER' ? page.userIndex.get(a.principalId)! : page.groupIndex.get(a.principalId)!,
    ]),
  }
}

function header(report: AccessReport, options: ReportPageOptions): SafeHtml {
  const instance = report.instances[0]
  const where = instance
    ? markup`IAM Identity Center <code>${instance.identityStoreId}</code> (${instance.region})`
    : 'No Identity Center instance'
  const taken = report.generatedAt.replace('T', ' ').replace(/Z$/, ' UTC')
  const s = report.summary
  const stat = (n: number, label: string, cls?: string): SafeHtml =>
    markup`<li${cls ? markup` class="${cls}"` : ''}><b>${n.toLocaleString('en-US')}</b>${label}</li>`
  const stats = [
    stat(s.accounts, 'accounts'),
    stat(s.permissionSets, 'permission sets'),
    stat(s.users, 'people'),
    stat(s.groups, 'groups'),
    stat(s.assignments, 'assignments'),
    stat(s.effectiveAccess, 'person × account × permission set'),
    stat(s.usersWithAdmin, 'people with admin somewhere', 'admin'),
  ]
  return markup`<header><h1>Who can reach what</h1><p class="meta">${where} · snapshot of ${taken} · from ${options.source}</p><ul class="stats">${stats}</ul></header>`
}

export function renderReportHtml(report: AccessReport, options: ReportPageOptions): string {
  const page = pageOf(report)
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${sha256(REPORT_CSS)}'`,
    `script-src 'sha256-${sha256(REPORT_SCRIPT)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  const instance = report.instances[0]
  const title = `Access report${instance ? ` · ${instance.identityStoreId}` : ''} · ${report.generatedAt.slice(0, 10)}`
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="ssokit ${options.version}">
<title>${title}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<a class="skip" href="#matrix">Skip to the matrix</a>
${header(report, options)}
<div class="toolbar">
<nav aria-label="Sections"><a href="#matrix">Matrix</a><a href="#people">People</a><a href="#groups">Groups</a><a href="#permission-sets">Permission sets</a></nav>
<div class="filter" role="search" id="toolbar-filter" hidden>
<label for="q">Filter</label>
<select id="field" aria-label="Filter on"><option value="any">anything</option><option value="account">account or OU</option><option value="person">person</option><option value="group">group</option><option value="ps">permission set</option></select>
<input id="q" type="search" autocomplete="off" spellcheck="false" placeholder="account, person, group or permission set (press /)" aria-describedby="count">
<output id="count" for="q" aria-live="polite"></output>
</div>
<button type="button" id="print">Print</button>
</div>
<noscript><p class="noscript">The filter, the per-person view and the group pop-ups need JavaScript; everything else is on this page.</p></noscript>
<main>
${notices(report)}
<section id="matrix" aria-labelledby="matrix-title"><h2 id="matrix-title">Accounts × permission sets</h2><p class="help">Each cell lists the groups (with their size) and the users assigned that permission set on that account, and how many people that makes once groups are expanded; an empty cell means nobody. Columns go from the most powerful permission set to the least; select a group for its members, a person for everything they reach.</p>${legend(report)}${matrix(page)}</section>
${peopleSection(page)}
${groupsSection(page)}
${permissionSetsSection(report)}
</main>
<dialog id="dialog" aria-labelledby="dialog-title"><div class="dlg-head"><h2 id="dialog-title"></h2><button type="button" class="close">Close</button></div><div class="dlg-body" id="dialog-body"></div></dialog>
<script type="application/json" id="report-data">${jsonForScript(pageData(page))}</script>
<script>${trusted(REPORT_SCRIPT)}</script>
</body>
</html>
`.html
}
