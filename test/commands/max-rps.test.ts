import {describe, expect, it} from 'vitest'

import {BUDGET_RULES, type BudgetService} from '../../src/aws/budgets.js'
import {AwsSession} from '../../src/aws/clients.js'
import Discover from '../../src/commands/discover.js'
import AccessCommand from '../../src/commands/doctor/access.js'
import Generate from '../../src/commands/generate.js'
import Report from '../../src/commands/report.js'
import {runCli} from '../support/cli.js'

const SERVICES = Object.keys(BUDGET_RULES) as BudgetService[]

/** oclif wraps help at the terminal width: compare words, not lines. */
function words(text: string): string {
  return text.replaceAll(/\s+/g, ' ')
}

describe('--max-rps', () => {
  it('is the cap of each budget in the flag of every command that calls the admin APIs, with no default of its own', () => {
    for (const command of [Discover, Generate, Report, AccessCommand]) {
      const flag = command.flags['max-rps'] as {default?: unknown; description?: string}
      expect(flag.description, command.name).toMatch(/Cap of each request budget/)
      expect(flag.description).toMatch(/sso-admin 20\/s for all its APIs together, the identity store 20\/s per API/)
      expect(flag.default).toBeUndefined()
    }
  })

  it('says so in --help of discover, generate, report and doctor access (built CLI)', async () => {
    for (const args of [['discover'], ['generate'], ['report'], ['doctor', 'access']]) {
      const {code, stdout} = await runCli([...args, '--help'])
      expect(code, args.join(' ')).toBe(0)
      expect(words(stdout), args.join(' ')).toMatch(/--max-rps=<value> .*Cap of each request budget/)
      expect(words(stdout)).toMatch(/the identity store 20\/s per API/)
    }
  }, 60_000)

  it('caps every budget of a session, in every region and for every API, and never raises one above its quota', () => {
    const capped = new AwsSession({maxRps: 5})
    const high = new AwsSession({maxRps: 1000})
    const free = new AwsSession()
    for (const service of SERVICES) {
      for (const [region, operation] of [
        ['us-east-1', 'ListUsers'],
        ['eu-west-1', 'ListGroupMemberships'],
      ]) {
        expect(capped.budgets.limiter(service, region, operation).perSecond, service).toBe(5)
        expect(high.budgets.limiter(service, region, operation).perSecond, service).toBe(
          BUDGET_RULES[service].perSecond,
        )
        expect(free.budgets.limiter(service, region, operation).perSecond, service).toBe(
          BUDGET_RULES[service].perSecond,
        )
      }
    }

    // One limiter per budget: sso-admin shares one across APIs, the identity store has one per API.
    expect(Object.keys(capped.budgets.rates).filter((key) => key.startsWith('sso-admin@us-east-1'))).toHaveLength(1)
    expect(Object.keys(capped.budgets.rates).filter((key) => key.startsWith('identitystore@us-east-1'))).toEqual([
      'identitystore@us-east-1:ListUsers',
    ])
    expect(Object.values(capped.budgets.rates).every((rate) => rate === 5)).toBe(true)
  })
})
