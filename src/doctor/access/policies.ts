import type {AccessApi, OrgParent, OrgPolicyType} from '../../aws/access-api.js'
import type {ActionCheck, InstanceInfo, UnreadablePart} from './types.js'

import {mapConcurrently} from '../../discovery/concurrency.js'
import {SsokitError} from '../../errors.js'
import {unreadableOf} from './live-directory.js'
import {
  type EvaluatedPolicy,
  evaluateLayers,
  parsePolicyDocument,
  type PolicyLayer,
  type PolicyStatement,
  type RequestToMatch,
} from './policy-match.js'

/**
 * The `--action` question: which statements of the policies that decide an action for a permission set's role
 * match it. Read live: the permission set's inline policy, AWS managed policies (their documents from IAM),
 * customer-managed policy references (named only: their documents live in the member account), permissions
 * boundary, and the SCPs and RCPs on the account's path to the root.
 */

export const MATCHER_NOTE =
  'A statement matcher, not a full IAM evaluator: Condition blocks are shown as written, never evaluated; resource-based, session and VPC endpoint policies are not read.'

/**
 * Services whose resources RCPs apply to (AWS Organizations User Guide, "Resource control policies", list of
 * supported services). For any other service the account's RCPs do not decide the request.
 */
export const RCP_SERVICES = new Set([
  'aoss',
  'cognito-idp',
  'dynamodb',
  'ecr',
  'kms',
  'logs',
  's3',
  'secretsmanager',
  'sqs',
  'sts',
])

export interface ActionQuestion {
  accountId: string
  action: string
  /** Where Organizations and IAM calls go (the partition's main region). */
  globalRegion: string
  instance: InstanceInfo
  permissionSetArn: string
  resource?: string
}

const CONCURRENCY = 8

class Reader {
  readonly unreadable: UnreadablePart[] = []

  async optional<T>(part: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read()
    } catch (error) {
      if (!(error instanceof SsokitError) || error.code === 'LOGIN_REQUIRED') throw error
      this.unreadable.push(unreadableOf(part, error))
      return undefined
    }
  }
}

function statementsOf(text: string | undefined): PolicyStatement[] | undefined {
  if (text === undefined) return undefined
  try {
    return parsePolicyDocument(text)
  } catch {
    return undefined
  }
}

/** The account's path to the root: [account, parent OU, ..., root], each with a label. */
async function orgPath(api: AccessApi, region: string, accountId: string): Promise<Array<{id: string; label: string}>> {
  const path = [{id: accountId, label: `account ${accountId}`}]
  let child = accountId
  // An OU tree is at most five levels deep (Organizations quotas); ten bounds a malformed answer.
  for (let depth = 0; depth < 10; depth++) {
    // Each parent depends on the one before.
    // eslint-disable-next-line no-await-in-loop
    const parents: OrgParent[] = await api.listParents(region, child)
    const parent = parents[0]
    if (!parent) break
    path.push({id: parent.id, label: parent.type === 'ROOT' ? `root ${parent.id}` : `OU ${parent.id}`})
    if (parent.type === 'ROOT') break
    child = parent.id
  }

  return path.reverse()
}

/** The account named in a resource ARN, when it has one (S3 bucket ARNs do not). */
function resourceAccount(resource: string | undefined): string | undefined {
  const account = resource?.split(':')[4]
  return account && /^\d{12}$/.test(account) ? account : undefined
}

