import type {DoctorReport} from '../doctor/checks/index.js'

import {CATEGORIES} from '../doctor/checks/types.js'

const LABEL = {fail: 'FAIL', pass: 'ok  ', skip: 'skip', warn: 'WARN'} as const

/** `doctor` for people: checks grouped by category, each non-pass with its fix, then the counts. */
export function renderDoctor(report: DoctorReport): string {
  const out: string[] = []
  for (const category of CATEGORIES) {
    const checks = report.checks.filter((c) => c.category === category)
    if (checks.length === 0) continue
    out.push(category)
    for (const check of checks) {
      out.push(`  ${LABEL[check.status]}  ${check.id}: ${check.message}`)
      if (check.fix && check.status !== 'pass') out.push(`        fix: ${check.fix}`)
    }

    out.push('')
  }

  const {summary} = report
  out.push(`${summary.pass} ok, ${summary.warn} warning(s), ${summary.fail} failed, ${summary.skip} skipped.`)
  return out.join('\n') + '\n'
}
