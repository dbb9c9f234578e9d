import {
  CreateGroupMembershipCommand,
  DeleteGroupMembershipCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
} from '@aws-sdk/client-identitystore'
import {CreateAccountCommand, MoveAccountCommand, OrganizationsClient} from '@aws-sdk/client-organizations'
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnapshotDiff} from '../../src/report/diff.js'

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
  TEST_REGION,
} from '../support/moto.js'

const dir = mkdtempSync(join(tmpdir(), 'ssokit-diff-'))

describe('diff command without AWS', () => {
  it('exits 3 naming the file and the JSON path when a snapshot is bad', async () => {
    const good = join(dir, 'minimal.json')
    writeFileSync(good, JSON.stringify({generatedAt: '2026-11-30T08:00:00Z', instances: [], version: 1, warnings: []}))
    const bad = join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({
        assignments: [{accountId: '111111111111', permissionSetArn: 'x', principalId: 'u', principalType: 'ROLE'}],
        generatedAt: '2026-11-30T08:00:00Z',
        instances: [],
        version: 1,
      }),
    )
    const [text, json, same] = await Promise.all([
      runCli(['diff', good, bad]),
      runCli(['diff', good, join(dir, 'missing.json'), '--json']),
      runCli(['diff', good, good]),
    ])
    expect(text.code).toBe(3)
    expect(text.stderr).toContain(
      `Snapshot ${bad} is not an ssokit discover snapshot: assignments[0].principalType must be "USER" or "GROUP"`,
    )
    expect(json.code).toBe(3)
    expect(JSON.parse(json.stdout).error).toMatchObject({code: 'FILE_UNREADABLE', exit: 3})
    expect(same.code).toBe(0)
    expect(same.stdout).toMatch(/No changes\.\n$/)
  })
})

