import type {IdentityCenterApi, InstanceTarget} from '../aws/identity-center-api.js'
import type {AssignmentStrategyName, PrincipalType, SnapshotAssignment, SnapshotWarning} from './snapshot.js'

import {AwsAccessDeniedError} from '../aws/errors.js'
import {mapConcurrently} from './concurrency.js'
import {type ProgressReporter, silentProgress} from './progress.js'
import {warningFor} from './warnings.js'

/**
 * The full account-assignment audit, by one of two strategies:
 *
 * - per account: ListPermissionSetsProvisionedToAccount for each account, then ListAccountAssignments for each
 *   provisioned (account, permission set) pair;
 * - per principal: ListAccountAssignmentsForPrincipal for each user and group. AWS allows it only from the
 *   management account that owns the organization instance, so a delegated administrator cannot use it.
 *
 * The cheaper one is estimated from the counts already known and tried first; if AWS refuses it, the other one
 * runs instead.
 */

export interface AssignmentAuditInput {
  /** Organization account ids, or undefined when Organizations could not be read (then per account is impossible). */
  accountIds?: string[]
  /** The caller's account: per principal only works when it owns the instance (management account). */
  callerAccountId?: string
  concurrency: number
  /** Number of permission sets, for the estimate (undefined: unknown). */
  permissionSetCount?: number
  /** User and group ids, or undefined when the identity store could not be read (then per principal is impossible). */
  principals?: {groupIds: string[]; userIds: string[]}
  progress?: ProgressReporter
  /** Force a strategy (tests, benchmarks); by default the cheaper estimate wins. */
  strategy?: AssignmentStrategyName
  target: InstanceTarget & {ownerAccountId: string}
}

export interface AssignmentAuditResult {
  /** Undefined when no strategy could read them; `warnings` says why. */
  assignments?: SnapshotAssignment[]
  strategy?: AssignmentStrategyName
  warnings: SnapshotWarning[]
}

/**
 * Permission sets provisioned per account, as the estimate assumes before listing them: a typical account has a
 * few (administrator, read-only, a developer role), never more than the instance has.
 */
const ASSUMED_PAIRS_PER_ACCOUNT = 2

/**
 * Estimated requests of each strategy; a strategy that cannot run with what is known is left out.
 * Per account: one ListPermissionSetsProvisionedToAccount per account plus one ListAccountAssignments per
 * provisioned pair. Per principal: one ListAccountAssignmentsForPrincipal per user and group.
 */
export function estimateCosts(
  input: Pick<AssignmentAuditInput, 'accountIds' | 'callerAccountId' | 'permissionSetCount' | 'principals' | 'target'>,
): Partial<Record<AssignmentStrategyName, number>> {
  const costs: Partial<Record<AssignmentStrategyName, number>> = {}
  if (input.accountIds) {
    const accounts = accountsToAudit(input.accountIds, input.target.ownerAccountId, input.callerAccountId).length
    const pairsPerAccount = Math.min(input.permissionSetCount ?? ASSUMED_PAIRS_PER_ACCOUNT, ASSUMED_PAIRS_PER_ACCOUNT)
    costs['per-account'] = accounts * (1 + pairsPerAccount)
  }

  if (input.principals && callerOwnsInstance(input)) {
    costs['per-principal'] = input.principals.userIds.length + input.principals.groupIds.length
  }

  return costs
}

/** Strategies in the order to try them: cheapest estimate first; ties go to per principal (exact estimate). */
export function strategyOrder(
  costs: Partial<Record<AssignmentStrategyName, number>>,
  forced?: AssignmentStrategyName,
): AssignmentStrategyName[] {
  const available = (Object.keys(costs) as AssignmentStrategyName[]).sort((a, b) => {
    const diff = (costs[a] ?? 0) - (costs[b] ?? 0)
    return diff === 0 ? (a === 'per-principal' ? -1 : 1) : diff
  })
  if (!forced) return available
  return available.includes(forced) ? [forced] : []
}

function callerOwnsInstance(input: Pick<AssignmentAuditInput, 'callerAccountId' | 'target'>): boolean {
  return input.callerAccountId === undefined || input.callerAccountId === input.target.ownerAccountId
}

/**
 * A delegated administrator cannot read assignments on the management account (AWS denies it), so the
 * per-account audit leaves that account out and says so.
 */
