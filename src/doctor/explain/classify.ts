/** Matching a text against the pattern table: which pattern, on which line, with the facts the text states. */
import type {AccessDeniedDetails} from './types.js'

import {extractAccessDenied} from './access-denied.js'
import {type PatternDef, PATTERNS} from './patterns.js'
import {type PreparedText, prepareText, readFacts, type TextFacts} from './text.js'

export interface Classification {
  accessDenied?: AccessDeniedDetails
  facts: TextFacts
  /** The line the pattern matched (the last such line: tracebacks and logs end with the error). */
  line?: string
  match?: RegExpExecArray
  pattern?: PatternDef
  prepared: PreparedText
}

export function classifyText(text: string): Classification {
  const prepared = prepareText(text)
  const facts = readFacts(prepared)
  const accessDenied = extractAccessDenied(prepared.text)
  const patterns = PATTERNS.filter((pattern) => !pattern.awsOnly || prepared.aws)
  for (const pattern of patterns) {
    for (let i = prepared.lines.length - 1; i >= 0; i--) {
      const match = pattern.match.exec(prepared.lines[i])
      if (match) return {accessDenied, facts, line: prepared.lines[i], match, pattern, prepared}
    }
  }

  // Terminals and issue trackers wrap long lines: try once more with the lines joined.
  const flat = prepared.lines.map((line) => line.trim()).join(' ')
  for (const pattern of patterns) {
    const match = pattern.match.exec(flat)
    if (match) return {accessDenied, facts, line: match[0], match, pattern, prepared}
  }

  return {accessDenied, facts, prepared}
}

/** The first capture group that matched, for the `{1}` of a cause template. */
export function firstCapture(match: RegExpExecArray | undefined): string | undefined {
  return match?.slice(1).find((group) => group !== undefined && group !== '')
}
