import type {FileKind, IniDocument} from '../config/ini/document.js'
import type {ConfigModel} from '../config/model.js'

export type Severity = 'error' | 'info' | 'warning'

/** Line edits a fixable finding proposes, applied by {@link ../fix.ts}. Lines are 1-based. */
export interface Fix {
  /** Lines to add at the end of the file (e.g. a new `[sso-session]`). */
  append?: string[]
  /** Replace each named line with these lines (an empty list deletes it). */
  edits?: Array<{line: number; lines: string[]}>
  file: FileKind
  removeBom?: boolean
}

export interface Finding {
  file: string
  fix?: Fix
  fixable: boolean
  key: null | string
  line: number
  message: string
  rule: RuleId
  /** Section header as written between the brackets, or null outside any section. */
  section: null | string
  severity: Severity
}

export interface LintFile {
  document?: IniDocument
  kind: FileKind
  path: string
}

export interface LintContext {
  config: LintFile
  credentials: LintFile
  model: ConfigModel
  /** Token cache folder to check for permissions (`~/.aws/sso/cache`). */
  tokenCacheDir?: string
}

export const RULES = {
  bom: 'error',
  'colon-delimiter': 'warning',
  'conflicting-credential-sources': 'warning',
  'continuation-line': 'error',
  'default-profile-conflict': 'error',
  'default-section': 'warning',
  'duplicate-key': 'error',
  'duplicate-section': 'error',
  'empty-value': 'warning',
  'incomplete-sso-profile': 'error',
  'inline-comment': 'error',
  'insecure-permissions': 'warning',
  'invalid-account-id': 'error',
  'invalid-profile-name': 'warning',
  'invalid-region': 'error',
  'invalid-start-url': 'error',
  'invalid-value': 'error',
  'legacy-sso-profile': 'warning',
  'missing-profile-prefix': 'error',
  'missing-registration-scopes': 'info',
  'missing-services-section': 'error',
  'missing-source-profile': 'error',
  'missing-sso-session': 'error',
  'nonexistent-command': 'error',
  'parse-error': 'error',
  'profile-prefix-in-credentials': 'error',
  'source-profile-cycle': 'error',
  'sso-session-conflict': 'error',
  'static-credentials': 'warning',
  'unknown-key': 'warning',
  'unused-sso-session': 'info',
  'uppercase-key': 'warning',
} as const satisfies Record<string, Severity>

export type RuleId = keyof typeof RULES

/** A rule check: reads the context, reports findings through `report`. */
export type Check = (context: LintContext, report: Reporter) => Promise<void> | void

export type Reporter = (finding: {
  file: FileKind
  fix?: Fix
  key?: string
  line: number
  message: string
  /** A file other than the config or credentials file (e.g. a token cache file). */
  path?: string
  rule: RuleId
  section?: string
}) => void
