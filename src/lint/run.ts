import type {FileKind} from '../config/ini/document.js'

import {type ConfigPaths, type LoadedFile, loadFile} from '../config/load.js'
import {buildModel} from '../config/model.js'
import {ssoCacheDir} from '../config/paths.js'
import {credentialRules} from './rules/credentials.js'
import {permissionRules} from './rules/permissions.js'
import {sectionRules} from './rules/sections.js'
import {settingRules} from './rules/settings.js'
import {ssoRules} from './rules/sso.js'
import {syntaxRules} from './rules/syntax.js'
import {type Check, type Finding, type LintContext, type Reporter, RULES, type Severity} from './types.js'

const CHECKS: Check[] = [syntaxRules, sectionRules, ssoRules, settingRules, credentialRules, permissionRules]

export interface LintedFile {
  exists: boolean
  kind: FileKind
  path: string
}

export interface LintResult {
  files: LintedFile[]
  findings: Finding[]
  summary: Record<Severity, number>
}

export function contextOf(config: LoadedFile, credentials: LoadedFile, tokenCacheDir?: string): LintContext {
  return {
    config: {document: config.document, kind: 'config', path: config.path},
    credentials: {document: credentials.document, kind: 'credentials', path: credentials.path},
    model: buildModel(config.document, credentials.document),
    tokenCacheDir,
  }
}

export async function loadLintContext(paths: ConfigPaths, tokenCacheDir = ssoCacheDir()): Promise<LintContext> {
  const [config, credentials] = await Promise.all([
    loadFile(paths.configFile, 'config'),
    loadFile(paths.credentialsFile, 'credentials'),
  ])
  return contextOf(config, credentials, tokenCacheDir)
}

/** Runs every rule. Findings are sorted by file (config first), line and rule, so output is stable. */
export async function runRules(context: LintContext): Promise<Finding[]> {
  const findings: Finding[] = []
  const report: Reporter = (f) => {
    findings.push({
      file: f.path ?? context[f.file].path,
      fix: f.fix,
      fixable: f.fix !== undefined,
      key: f.key ?? null,
      line: f.line,
      message: f.message,
      rule: f.rule,
      section: f.section ?? null,
      severity: RULES[f.rule],
    })
  }

  // Rules are independent; findings are sorted below, so the order they arrive in does not matter.
  await Promise.all(CHECKS.map((check) => check(context, report)))

  const fileOrder = (path: string) => (path === context.config.path ? 0 : path === context.credentials.path ? 1 : 2)
  return findings.sort(
    (a, b) =>
      fileOrder(a.file) - fileOrder(b.file) ||
      a.line - b.line ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message),
  )
}

export function summarise(context: LintContext, findings: Finding[]): LintResult {
  const summary: Record<Severity, number> = {error: 0, info: 0, warning: 0}
  for (const finding of findings) summary[finding.severity]++
  return {
    files: [context.config, context.credentials].map((f) => ({
      exists: f.document !== undefined,
      kind: f.kind,
      path: f.path,
    })),
    findings,
    summary,
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** What `ssokit lint` reports: the findings (without their fix plans), and what --fix wrote. */
export type LintOutput = Omit<LintResult, 'findings'> & {
  findings: Array<Omit<Finding, 'fix'>>
  fixed?: {backups: string[]; count: number; files: string[]}
}

/** Lints the two files and, with `fix`, applies the fixable findings first (one atomic write per file). */
export async function lintFiles(
  paths: ConfigPaths,
  options: {fix?: boolean; force?: boolean} = {},
): Promise<LintOutput> {
  let context = await loadLintContext(paths)
  let fixed: LintOutput['fixed']
  let findings: Finding[] | undefined
  if (options.fix) {
    // Only --fix pays for the writer (lock, atomic write).
    const [{applyFixes}, {writeFixes}] = await Promise.all([import('./fix.js'), import('./write-fixes.js')])
    const outcome = await applyFixes(context)
    const written = await writeFixes(context, outcome, {force: options.force})
    fixed = {
      backups: written.flatMap((w) => (w.backupPath ? [w.backupPath] : [])),
      count: outcome.applied.length,
      files: written.map((w) => w.path),
    }
    context = outcome.context
    // The last pass linted the fixed documents already.
    findings = outcome.findings
  }

  const result = summarise(context, findings ?? (await runRules(context)))
  return {...result, findings: result.findings.map(({fix: _fix, ...finding}) => finding), ...(fixed && {fixed})}
}
