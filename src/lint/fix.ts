import type {FileKind, IniDocument} from '../config/ini/document.js'
import type {Finding, Fix, LintContext} from './types.js'

/**
 * Applies the fixes of fixable findings to the documents in memory. A pass applies every fix whose lines no
 * earlier fix of the pass touched; passes repeat (re-linting in between) until nothing fixable is left, so
 * fixes compose (e.g. `Region: x` gets both its case and its delimiter fixed) and a second run changes nothing.
 */
import {appendLines, editLines, withoutBom} from '../config/ini/edit.js'
import {buildModel} from '../config/model.js'
import {runRules} from './run.js'

const MAX_PASSES = 10

export interface FixOutcome {
  /** Findings whose fixes were applied, across all passes. */
  applied: Finding[]
  /** The files whose content changed. */
  changed: FileKind[]
  context: LintContext
  /** Every finding of the fixed context, when the last pass linted it (so the caller need not lint it again). */
  findings?: Finding[]
}

export async function applyFixes(context: LintContext): Promise<FixOutcome> {
  const applied: Finding[] = []
  const changed = new Set<FileKind>()
  let current = context
  let findings: Finding[] | undefined
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // Each pass lints what the previous pass produced.
    // eslint-disable-next-line no-await-in-loop
    const all = await runRules(current)
    const fixable = all.filter((f) => f.fix)
    findings = all
    if (fixable.length === 0) break
    const documents: Partial<Record<FileKind, IniDocument>> = {}
    let progress = false
    for (const file of ['config', 'credentials'] as const) {
      const {document} = current[file]
      const mine = fixable.filter((f) => f.fix!.file === file)
      if (!document || mine.length === 0) continue
      const {accepted, document: fixed} = applyPass(document, mine)
      if (accepted.length === 0) continue
      documents[file] = fixed
      for (const finding of accepted) applied.push(finding)
      changed.add(file)
      progress = true
    }

    if (!progress) break
    findings = undefined
    const config = documents.config ?? current.config.document
    const credentials = documents.credentials ?? current.credentials.document
    current = {
      ...current,
      config: {...current.config, document: config},
      credentials: {...current.credentials, document: credentials},
      model: buildModel(config, credentials),
    }
  }

  return {applied, context: current, changed: [...changed], findings}
}

function applyPass(document: IniDocument, findings: Finding[]): {accepted: Finding[]; document: IniDocument} {
  const touched = new Set<number>()
  const accepted: Finding[] = []
  const edits = new Map<number, string[]>()
  const appends: string[][] = []
  let removeBom = false
  for (const finding of findings) {
    const fix = finding.fix as Fix
    const lines = (fix.edits ?? []).map((e) => e.line)
    if (lines.some((l) => touched.has(l))) continue
    for (const edit of fix.edits ?? []) {
      touched.add(edit.line)
      edits.set(edit.line, edit.lines)
    }

    if (fix.append && !appends.some((a) => a.join('\n') === fix.append!.join('\n'))) appends.push(fix.append)
    removeBom ||= fix.removeBom === true
    accepted.push(finding)
  }

  const lineEdits = [...edits.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, lines]) => ({end: line, lines, start: line - 1}))
  let next = editLines(document, lineEdits)
  if (removeBom) next = withoutBom(next)
  for (const block of appends) next = appendLines(next, block)
  return {accepted, document: next}
}
