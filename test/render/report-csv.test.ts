import {spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'

import type {DiscoverSnapshot} from '../../src/discovery/snapshot.js'

import {ACCESS_CSV_COLUMNS, renderAccessCsv} from '../../src/render/report-csv.js'
import {buildAccessReport} from '../../src/report/access.js'
import {requirePython} from '../support/python.js'
import {demoSnapshot, HOSTILE, hostileSnapshot} from '../support/report-snapshots.js'

/** Python's csv module as the oracle: the rows as a spreadsheet or a script would read them. */
function readWithPython(text: string): string[][] {
  const run = spawnSync(
    'python3',
    [
      '-c',
      'import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin.buffer.read().decode("utf-8").splitlines(True)))))',
    ],
    {encoding: 'utf8', input: text},
  )
  if (run.status !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout)
}

const csvOf = (snapshot: DiscoverSnapshot): string => renderAccessCsv(buildAccessReport(snapshot))

describe('report --format csv', () => {
  it('has one row per user × account × permission set × path, CRLF line ends', () => {
    const text = csvOf(demoSnapshot())
    expect(text.split('\r\n')[0]).toBe(ACCESS_CSV_COLUMNS.join(','))
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/)
    const report = buildAccessReport(demoSnapshot())
    const paths = report.access.reduce((n, e) => n + e.paths.length, 0)
    expect(text.split('\r\n').length - 2).toBe(paths)
    expect(text).toContain(
      'kofi.mensah,Kofi Mensah,kofi.mensah@example.com,u-kofi,555500000001,payments-staging,Root / Workloads / Staging,PowerUserAccess,arn:aws:sso:::permissionSet/ssoins-72237f3a1e2b4c5d/ps-poweruser,power user,group,Developers,g-developers\r\n',
    )
  })

  it('quotes as RFC 4180 says and neutralises formulas, so Python reads back exactly what was meant', () => {
    if (!requirePython()) return
    const rows = readWithPython(csvOf(hostileSnapshot()))
    expect(rows[0]).toEqual([...ACCESS_CSV_COLUMNS])
    const column = (name: (typeof ACCESS_CSV_COLUMNS)[number]) => ACCESS_CSV_COLUMNS.indexOf(name)
    const grace = rows.filter((r) => r[column('user_id')] === 'u-grace')
    expect(grace.length).toBeGreaterThan(0)
    // A leading @, =, + or - would run as a formula: it gets a leading quote. Control characters are escaped.
    expect(grace[0][column('user_name')]).toBe(String.raw`'@SUM(1+1)\x1b[31m\u202eevil`)
    expect(rows.some((r) => r[column('account_name')] === `'${HOSTILE.formula}`)).toBe(true)
    expect(rows.some((r) => r[column('account_name')] === HOSTILE.account)).toBe(true)
    expect(rows.some((r) => r[column('permission_set')] === HOSTILE.permissionSet)).toBe(true)
    expect(rows.every((r) => r.length === ACCESS_CSV_COLUMNS.length)).toBe(true)
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('without groups, keeps the group assignments as rows whose users are unknown', () => {
    const snapshot = structuredClone(demoSnapshot())
    delete snapshot.groups
    const lines = csvOf(snapshot).split('\r\n')
    const unknown = lines.filter((l) => l.includes('group (members unknown)'))
    expect(unknown).toHaveLength(snapshot.assignments!.filter((a) => a.principalType === 'GROUP').length)
    expect(unknown[0]).toMatch(/^,,,,\d{12},/)
  })
})
