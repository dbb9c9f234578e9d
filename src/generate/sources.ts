/** Where the account-and-role pairs to generate come from: a discover snapshot, live discovery, or the portal. */
import type {DiscoverSnapshot, SnapshotInstance, SnapshotUser} from '../discovery/snapshot.js'
import type {Entitlement} from './naming.js'

import {writableValue} from '../config/values.js'
import {BadInputError, SsokitError} from '../errors.js'
import {nearest} from '../fuzzy.js'

export interface SourceResult {
  entitlements: Entitlement[]
  /** The portal the snapshot describes (admin sources with one instance). */
  instance?: Pick<SnapshotInstance, 'region' | 'startUrl'>
  /** What the source was, for the report. */
  source: string
  /** Things the user should know that did not stop the run. */
  warnings?: string[]
}

/**
 * Every (account, permission set) pair that has an assignment, or with `forUser` only those the user reaches
 * directly or through a group. Names come from the snapshot's accounts and permission sets.
 */
export function entitlementsFromSnapshot(
  snapshot: DiscoverSnapshot,
  options: {forUser?: string; origin: string},
): SourceResult {
  const missing = (['permissionSets', 'assignments'] as const).filter((k) => snapshot[k] === undefined)
  if (options.forUser && (snapshot.users === undefined || snapshot.groups === undefined))
    missing.push('users and groups' as never)
  if (missing.length > 0) {
    throw new BadInputError(
      `${options.origin} has no ${missing.join(', ')}: generate needs a snapshot from \`ssokit discover --all\`.`,
      'SNAPSHOT_INCOMPLETE',
    )
  }

  const warnings: string[] = []
  if (snapshot.accounts === undefined) {
    warnings.push(
      `${options.origin} has no account list (Organizations was not read), so profiles are named by account id; run \`ssokit discover --all\` with organizations:ListAccounts allowed for names.`,
    )
  }

  const accountNames = new Map((snapshot.accounts ?? []).map((a) => [a.id, a.name]))
  const roleNames = new Map(
    snapshot.permissionSets!.map((p, i) => [
      p.arn,
      writableValue('role name', p.name, `${options.origin} $.permissionSets[${i}].name`),
    ]),
  )
  let principals: Set<string> | undefined
  if (options.forUser) {
    const user = findUser(snapshot, options.forUser)
    principals = new Set([user.id, ...snapshot.groups!.filter((g) => g.memberIds.includes(user.id)).map((g) => g.id)])
  }

  const seen = new Set<string>()
  const checkedAccounts = new Set<string>()
  const entitlements: Entitlement[] = []
  const assignments = snapshot.assignments!
  for (let i = 0; i < assignments.length; i++) {
    const assignment = assignments[i]
    if (principals && !principals.has(assignment.principalId)) continue
    const roleName = roleNames.get(assignment.permissionSetArn)
    if (!roleName) continue
    // Thousands of assignments share a few hundred accounts: each id is checked where it first appears.
    if (!checkedAccounts.has(assignment.accountId)) {
      writableValue('account id', assignment.accountId, () => `${options.origin} $.assignments[${i}].accountId`)
      checkedAccounts.add(assignment.accountId)
    }

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
    warnings,
  }
}

/**
 * A user by user name or display name (case-insensitive, as Identity Center compares user names), email or id.
 * An unknown user gets the nearest names as suggestions.
 */
function findUser(snapshot: DiscoverSnapshot, wanted: string): SnapshotUser {
  const lower = wanted.toLowerCase()
  const users = snapshot.users!
  const exact = users.find(
    (u) => u.id === wanted || u.userName.toLowerCase() === lower || u.email?.toLowerCase() === lower,
  )
  if (exact) return exact
  const byDisplayName = users.filter((u) => u.displayName?.toLowerCase() === lower)
  if (byDisplayName.length === 1) return byDisplayName[0]
  if (byDisplayName.length > 1) {
    throw new SsokitError(
      `${byDisplayName.length} users have the display name "${wanted}": ${byDisplayName.map((u) => u.userName).join(', ')}. Give the user name instead.`,
      'USER_NOT_FOUND',
    )
  }

  const names = new Set(
    users.flatMap((u) => [u.userName, ...(u.displayName ? [u.displayName] : []), ...(u.email ? [u.email] : [])]),
  )
  const near = nearest(wanted, names)
  throw new SsokitError(
    `No user "${wanted}" in the identity store (looked at the user names, display names, emails and ids of ${users.length} users).`,
    'USER_NOT_FOUND',
    {suggestions: near.length > 0 ? [`Did you mean: ${near.join(', ')}?`] : []},
  )
}
