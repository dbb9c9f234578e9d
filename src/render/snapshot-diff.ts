import type {AccessPath} from '../report/access.js'
import type {DiffPart, FieldChange, SnapshotDiff} from '../report/diff.js'

import {escapeLine} from './terminal.js'

/**
 * `ssokit diff` for people: one section per kind of change, `+` added, `-` removed, `~` changed, `!` a part
 * only one snapshot has. Every name from the snapshots is escaped onto one line.
 */

const PART_LABEL: Record<DiffPart, string> = {
  accounts: 'accounts',
  assignments: 'assignments',
  groups: 'groups and memberships',
  organizationalUnits: 'organizational units',
  permissionSets: 'permission sets',
  policies: 'permission set policies',
  users: 'users',
}

const FIELD_LABEL: Record<string, string> = {
  awsManagedPolicies: 'AWS managed policies',
  customerManagedPolicies: 'customer managed policies',
  description: 'description',
  email: 'email',
  inlinePolicy: 'inline policy',
  inlinePolicyAllowsEverything: 'inline policy allows everything',
  name: 'name',
  organizationalUnit: 'OU',
  sessionDuration: 'session duration',
  status: 'status',
}

const e = (text: string): string => escapeLine(text)
const named = (name: string, id: string): string => (name === id ? e(id) : `${e(name)} (${e(id)})`)

function quoted(value: FieldChange['old']): string {
  if (value === null) return 'none'
  if (Array.isArray(value)) return value.length > 0 ? value.map((v) => e(v)).join(', ') : 'none'
  return `"${e(value)}"`
}

function describeChange(change: FieldChange): string {
  const label = FIELD_LABEL[change.field] ?? change.field
  if (change.field === 'inlinePolicy') {
    if (change.old === null) return 'inline policy added'
    if (change.new === null) return 'inline policy removed'
    return 'inline policy changed'
  }

  if (Array.isArray(change.old) && Array.isArray(change.new)) {
    const before = new Set(change.old)
    const after = new Set(change.new)
    const added = change.new.filter((v) => !before.has(v)).map((v) => `+${e(v)}`)
    const removed = change.old.filter((v) => !after.has(v)).map((v) => `-${e(v)}`)
    return `${label} ${[...added, ...removed].join(' ')}`
  }

  return `${label} ${quoted(change.old)} → ${quoted(change.new)}`
}

function through(paths: AccessPath[]): string {
  return paths.map((p) => (p.via === 'direct' ? 'a direct assignment' : `group ${e(p.groupName)}`)).join(', ')
}

function section(title: string, lines: string[]): string[] {
  return lines.length > 0 ? [`${title} (${lines.length})`, ...lines.map((l) => `  ${l}`), ''] : []
}

export function renderSnapshotDiff(diff: SnapshotDiff): string {
  const out = [
    `Comparing ${e(diff.old.file)} (${e(diff.old.generatedAt)}) with ${e(diff.new.file)} (${e(diff.new.generatedAt)})` +
      (diff.mode === 'effective' ? ', effective access' : ''),
    '',
  ]
  out.push(
    ...section('Accounts', [
      ...diff.accounts.added.map((a) => `+ ${named(a.name, a.id)}`),
      ...diff.accounts.removed.map((a) => `- ${named(a.name, a.id)}`),
      ...diff.accounts.changed.map((a) => `~ ${named(a.name, a.id)}: ${a.changes.map(describeChange).join('; ')}`),
    ]),
    ...section('Permission sets', [
      ...diff.permissionSets.added.map((p) => `+ ${e(p.name)}`),
      ...diff.permissionSets.removed.map((p) => `- ${e(p.name)}`),
      ...diff.permissionSets.changed.map((p) => `~ ${e(p.name)}: ${p.changes.map(describeChange).join('; ')}`),
    ]),
  )
  if (diff.assignments) {
    const line = (sign: string, a: NonNullable<SnapshotDiff['assignments']>['added'][number]): string =>
      `${sign} ${named(a.accountName, a.accountId)} · ${e(a.permissionSetName)} · ${a.principalType === 'USER' ? 'user' : 'group'} ${e(a.principalName)}`
    out.push(
      ...section('Assignments', [
        ...diff.assignments.added.map((a) => line('+', a)),
        ...diff.assignments.removed.map((a) => line('-', a)),
      ]),
    )
  }

  if (diff.memberships) {
    const effect = (n: number): string =>
      n === 0 ? 'the group has no assignments' : `the group has ${n} assignment${n === 1 ? '' : 's'}`
    out.push(
      ...section('Group memberships', [
        ...diff.memberships.added.map(
          (m) => `+ ${e(m.userName)} joined ${e(m.groupName)} (${effect(m.groupAssignments)})`,
        ),
        ...diff.memberships.removed.map(
          (m) => `- ${e(m.userName)} left ${e(m.groupName)} (${effect(m.groupAssignments)})`,
        ),
      ]),
    )
  }

  if (diff.users)
    out.push(
      ...section('Users', [
        ...diff.users.added.map((u) => `+ ${e(u.userName)}`),
        ...diff.users.removed.map((u) => `- ${e(u.userName)}`),
      ]),
    )
  if (diff.groups)
    out.push(
      ...section('Groups', [
        ...diff.groups.added.map((g) => `+ ${e(g.displayName)}`),
        ...diff.groups.removed.map((g) => `- ${e(g.displayName)}`),
      ]),
    )
  if (diff.access) {
    const target = (x: {accountId: string; accountName: string; permissionSetName: string; userName: string}): string =>
      `${e(x.userName)} → ${named(x.accountName, x.accountId)} · ${e(x.permissionSetName)}`
    out.push(
      ...section(
        'Access gained',
        diff.access.gained.map((x) => `+ ${target(x)}, through ${through(x.paths)}`),
      ),
      ...section(
        'Access lost',
        diff.access.lost.map((x) => `- ${target(x)}, was through ${through(x.paths)}`),
      ),
      ...section(
        'Same access, other path',
        diff.access.pathsChanged.map((x) => `~ ${target(x)}: ${through(x.oldPaths)} → ${through(x.newPaths)}`),
      ),
    )
  }

  const oneSided = diff.notCompared.filter((p) => p.missingIn !== 'both')
  out.push(
    ...section(
      'Not compared',
      oneSided.map(
        (p) =>
          `! ${PART_LABEL[p.part]}: only in ${e(p.missingIn === 'new' ? diff.old.file : diff.new.file)} (missing in the ${p.missingIn} snapshot)`,
      ),
    ),
    diff.changed ? `${diff.changes} change${diff.changes === 1 ? '' : 's'}.` : 'No changes.',
  )
  return out.join('\n') + '\n'
}
