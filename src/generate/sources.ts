import type {DiscoverSnapshot, SnapshotInstance} from '../discovery/snapshot.js'
import type {Entitlement} from './naming.js'

/** Where the account-and-role pairs to generate come from: a discover snapshot, live discovery, or the portal. */
import {BadInputError, SsokitError} from '../errors.js'

export interface SourceResult {
  entitlements: Entitlement[]
  /** The portal the snapshot describes (admin sources with one instance). */
  instance?: Pick<SnapshotInstance, 'region' | 'startUrl'>
  /** What the source was, for the report. */
  source: string
}

/**
 * Every (account, permission set) pair that has an assignment, or with `forUser` only those the user reaches
 * directly or through a group. Names come from the snapshot's accounts and permission sets.
 */
export function entitlementsFromSnapshot(
  snapshot: DiscoverSnapshot,
  options: {forUser?: string; origin: string},
): SourceResult {
  const missing = (['accounts', 'permissionSets', 'assignments'] as const).filter((k) => snapshot[k] === undefined)
  if (options.forUser && (snapshot.users === undefined || snapshot.groups === undefined))
    missing.push('users and groups' as never)
  if (missing.length > 0) {
    throw new BadInputError(
      `${options.origin} has no ${missing.join(', ')}: generate needs a snapshot from \`ssokit discover --all\`.`,
      'SNAPSHOT_INCOMPLETE',
    )
  }

  const accountNames = new Map(snapshot.accounts!.map((a) => [a.id, a.name]))
  const roleNames = new Map(snapshot.permissionSets!.map((p) => [p.arn, p.name]))
  let principals: Set<string> | undefined
  if (options.forUser) {
    const user = findUser(snapshot, options.forUser)
    principals = new Set([user.id, ...snapshot.groups!.filter((g) => g.memberIds.includes(user.id)).map((g) => g.id)])
  }

  const seen = new Set<string>()
  const entitlements: Entitlement[] = []
  for (const assignment of snapshot.assignments!) {
    if (principals && !principals.has(assignment.principalId)) continue
    const roleName = roleNames.get(assignment.permissionSetArn)
    if (!roleName) continue
    const key = `${assignment.accountId}\u0000${roleName}`
    if (seen.has(key)) continue
    seen.add(key)
    entitlements.push({
      accountId: assignment.accountId,
      accountName: accountNames.get(assignment.accountId) ?? assignment.accountId,
      roleName,
    })
  }

  const instance = snapshot.instances.length === 1 ? snapshot.instances[0] : undefined
  return {
    entitlements,
    instance,
    source: options.forUser ? `${options.origin}, for user ${options.forUser}` : options.origin,
  }
}

/** A user by user name (case-insensitive, as Identity Center compares them), email or id. */
function findUser(snapshot: DiscoverSnapshot, wanted: string) {
  const lower = wanted.toLowerCase()
  const user = snapshot.users!.find(
    (u) => u.id === wanted || u.userName.toLowerCase() === lower || u.email?.toLowerCase() === lower,
  )
  if (!user) {
    throw new SsokitError(
      `No user "${wanted}" in the identity store (looked at user names, emails and ids of ${snapshot.users!.length} users).`,
      'USER_NOT_FOUND',
    )
  }

  return user
}
