import type {LintOutput} from '../lint/run.js'

import {RULE_DOCS} from '../lint/rule-docs.js'
import {RULES, type Severity} from '../lint/types.js'

/** `file:line  severity  rule  message`, grouped by file, then a summary line. */
export function formatLintText(result: LintOutput): string {
  const out: string[] = []
  const paths = [...new Set([...result.files.map((f) => f.path), ...result.findings.map((f) => f.file)])]
  for (const path of paths) {
    const file = result.files.find((f) => f.path === path)
    const findings = result.findings.filter((f) => f.file === path)
    if (file && !file.exists) {
      out.push(`${path}: not found (nothing to check)`)
      continue
    }

    if (findings.length === 0) continue
    out.push(path)
    // A loop, not Math.max(...list): a spread of 200,000 findings overflows the stack.
    let width = 0
    for (const f of findings) width = Math.max(width, `${f.file}:${f.line}`.length)
    for (const f of findings) {
      out.push(
        `  ${`${f.file}:${f.line}`.padEnd(width)}  ${f.severity.padEnd(7)}  ${f.rule}${f.fixable ? ' (fixable)' : ''}  ${f.message}`,
      )
    }

    out.push('')
  }

  const {error, info, warning} = result.summary
  const total = error + warning + info
  const fixable = result.findings.filter((f) => f.fixable).length
  const fixed = result.fixed && result.fixed.count > 0 ? `; fixed ${result.fixed.count}` : ''
  out.push(
    total === 0
      ? `No problems found${fixed}.`
      : `${total} ${total === 1 ? 'problem' : 'problems'} (${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info)${fixable > 0 ? `; ${fixable} fixable with --fix` : ''}${fixed}.`,
  )
  if (result.fixed && result.fixed.backups.length > 0)
    out.push(`Previous content kept in ${result.fixed.backups.join(', ')}.`)
  return out.join('\n') + '\n'
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

const SARIF_LEVEL: Record<Severity, string> = {error: 'error', info: 'note', warning: 'warning'}

/** SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
export function toSarif(result: LintOutput, version: string): object {
  const ruleIds = Object.keys(RULES) as Array<keyof typeof RULES>
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        results: result.findings.map((f) => ({
          level: SARIF_LEVEL[f.severity],
          locations: [
            {physicalLocation: {artifactLocation: {uri: toUri(f.file)}, region: {startLine: Math.max(1, f.line)}}},
          ],
          message: {text: f.message},
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
        })),
        tool: {
          driver: {
            name: 'ssokit',
            rules: ruleIds.map((id) => ({
              defaultConfiguration: {level: SARIF_LEVEL[RULES[id]]},
              id,
              shortDescription: {text: RULE_DOCS[id]},
            })),
            version,
          },
        },
      },
    ],
    version: '2.1.0',
  }
}

function toUri(path: string): string {
  return path.startsWith('/') ? `file://${encodeURI(path)}` : encodeURI(path)
}
