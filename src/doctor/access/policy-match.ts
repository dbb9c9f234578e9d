/**
 * A statement matcher for IAM policy documents: which statements of a policy match an action and a resource,
 * with their Effect and their Condition blocks as written. It is not a full IAM evaluator: conditions are never
 * evaluated (a statement with a Condition matches only "if its conditions hold"), and resource-based, session
 * and VPC endpoint policies are not part of it.
 *
 * The rules, from the IAM User Guide ("IAM JSON policy elements: Action / NotAction / Resource / NotResource",
 * "Policy evaluation logic"):
 * - actions are `service:Name`, matched case-insensitively; `*` matches any run of characters, `?` any one;
 * - resource ARNs are matched case-sensitively, `*` and `?` within an ARN segment (the parts between colons);
 *   a `*` that ends a segment may match beyond the colon;
 * - NotAction / NotResource match everything the list does not match;
 * - an explicit Deny in any policy wins over every Allow; without an Allow the request is implicitly denied;
 * - SCPs (and RCPs) need an Allow at every level of the account's path (root, each OU, the account itself),
 *   and a Deny at any level wins; a permissions boundary must allow as well as the identity policies.
 */

/** A statement as written in the document (only the fields the matcher reads). */
export interface PolicyStatement {
  Action?: string | string[]
  Condition?: Record<string, unknown>
  Effect?: string
  NotAction?: string | string[]
  NotResource?: string | string[]
  Resource?: string | string[]
  Sid?: string
}

/** Why a statement only possibly matches. */
export type MaybeReason = 'condition' | 'policy-variable' | 'resource-unknown'

export type MatchResult = {match: 'maybe'; why: MaybeReason[]} | {match: 'no'} | {match: 'yes'}

export interface StatementMatch {
  action?: string[]
  condition?: Record<string, unknown>
  effect: 'Allow' | 'Deny'
  /** Index of the statement in the document (0-based). */
  index: number
  /** `yes`: it applies; `maybe`: it applies only if its conditions hold / for some resources. */
  match: 'maybe' | 'yes'
  notAction?: string[]
  notResource?: string[]
  resource?: string[]
  sid?: string
  why?: MaybeReason[]
}

export interface RequestToMatch {
  /** `service:Action`, e.g. `s3:GetObject`. */
  action: string
  /** The resource ARN; undefined when unknown (then only `*` matches for certain). */
  resource?: string
}

const toList = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value]

function escapeRegex(text: string): string {
  return text.replaceAll(/[$()*+.?[\\\]^{|}]/g, String.raw`\$&`)
}

/** An action pattern (`s3:Get*`, `*`): whole match, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c))).join('')
  return new RegExp(`^${source}$`, 'is').test(action)
}

const POLICY_VARIABLE = /\$\{[^}]*\}/

/**
 * A resource pattern against an ARN: case-sensitive; `*` and `?` stay within a segment, except a `*` at the end
 * of a segment (or of the pattern), which may run past colons. Policy variables (`${aws:username}`) cannot be
 * resolved here: they match as `*` and the caller marks the match as a maybe.
 */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true
  const chars = [...pattern.replaceAll(new RegExp(POLICY_VARIABLE, 'g'), '*')]
  const source = chars
    .map((c, i) => {
      if (c === '*') return i === chars.length - 1 || chars[i + 1] === ':' ? '.*' : '[^:]*'
      if (c === '?') return '[^:]'
      return escapeRegex(c)
    })
    .join('')
  return new RegExp(`^${source}$`, 's').test(arn)
}

function matchesAnyAction(patterns: string[], action: string): boolean {
  return patterns.some((p) => actionMatches(p, action))
}

/** `yes`/`no` for a known resource; `maybe` when the outcome depends on a resource or a policy variable. */
function resourceResult(patterns: string[], resource: string | undefined, negated: boolean): MatchResult {
  const wildcardOnly = patterns.every((p) => p === '*')
  if (resource === undefined) {
    if (negated) return {match: 'maybe', why: ['resource-unknown']}
    return wildcardOnly ? {match: 'yes'} : {match: 'maybe', why: ['resource-unknown']}
  }

  const hits = patterns.filter((p) => resourceMatches(p, resource))
  const variable = hits.some((p) => POLICY_VARIABLE.test(p))
  const matched = hits.length > 0
  if (variable && hits.every((p) => POLICY_VARIABLE.test(p))) return {match: 'maybe', why: ['policy-variable']}
  if (negated) return matched ? {match: 'no'} : {match: 'yes'}
  return matched ? {match: 'yes'} : {match: 'no'}
}

/** Whether one statement applies to the request. */
export function matchStatement(statement: PolicyStatement, request: RequestToMatch): MatchResult {
  const action = toList(statement.Action)
  const notAction = toList(statement.NotAction)
  if (action) {
    if (!matchesAnyAction(action, request.action)) return {match: 'no'}
  } else if (notAction) {
    if (matchesAnyAction(notAction, request.action)) return {match: 'no'}
  } else {
    return {match: 'no'}
  }

  const resource = toList(statement.Resource)
  const notResource = toList(statement.NotResource)
  // A statement without Resource or NotResource (SCPs may omit it) applies to every resource.
  const byResource: MatchResult = resource
    ? resourceResult(resource, request.resource, false)
    : notResource
      ? resourceResult(notResource, request.resource, true)
      : {match: 'yes'}
  if (byResource.match === 'no') return byResource
  const why: MaybeReason[] = byResource.match === 'maybe' ? [...byResource.why] : []
  if (statement.Condition && Object.keys(statement.Condition).length > 0) why.push('condition')
  return why.length > 0 ? {match: 'maybe', why} : {match: 'yes'}
}

export class PolicyParseError extends Error {}

