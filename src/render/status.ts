import type {SessionReport} from '../sso/status.js'

import {describeRelative, parseAwsTime} from '../sso/time.js'
import {escapeLine} from './terminal.js'

/** `status` for people: one row per session, then what was learned or checked, and what to run. */
export function renderStatus(reports: SessionReport[], now: Date): string {
  if (reports.length === 0) return 'No sso-session and no legacy SSO profile in the config.\n'
  const when = (value: null | string) => {
    const date = parseAwsTime(value)
    return date ? `${value} (${describeRelative(date, now)})` : '-'
  }

  const rows = reports.map(({status}) => [
    escapeLine(status.name),
    status.kind,
    status.state,
    when(status.expiresAt),
    status.state === 'missing' ? '-' : status.hasRefreshToken ? 'yes' : 'no',
    when(status.registrationExpiresAt),
  ])
  const header = ['NAME', 'KIND', 'STATE', 'EXPIRES', 'REFRESH TOKEN', 'REGISTRATION EXPIRES']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const out = [line(header), ...rows.map((r) => line(r))]
  for (const report of reports) {
    const name = escapeLine(report.status.name)
    if (report.problem) out.push(`${name}: the cache file is unusable: ${report.problem}`)
    for (const note of report.notes) out.push(`${name}: ${note}`)
    if (report.verification) out.push(`${name}: --verify: ${report.verification.detail}`)
    if (report.status.needsLogin) out.push(`${name}: needs a login: ${report.status.loginCommand}`)
  }

  return out.join('\n') + '\n'
}