function accountsToAudit(accountIds: string[], ownerAccountId: string, callerAccountId: string | undefined): string[] {
  if (callerAccountId === undefined || callerAccountId === ownerAccountId) return accountIds
  return accountIds.filter((id) => id !== ownerAccountId)
}

export async function auditAssignments(
  api: IdentityCenterApi,
  input: AssignmentAuditInput,
): Promise<AssignmentAuditResult> {
  const progress = input.progress ?? silentProgress
  const warnings: SnapshotWarning[] = []
  const order = strategyOrder(estimateCosts(input), input.strategy)
  if (order.length === 0) {
    warnings.push({
      code: 'ASSIGNMENTS_UNREADABLE',
      message: input.strategy
        ? `The ${input.strategy} assignment audit cannot run: it needs ${input.strategy === 'per-account' ? 'the account list (Organizations)' : 'the users and groups (identity store) and management-account credentials'}.`
        : 'Account assignments need either the account list (Organizations) or the users and groups (identity store); neither could be read.',
      scope: 'assignments',
    })
    return {warnings}
  }

  const refusals: AwsAccessDeniedError[] = []
  for (const strategy of order) {
    try {
      progress.phase(`assignments (${strategy})`)
      // Strategies run one after the other: the second only when AWS refused the first.
      // eslint-disable-next-line no-await-in-loop
      const assignments = await (strategy === 'per-account'
        ? perAccount(api, input, progress)
        : perPrincipal(api, input, progress))
      // The audit is complete: an earlier refusal only changed the route, so it is a note, not missing data.
      for (const refusal of refusals) {
        warnings.push({
          action: refusal.action,
          code: 'STRATEGY_FALLBACK',
          message: `${refusal.action} was denied, so assignments were read ${strategy} instead (complete, but more requests).`,
          scope: 'assignments',
        })
      }

      if (strategy === 'per-account' && !callerOwnsInstance(input))
        warnings.push(delegatedAdminWarning(input.target.ownerAccountId))
      return {assignments, strategy, warnings}
    } catch (error) {
      if (!(error instanceof AwsAccessDeniedError)) throw error
      refusals.push(error)
    }
  }

  for (const refusal of refusals) warnings.push(warningFor('assignments', refusal)!)
  return {warnings}
}

function delegatedAdminWarning(managementAccountId: string): SnapshotWarning {
  return {
    code: 'DELEGATED_ADMIN',
    message: `Running as a delegated administrator: assignments on the management account ${managementAccountId} are not visible and are not listed.`,
    scope: 'assignments',
  }
}

async function perAccount(
  api: IdentityCenterApi,
  input: AssignmentAuditInput,
  progress: ProgressReporter,
): Promise<SnapshotAssignment[]> {
  const accountIds = accountsToAudit(input.accountIds ?? [], input.target.ownerAccountId, input.callerAccountId)
  progress.addWork(accountIds.length)
  const pairs = await mapConcurrently(accountIds, input.concurrency, async (accountId) => {
    const arns = await api.listPermissionSetsProvisionedToAccount(input.target, accountId)
    progress.complete()
    return [...new Set(arns)].map((permissionSetArn) => ({accountId, permissionSetArn}))
  })
  const allPairs = pairs.flat()
  progress.addWork(allPairs.length)
  const found = await mapConcurrently(allPairs, input.concurrency, async ({accountId, permissionSetArn}) => {
    const assignments = await api.listAccountAssignments(input.target, accountId, permissionSetArn)
    progress.complete()
    return assignments
  })
  return found.flat()
}

async function perPrincipal(
  api: IdentityCenterApi,
  input: AssignmentAuditInput,
  progress: ProgressReporter,
): Promise<SnapshotAssignment[]> {
  const principals: Array<{id: string; type: PrincipalType}> = [
    ...(input.principals?.userIds ?? []).map((id) => ({id, type: 'USER' as const})),
    ...(input.principals?.groupIds ?? []).map((id) => ({id, type: 'GROUP' as const})),
  ]
  progress.addWork(principals.length)
  const found = await mapConcurrently(principals, input.concurrency, async ({id, type}) => {
    const assignments = await api.listAccountAssignmentsForPrincipal(input.target, type, id)
    progress.complete()
    return assignments
  })
  return found.flat()
}