/** The statements of a policy document (JSON text, or URL-encoded JSON as IAM's GetPolicyVersion returns it). */
export function parsePolicyDocument(text: string): PolicyStatement[] {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    try {
      document = JSON.parse(decodeURIComponent(text))
    } catch {
      throw new PolicyParseError('the policy document is not JSON')
    }
  }

  if (typeof document !== 'object' || document === null) throw new PolicyParseError('the policy is not an object')
  const statement = (document as {Statement?: unknown}).Statement
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement]
  return list.filter((s): s is PolicyStatement => typeof s === 'object' && s !== null)
}

/** The statements of a document that match the request, in document order. */
export function matchingStatements(statements: PolicyStatement[], request: RequestToMatch): StatementMatch[] {
  const out: StatementMatch[] = []
  for (const [index, statement] of statements.entries()) {
    const effect = statement.Effect === 'Deny' ? 'Deny' : statement.Effect === 'Allow' ? 'Allow' : undefined
    if (!effect) continue
    const result = matchStatement(statement, request)
    if (result.match === 'no') continue
    const m: StatementMatch = {effect, index, match: result.match}
    if (statement.Sid !== undefined) m.sid = String(statement.Sid)
    if (statement.Action !== undefined) m.action = toList(statement.Action)
    if (statement.NotAction !== undefined) m.notAction = toList(statement.NotAction)
    if (statement.Resource !== undefined) m.resource = toList(statement.Resource)
    if (statement.NotResource !== undefined) m.notResource = toList(statement.NotResource)
    if (statement.Condition !== undefined) m.condition = statement.Condition
    if (result.match === 'maybe') m.why = result.why
    out.push(m)
  }

  return out
}

// ---- combining policies ----

/** The kinds of policy that decide an action for a permission set's role. */
export type PolicyKind =
  | 'aws-managed'
  | 'customer-managed'
  | 'inline'
  | 'permissions-boundary'
  | 'resource-control-policy'
  | 'service-control-policy'

/** One policy as the evaluation sees it. `statements` undefined: it exists but could not be read. */
export interface EvaluatedPolicy {
  kind: PolicyKind
  /** For SCPs and RCPs: the root, OU or account it is attached to. */
  level?: string
  name: string
  statements?: PolicyStatement[]
}

/**
 * A group of policies that must allow together: the identity policies (any one may allow), the boundary, and
 * each level of the organization path for SCPs and for RCPs.
 */
export interface PolicyLayer {
  /** e.g. `identity-based policies`, `permissions boundary`, `SCPs on ou-abcd-1234 (Workloads)`. */
  label: string
  policies: EvaluatedPolicy[]
}

export type ActionVerdict = 'allowed' | 'allowed-if-conditions' | 'explicit-deny' | 'no-allow'

export interface PolicyFinding {
  kind: PolicyKind
  level?: string
  name: string
  /** False when the document could not be read (customer-managed policies live in the member account). */
  read: boolean
  statements: StatementMatch[]
}

export interface LayerOutcome {
  allow: 'maybe' | 'none' | 'unknown' | 'yes'
  label: string
}

export interface ActionEvaluation {
  /** Statements that decide it: the unconditional denies, or the conditional statements it depends on. */
  deciding: Array<{policy: string; statement: StatementMatch}>
  findings: PolicyFinding[]
  layers: LayerOutcome[]
  verdict: ActionVerdict
}

/**
 * Combines the layers: an unconditional Deny anywhere → `explicit-deny`; a layer without any Allow that may
 * apply → `no-allow`; Allows that depend on conditions (or Denies that might apply) → `allowed-if-conditions`;
 * else `allowed`. A layer with unread policies and no Allow among the read ones counts as `unknown`, which the
 * verdict treats as no Allow (what was read does not allow it), and the caller says what was not read.
 */
export function evaluateLayers(layers: PolicyLayer[], request: RequestToMatch): ActionEvaluation {
  const findings: PolicyFinding[] = []
  const outcomes: LayerOutcome[] = []
  const denies: Array<{policy: string; statement: StatementMatch}> = []
  const conditional: Array<{policy: string; statement: StatementMatch}> = []
  for (const layer of layers) {
    let allow: LayerOutcome['allow'] = 'none'
    const layerConditional: Array<{policy: string; statement: StatementMatch}> = []
    let unread = false
    for (const policy of layer.policies) {
      if (!policy.statements) {
        unread = true
        findings.push({kind: policy.kind, level: policy.level, name: policy.name, read: false, statements: []})
        continue
      }

      const matches = matchingStatements(policy.statements, request)
      findings.push({kind: policy.kind, level: policy.level, name: policy.name, read: true, statements: matches})
      for (const m of matches) {
        const entry = {policy: policy.name, statement: m}
        if (m.effect === 'Deny') (m.match === 'yes' ? denies : conditional).push(entry)
        else if (m.match === 'yes') allow = 'yes'
        else layerConditional.push(entry)
      }
    }

    if (allow !== 'yes' && layerConditional.length > 0) {
      allow = 'maybe'
      conditional.push(...layerConditional)
    }

    if (allow === 'none' && unread) allow = 'unknown'
    outcomes.push({allow, label: layer.label})
  }

  for (const f of findings) if (f.level === undefined) delete f.level
  if (denies.length > 0) return {deciding: denies, findings, layers: outcomes, verdict: 'explicit-deny'}
  if (outcomes.some((o) => o.allow === 'none' || o.allow === 'unknown'))
    return {deciding: [], findings, layers: outcomes, verdict: 'no-allow'}
  if (conditional.length > 0)
    return {deciding: conditional, findings, layers: outcomes, verdict: 'allowed-if-conditions'}
  return {deciding: [], findings, layers: outcomes, verdict: 'allowed'}
}
