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
 * Users and groups of the instance's identity store (ListUsers, ListGroups), groups without members yet. Enough
 * for the per-principal assignment audit, which can start while the memberships are still being read.
 */
export async function listPrincipals(
  api: IdentityCenterApi,
  target: InstanceTarget,
  options: {progress?: ProgressReporter; warnings: SnapshotWarning[]},
): Promise<Principals> {
  const progress = options.progress ?? silentProgress
  progress.phase('users and groups')
  progress.addWork(2)
  const [users, groups] = await Promise.all([
    readOptional('users', options.warnings, () => api.listUsers(target)).finally(() => progress.complete()),
    readOptional('groups', options.warnings, () => api.listGroups(target)).finally(() => progress.complete()),
  ])
  return groups ? {groups: groups.map((g) => ({...g, memberIds: []})), users} : {users}
}

/** Each group's member ids: one ListGroupMemberships per group (identity-store budget of its own). */
export async function readMemberships(
  api: IdentityCenterApi,
  target: InstanceTarget,
  listed: Principals,
  options: {concurrency: number; progress?: ProgressReporter; warnings: SnapshotWarning[]},
): Promise<Principals> {
  const {groups, users} = listed
  if (!groups) return listed
  const progress = options.progress ?? silentProgress
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
