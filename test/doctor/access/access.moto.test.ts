import {
  AttachPolicyCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {AccessReport} from '../../../src/doctor/access/types.js'

import {runDiscover} from '../../../src/discovery/run.js'
import {serializeSnapshot} from '../../../src/discovery/snapshot.js'
import {type AccessRequest, exitCodeOf, runAccess} from '../../../src/doctor/access/run.js'
import {runCli} from '../../support/cli.js'
import {type FaultProxy, startFaultProxy} from '../../support/fault-proxy.js'
import {
  awsEnvFor,
  describeWithMoto,
  type MotoServer,
  type Seeded,
  seedIdentityCenter,
  setEnv,
  startMoto,
  TEST_REGION,
} from '../../support/moto.js'

/*
 * `doctor access` against moto, through the real SDK clients (and, for the request counts and refusals, the fault
 * proxy in front of it). moto lacks GetPermissionsBoundaryForPermissionSet and
 * ListAccountAssignmentCreationStatus (it answers 500): the product reports those parts as unreadable, as it
 * would any part it cannot read, and the unit tests cover them with a fake.
 */

const TEAMS = Array.from({length: 10}, (_, i) => `Team ${i}`)

describeWithMoto('doctor access against moto', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let restoreEnv: () => void
  let seeded: Seeded
  let prod: string
  let dev: string
  let snapshotFile: string
  const ps: Record<string, string> = {}

  beforeAll(async () => {
    const restoreMotoEnv = setEnv({MOTO_IAM_LOAD_MANAGED_POLICIES: 'true'})
    moto = await startMoto()
    restoreMotoEnv()
    proxy = await startFaultProxy(moto.url)
    restoreEnv = setEnv(awsEnvFor(proxy.url))
    seeded = await seedIdentityCenter(moto.url, {
      accounts: [
        {email: 'prod@example.com', name: 'Production'},
        {email: 'dev@example.com', name: 'Development'},
      ],
      assignments: [
        {account: 0, permissionSet: 'ReadOnly', user: 'alice'},
        {account: 0, group: 'Developers', permissionSet: 'Developer'},
        {account: 1, group: 'Developers', permissionSet: 'AdministratorAccess'},
        {account: 1, group: 'Admins', permissionSet: 'AdministratorAccess'},
        {account: 0, group: 'Team 7', permissionSet: 'Developer'},
      ],
      groups: [
        {displayName: 'Developers', members: ['alice', 'bob']},
        {displayName: 'Admins', members: ['alice']},
        ...TEAMS.map((displayName) => ({displayName, members: ['carol']})),
      ],
      permissionSets: [
        {name: 'ReadOnly', sessionDuration: 'PT8H'},
        {name: 'Developer', sessionDuration: 'PT4H'},
        {name: 'AdministratorAccess', sessionDuration: 'PT1H'},
      ],
      users: [
        {displayName: 'Alice Liddell', email: 'alice@example.com', userName: 'alice'},
        {displayName: 'Bob Builder', email: 'bob@example.com', userName: 'bob'},
        {displayName: 'Carol Teams', email: 'carol@example.com', userName: 'carol'},
        {displayName: 'Dan Nobody', email: 'dan@example.com', userName: 'dan'},
      ],
    })
    ;[prod, dev] = seeded.memberAccountIds
    for (const p of seeded.permissionSets) ps[p.name] = p.arn
    await seedPolicies(moto.url, seeded, {dev, prod, ps})

    // The offline snapshot, as `discover --all --out` writes it.
    const discovered = await runDiscover({
      accounts: true,
      assignments: true,
      maxRps: 50,
      names: false,
      permissionSets: true,
      principals: true,
      regions: [TEST_REGION],
    })
    snapshotFile = join(process.env.HOME!, 'snapshot.json')
    writeFileSync(snapshotFile, serializeSnapshot(discovered.snapshot))
  }, 120_000)

  afterAll(async () => {
    restoreEnv?.()
    await proxy?.close()
    await moto?.stop()
  })

  async function ask(request: Partial<AccessRequest>): Promise<AccessReport> {
    proxy.resetStats()
    return runAccess({maxRps: 50, regions: [TEST_REGION], ...request})
  }

  describe('assignments', () => {
    it('direct access', async () => {
      const report = await ask({account: prod, permissionSet: 'ReadOnly', user: 'alice'})
      expect(report).toMatchObject({
        account: {id: prod, name: 'Production'},
        paths: [{via: 'direct'}],
        verdict: 'granted',
      })
      expect(exitCodeOf(report)).toBe(0)
    })

    it('via a group', async () => {
      const report = await ask({account: 'Production', permissionSet: 'Developer', user: 'bob@example.com'})
      expect(report.verdict).toBe('granted')
      expect(report.paths).toEqual([{groupId: expect.any(String), groupName: 'Developers', via: 'group'}])
    })

    it('via two groups', async () => {
      const report = await ask({account: 'Development', permissionSet: 'AdministratorAccess', user: 'alice'})
      expect(report.verdict).toBe('granted')
      expect(report.paths.map((p) => p.via === 'group' && p.groupName)).toEqual(['Admins', 'Developers'])
    })

    it('not assigned, with the command that assigns it', async () => {
      const report = await ask({account: prod, permissionSet: 'AdministratorAccess', user: 'bob'})
      expect(report.verdict).toBe('not-assigned')
      const bob = seeded.users.find((u) => u.userName === 'bob')!.id
      expect(report.fix).toBe(
        `aws sso-admin create-account-assignment --instance-arn ${seeded.instance.instanceArn} --target-id ${prod} --target-type AWS_ACCOUNT --permission-set-arn ${ps.AdministratorAccess} --principal-type USER --principal-id ${bob} --region ${TEST_REGION}`,
      )
      // moto has no ListAccountAssignmentCreationStatus: that part is unreadable, the verdict still given.
      expect(report.unreadable.map((u) => u.part)).toEqual(['failed assignment attempts'])
      expect(exitCodeOf(report)).toBe(1)
    })

    it('assigned to another account', async () => {
      const report = await ask({account: dev, permissionSet: 'ReadOnly', user: 'alice'})
      expect(report.verdict).toBe('not-assigned')
      const everywhere = await ask({user: 'alice'})
      expect(everywhere.entries?.map((e) => `${e.account.name}/${e.permissionSet.name}`).sort()).toEqual([
        'Development/AdministratorAccess',
        'Production/Developer',
        'Production/ReadOnly',
      ])
    })

    it('unknown user, with a near match', async () => {
      const report = await ask({account: prod, permissionSet: 'ReadOnly', user: 'alise'})
      expect(report.verdict).toBe('user-not-found')
      expect(report.suggestions).toEqual(['Did you mean: alice <alice@example.com>?'])
    })

    it('unknown account', async () => {
      expect((await ask({account: '999999999999', permissionSet: 'ReadOnly', user: 'alice'})).verdict).toBe(
        'account-not-found',
      )
      const byName = await ask({account: 'Prodution', permissionSet: 'ReadOnly', user: 'alice'})
      expect(byName.verdict).toBe('account-not-found')
      expect(byName.suggestions[0]).toContain('Production')
    })

    it('unknown permission set', async () => {
      const report = await ask({account: prod, permissionSet: 'ReadOnyl', user: 'alice'})
      expect(report.verdict).toBe('permission-set-not-found')
      expect(report.suggestions[0]).toContain('ReadOnly')
    })

    it('a permission set not provisioned', async () => {
      const report = await ask({account: prod, permissionSet: 'Unprovisioned', user: 'dan'})
      expect(report.verdict).toBe('not-provisioned')
      expect(report.fix).toContain(
        `aws sso-admin provision-permission-set --instance-arn ${seeded.instance.instanceArn}`,
      )
    })

    it(`a user in ${TEAMS.length} groups: under 30 requests, counted in stats`, async () => {
      const report = await ask({account: prod, permissionSet: 'Developer', user: 'carol'})
      expect(report.verdict).toBe('granted')
      expect(report.paths).toEqual([{groupId: expect.any(String), groupName: 'Team 7', via: 'group'}])
      expect(report.stats.requests).toBe(proxy.stats.received)
      expect(report.stats.requests).toBeLessThan(30)
      const all = await ask({user: 'carol'})
      expect(all.stats.requests).toBe(proxy.stats.received)
      expect(all.stats.requests).toBeLessThan(30)
      if (process.env.PRINT_ACCESS_STATS)
        process.stderr.write(
          `requests: one pair ${report.stats.requests}, every account ${all.stats.requests}\n${JSON.stringify(Object.fromEntries(proxy.stats.byOperation))}\n`,
        )
    })

    it('an API the caller may not use: its IAM action, exit 5, the rest of the answer', async () => {
      proxy.rules = {errors: {'organizations:DescribeAccount': 'AccessDeniedException'}}
      try {
        const report = await ask({account: prod, permissionSet: 'ReadOnly', user: 'alice'})
        expect(report.verdict).toBe('granted')
        expect(report.unreadable).toContainEqual(
          expect.objectContaining({action: 'organizations:DescribeAccount', code: 'ACCESS_DENIED'}),
        )
        expect(exitCodeOf(report)).toBe(5)
      } finally {
        proxy.rules = {}
      }
    })
  })

  describe('--action', () => {
    const base = (): Partial<AccessRequest> => ({account: prod, permissionSet: 'Developer', user: 'bob'})

    it('allowed by the inline policy', async () => {
      const report = await ask({...base(), action: 's3:PutObject', resource: 'arn:aws:s3:::dev-data/x'})
      expect(report.action?.verdict).toBe('allowed')
      expect(report.action?.policies.find((p) => p.kind === 'inline')?.statements[0]).toMatchObject({
        effect: 'Allow',
        sid: 'DevBuckets',
      })
      // moto has no GetPermissionsBoundaryForPermissionSet: named as unreadable, not fatal.
      expect(report.unreadable.map((u) => u.part)).toContain('permissions boundary')
      expect(report.action?.reasons.join(' ')).toMatch(/permissions boundary could not be read/)
    })

    it('allowed by an AWS managed policy (its document from IAM)', async () => {
      const report = await ask({
        account: prod,
        action: 'ec2:DescribeInstances',
        permissionSet: 'ReadOnly',
        user: 'alice',
      })
      expect(report.action?.verdict).toBe('allowed')
      const managed = report.action!.policies.find((p) => p.kind === 'aws-managed')!
      expect(managed).toMatchObject({name: 'arn:aws:iam::aws:policy/ReadOnlyAccess', read: true})
      expect(managed.statements.some((s) => s.effect === 'Allow' && s.match === 'yes')).toBe(true)
    })

    it('denied by an SCP on a parent OU', async () => {
      const report = await ask({...base(), action: 's3:DeleteBucket', resource: 'arn:aws:s3:::dev-data'})
      expect(report.action?.verdict).toBe('explicit-deny')
      expect(report.action?.reasons[0]).toMatch(/DenyBucketDeletes .*"NoBucketDeletes"/)
      expect(report.action?.policies.find((p) => p.name.startsWith('DenyBucketDeletes'))?.level).toMatch(/^OU ou-/)
    })

    it('denied by an SCP on the root', async () => {
      const report = await ask({...base(), action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::dev-data'})
      expect(report.action?.verdict).toBe('explicit-deny')
      expect(report.action?.policies.find((p) => p.name.startsWith('DenyBucketPolicies'))?.level).toMatch(/^root r-/)
    })

    it('denied by an RCP on the root (S3 is a service RCPs cover)', async () => {
      const report = await ask({...base(), action: 's3:PutObjectAcl', resource: 'arn:aws:s3:::dev-data/x'})
      expect(report.action?.verdict).toBe('explicit-deny')
      const rcp = report.action?.policies.find((p) => p.name.startsWith('DenyObjectAcls'))
      expect(rcp).toMatchObject({kind: 'resource-control-policy', level: expect.stringMatching(/^root r-/)})
    })

    it('allowed only under a condition', async () => {
      const report = await ask({...base(), action: 'ec2:RunInstances'})
      expect(report.action?.verdict).toBe('allowed-if-conditions')
      expect(report.action?.deciding[0].statement.condition).toEqual({
        StringEquals: {'aws:RequestedRegion': 'eu-west-1'},
      })
    })

    it('no allow anywhere', async () => {
      const report = await ask({...base(), action: 'dynamodb:DeleteTable'})
      expect(report.action?.verdict).toBe('no-allow')
      expect(report.action?.note).toMatch(/statement matcher, not a full IAM evaluator/)
    })
  })

  describe('--from FILE (offline)', () => {
    it('answers with zero requests and says how old the snapshot is', async () => {
      const report = await ask({
        account: 'Development',
        from: snapshotFile,
        permissionSet: 'AdministratorAccess',
        user: 'alice',
      })
      expect(report.verdict).toBe('granted')
      expect(report.stats.requests).toBe(0)
      expect(proxy.stats.received).toBe(0)
      expect(report.source.kind).toBe('snapshot')
    })
  })

  describe('the command', () => {
    it('--json: one document, the verdict and the exit code', async () => {
      const result = await runCli(
        [
          'doctor',
          'access',
          '--user',
          'bob',
          '--account',
          prod,
          '--permission-set',
          'AdministratorAccess',
          '--region',
          TEST_REGION,
          '--json',
        ],
        {
          env: awsEnvFor(proxy.url),
        },
      )
      expect(result.code).toBe(1)
      const json = JSON.parse(result.stdout)
      expect(json).toMatchObject({
        account: {id: prod, name: 'Production'},
        permissionSet: {name: 'AdministratorAccess'},
        verdict: 'not-assigned',
      })
      expect(json.fix).toMatch(/^aws sso-admin create-account-assignment /)
    })

    it('--from-error on stdin: from an AccessDenied text to the policy evidence', async () => {
      const text = `An error occurred (AccessDenied) when calling the DeleteBucket operation: User: arn:aws:sts::${prod}:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/bob is not authorized to perform: s3:DeleteBucket on resource: "arn:aws:s3:::dev-data" with an explicit deny in a service control policy`
      const result = await runCli(['doctor', 'access', '--from-error', '-', '--region', TEST_REGION], {
        env: awsEnvFor(proxy.url),
        input: text,
      })
      expect(result.stdout).toMatch(/^bob → Production \(\d{12}\) \/ Developer: granted/)
      expect(result.stdout).toMatch(/Action s3:DeleteBucket on arn:aws:s3:::dev-data: explicit-deny/)
      expect(result.stdout).toMatch(/The error says: an explicit deny in a service control policy/)
      expect(result.stdout).toMatch(/Guessed user: "bob" is the role session name/)
      expect(result.code).toBe(1)
      if (process.env.PRINT_ACCESS_STATS) process.stderr.write(result.stdout)
    })
  })
})

/** OUs, SCPs on a parent OU and the root, the Developer permission set's policies, a never-provisioned assignment. */
async function seedPolicies(
  endpoint: string,
  seeded: Seeded,
  ids: {dev: string; prod: string; ps: Record<string, string>},
): Promise<void> {
  const config = {
    credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
    endpoint,
    maxAttempts: 6,
    region: TEST_REGION,
  }
  const org = new OrganizationsClient(config)
  const sso = new SSOAdminClient(config)
  try {
    const root = (await org.send(new ListRootsCommand({}))).Roots![0].Id!
    await org.send(new EnablePolicyTypeCommand({PolicyType: 'SERVICE_CONTROL_POLICY', RootId: root}))
    const workloads = (await org.send(new CreateOrganizationalUnitCommand({Name: 'Workloads', ParentId: root})))
      .OrganizationalUnit!.Id!
    for (const account of [ids.prod, ids.dev])
      await org.send(new MoveAccountCommand({AccountId: account, DestinationParentId: workloads, SourceParentId: root}))
    const scp = async (name: string, statement: object, target: string) => {
      const created = await org.send(
        new CreatePolicyCommand({
          Content: JSON.stringify({Statement: [statement], Version: '2012-10-17'}),
          Description: name,
          Name: name,
          Type: 'SERVICE_CONTROL_POLICY',
        }),
      )
      await org.send(new AttachPolicyCommand({PolicyId: created.Policy!.PolicySummary!.Id!, TargetId: target}))
    }

    await scp(
      'DenyBucketDeletes',
      {Action: 's3:DeleteBucket', Effect: 'Deny', Resource: '*', Sid: 'NoBucketDeletes'},
      workloads,
    )
    await scp('DenyBucketPolicies', {Action: 's3:PutBucketPolicy', Effect: 'Deny', Resource: '*'}, root)
    await org.send(new EnablePolicyTypeCommand({PolicyType: 'RESOURCE_CONTROL_POLICY', RootId: root}))
    const rcp = await org.send(
      new CreatePolicyCommand({
        Content: JSON.stringify({
          Statement: [{Action: 's3:PutObjectAcl', Effect: 'Deny', Principal: '*', Resource: '*'}],
          Version: '2012-10-17',
        }),
        Description: 'no ACLs',
        Name: 'DenyObjectAcls',
        Type: 'RESOURCE_CONTROL_POLICY',
      }),
    )
    await org.send(new AttachPolicyCommand({PolicyId: rcp.Policy!.PolicySummary!.Id!, TargetId: root}))

    const {instanceArn} = seeded.instance
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InlinePolicy: JSON.stringify({
          Statement: [
            {
              Action: 's3:*',
              Effect: 'Allow',
              Resource: ['arn:aws:s3:::dev-*', 'arn:aws:s3:::dev-*/*'],
              Sid: 'DevBuckets',
            },
            {
              Action: 'ec2:*',
              Condition: {StringEquals: {'aws:RequestedRegion': 'eu-west-1'}},
              Effect: 'Allow',
              Resource: '*',
            },
          ],
          Version: '2012-10-17',
        }),
        InstanceArn: instanceArn,
        PermissionSetArn: ids.ps.Developer,
      }),
    )
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        PermissionSetArn: ids.ps.ReadOnly,
      }),
    )
    // Assigned, never provisioned (moto does not provision on assignment, as Identity Center would).
    const unprovisioned = (
      await sso.send(
        new CreatePermissionSetCommand({InstanceArn: instanceArn, Name: 'Unprovisioned', SessionDuration: 'PT1H'}),
      )
    ).PermissionSet!.PermissionSetArn!
    const dan = seeded.users.find((u) => u.userName === 'dan')!.id
    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: unprovisioned,
        PrincipalId: dan,
        PrincipalType: 'USER',
        TargetId: ids.prod,
        TargetType: 'AWS_ACCOUNT',
      }),
    )
  } finally {
    org.destroy()
    sso.destroy()
  }
}