export async function checkAction(
  api: AccessApi,
  q: ActionQuestion,
): Promise<{check: ActionCheck; unreadable: UnreadablePart[]}> {
  const reader = new Reader()
  const {instance, permissionSetArn} = q
  const reasons: string[] = []
  const isManagement = q.accountId === instance.ownerAccountId

  const [inline, managed, customer, boundary, path] = await Promise.all([
    reader.optional('inline policy', () => api.getInlinePolicy(instance, permissionSetArn)),
    reader.optional('AWS managed policies', () => api.listManagedPolicies(instance, permissionSetArn)),
    reader.optional('customer-managed policy references', () =>
      api.listCustomerManagedPolicyReferences(instance, permissionSetArn),
    ),
    reader
      .optional('permissions boundary', () => api.getPermissionsBoundary(instance, permissionSetArn))
      .then((b) => ({b, failed: reader.unreadable.some((u) => u.part === 'permissions boundary')})),
    isManagement ? undefined : reader.optional('organization path', () => orgPath(api, q.globalRegion, q.accountId)),
  ])

  const documents = new Map<string, Promise<PolicyStatement[] | undefined>>()
  const managedDocument = (arn: string): Promise<PolicyStatement[] | undefined> => {
    let entry = documents.get(arn)
    if (!entry) {
      entry = reader
        .optional(`policy ${arn}`, () => api.getManagedPolicyDocument(q.globalRegion, arn))
        .then(statementsOf)
      documents.set(arn, entry)
    }

    return entry
  }

  const identity: EvaluatedPolicy[] = []
  if (inline !== undefined || !reader.unreadable.some((u) => u.part === 'inline policy')) {
    if (inline) identity.push({kind: 'inline', name: 'inline policy', statements: statementsOf(inline)})
  } else {
    identity.push({kind: 'inline', name: 'inline policy'})
  }

  const managedPolicies = await mapConcurrently(managed ?? [], CONCURRENCY, async (p) => ({
    kind: 'aws-managed' as const,
    name: p.arn,
    statements: await managedDocument(p.arn),
  }))
  identity.push(...managedPolicies)
  if (managed === undefined) identity.push({kind: 'aws-managed', name: 'AWS managed policies (not listed)'})
  for (const ref of customer ?? [])
    identity.push({kind: 'customer-managed', name: `${ref.path === '/' ? '' : ref.path}${ref.name}`})
  if ((customer ?? []).length > 0) {
    reasons.push(
      `Customer-managed policies ${(customer ?? []).map((r) => r.name).join(', ')} live in account ${q.accountId} and were not read: they can allow or deny it too.`,
    )
  }

  const layers: PolicyLayer[] = [{label: 'the permission set’s policies', policies: identity}]
  if (boundary.b && 'managedPolicyArn' in boundary.b) {
    const arn = boundary.b.managedPolicyArn
    layers.push({
      label: 'the permissions boundary',
      policies: [{kind: 'permissions-boundary', name: arn, statements: await managedDocument(arn)}],
    })
  } else if (boundary.b) {
    const ref = boundary.b.customerManagedPolicy
    layers.push({label: 'the permissions boundary', policies: [{kind: 'permissions-boundary', name: ref.name}]})
    reasons.push(
      `The permissions boundary is customer-managed policy ${ref.name} in account ${q.accountId}; it was not read.`,
    )
  } else if (boundary.failed) {
    reasons.push('Whether the permission set has a permissions boundary could not be read.')
  }

  if (isManagement) {
    reasons.push('Account is the management account: SCPs and RCPs do not apply to it.')
  } else if (path) {
    const describe = new Map<string, Promise<PolicyStatement[] | undefined>>()
    const orgLayers = async (type: OrgPolicyType, label: string): Promise<'not-enabled' | PolicyLayer[]> => {
      const levels = await mapConcurrently(path, CONCURRENCY, async (level) => {
        const listed = await reader.optional(`${label}s on ${level.label}`, () =>
          api.listPoliciesForTarget(q.globalRegion, level.id, type),
        )
        if (listed === 'not-enabled') return 'not-enabled' as const
        const policies: EvaluatedPolicy[] = listed
          ? await mapConcurrently(listed, CONCURRENCY, async (p) => {
              let entry = describe.get(p.id)
              if (!entry) {
                entry = reader
                  .optional(`${label} ${p.id}`, () => api.describePolicy(q.globalRegion, p.id))
                  .then((d) => statementsOf(d?.content))
                describe.set(p.id, entry)
              }

              return {
                kind: policyKind(type),
                level: level.label,
                name: `${p.name} (${p.id})`,
                statements: await entry,
              }
            })
          : [{kind: policyKind(type), level: level.label, name: `${label}s (not listed)`}]
        return {label: `${label}s on ${level.label}`, policies}
      })
      return levels.includes('not-enabled') ? 'not-enabled' : (levels as PolicyLayer[])
    }

    const scps = await orgLayers('SERVICE_CONTROL_POLICY', 'SCP')
    if (scps === 'not-enabled') reasons.push('SCPs are not enabled in the organization.')
    else layers.push(...scps)
    const service = q.action.split(':')[0].toLowerCase()
    const otherAccount = resourceAccount(q.resource)
    if (!RCP_SERVICES.has(service)) {
      reasons.push(`RCPs do not apply to ${service} (not a service RCPs support).`)
    } else if (otherAccount && otherAccount !== q.accountId) {
      reasons.push(`The resource is in account ${otherAccount}: the RCPs that apply are that account's, not read here.`)
    } else {
      const rcps = await orgLayers('RESOURCE_CONTROL_POLICY', 'RCP')
      if (rcps === 'not-enabled') reasons.push('RCPs are not enabled in the organization.')
      else layers.push(...rcps)
    }
  }

  const request: RequestToMatch = {action: q.action, resource: q.resource}
  const evaluation = evaluateLayers(layers, request)
  reasons.unshift(...verdictReasons(evaluation, q))
  if (!q.resource) reasons.push('No --resource: statements limited to particular resources count as "maybe".')
  return {
    check: {
      action: q.action,
      deciding: evaluation.deciding,
      layers: evaluation.layers,
      note: MATCHER_NOTE,
      policies: evaluation.findings,
      reasons,
      resource: q.resource ?? null,
      verdict: evaluation.verdict,
    },
    unreadable: reader.unreadable,
  }
}

function policyKind(type: OrgPolicyType): 'resource-control-policy' | 'service-control-policy' {
  return type === 'SERVICE_CONTROL_POLICY' ? 'service-control-policy' : 'resource-control-policy'
}

function statementLabel(policy: string, s: {index: number; sid?: string}): string {
  return `${policy}, statement ${s.sid ? `"${s.sid}"` : `#${s.index + 1}`}`
}

function verdictReasons(evaluation: ReturnType<typeof evaluateLayers>, q: ActionQuestion): string[] {
  switch (evaluation.verdict) {
    case 'allowed': {
      return [`${q.action} is allowed by every policy layer read, and no statement denies it.`]
    }

    case 'allowed-if-conditions': {
      return [
        `${q.action} is allowed only if these conditions hold: ${evaluation.deciding
          .map(
            (d) =>
              `${d.statement.effect} in ${statementLabel(d.policy, d.statement)}${d.statement.condition ? ` when ${JSON.stringify(d.statement.condition)}` : ''}${d.statement.why?.includes('resource-unknown') ? ' (for some resources)' : ''}`,
          )
          .join('; ')}.`,
      ]
    }

    case 'explicit-deny': {
      return evaluation.deciding.map((d) => `Explicitly denied by ${statementLabel(d.policy, d.statement)}.`)
    }

    default: {
      return evaluation.layers
        .filter((l) => l.allow === 'none' || l.allow === 'unknown')
        .map((l) =>
          l.allow === 'none'
            ? `No statement in ${l.label} allows ${q.action}.`
            : `No statement read in ${l.label} allows ${q.action}, and some of its policies could not be read.`,
        )
    }
  }
}
