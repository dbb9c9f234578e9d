import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore'
/**
 * moto (the AWS emulator) for integration tests and the discover benchmark: start one server per test file on
 * a free loopback port, reset it between suites, and seed Identity Center through the real AWS SDK clients.
 *
 * When CI is set, a missing python3 or moto fails the run; elsewhere the suites skip and say how to install it.
 */
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {connect} from 'node:net'
import pLimit from 'p-limit'
import {describe, it} from 'vitest'

import type {
  SnapshotAccount,
  SnapshotAssignment,
  SnapshotGroup,
  SnapshotInstance,
  SnapshotPermissionSet,
  SnapshotUser,
} from '../../src/discovery/snapshot.js'

export const INSTALL_HINT = 'pip install "moto[server]"'
export const TEST_REGION = 'us-east-1'

export type MotoAvailability = {available: false; reason: string} | {available: true; reason?: undefined}

let availability: MotoAvailability | undefined

/** Whether `python3 -m moto.server` can run here (checked once per process). */
export function motoAvailability(): MotoAvailability {
  availability ??= (() => {
    const probe = spawnSync('python3', ['-c', 'import moto, moto.server, flask'], {encoding: 'utf8'})
    if (probe.error) return {available: false, reason: `python3 is not installed (${probe.error.message})`}
    if (probe.status !== 0)
      return {available: false, reason: `moto is not installed for python3: ${probe.stderr.trim().split('\n').pop()}`}
    return {available: true}
  })()
  return availability
}

/**
 * `describe` for suites that need moto: skipped (with a note on how to install it) when moto is missing,
 * but failing when CI is set, so CI can never pass without running them.
 */
export function describeWithMoto(name: string, body: () => void): void {
  const moto = motoAvailability()
  if (moto.available) {
    describe(name, body)
    return
  }

  if (process.env.CI) {
    describe(name, () => {
      it('needs moto (CI is set, so a missing moto is a failure)', () => {
        throw new Error(`${moto.reason}. Install it with: ${INSTALL_HINT}`)
      })
    })
    return
  }

  process.stderr.write(`Skipping "${name}": ${moto.reason}. Install it with: ${INSTALL_HINT}\n`)
  describe.skip(name, body)
}

export interface MotoServer {
  /** Clears every backend (POST /moto-api/reset). */
  reset(): Promise<void>
  stop(): Promise<void>
  url: string
}

/**
 * Starts moto on 127.0.0.1 with a port the OS picks, and waits until it answers. With `tls`, moto serves
 * https with a self-signed certificate it makes up (for TLS-failure tests).
 */
