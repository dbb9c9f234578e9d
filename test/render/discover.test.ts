import {Writable} from 'node:stream'
import {describe, expect, it} from 'vitest'

import {discover} from '../../src/discovery/discover.js'
import {
  createProgressBar,
  formatTimeLeft,
  progressFigures,
  renderDiscover,
  warningLines,
} from '../../src/render/discover.js'
import {FakeApi, smallOrg} from '../support/fake-identity-center-api.js'

async function everything(): Promise<Awaited<ReturnType<typeof discover>>> {
  const api = new FakeApi(smallOrg())
  return discover(
    api,
    {requests: 0, throttled: 0},
    {
      accounts: true,
      assignments: true,
      concurrency: 4,
      configuredRegion: 'eu-west-1',
      names: true,
      permissionSets: true,
      principals: true,
    },
  )
}

describe('renderDiscover', () => {
  it('puts the portal URL first, says a custom alias cannot be discovered, and uses plain tables', async () => {
    const {names, snapshot} = await everything()
    const text = renderDiscover(snapshot, names)
    const lines = text.split('\n')
    expect(lines[0]).toBe('Access portal: https://d-1111111111.awsapps.com/start')
    expect(text).toContain('cannot be discovered')
    expect(text).toContain('--start-url')
    expect(text).toContain('Searched: eu-west-1')
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001B\[/)
    expect(text).toContain('Region     Instance ARN')
    for (const title of [
      'Instances (1)',
      'Accounts (4)',
      'Permission sets (3)',
      'Users (3)',
      'Groups (2)',
      'Assignments (5)',
    ])
      expect(text).toContain(title)
  })

  it('shows assignments with account, permission set and principal names', async () => {
    const {names, snapshot} = await everything()
    const text = renderDiscover(snapshot, names)
    const assignmentRows = text.slice(text.indexOf('Assignments (5)')).split('\n').slice(2)
    expect(assignmentRows.slice(0, 5).map((l) => l.split(/\s{2,}/))).toEqual([
      ['Management (111111111111)', 'Admin', 'group', 'Admins'],
      ['Prod (222222222222)', 'Admin', 'group', 'Admins'],
      ['Prod (222222222222)', 'ReadOnly', 'user', 'bob'],
      ['Dev (333333333333)', 'Developer', 'group', 'Developers'],
      ['Dev (333333333333)', 'ReadOnly', 'user', 'carol'],
    ])
    expect(text).toMatch(/^Developers {2,}alice, bob$/m)
  })

  it('shows only the sections that were asked for, and a custom --start-url without the alias note', async () => {
    const {names, snapshot} = await everything()
    const {accounts: _a, assignments: _s, groups: _g, permissionSets: _p, users: _u, ...bare} = snapshot
    const text = renderDiscover(
      {
        ...bare,
        instances: bare.instances.map((i) => ({
          ...i,
          startUrl: 'https://corp.awsapps.com/start',
          startUrlSource: 'option' as const,
        })),
      },
      names,
    )
    expect(text.split('\n')[0]).toBe('Access portal: https://corp.awsapps.com/start')
    expect(text).not.toContain('cannot be discovered')
    expect(text).not.toContain('Accounts (')
  })

  it('words warnings for stderr', () => {
    expect(
      warningLines([
        {
          action: 'organizations:ListAccounts',
          code: 'ACCESS_DENIED',
          message: 'Access denied: ListAccounts',
          scope: 'accounts',
        },
      ]),
    ).toEqual(['Warning (accounts): Access denied: ListAccounts'])
  })
})

class Capture extends Writable {
  columns = 100
  isTTY: boolean
  text = ''

  constructor(isTTY: boolean) {
    super()
    this.isTTY = isTTY
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString()
    done()
  }

  clearLine(): boolean {
    return true
  }

  cursorTo(): boolean {
    return true
  }

  moveCursor(): boolean {
    return true
  }
}

describe('createProgressBar', () => {
  it('writes nothing when stderr is not a terminal', async () => {
    const stream = new Capture(false)
    const bar = createProgressBar(stream as unknown as NodeJS.WriteStream, 0)
    bar.addWork(3)
    bar.complete()
    await new Promise((resolve) => {
      setTimeout(resolve, 20)
    })
    bar.stop()
    expect(stream.text).toBe('')
  })

  it('on a terminal, shows progress once the run takes longer than the delay', async () => {
    const stream = new Capture(true)
    const bar = createProgressBar(stream as unknown as NodeJS.WriteStream, 10)
    bar.phase('accounts')
    bar.addWork(4)
    bar.complete(2)
    await new Promise((resolve) => {
      setTimeout(resolve, 60)
    })
    bar.complete(2)
    bar.stop()
    expect(stream.text).toContain('accounts')
    expect(stream.text).toMatch(/\d\/~4 requests, (\d+ s|…) left/)
  })

  it("counts requests from the run's counter: sent of the estimated total (sent + work still open), and the time left", async () => {
    const stream = new Capture(true)
    const bar = createProgressBar(stream as unknown as NodeJS.WriteStream, 0)
    const stats = {requests: 0, throttled: 0}
    bar.watchRequests?.(stats)
    bar.phase('assignments (per-principal)')
    bar.addWork(100)
    bar.complete(10)
    // Ten units took twelve requests (a retry, an extra page): the bar shows requests, not units.
    stats.requests = 12
    await new Promise((resolve) => {
      setTimeout(resolve, 30)
    })
    bar.complete(0)
    bar.stop()
    expect(stream.text).toMatch(/ 12\/~102 requests, \d+ s left {2}assignments \(per-principal\)/)
  })

  it('on a terminal, stays silent for a run quicker than the delay', () => {
    const stream = new Capture(true)
    const bar = createProgressBar(stream as unknown as NodeJS.WriteStream, 1000)
    bar.addWork(1)
    bar.complete()
    bar.stop()
    expect(stream.text).toBe('')
  })
})

describe('progressFigures', () => {
  it('estimates the total as requests sent plus the units still open, and the time left at the rate kept so far', () => {
    expect(progressFigures({elapsedMs: 2000, requests: 40, unitsDone: 30, unitsTotal: 130})).toEqual({
      estimatedTotal: 140,
      requests: 40,
      secondsLeft: 5,
    })
  })

  it('knows no time left before the first request, and never a negative remainder', () => {
    expect(progressFigures({elapsedMs: 500, requests: 0, unitsDone: 0, unitsTotal: 3})).toEqual({
      estimatedTotal: 3,
      requests: 0,
    })
    expect(progressFigures({elapsedMs: 1000, requests: 9, unitsDone: 9, unitsTotal: 5}).secondsLeft).toBe(0)
  })

  it('words the time left in seconds, then minutes', () => {
    expect(formatTimeLeft(undefined)).toBe('…')
    expect(formatTimeLeft(45)).toBe('45 s')
    expect(formatTimeLeft(185)).toBe('3 min 05 s')
  })
})
