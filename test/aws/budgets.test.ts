import {describe, expect, it} from 'vitest'

import {
  BUDGET_RULES,
  budgetKey,
  budgetRate,
  operationOf,
  operationPriority,
  RequestBudgets,
} from '../../src/aws/budgets.js'

/**
 * A virtual clock shared by every limiter: a sleep is a timer at now + ms, and `run` moves time to the next timer
 * whenever nothing else is left to do, so concurrent sleepers wake in time order, exactly.
 */
function virtualClock(): {
  clock: {now: () => number; sleep: (ms: number) => Promise<void>; windowMs: number}
  run<T>(work: Promise<T>): Promise<T>
} {
  let now = 0
  const timers: Array<{at: number; wake: () => void}> = []
  const idle = (): Promise<void> =>
    new Promise((resolve) => {
      setImmediate(resolve)
    })
  return {
    clock: {
      now: () => now,
      sleep: (ms) =>
        new Promise<void>((wake) => {
          timers.push({at: now + ms, wake})
        }),
      windowMs: 1000,
    },
    async run(work) {
      const state = {done: false}
      const result = work.finally(() => {
        state.done = true
      })
      while (!state.done) {
        await idle()
        timers.sort((a, b) => a.at - b.at)
        const next = timers.shift()
        if (next) {
          now = Math.max(now, next.at)
          next.wake()
        }
      }

      return result
    },
  }
}

describe('request budgets', () => {
  it('serve the account list ahead of the OU tree that shares its budget', () => {
    expect(operationPriority('ListAccounts')).toBeGreaterThan(operationPriority('ListAccountsForParent'))
    expect(operationPriority('ListAccounts')).toBeGreaterThan(operationPriority('ListOrganizationalUnitsForParent'))
    expect(operationPriority('ListAccountAssignmentsForPrincipal')).toBe(operationPriority('DescribePermissionSet'))
  })

  it('follow the published quotas: sso-admin shared by its APIs, the identity store per API', () => {
    expect(budgetKey('sso-admin', 'eu-west-1', 'ListAccountAssignments')).toBe(
      budgetKey('sso-admin', 'eu-west-1', 'DescribePermissionSet'),
    )
    expect(budgetKey('sso-admin', 'eu-west-1', 'ListInstances')).not.toBe(
      budgetKey('sso-admin', 'us-east-1', 'ListInstances'),
    )
    expect(budgetKey('identitystore', 'eu-west-1', 'ListUsers')).not.toBe(
      budgetKey('identitystore', 'eu-west-1', 'ListGroupMemberships'),
    )
    expect(BUDGET_RULES['sso-admin'].perSecond).toBe(20)
    expect(BUDGET_RULES.identitystore.perSecond).toBe(20)
    // No published quota: conservative.
    expect(BUDGET_RULES.organizations.perSecond).toBeLessThan(20)
    expect(BUDGET_RULES.portal.perSecond).toBeLessThan(20)
  })

  it('--max-rps caps every budget and never raises one', () => {
    expect(budgetRate('sso-admin')).toBe(20)
    expect(budgetRate('sso-admin', 5)).toBe(5)
    expect(budgetRate('organizations', 100)).toBe(BUDGET_RULES.organizations.perSecond)
  })

  it('names operations as the quotas do', () => {
    expect(operationOf('ListGroupMembershipsCommand')).toBe('ListGroupMemberships')
    expect(operationOf(undefined)).toBe('unknown')
  })

  it('run side by side: 40 sso-admin requests take two seconds, 20 for each of two identity-store APIs one, alongside', async () => {
    const {clock, run} = virtualClock()
    const budgets = new RequestBudgets(undefined, clock)
    const starts: Record<string, number[]> = {}
    const send = async (service: 'identitystore' | 'sso-admin', operation: string): Promise<void> => {
      await budgets.limiter(service, 'us-east-1', operation).acquire()
      ;(starts[`${service}:${operation}`] ??= []).push(clock.now())
    }

    await run(
      Promise.all([
        ...Array.from({length: 20}, () => send('sso-admin', 'ListAccountAssignmentsForPrincipal')),
        ...Array.from({length: 20}, () => send('sso-admin', 'DescribePermissionSet')),
        ...Array.from({length: 20}, () => send('identitystore', 'ListUsers')),
        ...Array.from({length: 20}, () => send('identitystore', 'ListGroupMemberships')),
      ]),
    )
    // sso-admin's 40 share one budget, whichever API they call: 39 intervals of 50 ms. Each identity-store API has
    // its own: their 20 each run alongside, in a second.
    const ssoAdmin = [
      ...starts['sso-admin:ListAccountAssignmentsForPrincipal'],
      ...starts['sso-admin:DescribePermissionSet'],
    ]
    expect(Math.max(...ssoAdmin)).toBe(39 * 50)
    for (const api of ['identitystore:ListUsers', 'identitystore:ListGroupMemberships']) {
      expect(starts[api][0]).toBe(0)
      expect(Math.max(...starts[api])).toBe(19 * 50)
    }

    expect(budgets.rates).toEqual({
      'identitystore@us-east-1:ListGroupMemberships': 20,
      'identitystore@us-east-1:ListUsers': 20,
      'sso-admin@us-east-1': 20,
    })
  })

  it('a pause (Retry-After) holds only its own budget', async () => {
    const {clock, run} = virtualClock()
    const budgets = new RequestBudgets(10, clock)
    budgets.limiter('organizations', 'us-east-1', 'ListAccounts').pause(2000)
    const started: Record<string, number> = {}
    await run(
      Promise.all([
        budgets
          .limiter('organizations', 'us-east-1', 'ListRoots')
          .acquire()
          .then(() => {
            started.organizations = clock.now()
          }),
        budgets
          .limiter('sso-admin', 'us-east-1', 'ListInstances')
          .acquire()
          .then(() => {
            started.ssoAdmin = clock.now()
          }),
      ]),
    )
    expect(started).toEqual({organizations: 2000, ssoAdmin: 0})
  })
})