describeWithMoto('diff command on snapshots discovered from moto before and after changes', () => {
  let moto: MotoServer
  let seeded: Seeded
  let env: Record<string, string>
  const before = join(dir, 'before.json')
  const again = join(dir, 'again.json')
  const after = join(dir, 'after.json')
  let newAccountId: string

  beforeAll(async () => {
    moto = await startMoto()
    env = awsEnvFor(moto.url)
    seeded = await seedIdentityCenter(moto.url, awkwardSpec())
    const {ouIds, rootId} = await seedOrganizationalUnits(moto.url, seeded, [
      {accounts: [0], name: 'Production'},
      {accounts: [], name: 'Workloads'},
    ])
    await seedPermissionSetPolicies(moto.url, seeded, {
      ReadOnly: {awsManaged: ['arn:aws:iam::aws:policy/ReadOnlyAccess']},
    })
    for (const [file, label] of [
      [before, 'first'],
      [again, 'second'],
    ]) {
      const run = await runCli(['discover', '--all', '--json', '--out', file], {env})
      expect(run.code, `${label} discover: ${run.stderr}`).toBe(0)
    }

    // The changes, made through the AWS SDK as an admin would.
    const config = {
      credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
      endpoint: moto.url,
      region: TEST_REGION,
    }
    const ssoAdmin = new SSOAdminClient(config)
    const identityStore = new IdentitystoreClient(config)
    const organizations = new OrganizationsClient(config)
    try {
      const InstanceArn = seeded.instance.instanceArn
      const {identityStoreId: IdentityStoreId} = seeded.instance
      const ps = (name: string) => seeded.permissionSets.find((p) => p.name === name)!.arn
      const user = (name: string) => seeded.users.find((u) => u.userName === name)!.id
      const group = (name: string) => seeded.groups.find((g) => g.displayName === name)!.id
      const assignment = (account: string, permissionSet: string, principal: string, type: 'GROUP' | 'USER') => ({
        InstanceArn,
        PermissionSetArn: ps(permissionSet),
        PrincipalId: principal,
        PrincipalType: type,
        TargetId: account,
        TargetType: 'AWS_ACCOUNT' as const,
      })
      // Developers now hold AdministratorAccess on "Shared: Services/Networking"; bob loses PowerUser on Sandbox #1.
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment(seeded.memberAccountIds[2], 'AdministratorAccess', group('Developers'), 'GROUP'),
        ),
      )
      await ssoAdmin.send(
        new DeleteAccountAssignmentCommand(
          assignment(seeded.memberAccountIds[3], 'PowerUser+Limited', user('bob'), 'USER'),
        ),
      )
      // carol joins Admins; bob leaves Developers.
      await identityStore.send(
        new CreateGroupMembershipCommand({
          GroupId: group('Admins'),
          IdentityStoreId,
          MemberId: {UserId: user('carol@example.com')},
        }),
      )
      const memberships = await identityStore.send(
        new ListGroupMembershipsCommand({GroupId: group('Developers'), IdentityStoreId}),
      )
      const bobs = memberships.GroupMemberships!.find(
        (m) => m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId === user('bob'),
      )!
      await identityStore.send(new DeleteGroupMembershipCommand({IdentityStoreId, MembershipId: bobs.MembershipId!}))
      // ReadOnly: longer sessions and one more managed policy; "Unused" gets an inline policy allowing everything.
      await ssoAdmin.send(
        new UpdatePermissionSetCommand({
          Description: 'Read only, longer sessions',
          InstanceArn,
          PermissionSetArn: ps('ReadOnly'),
          SessionDuration: 'PT12H',
        }),
      )
      await ssoAdmin.send(
        new AttachManagedPolicyToPermissionSetCommand({
          InstanceArn,
          ManagedPolicyArn: 'arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess',
          PermissionSetArn: ps('ReadOnly'),
        }),
      )
      await ssoAdmin.send(
        new PutInlinePolicyToPermissionSetCommand({
          InlinePolicy: JSON.stringify({
            Statement: [{Action: '*', Effect: 'Allow', Resource: '*'}],
            Version: '2012-10-17',
          }),
          InstanceArn,
          PermissionSetArn: ps('Unused'),
        }),
      )
      await ssoAdmin.send(new CreatePermissionSetCommand({InstanceArn, Name: 'Billing', SessionDuration: 'PT1H'}))
      // A new account, and the second Sandbox moves to Workloads.
      const created = await organizations.send(
        new CreateAccountCommand({AccountName: 'Analytics', Email: 'analytics@example.com'}),
      )
      newAccountId = created.CreateAccountStatus!.AccountId!
      await organizations.send(
        new MoveAccountCommand({
          AccountId: seeded.memberAccountIds[4],
          DestinationParentId: ouIds.get('Workloads')!,
          SourceParentId: rootId,
        }),
      )
    } finally {
      ssoAdmin.destroy()
      identityStore.destroy()
      organizations.destroy()
    }

    const run = await runCli(['discover', '--all', '--json', '--out', after], {env})
    expect(run.code, run.stderr).toBe(0)
  })

  afterAll(async () => {
    await moto?.stop()
  })

  it('finds no change between two discover runs over the same data (exit 0)', async () => {
    const [text, json] = await Promise.all([
      runCli(['diff', before, again]),
      runCli(['diff', before, again, '--effective', '--json']),
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/\nNo changes\.\n$/)
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({changed: false, changes: 0, notCompared: []})
  })

  it('lists every change by name, and exits 1', async () => {
    const result = await runCli(['diff', before, after])
    expect(result.code).toBe(1)
    const shared = seeded.memberAccountIds[2]
    const sandbox = seeded.memberAccountIds[3]
    const lines = result.stdout.split('\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        `  + Analytics (${newAccountId})`,
        `  ~ Sandbox (${seeded.memberAccountIds[4]}): OU "Root" → "Root / Workloads"`,
        '  + Billing',
        '  ~ ReadOnly: description "Read only: everything" → "Read only, longer sessions"; session duration "PT8H" → "PT12H"; AWS managed policies +AWSBillingReadOnlyAccess',
        '  ~ Unused: inline policy added; inline policy allows everything "false" → "true"',
        `  + Shared: Services/Networking (${shared}) · AdministratorAccess · group Developers`,
        `  - Sandbox (${sandbox}) · PowerUser+Limited · user bob`,
        '  + carol@example.com joined Admins (the group has 3 assignments)',
        '  - bob left Developers (the group has 2 assignments)',
      ]),
    )
    expect(lines.at(-2)).toBe('9 changes.')
  })

  it('--json gives the same for scripts', async () => {
    const result = await runCli(['diff', before, after, '--json'])
    expect(result.code).toBe(1)
    const diff = JSON.parse(result.stdout) as SnapshotDiff
    expect(diff).toMatchObject({changed: true, changes: 9, mode: 'assignments', notCompared: []})
    expect(diff.old).toEqual({file: before, generatedAt: expect.any(String)})
    expect(diff.assignments!.added).toEqual([
      expect.objectContaining({
        accountId: seeded.memberAccountIds[2],
        permissionSetName: 'AdministratorAccess',
        principalName: 'Developers',
        principalType: 'GROUP',
      }),
    ])
    expect(diff.memberships!.removed).toEqual([expect.objectContaining({groupName: 'Developers', userName: 'bob'})])
    expect(diff.permissionSets.added).toEqual([{arn: expect.any(String), name: 'Billing'}])
  })

  it('--effective shows the access each change grants or takes away', async () => {
    const result = await runCli(['diff', before, after, '--effective', '--json'])
    expect(result.code).toBe(1)
    const {access} = JSON.parse(result.stdout) as SnapshotDiff
    const line = (e: {accountName: string; permissionSetName: string; userName: string}) =>
      `${e.userName} → ${e.accountName} · ${e.permissionSetName}`
    // carol joined Admins (AdministratorAccess on three accounts); Developers (alice, no longer bob) got
    // AdministratorAccess on Shared.
    expect(access!.gained.map(line).sort()).toEqual(
      [
        'alice → Shared: Services/Networking · AdministratorAccess',
        'carol@example.com → Dev, Test & QA · AdministratorAccess',
        'carol@example.com → Production · AdministratorAccess',
        `carol@example.com → ${seeded.accounts[0].name} · AdministratorAccess`,
      ].sort(),
    )
    expect(access!.pathsChanged).toEqual([])
    // bob left Developers and lost his direct PowerUser on Sandbox #1.
    expect(access!.lost.map(line).sort()).toEqual(
      [
        'bob → Dev, Test & QA · PowerUser+Limited',
        'bob → Sandbox · PowerUser+Limited',
        'bob → Shared: Services/Networking · ReadOnly',
      ].sort(),
    )
    const text = await runCli(['diff', before, after, '--effective'])
    expect(text.stdout).toContain('Access gained')
    expect(text.stdout).toContain('  - bob → Sandbox (')
  })
})
