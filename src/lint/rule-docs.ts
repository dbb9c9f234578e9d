import type {RuleId} from './types.js'

import {RULE_TEXTS} from './messages.js'

/** One line per rule, for SARIF rule metadata and `--help` (the texts live in ./messages.ts). */
export const RULE_DOCS = Object.fromEntries(Object.entries(RULE_TEXTS).map(([id, texts]) => [id, texts.doc])) as Record<
  RuleId,
  string
>
