import type {PolicyFinding, StatementMatch} from '../doctor/access/policy-match.js'
import type {AccessPath, AccessReport, AccountRef} from '../doctor/access/types.js'

import {plainTable} from './table.js'
import {escapeLine} from './terminal.js'

/** `doctor access` for people: the verdict, its evidence, the fix, and what could not be seen. */

function account(a: AccountRef): string {
  return a.name ? `${escapeLine(a.name)} (${a.id})` : a.id
}

function via(paths: AccessPath[]): string {
  return paths.map((p) => (p.via === 'direct' ? 'direct' : `group ${escapeLine(p.groupName)}`)).join(', ')
}

/** "3 days", "5 hours", "12 minutes": how old a snapshot is. */
export function describeAge(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ]
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size)
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'}`
  }

  return `${seconds} seconds`
}

function list(value: string[] | undefined): string {
  return (value ?? []).map((v) => escapeLine(v)).join(', ')
}

function statementLine(s: StatementMatch): string {
  const parts = [
    `${s.effect}${s.match === 'maybe' ? ' (maybe)' : ''}`,
    s.sid ? `"${escapeLine(s.sid)}"` : `#${s.index + 1}`,
    s.action ? `Action ${list(s.action)}` : `NotAction ${list(s.notAction)}`,
  ]
  if (s.resource) parts.push(`Resource ${list(s.resource)}`)
  if (s.notResource) parts.push(`NotResource ${list(s.notResource)}`)
  if (s.condition) parts.push(`Condition ${escapeLine(JSON.stringify(s.condition))}`)
  return parts.join('  ')
}

const KIND_LABELS: Record<string, string> = {
  'aws-managed': 'AWS managed policy',
  'customer-managed': 'customer-managed policy',
  inline: 'inline policy',
  'permissions-boundary': 'permissions boundary',
  'resource-control-policy': 'RCP',
  'service-control-policy': 'SCP',
}

function policyLabel(p: PolicyFinding): string {
  const name = p.kind === 'inline' ? '' : ` ${escapeLine(p.name)}`
  return `${KIND_LABELS[p.kind] ?? p.kind}${name}${p.level ? ` on ${p.level}` : ''}`
}

function verdictLines(report: AccessReport): string[] {
  const who = report.user ? escapeLine(report.user.userName) : '(user not found)'
  const where = [
    report.account ? account(report.account) : undefined,
    report.permissionSet ? escapeLine(report.permissionSet.name) : undefined,
  ]
    .filter(Boolean)
    .join(' / ')
  const out = [`${who}${where ? ` → ${where}` : ''}: ${report.verdict}`]
  if (report.paths.length > 0 && !report.entries) out.push(`  via ${via(report.paths)}`)
  for (const r of report.reasons) out.push(`  ${escapeLine(r)}`)
  for (const s of report.suggestions) out.push(`  ${escapeLine(s)}`)
  if (report.entries && report.entries.length > 0) {
    const rows = report.entries.map((e) => [
      account(e.account),
      escapeLine(e.permissionSet.name),
      e.verdict,
      via(e.paths),
    ])
    out.push('', plainTable(['ACCOUNT', 'PERMISSION SET', 'VERDICT', 'VIA'], rows).trimEnd())
  }

  if (report.fixes.length > 0) {
    out.push('', 'Fix:')
    for (const f of report.fixes)
      out.push(`  ${escapeLine(f.command)}`, `    (${escapeLine(f.description)}; run by ${f.runBy})`)
  }

  return out
}

function actionLines(a: NonNullable<AccessReport['action']>): string[] {
  const out = ['', `Action ${escapeLine(a.action)}${a.resource ? ` on ${escapeLine(a.resource)}` : ''}: ${a.verdict}`]
  for (const r of a.reasons) out.push(`  ${escapeLine(r)}`)
  out.push(`  ${a.note}`)
  for (const p of a.policies) {
    if (!p.read) out.push(`  ${policyLabel(p)}: not read`)
    else if (p.statements.length === 0) out.push(`  ${policyLabel(p)}: no matching statement`)
    else out.push(`  ${policyLabel(p)}:`, ...p.statements.map((s) => `    ${statementLine(s)}`))
  }

  return out
}

function fromErrorLines(f: NonNullable<AccessReport['fromError']>): string[] {
  const fields = Object.entries(f.extracted).map(([k, v]) => `${k} ${escapeLine(v)}`)
  const out = ['', `From the error text (${f.kind}): ${fields.join(', ')}`]
  if (f.says) out.push(`  The error says: ${escapeLine(f.says)}`)
  if (f.comparison) out.push(`  ${escapeLine(f.comparison)}`)
  for (const g of f.guessed) out.push(`  Guessed ${escapeLine(g)}`)
  return out
}

function sourceLine(report: AccessReport): string {
  const {source, stats} = report
  return source.kind === 'snapshot'
    ? `Answered offline from ${escapeLine(source.file)} (snapshot of ${source.generatedAt}, ${describeAge(source.ageSeconds)} old); 0 requests.`
    : `Answered live (instance ${source.instanceArn} in ${source.region}, caller ${source.callerRole}); ${stats.requests} requests (${stats.throttled} throttled) in ${(stats.durationMs / 1000).toFixed(1)} s.`
}

export function renderAccess(report: AccessReport): string {
  const out = verdictLines(report)
  if (report.action) out.push(...actionLines(report.action))
  if (report.fromError) out.push(...fromErrorLines(report.fromError))
  if (report.unreadable.length > 0)
    out.push(
      '',
      'Could not read:',
      ...report.unreadable.map((u) => `  ${escapeLine(u.part)}: ${escapeLine(u.message)}`),
    )
  out.push('', 'Cannot see from here:', ...report.cannotSee.map((c) => `  - ${escapeLine(c)}`), '', sourceLine(report))
  return out.join('\n') + '\n'
}
