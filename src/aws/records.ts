/**
 * The records of IAM Identity Center, Organizations and the identity store as ssokit reads them: plain data, shared
 * by the AWS layer that reads them and the discover snapshot that keeps them (src/discovery/snapshot.ts).
 */

export interface SnapshotCaller {
  account: string
  arn: string
}

export interface SnapshotAccount {
  email: null | string
  id: string
  name: string
  /** The root or organizational unit the account is in; only with `organizationalUnits`. */
  parentId?: string
  status: null | string
}

/** A root (`parentId` null) or an organizational unit of the organization. */
export interface SnapshotOrganizationalUnit {
  id: string
  name: string
  parentId: null | string
}

/** A permission set's policies (discover `--policies`); the inline document itself is not kept. */
export interface SnapshotPolicies {
  /** AWS managed policy ARNs, sorted. */
  awsManaged: string[]
  /** Customer managed policy references as path + name (`/team/Deploy`), sorted. */
  customerManaged: string[]
  /** The inline policy's SHA-256 and whether one of its statements allows every action on every resource. */
  inline: null | {allowsEverything: boolean; sha256: string}
}

export interface SnapshotPermissionSet {
  arn: string
  description: null | string
  name: string
  /** Only with discover `--policies`. */
  policies?: SnapshotPolicies
  /** ISO-8601 duration, e.g. `PT1H`. */
  sessionDuration: null | string
}

export interface SnapshotUser {
  displayName: null | string
  email: null | string
  id: string
  identityStoreId: string
  userName: string
}

export interface SnapshotGroup {
  displayName: string
  id: string
  identityStoreId: string
  /** Ids of the users in the group, sorted. */
  memberIds: string[]
}

export type PrincipalType = 'GROUP' | 'USER'

export interface SnapshotAssignment {
  accountId: string
  permissionSetArn: string
  principalId: string
  principalType: PrincipalType
}
