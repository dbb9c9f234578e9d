import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {AccessReport} from '../../src/report/access.js'

import {serializeSnapshot} from '../../src/discovery/snapshot.js'
import {buildAccessReport} from '../../src/report/access.js'
import {runCli} from '../support/cli.js'
import {
  awkwardSpec,
  awsEnvFor,
  describeWithMoto,
  type MotoServer,
  type Seeded,
  seedIdentityCenter,
  seedOrganizationalUnits,
  seedPermissionSetPolicies,
  startMoto,
} from '../support/moto.js'
import {demoSnapshot} from '../support/report-snapshots.js'

const dir = mkdtempSync(join(tmpdir(), 'ssokit-report-cli-'))
const demoFile = join(dir, 'demo.json')
writeFileSync(demoFile, serializeSnapshot(demoSnapshot()))

describe('report command from a snapshot file', () => {
  it('writes the HTML page with --out (mode 0600) and says what it wrote', async () => {
    const out = join(dir, 'out', 'access.html')
    const result = await runCli(['report', '--from', demoFile, '--out', out])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      new RegExp(`^Wrote ${out} \\(0\\.\\d\\d MB\\): 12 accounts, 8 permission sets, 14 people, 29 assignments\\.\\n$`),
    )
    const html = readFileSync(out, 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html.match(/<tr data-a="/g)).toHaveLength(12)
    expect(statSync(out).mode & 0o777).toBe(0o600)
  })

  it('prints CSV on stdout with its CRLF line ends, and JSON with --format json or --json', async () => {
    const [csv, json, flag] = await Promise.all([
      runCli(['report', '--from', demoFile, '--format', 'csv']),
      runCli(['report', '--from', demoFile, '--format', 'json']),
      runCli(['report', '--from', demoFile, '--json']),
    ])
    expect(csv.code).toBe(0)
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'user_name,display_name,email,user_id,account_id,account_name,organizational_unit,permission_set,permission_set_arn,power,via,group_name,group_id',
    )
    const expected = structuredClone(buildAccessReport(demoSnapshot()))
    expect(JSON.parse(json.stdout)).toEqual(expected)
    expect(JSON.parse(flag.stdout)).toEqual(expected)
    expect(flag.code).toBe(0)
  })

  it('warns on stderr about the parts the snapshot lacks', async () => {
    const partial = structuredClone(demoSnapshot())
    delete partial.users
    partial.warnings.push({
      code: 'DELEGATED_ADMIN',
      message: 'Assignments on the management account are not visible to a delegated administrator.',
      scope: 'assignments',
    })
    const file = join(dir, 'partial.json')
    writeFileSync(file, serializeSnapshot(partial))
    const result = await runCli(['report', '--from', file, '--format', 'csv'])
    expect(result.code).toBe(0)
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^Warning: Users are not in this snapshot \(ssokit discover --all\); people appear by id only/,
      ),
      'Warning: assignments: Assignments on the management account are not visible to a delegated administrator.',
      '',
    ])
  })

  it('exits 3 naming the file and the JSON path of a bad value, and for a file that is not JSON', async () => {
    const doc = JSON.parse(serializeSnapshot(demoSnapshot()))
    doc.accounts[1].id = '<script>'
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify(doc))
    const notJson = join(dir, 'not.json')
    writeFileSync(notJson, '{"version": 1,')
    const [text, json, broken, missing] = await Promise.all([
      runCli(['report', '--from', bad]),
      runCli(['report', '--from', bad, '--json']),
      runCli(['report', '--from', notJson, '--json']),
      runCli(['report', '--from', join(dir, 'nope.json'), '--json']),
    ])
    expect(text.code).toBe(3)
    expect(text.stderr).toContain(
      `Snapshot ${bad} is not an ssokit discover snapshot: accounts[1].id must be a 12-digit account id`,
    )
    expect(text.stderr).not.toMatch(/\n\s+at /)
    expect(JSON.parse(json.stdout).error).toMatchObject({code: 'SNAPSHOT_INVALID', exit: 3})
    expect(JSON.parse(broken.stdout).error).toMatchObject({code: 'SNAPSHOT_INVALID', exit: 3})
    expect(JSON.parse(missing.stdout).error).toMatchObject({code: 'FILE_UNREADABLE', exit: 3})
  })

  it('exits 3 when --out cannot be written, and 2 for --from with live-discovery flags', async () => {
    const [unwritable, usage] = await Promise.all([
      runCli(['report', '--from', demoFile, '--out', '/dev/null/access.html', '--json']),
      runCli(['report', '--from', demoFile, '--profile', 'mgmt']),
    ])
    expect(unwritable.code).toBe(3)
    expect(JSON.parse(unwritable.stdout).error).toMatchObject({
      code: 'FILE_UNWRITABLE',
      message: expect.stringContaining('/dev/null/access.html'),
    })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--admin-profile')
  })
})

describeWithMoto('report command with live discovery (moto)', () => {
  let moto: MotoServer
  let seeded: Seeded

  beforeAll(async () => {
    moto = await startMoto()
    seeded = await seedIdentityCenter(moto.url, awkwardSpec())
    await seedOrganizationalUnits(moto.url, seeded, [{accounts: [0], name: 'Production'}])
    await seedPermissionSetPolicies(moto.url, seeded, {
      AdministratorAccess: {awsManaged: ['arn:aws:iam::aws:policy/AdministratorAccess']},
      ReadOnly: {awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess']},
    })
  })

  afterAll(async () => {
    await moto?.stop()
  })

  it('discovers everything (OUs and policies included) and reports the same as from the saved snapshot', async () => {
    const env = awsEnvFor(moto.url)
    const snapshotFile = join(dir, 'live.json')
    const saved = await runCli(['discover', '--all', '--json', '--out', snapshotFile], {env})
    expect(saved.code).toBe(0)
    const [live, offline] = await Promise.all([
      runCli(['report', '--format', 'json'], {env}),
      runCli(['report', '--from', snapshotFile, '--format', 'json']),
    ])
    expect(live.code).toBe(0)
    const report = JSON.parse(live.stdout) as AccessReport
    const fromFile = JSON.parse(offline.stdout) as AccessReport
    expect({...report, generatedAt: ''}).toEqual({...fromFile, generatedAt: ''})
    expect(report.missing).toEqual([])
    const production = report.accounts.find((a) => a.id === seeded.memberAccountIds[0])!
    expect(production.ouPath).toEqual(['Root', 'Production'])
    const power = Object.fromEntries(report.permissionSets.map((p) => [p.name, p.power]))
    expect(power.AdministratorAccess).toMatchObject({basis: 'policies', level: 'admin'})
    expect(power['PowerUser+Limited']).toMatchObject({basis: 'policies', level: 'none'})
    // Alice reaches Production as AdministratorAccess through Admins.
    expect(report.access.find((e) => e.userName === 'alice' && e.accountId === production.id)!.paths).toEqual([
      {groupId: expect.any(String), groupName: 'Admins', via: 'group'},
    ])
  })
})
