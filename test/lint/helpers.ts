import type {Finding} from '../../src/lint/types.js'

import {parseDocument} from '../../src/config/ini/document.js'
import {contextOf, runRules} from '../../src/lint/run.js'

export const CONFIG = '/virtual/config'
export const CREDENTIALS = '/virtual/credentials'

/** Lints in-memory files (no token cache folder) and returns the findings. */
export async function lintText(config?: string, credentials?: string): Promise<Finding[]> {
  const file = (text: string | undefined, kind: 'config' | 'credentials', path: string) => ({
    document: text === undefined ? undefined : parseDocument(Buffer.from(text, 'utf8'), kind),
    kind,
    path,
  })
  return runRules(contextOf(file(config, 'config', CONFIG), file(credentials, 'credentials', CREDENTIALS)))
}

export function brief(findings: Finding[]): Array<[string, string, number]> {
  return findings.map((f) => [
    f.rule,
    f.file === CONFIG ? 'config' : f.file === CREDENTIALS ? 'credentials' : f.file,
    f.line,
  ])
}
