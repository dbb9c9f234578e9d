import type {SnapshotAssignment} from '../../discovery/snapshot.js'
import type {ActionVerdict, LayerOutcome, PolicyFinding, StatementMatch} from './policy-match.js'

/** The answers of `ssokit doctor access` (README: ssokit doctor). */
export type AccessVerdict =
  | 'account-not-found'
  | 'assignment-failed'
  | 'granted'
  | 'not-assigned'
  | 'not-provisioned'
  | 'permission-set-not-found'
  | 'user-not-found'

export type AccessPath = {groupId: string; groupName: string; via: 'group'} | {via: 'direct'}

export interface UserRef {
  displayName: null | string
  email: null | string
  id: string
  userName: string
}

export interface AccountRef {
  id: string
  /** null when Organizations could not be read (or the snapshot has no accounts). */
  name: null | string
}

export interface PermissionSetRef {
  arn: string
  name: string
}

/** One account and permission set the user reaches (or was meant to). */
export interface AccessEntry {
  account: AccountRef
  paths: AccessPath[]
  permissionSet: PermissionSetRef
  reasons: string[]
  verdict: AccessVerdict
}

/** A part that could not be read, and why; an `action` means the caller lacks that IAM permission (exit 5). */
export interface UnreadablePart {
  action?: string
  code: string
  message: string
  part: string
}

export interface AccessFix {
  command: string
  /** What it does, in a few words. */
  description: string
  /** Who can run it (management account, delegated administrator). */
  runBy: string
}

export interface ActionCheck {
  action: string
  /** The statements that decide it: the denies, or the conditions it depends on. */
  deciding: Array<{policy: string; statement: StatementMatch}>
  layers: LayerOutcome[]
  /** What the matcher is, said in the output every time. */
  note: string
  policies: PolicyFinding[]
  reasons: string[]
  resource: null | string
  verdict: ActionVerdict
}

export interface FromErrorReport {
  /** With --action: whether ssokit's reading of the policies matches what the error says. */
  comparison?: string
  denial?: 'explicit' | 'implicit'
  /** The fields taken from the text, and where the others came from. */
  extracted: Record<string, string>
  /** Fields that were guessed (e.g. the user from the role session name) or filled from elsewhere. */
  guessed: string[]
  kind: string
  policyKind?: string
  /** What the error says decided it, e.g. "explicit deny in a service control policy". */
  says?: string
}

export type AccessSource =
  | {ageSeconds: number; file: string; generatedAt: string; kind: 'snapshot'}
  | {
      callerAccount: null | string
      callerRole: CallerRole
      instanceArn: string
      kind: 'live'
      region: string
    }

export type CallerRole = 'delegated-admin' | 'management' | 'unknown'

export interface AccessReport {
  account: AccountRef | null
  action?: ActionCheck
  /** What ssokit cannot see from here: blind spots that could change the answer. */
  cannotSee: string[]
  /** Every account and permission set considered, when the question named no permission set (or no account). */
  entries?: AccessEntry[]
  /** The ready command that fixes it, or null. */
  fix: null | string
  /** Every fix, the first being `fix`, with who can run it. */
  fixes: AccessFix[]
  fromError?: FromErrorReport
  paths: AccessPath[]
  permissionSet: null | PermissionSetRef
  reasons: string[]
  source: AccessSource
  /** `byService`: the same counts per AWS service, when the answer was live. */
  stats: {
    byService?: Record<string, {requests: number; throttled: number}>
    durationMs: number
    requests: number
    throttled: number
  }
  /** Near matches and next steps. */
  suggestions: string[]
  /** Parts of the question not answered (e.g. --action from a snapshot): the exit code is then at least 1. */
  unanswered?: string[]
  unreadable: UnreadablePart[]
  user: null | UserRef
  verdict: AccessVerdict
}

/** A lookup that may fail with near matches. */
export type Lookup<T> = {candidates: string[]; found?: undefined; reason: string} | {found: T; note?: string}

/** Where the instance lives: what every fix command needs. */
export interface InstanceInfo {
  identityStoreId: string
  instanceArn: string
  ownerAccountId: string
  region: string
}

export interface ProvisioningState {
  /** Provisioned, but the latest version is not. */
  outdated: Set<string>
  /** Provisioned to the account (any version). */
  provisioned: Set<string>
}

export interface FailedCreation {
  createdDate?: string
  failureReason?: string
  permissionSetArn: string
  principalId: string
  principalType: string
  requestId: string
  targetId?: string
}

/** The identity data the verdicts are computed from: live AWS calls or a discover snapshot. */
export interface AccessDirectory {
  /** All assignments of one account and permission set (any principal), or the principals' assignments. */
  assignments(scope: {
    accountId?: string
    permissionSetArn?: string
    principals: {groupIds: string[]; userId: string}
  }): Promise<SnapshotAssignment[]>
  readonly callerRole: CallerRole
  readonly cannotSee: string[]
  /** Failed assignment creations for the account; undefined when they cannot be known. */
  failedCreations(accountId: string): Promise<FailedCreation[] | undefined>
  findAccount(query: string): Promise<Lookup<AccountRef>>
  findPermissionSet(query: string, accountId?: string): Promise<Lookup<PermissionSetRef>>
  findUser(query: string): Promise<Lookup<UserRef>>
  groupIdsOf(userId: string): Promise<string[]>
  readonly instance: InstanceInfo
  names(ids: {accountIds?: string[]; groupIds?: string[]; permissionSetArns?: string[]}): Promise<{
    accounts: Map<string, string>
    groups: Map<string, string>
    permissionSets: Map<string, string>
  }>
  /** Undefined when provisioning cannot be known (snapshot, or refused). */
  provisioning(accountId: string): Promise<ProvisioningState | undefined>
  readonly source: AccessSource
  readonly unreadable: UnreadablePart[]
}
