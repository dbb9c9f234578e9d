import {CreateGroupMembershipCommand, IdentitystoreClient} from '@aws-sdk/client-identitystore'
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import {CreateAccountAssignmentCommand, SSOAdminClient} from '@aws-sdk/client-sso-admin'
import {AssumeRoleCommand, STSClient} from '@aws-sdk/client-sts'
import {randomBytes} from 'node:crypto'

import {
  type MotoServer,
  type Seeded,
  seedIdentityCenter,
  seedOrganizationalUnits,
  seedPermissionSetPolicies,
  setEnv,
  startMoto,
} from '../test/support/moto.js'
import {type EmulatorAccount, type SsoEmulator, startSsoEmulator} from '../test/support/sso-emulator.js'
import {
  CHANGES,
  ENGINEER,
  northwindSpec,
  ORGANIZATIONAL_UNITS,
  PERMISSION_SET_POLICIES,
  portalAccess,
  REGION,
  WORKLOADS_SCP,
} from './organization.js'

/**
 * The demo's two local services, both on free loopback ports: moto (the AWS emulator, a python3 process) for
 * Organizations, Identity Center admin, the identity store, IAM and STS; and the test suite's emulator of the
 * sign-in (sso-oidc) and access-portal (sso) services, in this process. Every start is tracked, so that
 * {@link Services.stop} can end what has started even when a signal arrives half-way through.
 */
export interface Services {
  /** The environment that points every AWS client at these services (and nowhere else). */
  endpoints: Record<string, string>
  seeded: Seeded
  /** The access-portal URL of the seeded instance. */
  startUrl: string
}

const adminConfig = (endpoint: string) => ({
  credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
  endpoint,
  maxAttempts: 6,
  region: REGION,
})

export class DemoServices {
  private emulator?: Promise<SsoEmulator>
  private moto?: Promise<MotoServer>
  private stopped = false

