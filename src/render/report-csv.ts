import {stringify} from 'csv-stringify/sync'

import type {AccessReport} from '../report/access.js'

import {POWER_LABEL} from '../report/power.js'
import {escapeLine} from './terminal.js'

interface CsvRow {
  accountId: string
  arn: string
  group?: {id: string; name: string}
  userId: string
  via: string
}

/** The columns of `ssokit report --format csv`: one row per user × account × permission set × path. */
export const ACCESS_CSV_COLUMNS = [
  'user_name',
  'display_name',
  'email',
  'user_id',
  'account_id',
  'account_name',
  'organizational_unit',
  'permission_set',
  'permission_set_arn',
  'power',
  'via',
  'group_name',
  'group_id',
] as const

/**
 * RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes doubled).
 * A cell starting with `=`, `+`, `-`, `@` (or a tab or CR, or their full-width forms) gets a leading `'`, so
 * a spreadsheet shows a name as text instead of running it as a formula (OWASP "CSV injection"). Control
 * characters in values are written as visible escapes, one record per line.
 */
export function renderAccessCsv(report: AccessReport): string {
  const users = new Map(report.users.map((u) => [u.id, u]))
  const accounts = new Map(report.accounts.map((a) => [a.id, a]))
  const permissionSets = new Map(report.permissionSets.map((p) => [p.arn, p]))
  const rows: string[][] = []
  const row = ({accountId, arn, group, userId, via}: CsvRow): void => {
    const user = userId ? users.get(userId) : undefined
    const account = accounts.get(accountId)
    const permissionSet = permissionSets.get(arn)
    rows.push([
      user?.known ? user.userName : '',
      user?.displayName ?? '',
      user?.email ?? '',
      userId,
      accountId,
      account?.known ? account.name : '',
      account?.ouPath?.join(' / ') ?? '',
      permissionSet?.name ?? '',
      arn,
      permissionSet ? POWER_LABEL[permissionSet.power.level] : '',
      via,
      group?.name ?? '',
      group?.id ?? '',
    ])
  }

  for (const entry of report.access) {
    for (const path of entry.paths) {
      const {accountId, permissionSetArn: arn, userId} = entry
      if (path.via === 'direct') row({accountId, arn, userId, via: 'direct'})
      else row({accountId, arn, group: {id: path.groupId, name: path.groupName}, userId, via: 'group'})
    }
  }

  // Without the groups' members, a group assignment still shows, with the user columns empty.
  if (report.missing.some((m) => m.part === 'groups')) {
    for (const a of report.assignments.filter((x) => x.principalType === 'GROUP'))
      row({
        accountId: a.accountId,
        arn: a.permissionSetArn,
        group: {id: a.principalId, name: ''},
        userId: '',
        via: 'group (members unknown)',
      })
  }

  // The same names repeat on thousands of rows: escape each distinct value once.
  const escaped = new Map<string, string>()
  const safe = (cell: string): string => {
    let value = escaped.get(cell)
    if (value === undefined) {
      value = escapeLine(cell)
      escaped.set(cell, value)
    }

    return value
  }

  return stringify(
    rows.map((r) => r.map((cell) => safe(cell))),
    {
      columns: [...ACCESS_CSV_COLUMNS],
      escape_formulas: true,
      header: true,
      record_delimiter: 'windows',
    },
  )
}
