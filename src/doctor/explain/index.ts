/** `ssokit doctor explain` as a library: for the command, `ssokit mcp`, `doctor` and `doctor access --from-error`. */
export {accessDeniedMeaning, doctorAccessCommand, extractAccessDenied} from './access-denied.js'
export {classifyText} from './classify.js'
export {explainError, type ExplainOptions, explainText} from './explain.js'
export {type PatternDef, PATTERNS} from './patterns.js'
export type {AccessDeniedDetails, Category, DeniedBy, Explanation} from './types.js'
export {CATEGORIES} from './types.js'
