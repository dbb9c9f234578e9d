import type {IdentityCenterApi} from '../aws/identity-center-api.js'
import type {SnapshotOrganizationalUnit, SnapshotWarning} from './snapshot.js'

import {mapConcurrently} from './concurrency.js'
import {type ProgressReporter, silentProgress} from './progress.js'
import {readOptional} from './warnings.js'

/** Organizations allows five levels of OUs under a root; deeper answers are not an organization's tree. */
const MAX_DEPTH = 6

export interface OrganizationTree {
  /** Account id → the root or OU it sits in. */
  parentOf: Map<string, string>
  units: SnapshotOrganizationalUnit[]
}

/**
 * The organization's roots and OUs, and where each account sits, by walking the tree from the roots: per
 * parent one ListOrganizationalUnitsForParent and one ListAccountsForParent (20 a page). That is a few calls
 * per OU, where asking ListParents for every account would cost one call per account. A refusal becomes a
 * warning (scope `organizationalUnits`) and undefined.
 */
export async function readOrganizationTree(
  api: IdentityCenterApi,
  region: string,
  options: {concurrency: number; progress?: ProgressReporter; warnings: SnapshotWarning[]},
): Promise<OrganizationTree | undefined> {
  const progress = options.progress ?? silentProgress
  progress.phase('organizational units')
  progress.addWork(1)
  return readOptional('organizationalUnits', options.warnings, async () => {
    const roots = await api.listRoots(region).finally(() => progress.complete())
    const units: SnapshotOrganizationalUnit[] = roots.map((r) => ({id: r.id, name: r.name, parentId: null}))
    const parentOf = new Map<string, string>()
    const seen = new Set(roots.map((r) => r.id))
    let level = roots.map((r) => r.id)
    for (let depth = 0; level.length > 0; depth++) {
      if (depth > MAX_DEPTH) throw new Error(`the organization tree is deeper than ${MAX_DEPTH} levels`)
      progress.addWork(level.length * 2)
      // Each level needs the one above it: sequential by nature.
      // eslint-disable-next-line no-await-in-loop
      const children = await mapConcurrently(level, options.concurrency, async (parentId) => {
        const [ous, accountIds] = await Promise.all([
          api.listOrganizationalUnitsForParent(region, parentId).finally(() => progress.complete()),
          api.listAccountIdsForParent(region, parentId).finally(() => progress.complete()),
        ])
        return {accountIds, ous, parentId}
      })
      level = []
      for (const {accountIds, ous, parentId} of children) {
        for (const id of accountIds) parentOf.set(id, parentId)
        for (const ou of ous) {
          if (seen.has(ou.id)) continue
          seen.add(ou.id)
          units.push({id: ou.id, name: ou.name, parentId})
          level.push(ou.id)
        }
      }
    }

    return {parentOf, units}
  })
}
