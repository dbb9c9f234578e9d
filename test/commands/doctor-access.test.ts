import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {runCli} from '../support/cli.js'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
const SNAPSHOT = fileURLToPath(new URL('../fixtures/snapshots/small.json', import.meta.url))

/** Modules reached from `file` through static, value (not `import type`) imports. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    const specifier = match[1]
    if (specifier.startsWith('.')) staticImports(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen)
    else seen.add(specifier)
  }

  return seen
}

describe('ssokit doctor access (no AWS)', () => {
  it('loads no AWS SDK until it calls AWS', () => {
    for (const entry of ['commands/doctor/access.ts', 'doctor/access/run.ts', 'doctor/access/snapshot-directory.ts']) {
      const reached = [...staticImports(resolve(SRC, entry))]
      expect(
        reached.filter((m) => m.startsWith('@aws-sdk/') || m.startsWith('@smithy/')),
        entry,
      ).toEqual([])
    }
  })

  it('--from FILE: offline, zero requests, the snapshot age, exit 0 when granted', async () => {
    const json = await runCli([
      'doctor',
      'access',
      '--user',
      'alice',
      '--account',
      'Prod & Co',
      '--permission-set',
      'AdministratorAccess',
      '--from',
      SNAPSHOT,
      '--json',
    ])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(report).toMatchObject({
      account: {id: '111122223333', name: 'Prod & Co'},
      paths: [{groupId: 'g-1', groupName: 'Admins', via: 'group'}],
      source: {file: SNAPSHOT, generatedAt: '2026-11-22T10:00:00Z', kind: 'snapshot'},
      stats: {requests: 0},
      user: {id: 'u-1', userName: 'alice'},
      verdict: 'granted',
    })
    expect(report.source.ageSeconds).toBeGreaterThan(0)
    const text = await runCli(['doctor', 'access', '--user', 'bob', '--from', SNAPSHOT])
    expect(text.stdout).toMatch(/^bob: (granted|not-assigned)/)
    expect(text.stdout).toMatch(
      /Answered offline from .*small\.json \(snapshot of 2026-11-22T10:00:00Z, \d+ \w+ old\); 0 requests\./,
    )
  })

  it('--from FILE with --action: says it needs live calls, and exits 1 (unanswered)', async () => {
    const result = await runCli([
      'doctor',
      'access',
      '--user',
      'alice',
      '--account',
      '111122223333',
      '--permission-set',
      'AdministratorAccess',
      '--action',
      's3:GetObject',
      '--from',
      SNAPSHOT,
      '--json',
    ])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.unanswered).toEqual(['--action s3:GetObject'])
    expect(report.cannotSee[0]).toMatch(/needs live calls/)
  })

  it('not found offline: near matches, exit 1', async () => {
    const result = await runCli(['doctor', 'access', '--user', 'alicee', '--from', SNAPSHOT, '--json'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({
      suggestions: ['Did you mean: alice <alice@x.com>?'],
      verdict: 'user-not-found',
    })
  })

  it('usage errors: no user, an error text that is not a denial, --action without a permission set', async () => {
    const none = await runCli(['doctor', 'access', '--from', SNAPSHOT, '--json'])
    expect(none.code).toBe(2)
    expect(JSON.parse(none.stdout).error).toMatchObject({code: 'USAGE', message: expect.stringMatching(/--user/)})
    const text = await runCli(['doctor', 'access', '--from-error', 'Unable to locate credentials'])
    expect(text.code).toBe(2)
    expect(text.stderr).toMatch(/not an AccessDenied or ForbiddenException/)
    const action = await runCli(['doctor', 'access', '--user', 'alice', '--action', 's3:GetObject'])
    expect(action.code).toBe(2)
    expect(action.stderr).toMatch(/--action needs --account and --permission-set/)
  })

  it('--from-error - reads the text from stdin (offline here)', async () => {
    const text =
      'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action'
    const result = await runCli(['doctor', 'access', '--from-error', '-', '--from', SNAPSHOT, '--json'], {input: text})
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({
      account: {id: '111122223333'},
      fromError: {
        extracted: {action: 's3:GetObject', user: 'alice'},
        says: 'no identity-based policy allows s3:GetObject',
      },
      permissionSet: {name: 'AdministratorAccess'},
      verdict: 'granted',
    })
  })
})