  /** The changes `ssokit diff` finds: a new member of a group and a new assignment. */
  async change(services: Services): Promise<void> {
    const moto = await this.moto!
    const {seeded} = services
    const identityStore = new IdentitystoreClient(adminConfig(moto.url))
    const ssoAdmin = new SSOAdminClient(adminConfig(moto.url))
    try {
      const user = seeded.users.find((u) => u.userName === CHANGES.joiner.user)!
      const group = (name: string) => seeded.groups.find((g) => g.displayName === name)!
      await identityStore.send(
        new CreateGroupMembershipCommand({
          GroupId: group(CHANGES.joiner.group).id,
          IdentityStoreId: seeded.instance.identityStoreId,
          MemberId: {UserId: user.id},
        }),
      )
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand({
          InstanceArn: seeded.instance.instanceArn,
          PermissionSetArn: seeded.permissionSets.find((p) => p.name === CHANGES.grant.permissionSet)!.arn,
          PrincipalId: group(CHANGES.grant.group).id,
          PrincipalType: 'GROUP',
          TargetId: seeded.accounts.find((a) => a.name === CHANGES.grant.account)!.id,
          TargetType: 'AWS_ACCOUNT',
        }),
      )
    } finally {
      identityStore.destroy()
      ssoAdmin.destroy()
    }
  }

  /** Plays the engineer's browser: approves a device code, or follows the PKCE authorize URL back to the login. */
  async signIn(url: string): Promise<void> {
    const emulator = await this.emulator!
    const userCode = new URL(url).searchParams.get('user_code')
    if (userCode) {
      emulator.approveDevice(userCode, ENGINEER)
      return
    }

    const result = await emulator.followAuthorize(url, {userName: ENGINEER})
    if (result.callbackStatus !== 200)
      throw new Error(`the login's callback answered ${result.callbackStatus ?? result.authorizeStatus}`)
  }

  /** Starts both services and seeds the organization. */
  async start(): Promise<Services> {
    // AWS managed policy documents, so that `doctor access --action` can read AdministratorAccess and the others.
    const restore = setEnv({MOTO_IAM_LOAD_MANAGED_POLICIES: 'true'})
    this.moto = startMoto()
    restore()
    const moto = await this.moto
    const spec = northwindSpec()
    const seeded = await seedIdentityCenter(moto.url, spec, REGION)
    const {ouIds, rootId} = await seedOrganizationalUnits(moto.url, seeded, ORGANIZATIONAL_UNITS, REGION)
    await seedPermissionSetPolicies(moto.url, seeded, PERMISSION_SET_POLICIES, REGION)
    await attachScp(moto.url, rootId, ouIds.get(WORKLOADS_SCP.ou)!)

    // The access portal shows the engineer what moto says they are assigned, directly or through groups.
    const accountId = (index: 'management' | number) =>
      index === 'management' ? seeded.managementAccountId : seeded.memberAccountIds[index]
    const access = portalAccess(spec, ENGINEER)
    const accounts: EmulatorAccount[] = seeded.accounts.map((a) => ({
      accountId: a.id,
      accountName: a.name,
      emailAddress: a.email ?? undefined,
      roles: [
        ...new Set(
          seeded.assignments.filter((x) => x.accountId === a.id).map((x) => nameOf(seeded, x.permissionSetArn)),
        ),
      ],
    }))
    const userAccess = Object.fromEntries([...access].map(([index, roles]) => [accountId(index), [...roles]]))
    if (this.stopped) throw new Error('stopped')
    this.emulator = startSsoEmulator({accounts, users: [{access: userAccess, userName: ENGINEER}]})
    const emulator = await this.emulator

    // Role credentials that moto's STS recognises, so that `doctor --profile` sees the account and role it expects.
    const credentials = await roleCredentials(moto.url, userAccess)
    emulator.setRoleCredentials((account, role) => credentials.get(`${account}/${role}`)!)

    return {
      endpoints: {
        AWS_ENDPOINT_URL: moto.url,
        AWS_ENDPOINT_URL_SSO: emulator.url,
        AWS_ENDPOINT_URL_SSO_OIDC: emulator.url,
      },
      seeded,
      startUrl: `https://${seeded.instance.identityStoreId}.awsapps.com/start`,
    }
  }

  /** Stops whatever has started (waiting for a start under way), once. */
  async stop(): Promise<void> {
    this.stopped = true
    const settle = async <T>(p: Promise<T> | undefined): Promise<T | undefined> => {
      try {
        return await p
      } catch {
        return undefined
      }
    }

    const [moto, emulator] = await Promise.all([settle(this.moto), settle(this.emulator)])
    await Promise.all([moto?.stop(), emulator?.close()])
  }
}

function nameOf(seeded: Seeded, permissionSetArn: string): string {
  return seeded.permissionSets.find((p) => p.arn === permissionSetArn)!.name
}

async function attachScp(endpoint: string, rootId: string, ouId: string): Promise<void> {
  const organizations = new OrganizationsClient(adminConfig(endpoint))
  try {
    await organizations.send(new EnablePolicyTypeCommand({PolicyType: 'SERVICE_CONTROL_POLICY', RootId: rootId}))
    const created = await organizations.send(
      new CreatePolicyCommand({
        Content: JSON.stringify(WORKLOADS_SCP.document),
        Description: WORKLOADS_SCP.description,
        Name: WORKLOADS_SCP.name,
        Type: 'SERVICE_CONTROL_POLICY',
      }),
    )
    await organizations.send(new AttachPolicyCommand({PolicyId: created.Policy!.PolicySummary!.Id!, TargetId: ouId}))
  } finally {
    organizations.destroy()
  }
}

/** For each account and role the engineer reaches: temporary credentials moto's STS answers for as that SSO role. */
async function roleCredentials(
  endpoint: string,
  access: Record<string, string[]>,
): Promise<Map<string, {accessKeyId: string; secretAccessKey: string; sessionToken: string}>> {
  const sts = new STSClient(adminConfig(endpoint))
  const credentials = new Map<string, {accessKeyId: string; secretAccessKey: string; sessionToken: string}>()
  try {
    for (const [account, roles] of Object.entries(access)) {
      for (const role of roles) {
        const suffix = randomBytes(8).toString('hex')
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${role}_${suffix}`,
            RoleSessionName: ENGINEER,
          }),
        )
        const c = out.Credentials!
        credentials.set(`${account}/${role}`, {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        })
      }
    }
  } finally {
    sts.destroy()
  }

  return credentials
}
