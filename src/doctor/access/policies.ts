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

/** Reads the policies of one question, each document once; what cannot be read is recorded, not thrown. */
class PolicyReader extends Reader {
  readonly reasons: string[] = []
  private readonly documents = new Map<string, Promise<PolicyStatement[] | undefined>>()
  private readonly orgPolicies = new Map<string, Promise<PolicyStatement[] | undefined>>()

  constructor(
    private readonly api: AccessApi,
    private readonly q: ActionQuestion,
  ) {
    super()
  }

  async boundaryLayer(): Promise<PolicyLayer | undefined> {
    const {api, q} = this
    const boundary = await this.optional('permissions boundary', () =>
      api.getPermissionsBoundary(q.instance, q.permissionSetArn),
    )
    if (boundary && 'managedPolicyArn' in boundary) {
      const arn = boundary.managedPolicyArn
      const statements = await this.managedDocument(arn)
      return {label: 'the permissions boundary', policies: [{kind: 'permissions-boundary', name: arn, statements}]}
    }

    if (boundary) {
      const {name} = boundary.customerManagedPolicy
      this.reasons.push(
        `The permissions boundary is customer-managed policy ${name} in account ${q.accountId}; it was not read.`,
      )
      return {label: 'the permissions boundary', policies: [{kind: 'permissions-boundary', name}]}
    }

    if (this.unreadable.some((u) => u.part === 'permissions boundary'))
      this.reasons.push('Whether the permission set has a permissions boundary could not be read.')
    return undefined
  }

  async identityLayer(): Promise<PolicyLayer> {
    const {api, q} = this
    const {instance, permissionSetArn} = q
    const [inline, managed, customer] = await Promise.all([
      this.optional('inline policy', () => api.getInlinePolicy(instance, permissionSetArn)),
      this.optional('AWS managed policies', () => api.listManagedPolicies(instance, permissionSetArn)),
      this.optional('customer-managed policy references', () =>
        api.listCustomerManagedPolicyReferences(instance, permissionSetArn),
      ),
    ])
    const policies: EvaluatedPolicy[] = []
    if (inline) policies.push({kind: 'inline', name: 'inline policy', statements: statementsOf(inline)})
    else if (this.unreadable.some((u) => u.part === 'inline policy'))
      policies.push({kind: 'inline', name: 'inline policy'})
    if (managed) {
      const documents = await mapConcurrently(managed, CONCURRENCY, (p) => this.managedDocument(p.arn))
      for (const [i, p] of managed.entries())
        policies.push({kind: 'aws-managed', name: p.arn, statements: documents[i]})
    } else {
      policies.push({kind: 'aws-managed', name: 'AWS managed policies (not listed)'})
    }

    for (const ref of customer ?? [])
      policies.push({kind: 'customer-managed', name: `${ref.path === '/' ? '' : ref.path}${ref.name}`})
    if (customer && customer.length > 0) {
      this.reasons.push(
        `Customer-managed policies ${customer.map((r) => r.name).join(', ')} live in account ${q.accountId} and were not read: they can allow or deny it too.`,
      )
    }

    return {label: 'the permission set’s policies', policies}
  }

  /** SCP (or RCP) layers, one per level of the path, root first; 'not-enabled' when the type is off. */
  async orgLayers(
    path: Array<{id: string; label: string}>,
    type: OrgPolicyType,
  ): Promise<'not-enabled' | PolicyLayer[]> {
    const {api, q} = this
    const name = type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP'
    const kind = policyKind(type)
    const levels = await mapConcurrently(path, CONCURRENCY, async (level) => {
      const listed = await this.optional(`${name}s on ${level.label}`, () =>
        api.listPoliciesForTarget(q.globalRegion, level.id, type),
      )
      if (listed === 'not-enabled') return listed
      const policies: EvaluatedPolicy[] = listed
        ? await mapConcurrently(listed, CONCURRENCY, async (p) => ({
            kind,
            level: level.label,
            name: `${p.name} (${p.id})`,
            statements: await this.orgPolicy(name, p.id),
          }))
        : [{kind, level: level.label, name: `${name}s (not listed)`}]
      return {label: `${name}s on ${level.label}`, policies}
    })
    return levels.includes('not-enabled') ? 'not-enabled' : (levels as PolicyLayer[])
  }

  private managedDocument(arn: string): Promise<PolicyStatement[] | undefined> {
    let entry = this.documents.get(arn)
    if (!entry) {
      entry = this.optional(`policy ${arn}`, () => this.api.getManagedPolicyDocument(this.q.globalRegion, arn)).then(
        statementsOf,
      )
      this.documents.set(arn, entry)
    }

    return entry
  }

  private orgPolicy(name: string, id: string): Promise<PolicyStatement[] | undefined> {
    let entry = this.orgPolicies.get(id)
    if (!entry) {
      entry = this.optional(`${name} ${id}`, () => this.api.describePolicy(this.q.globalRegion, id)).then((d) =>
        statementsOf(d?.content),
      )
      this.orgPolicies.set(id, entry)
    }

    return entry
  }
}

/** The SCP and RCP layers for a member account, with the reasons some do not apply. */
async function organizationLayers(reader: PolicyReader, api: AccessApi, q: ActionQuestion): Promise<PolicyLayer[]> {
  if (q.accountId === q.instance.ownerAccountId) {
    reader.reasons.push('Account is the management account: SCPs and RCPs do not apply to it.')
    return []
  }

  const path = await reader.optional('organization path', () => orgPath(api, q.globalRegion, q.accountId))
  if (!path) {
    reader.reasons.push('The account’s path to the root could not be read, so its SCPs and RCPs were not checked.')
    return []
  }

  const layers: PolicyLayer[] = []
  const scps = await reader.orgLayers(path, 'SERVICE_CONTROL_POLICY')
  if (scps === 'not-enabled') reader.reasons.push('SCPs are not enabled in the organization.')
  else layers.push(...scps)
  const service = q.action.split(':')[0].toLowerCase()
  const otherAccount = resourceAccount(q.resource)
  if (!RCP_SERVICES.has(service)) {
    reader.reasons.push(`RCPs do not apply to ${service} (not a service RCPs support).`)
  } else if (otherAccount && otherAccount !== q.accountId) {
    reader.reasons.push(
      `The resource is in account ${otherAccount}: the RCPs that apply are that account's, not read here.`,
    )
  } else {
    const rcps = await reader.orgLayers(path, 'RESOURCE_CONTROL_POLICY')
    if (rcps === 'not-enabled') reader.reasons.push('RCPs are not enabled in the organization.')
    else layers.push(...rcps)
  }

  return layers
}

export async function checkAction(
  api: AccessApi,
  q: ActionQuestion,
): Promise<{check: ActionCheck; unreadable: UnreadablePart[]}> {
  const reader = new PolicyReader(api, q)
  const [identity, boundary, organization] = await Promise.all([
    reader.identityLayer(),
    reader.boundaryLayer(),
    organizationLayers(reader, api, q),
  ])
  const layers = [identity, ...(boundary ? [boundary] : []), ...organization]
  const request: RequestToMatch = {action: q.action, resource: q.resource}
  const evaluation = evaluateLayers(layers, request)
  const reasons = [...verdictReasons(evaluation, q), ...reader.reasons]
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
