import type {IdentityCenterApi, InstanceTarget} from '../aws/identity-center-api.js'
import type {SnapshotGroup, SnapshotUser, SnapshotWarning} from './snapshot.js'

import {mapConcurrently} from './concurrency.js'
import {type ProgressReporter, silentProgress} from './progress.js'
import {readOptional} from './warnings.js'

export interface Principals {
  groups?: SnapshotGroup[]
  users?: SnapshotUser[]
}

/**
 * Users and groups of the instance's identity store; with `memberships`, each group's member ids as well
 * (one ListGroupMemberships per group). Without it, `memberIds` stay empty and are not reported.
 */
export async function readPrincipals(
  api: IdentityCenterApi,
  target: InstanceTarget,
  options: {concurrency: number; memberships: boolean; progress?: ProgressReporter; warnings: SnapshotWarning[]},
): Promise<Principals> {
  const progress = options.progress ?? silentProgress
  progress.phase('users and groups')
  progress.addWork(2)
  const [users, groups] = await Promise.all([
    readOptional('users', options.warnings, () => api.listUsers(target)).finally(() => progress.complete()),
    readOptional('groups', options.warnings, () => api.listGroups(target)).finally(() => progress.complete()),
  ])
  if (!groups) return {users}
  if (!options.memberships) return {groups: groups.map((g) => ({...g, memberIds: []})), users}

  progress.phase('group memberships')
  progress.addWork(groups.length)
  const withMembers = await readOptional('groups', options.warnings, () =>
    mapConcurrently(groups, options.concurrency, async (group) => {
      const memberIds = await api.listGroupMemberIds(target, group.id)
      progress.complete()
      return {...group, memberIds}
    }),
  )
  return {groups: withMembers, users}
}
