import {RateLimiter, type RateLimiterOptions} from './rate-limiter.js'

/**
 * Request budgets: which requests share one rate limit, and how fast each may go. A budget follows the quota
 * AWS enforces, so calls to different services (or to different identity-store APIs) run side by side, each at
 * its own rate, and a run takes as long as its busiest budget needs.
 *
 * The IAM Identity Center user guide ("IAM Identity Center quotas", throttle limits):
 * - the sso-admin APIs share 20 transactions per second per account and enabled region;
 * - the identity store allows 20 transactions per second per API (ListUsers and ListGroupMemberships each).
 * The rest publish no quota, so their budgets are conservative:
 * - the access portal (ListAccounts, ListAccountRoles, GetRoleCredentials): users of other tools are throttled
 *   at 20 requests/s (fwdcloudsec/granted#811, #458; synfinatic/aws-sso-cli#520), so half that;
 * - Organizations: throttling is reported on ListParents and DescribeAccount (awsdocs/aws-organizations-docs#39);
 *   a run pages through a few lists there, so 10/s costs little;
 * - IAM (doctor access reads a few policy documents): none published for these reads, so 10/s;
 * - STS: one GetCallerIdentity per run; its own budget so it never waits behind the others.
 */

export type BudgetService = 'iam' | 'identitystore' | 'organizations' | 'portal' | 'sso-admin' | 'sts'

interface BudgetRule {
  /** Each API (operation) has a budget of its own; otherwise the whole service shares one. */
  perOperation: boolean
  /** Requests per second when `--max-rps` does not cap it lower. */
  perSecond: number
}

export const BUDGET_RULES: Readonly<Record<BudgetService, BudgetRule>> = {
  iam: {perOperation: false, perSecond: 10},
  identitystore: {perOperation: true, perSecond: 20},
  organizations: {perOperation: false, perSecond: 10},
  portal: {perOperation: false, perSecond: 10},
  'sso-admin': {perOperation: false, perSecond: 20},
  sts: {perOperation: false, perSecond: 20},
}

/** The rate of a service's budget, capped by `--max-rps` when given. */
export function budgetRate(service: BudgetService, maxRps?: number): number {
  const {perSecond} = BUDGET_RULES[service]
  return maxRps === undefined ? perSecond : Math.min(perSecond, maxRps)
}

/**
 * The budget a request counts against: `sso-admin@eu-west-1`, `identitystore@eu-west-1:ListUsers`. Quotas are
 * per region (sso-admin, identity store); Organizations and IAM are global, and their one region per partition
 * keeps them to one budget each.
 */
export function budgetKey(service: BudgetService, region: string, operation: string): string {
  return BUDGET_RULES[service].perOperation ? `${service}@${region}:${operation}` : `${service}@${region}`
}

/**
 * Reads that other reads wait on, served first within their budget: the assignment audit chooses its strategy
 * from the number of accounts, so the account list (page after page) goes ahead of the OU tree, which shares
 * the Organizations budget and is needed only for the snapshot.
 */
const SERVED_FIRST = new Set(['ListAccounts'])

/** A request's priority in its budget's queue (higher goes first). */
export function operationPriority(operation: string): number {
  return SERVED_FIRST.has(operation) ? 1 : 0
}

/** The operation name of an SDK command (`ListUsersCommand` → `ListUsers`), as the quotas name APIs. */
export function operationOf(commandName: string | undefined): string {
  return (commandName ?? 'unknown').replace(/Command$/, '')
}

/** One limiter per budget, created on first use; every client of a run shares them. */
export class RequestBudgets {
  private readonly limiters = new Map<string, RateLimiter>()

  constructor(
    private readonly maxRps?: number,
    private readonly limiterOptions: RateLimiterOptions = {},
  ) {}

  /** Each budget's rate, for progress estimates and reports: `{"sso-admin@us-east-1": 20, ...}`. */
  get rates(): Record<string, number> {
    return Object.fromEntries([...this.limiters].map(([key, limiter]) => [key, limiter.perSecond]))
  }

  limiter(service: BudgetService, region: string, operation: string): RateLimiter {
    const key = budgetKey(service, region, operation)
    let limiter = this.limiters.get(key)
    if (!limiter) {
      limiter = new RateLimiter(budgetRate(service, this.maxRps), this.limiterOptions)
      this.limiters.set(key, limiter)
    }

    return limiter
  }
}
