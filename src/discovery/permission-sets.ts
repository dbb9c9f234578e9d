import type {IdentityCenterApi, InstanceTarget} from '../aws/identity-center-api.js'
import type {SnapshotPermissionSet, SnapshotWarning} from './snapshot.js'

import {mapConcurrently} from './concurrency.js'
import {type ProgressReporter, silentProgress} from './progress.js'
import {readOptional} from './warnings.js'

/** The ARNs of an instance's permission sets: cheap (100 a page), enough to count them and to audit assignments. */
export async function readPermissionSetArns(
  api: IdentityCenterApi,
  target: InstanceTarget,
  warnings: SnapshotWarning[],
): Promise<string[] | undefined> {
  return readOptional('permissionSets', warnings, () => api.listPermissionSetArns(target))
}

/** Name, description and session duration of each permission set: one DescribePermissionSet each. */
export async function describePermissionSets(
  api: IdentityCenterApi,
  target: InstanceTarget,
  arns: string[],
  options: {concurrency: number; progress?: ProgressReporter; warnings: SnapshotWarning[]},
): Promise<SnapshotPermissionSet[] | undefined> {
  const progress = options.progress ?? silentProgress
  progress.phase('permission sets')
  progress.addWork(arns.length)
  return readOptional('permissionSets', options.warnings, () =>
    mapConcurrently(arns, options.concurrency, async (arn) => {
      const permissionSet = await api.describePermissionSet(target, arn)
      progress.complete()
      return permissionSet
    }),
  )
}
