import {createHash} from 'node:crypto'

import type {IdentityCenterApi, InstanceTarget} from '../aws/identity-center-api.js'
import type {SnapshotPolicies, SnapshotWarning} from './snapshot.js'

import {mapConcurrently} from './concurrency.js'
import {type ProgressReporter, silentProgress} from './progress.js'
import {readOptional} from './warnings.js'

/**
 * The policies of each permission set (discover `--policies`): three calls per set (AWS managed policies,
 * customer managed references, the inline policy). The inline document is reduced to its digest and whether it
 * allows everything, which is what the report colours and the diff compares.
 */
export async function readPermissionSetPolicies(
  api: IdentityCenterApi,
  target: InstanceTarget,
  arns: string[],
  options: {concurrency: number; progress?: ProgressReporter; warnings: SnapshotWarning[]},
): Promise<Map<string, SnapshotPolicies> | undefined> {
  const progress = options.progress ?? silentProgress
  progress.phase('permission set policies')
  progress.addWork(arns.length * 3)
  const read = await readOptional('policies', options.warnings, () =>
    mapConcurrently(arns, options.concurrency, async (arn): Promise<[string, SnapshotPolicies]> => {
      const [awsManaged, customerManaged, inline] = await Promise.all([
        api.listManagedPolicyArns(target, arn).finally(() => progress.complete()),
        api.listCustomerManagedPolicies(target, arn).finally(() => progress.complete()),
        api.readInlinePolicy(target, arn).finally(() => progress.complete()),
      ])
      return [arn, {awsManaged, customerManaged, inline: inline === null ? null : summarizeInlinePolicy(inline)}]
    }),
  )
  return read && new Map(read)
}

export function summarizeInlinePolicy(document: string): NonNullable<SnapshotPolicies['inline']> {
  return {
    allowsEverything: allowsEverything(document),
    sha256: createHash('sha256').update(document, 'utf8').digest('hex'),
  }
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value])

/**
 * Whether an IAM policy document has a statement that allows every action (`*` or `*:*`) on every resource
 * (`*`) without conditions: the same power as AdministratorAccess. Unparseable text counts as not.
 */
export function allowsEverything(document: string): boolean {
  let policy: unknown
  try {
    policy = JSON.parse(document)
  } catch {
    return false
  }

  if (typeof policy !== 'object' || policy === null) return false
  return asList((policy as {Statement?: unknown}).Statement).some((statement) => {
    if (typeof statement !== 'object' || statement === null) return false
    const s = statement as Record<string, unknown>
    return (
      s.Effect === 'Allow' &&
      s.Condition === undefined &&
      asList(s.Action).some((a) => a === '*' || a === '*:*') &&
      asList(s.Resource).includes('*')
    )
  })
}
