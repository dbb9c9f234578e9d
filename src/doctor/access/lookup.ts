import type {AccountRef, Lookup, PermissionSetRef, UserRef} from './types.js'

import {nearest} from '../../fuzzy.js'

/**
 * Finding the user, account and permission set a question names, in lists already read (the snapshot's, or
 * what the live directory listed), with near-match suggestions when nothing matches.
 */

/** Identity store user ids: a UUID, optionally behind a 10-hex prefix (identitystore API reference, UserId). */
export const USER_ID = /^(?:[\da-f]{10}-)?[\dA-Fa-f]{8}-[\dA-Fa-f]{4}-[\dA-Fa-f]{4}-[\dA-Fa-f]{4}-[\dA-Fa-f]{12}$/
export const ACCOUNT_ID = /^\d{12}$/
export const PERMISSION_SET_ARN = /^arn:aws[\w-]*:sso:::permissionSet\/(?:sso)?ins-[\w.-]{16}\/ps-[\w.-]{16}$/

/** Up to three candidates within a small edit distance of the query, closest first. */
/** Up to three near names, for suggestions (src/fuzzy.ts). */
export function nearMatches(query: string, candidates: Array<{keys: string[]; label: string}>): string[] {
  return nearest(query, candidates)
}

export function userLabel(u: UserRef): string {
  return u.email && u.email !== u.userName ? `${u.userName} <${u.email}>` : u.userName
}

/** By id, user name, email or display name; exact first, then without case. */
export function findUserIn(users: UserRef[], query: string, where: string): Lookup<UserRef> {
  const byId = users.find((u) => u.id === query)
  if (byId) return {found: byId}
  const exact = users.filter((u) => u.userName === query || u.email === query)
  if (exact.length === 1) return {found: exact[0]}
  const lower = query.toLowerCase()
  const folded = users.filter((u) => u.userName.toLowerCase() === lower || u.email?.toLowerCase() === lower)
  if (folded.length === 1)
    return {found: folded[0], note: `Matched "${query}" to user ${folded[0].userName} ignoring case.`}
  const display = users.filter((u) => u.displayName?.toLowerCase() === lower)
  if (display.length === 1)
    return {found: display[0], note: `Matched "${query}" by display name to user ${display[0].userName}.`}
  if (display.length > 1 || folded.length > 1) {
    const several = display.length > 1 ? display : folded
    return {
      candidates: several.map((u) => userLabel(u)),
      reason: `${several.length} users match "${query}": name one by user name or id.`,
    }
  }

  return {
    candidates: nearMatches(
      query,
      users.map((u) => ({keys: [u.userName, u.email ?? '', u.displayName ?? ''].filter(Boolean), label: userLabel(u)})),
    ),
    reason: `No user "${query}" in ${where} (looked at the user names, emails, display names and ids of ${users.length} users).`,
  }
}

export function findAccountIn(accounts: AccountRef[], query: string, where: string): Lookup<AccountRef> {
  const byId = accounts.find((a) => a.id === query)
  if (byId) return {found: byId}
  const named = accounts.filter((a) => a.name === query)
  const folded = named.length > 0 ? named : accounts.filter((a) => a.name?.toLowerCase() === query.toLowerCase())
  if (folded.length === 1) return {found: folded[0]}
  const label = (a: AccountRef): string => (a.name ? `${a.name} (${a.id})` : a.id)
  if (folded.length > 1)
    return {candidates: folded.map((a) => a.id), reason: `${folded.length} accounts are named "${query}": give the id.`}
  return {
    candidates: nearMatches(
      query,
      accounts.map((a) => ({keys: [a.id, a.name ?? ''].filter(Boolean), label: label(a)})),
    ),
    reason: `No account "${query}" in ${where} (${accounts.length} accounts).`,
  }
}

export function findPermissionSetIn(
  permissionSets: PermissionSetRef[],
  query: string,
  where: string,
): Lookup<PermissionSetRef> {
  const exact = permissionSets.find((p) => p.arn === query || p.name === query)
  if (exact) return {found: exact}
  const folded = permissionSets.filter((p) => p.name.toLowerCase() === query.toLowerCase())
  if (folded.length === 1)
    return {found: folded[0], note: `Matched "${query}" to permission set ${folded[0].name} ignoring case.`}
  return {
    candidates: nearMatches(
      query,
      permissionSets.map((p) => ({keys: [p.name], label: p.name})),
    ),
    reason: `No permission set "${query}" in ${where} (${permissionSets.length} permission sets).`,
  }
}