export async function startMoto(options: {tls?: boolean} = {}): Promise<MotoServer> {
  const args = ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0', ...(options.tls ? ['-s'] : [])]
  const child = spawn('python3', args, {
    env: {...process.env, PYTHONUNBUFFERED: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => fail(new Error(`moto did not start within 20 s:\n${output}`)), 20_000)
    function fail(error: Error): void {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }

    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      const match = /Running on (https?:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }

    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('error', fail)
    child.on('exit', (code) => fail(new Error(`moto exited with ${code} before starting:\n${output}`)))
  })
  // Keep draining its request log, or moto blocks once the pipe buffer is full.
  child.stdout!.resume()
  child.stderr!.resume()
  await waitUntilAnswering(url)
  return {
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, {method: 'POST'})
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`)
    },
    stop: () => stopProcess(child),
    url,
  }
}

/** Waits until the port accepts connections (works for http and https alike). */
async function waitUntilAnswering(url: string): Promise<void> {
  const {hostname, port} = new URL(url)
  const deadline = Date.now() + 20_000
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`moto at ${url} does not answer`)
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 3000).unref()
  })
}

/** The environment a process needs to talk to moto (or a proxy in front of it) with fake keys. */
export function awsEnvFor(endpointUrl: string, region = TEST_REGION): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_REGION: region,
    AWS_SECRET_ACCESS_KEY: 'testing',
  }
}

/** Sets (or, for undefined values, removes) variables in this process's environment; returns a restore function. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]))
  const apply = (v: Record<string, string | undefined>): void => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k]
      else process.env[k] = value
    }
  }

  apply(values)
  return () => apply(previous)
}

// ---- seeding ----

export interface SeedSpec {
  /** Member accounts to create; the management account exists already. */
  accounts: Array<{email: string; name: string}>
  /** `account`: an index into `accounts`, or 'management'. */
  assignments: Array<{account: 'management' | number; group?: string; permissionSet: string; user?: string}>
  groups: Array<{displayName: string; members: string[]}>
  permissionSets: Array<{description?: string; name: string; sessionDuration: string}>
  users: Array<{displayName: string; email: string; userName: string}>
}

/** What was seeded, in snapshot terms: the expected content of `ssokit discover --all`. */
export interface Seeded {
  accounts: SnapshotAccount[]
  assignments: SnapshotAssignment[]
  groups: SnapshotGroup[]
  instance: Omit<SnapshotInstance, 'startUrl' | 'startUrlSource'>
  managementAccountId: string
  /** Member account ids, in the order of `SeedSpec.accounts`. */
  memberAccountIds: string[]
  permissionSets: SnapshotPermissionSet[]
  users: SnapshotUser[]
}

function seedClients(
  endpoint: string,
  region: string,
): {identityStore: IdentitystoreClient; organizations: OrganizationsClient; ssoAdmin: SSOAdminClient} {
  // moto answers an occasional 500 under concurrent writes on a busy machine: let the SDK retry those.
  const config = {credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, endpoint, maxAttempts: 6, region}
  return {
    identityStore: new IdentitystoreClient(config),
    organizations: new OrganizationsClient(config),
    ssoAdmin: new SSOAdminClient(config),
  }
}

/**
 * Seeds an organization and an Identity Center instance in moto through the real SDK clients (moto is reached
 * with an explicit `endpoint` here; the code under test finds it through AWS_ENDPOINT_URL instead).
 */
export async function seedIdentityCenter(endpoint: string, spec: SeedSpec, region = TEST_REGION): Promise<Seeded> {
  const {identityStore, organizations, ssoAdmin} = seedClients(endpoint, region)
  const limit = pLimit(16)
  try {
    await organizations.send(new CreateOrganizationCommand({FeatureSet: 'ALL'}))
    const org = (await organizations.send(new DescribeOrganizationCommand({}))).Organization!
    const managementAccountId = org.MasterAccountId!
    // Sequential: moto pages ListAccounts by join time, and distinct join times keep its paging exact.
    const memberAccountIds: string[] = []
    for (const account of spec.accounts) {
      const created = await organizations.send(
        new CreateAccountCommand({AccountName: account.name, Email: account.email}),
      )
      memberAccountIds.push(created.CreateAccountStatus!.AccountId!)
    }

    const management = (await organizations.send(new DescribeAccountCommand({AccountId: managementAccountId}))).Account!
    const accounts: SnapshotAccount[] = [
      {
        email: management.Email ?? null,
        id: managementAccountId,
        name: management.Name ?? '',
        status: management.State ?? management.Status ?? null,
      },
      ...spec.accounts.map((a, i) => ({email: a.email, id: memberAccountIds[i], name: a.name, status: 'ACTIVE'})),
    ]

    const instanceMeta = (await ssoAdmin.send(new ListInstancesCommand({}))).Instances![0]
    const instance = {
      identityStoreId: instanceMeta.IdentityStoreId!,
      instanceArn: instanceMeta.InstanceArn!,
      name: instanceMeta.Name ?? null,
      ownerAccountId: instanceMeta.OwnerAccountId!,
      region,
      status: instanceMeta.Status!,
    }
    const {identityStoreId, instanceArn} = instance

    const permissionSets = await Promise.all(
      spec.permissionSets.map((ps) =>
        limit(async () => {
          const out = await ssoAdmin.send(
            new CreatePermissionSetCommand({
              Description: ps.description,
              InstanceArn: instanceArn,
              Name: ps.name,
              SessionDuration: ps.sessionDuration,
            }),
          )
          return {
            arn: out.PermissionSet!.PermissionSetArn!,
            description: ps.description ?? null,
            name: ps.name,
            sessionDuration: ps.sessionDuration,
          }
        }),
      ),
    )
    const users = await Promise.all(
      spec.users.map((u) =>
        limit(async () => {
          const out = await identityStore.send(
            new CreateUserCommand({
              DisplayName: u.displayName,
              Emails: [{Primary: true, Type: 'work', Value: u.email}],
              IdentityStoreId: identityStoreId,
              Name: {
                FamilyName: u.displayName.split(' ').pop() ?? u.userName,
                GivenName: u.displayName.split(' ')[0] ?? u.userName,
              },
              UserName: u.userName,
            }),
          )
          return {displayName: u.displayName, email: u.email, id: out.UserId!, identityStoreId, userName: u.userName}
        }),
      ),
    )
    const userId = new Map(users.map((u) => [u.userName, u.id]))
    const groups = await Promise.all(
      spec.groups.map((g) =>
        limit(async () => {
          const out = await identityStore.send(
            new CreateGroupCommand({DisplayName: g.displayName, IdentityStoreId: identityStoreId}),
          )
          const memberIds = g.members.map((name) => userId.get(name)!)
          await Promise.all(
            memberIds.map((id) =>
              identityStore.send(
                new CreateGroupMembershipCommand({
                  GroupId: out.GroupId!,
                  IdentityStoreId: identityStoreId,
                  MemberId: {UserId: id},
                }),
              ),
            ),
          )
          return {displayName: g.displayName, id: out.GroupId!, identityStoreId, memberIds}
        }),
      ),
    )

    const psArn = new Map(permissionSets.map((p) => [p.name, p.arn]))
    const groupId = new Map(groups.map((g) => [g.displayName, g.id]))
    const assignments: SnapshotAssignment[] = spec.assignments.map((a) => ({
      accountId: a.account === 'management' ? managementAccountId : memberAccountIds[a.account],
      permissionSetArn: psArn.get(a.permissionSet)!,
      principalId: a.user ? userId.get(a.user)! : groupId.get(a.group!)!,
      principalType: a.user ? 'USER' : 'GROUP',
    }))
    await Promise.all(
      assignments.map((a) =>
        limit(() =>
          ssoAdmin.send(
            new CreateAccountAssignmentCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: a.permissionSetArn,
              PrincipalId: a.principalId,
              PrincipalType: a.principalType,
              TargetId: a.accountId,
              TargetType: 'AWS_ACCOUNT',
            }),
          ),
        ),
      ),
    )
    // Real Identity Center provisions a permission set to an account when an assignment is created; moto does
    // not, and moto's ProvisionPermissionSet ignores the target account (the set becomes "provisioned" to every
    // account). So provision each assigned permission set once, as the nearest moto gets to the real state.
    const assigned = [...new Map(assignments.map((a) => [a.permissionSetArn, a.accountId])).entries()]
    await Promise.all(
      assigned.map(([arn, accountId]) =>
        limit(() =>
          ssoAdmin.send(
            new ProvisionPermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: arn,
              TargetId: accountId,
              TargetType: 'AWS_ACCOUNT',
            }),
          ),
        ),
      ),
    )
    return {accounts, assignments, groups, instance, managementAccountId, memberAccountIds, permissionSets, users}
  } finally {
    identityStore.destroy()
    organizations.destroy()
    ssoAdmin.destroy()
  }
}

/** A small organization with awkward names (spaces, commas, `&`, `:`, `/`, a duplicate name), users, groups and assignments. */
export function awkwardSpec(): SeedSpec {
  return {
    accounts: [
      {email: 'prod@example.com', name: 'Production'},
      {email: 'dev@example.com', name: 'Dev, Test & QA'},
      {email: 'shared@example.com', name: 'Shared: Services/Networking'},
      {email: 'sandbox1@example.com', name: 'Sandbox'},
      {email: 'sandbox2@example.com', name: 'Sandbox'},
    ],
    assignments: [
      {account: 0, group: 'Admins', permissionSet: 'AdministratorAccess'},
      {account: 1, group: 'Admins', permissionSet: 'AdministratorAccess'},
      {account: 'management', group: 'Admins', permissionSet: 'AdministratorAccess'},
      {account: 0, permissionSet: 'ReadOnly', user: 'carol@example.com'},
      {account: 1, group: 'Developers', permissionSet: 'PowerUser+Limited'},
      {account: 2, group: 'Developers', permissionSet: 'ReadOnly'},
      {account: 3, permissionSet: 'PowerUser+Limited', user: 'bob'},
      {account: 4, permissionSet: 'PowerUser+Limited', user: 'bob'},
      {account: 4, permissionSet: 'ReadOnly', user: 'alice'},
    ],
    groups: [
      {displayName: 'Admins', members: ['alice']},
      {displayName: 'Developers', members: ['alice', 'bob']},
      {displayName: 'Empty group', members: []},
    ],
    permissionSets: [
      {description: 'Full access', name: 'AdministratorAccess', sessionDuration: 'PT1H'},
      {description: 'Read only: everything', name: 'ReadOnly', sessionDuration: 'PT8H'},
      {name: 'PowerUser+Limited', sessionDuration: 'PT4H'},
      {description: 'Never assigned', name: 'Unused', sessionDuration: 'PT2H'},
    ],
    users: [
      {displayName: 'Alice Admin', email: 'alice@example.com', userName: 'alice'},
      {displayName: 'Bob Builder', email: 'bob@example.com', userName: 'bob'},
      {displayName: "Carol O'Neil", email: 'carol@example.com', userName: 'carol@example.com'},
    ],
  }
}

/** OUs to create, parents before children; `accounts` are indexes into the seeded member accounts, moved there. */
export interface OrganizationalUnitSpec {
  accounts: number[]
  name: string
  /** Name of the parent OU (created earlier in the list); the root when absent. */
  parent?: string
}

/** Creates OUs under the root and moves member accounts into them; returns OU name → id and the root id. */
export async function seedOrganizationalUnits(
  endpoint: string,
  seeded: Seeded,
  units: OrganizationalUnitSpec[],
  region = TEST_REGION,
): Promise<{ouIds: Map<string, string>; rootId: string}> {
  const {identityStore, organizations, ssoAdmin} = seedClients(endpoint, region)
  try {
    const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0].Id!
    const ouIds = new Map<string, string>()
    for (const unit of units) {
      const parentId = unit.parent ? ouIds.get(unit.parent)! : rootId
      const created = await organizations.send(
        new CreateOrganizationalUnitCommand({Name: unit.name, ParentId: parentId}),
      )
      ouIds.set(unit.name, created.OrganizationalUnit!.Id!)
      for (const index of unit.accounts) {
        await organizations.send(
          new MoveAccountCommand({
            AccountId: seeded.memberAccountIds[index],
            DestinationParentId: created.OrganizationalUnit!.Id!,
            SourceParentId: rootId,
          }),
        )
      }
    }

    return {ouIds, rootId}
  } finally {
    identityStore.destroy()
    organizations.destroy()
    ssoAdmin.destroy()
  }
}

export interface PolicySpec {
  awsManaged?: string[]
  customerManaged?: Array<{name: string; path?: string}>
  inline?: string
}

/** Attaches policies to seeded permission sets, by permission set name. */
export async function seedPermissionSetPolicies(
  endpoint: string,
  seeded: Seeded,
  policies: Record<string, PolicySpec>,
  region = TEST_REGION,
): Promise<void> {
  const {identityStore, organizations, ssoAdmin} = seedClients(endpoint, region)
  const InstanceArn = seeded.instance.instanceArn
  try {
    for (const [name, spec] of Object.entries(policies)) {
      const PermissionSetArn = seeded.permissionSets.find((p) => p.name === name)!.arn
      for (const ManagedPolicyArn of spec.awsManaged ?? [])
        await ssoAdmin.send(
          new AttachManagedPolicyToPermissionSetCommand({InstanceArn, ManagedPolicyArn, PermissionSetArn}),
        )
      for (const ref of spec.customerManaged ?? []) {
        await ssoAdmin.send(
          new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
            CustomerManagedPolicyReference: {Name: ref.name, Path: ref.path},
            InstanceArn,
            PermissionSetArn,
          }),
        )
      }

      if (spec.inline)
        await ssoAdmin.send(
          new PutInlinePolicyToPermissionSetCommand({InlinePolicy: spec.inline, InstanceArn, PermissionSetArn}),
        )
    }
  } finally {
    identityStore.destroy()
    organizations.destroy()
    ssoAdmin.destroy()
  }
}
