import {describe, expect, it} from 'vitest'

import {DEFAULT_WINDOW_MS, RateLimiter} from '../../src/aws/rate-limiter.js'

/** A clock that moves only when the limiter sleeps (or the test advances it), with an exact one-second window. */
function fakeClock(): {
  advance(ms: number): void
  clock: {now: () => number; sleep: (ms: number) => Promise<void>; windowMs: number}
} {
  let now = 0
  return {
    advance(ms) {
      now += ms
    },
    clock: {
      now: () => now,
      async sleep(ms) {
        now += ms
      },
      windowMs: 1000,
    },
  }
}

async function startTimes(limiter: RateLimiter, count: number, now: () => number): Promise<number[]> {
  const times: number[] = []
  await Promise.all(Array.from({length: count}, () => limiter.acquire().then(() => times.push(now()))))
  return times
}

describe('RateLimiter', () => {
  it('starts requests evenly spaced, in arrival order, never more than perSecond in any one-second window', async () => {
    const {clock} = fakeClock()
    const limiter = new RateLimiter(10, clock)
    const times = await startTimes(limiter, 25, clock.now)
    expect(times).toEqual(Array.from({length: 25}, (_, i) => i * 100))
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(10)
  })

  it('does not wait when requests are spread out already', async () => {
    const {advance, clock} = fakeClock()
    const limiter = new RateLimiter(2, clock)
    for (let i = 0; i < 5; i++) {
      await limiter.acquire()
      expect(clock.now()).toBe(i * 600)
      advance(600)
    }
  })

  it('counts a throttle as a used slot, so the next start waits', async () => {
    const {clock} = fakeClock()
    const limiter = new RateLimiter(2, clock)
    await limiter.acquire()
    limiter.onThrottled()
    await limiter.acquire()
    expect(clock.now()).toBe(1000)
  })

  it('spreads a real burst of 30 at 20/s over a window and a half, no faster', async () => {
    const limiter = new RateLimiter(20)
    const started = performance.now()
    await Promise.all(Array.from({length: 30}, () => limiter.acquire()))
    const elapsed = performance.now() - started
    expect(DEFAULT_WINDOW_MS).toBeGreaterThanOrEqual(1000)
    // 29 intervals, the first after an idle time at least three quarters of one.
    const interval = DEFAULT_WINDOW_MS / 20
    const planned = 29 * interval
    expect(elapsed).toBeGreaterThanOrEqual(planned - interval / 4 - 2)
    // Timer delays do not add up (a loaded machine may still add some).
    expect(elapsed).toBeLessThan(planned + 1000)
  })

  it('makes up for late timers without letting any perSecond + 1 starts crowd into less than the window', async () => {
    let now = 0
    const limiter = new RateLimiter(20, {
      now: () => now,
      async sleep(ms) {
        // Every timer fires 3 ms late.
        now += ms + 3
      },
      windowMs: 1000,
    })
    const times = await startTimes(limiter, 101, () => now)
    // A late start is not caught up at the expense of the window: any 21 starts span it whole.
    for (let i = 0; i + 20 < times.length; i++) expect(times[i + 20] - times[i]).toBeGreaterThanOrEqual(1000)
    // 100 intervals of 50 ms: the lateness of each timer is not added to the next, at most once per window.
    expect(times[100]).toBeLessThan(5000 + 5 * 3 + 10)
  })

  it('pauses every waiting and later request until a Retry-After has passed, and a shorter pause does not shorten it', async () => {
    const {advance, clock} = fakeClock()
    const limiter = new RateLimiter(10, clock)
    await limiter.acquire()
    limiter.pause(1500)
    limiter.pause(200)
    const times = await startTimes(limiter, 3, clock.now)
    expect(times).toEqual([1500, 1600, 1700])
    advance(100)
    await limiter.acquire()
    expect(clock.now()).toBe(1800)
  })

  it('waits out a pause that grows while a request sleeps', async () => {
    let now = 0
    const limiter = new RateLimiter(5, {
      now: () => now,
      async sleep(ms) {
        now += ms
        // Another answer arrives during the first pause and asks for more.
        if (now === 300) limiter.pause(700)
      },
      windowMs: 1000,
    })
    limiter.pause(300)
    await limiter.acquire()
    expect(now).toBe(1000)
  })

  it('gives each start to the waiting request of the highest priority, in arrival order among equals', async () => {
    const {clock} = fakeClock()
    const limiter = new RateLimiter(10, clock)
    const order: string[] = []
    const wait = (name: string, priority?: number) => limiter.acquire(priority).then(() => order.push(name))
    // Requests that arrive together are ordered by priority; a read that others depend on also overtakes the
    // ones that were waiting before it came.
    const tree1 = wait('tree-1')
    const rest = [wait('tree-2'), wait('tree-3'), wait('accounts-1', 1)]
    await tree1
    await Promise.all([...rest, wait('accounts-2', 1)])
    expect(order).toEqual(['accounts-1', 'tree-1', 'accounts-2', 'tree-2', 'tree-3'])
    expect(clock.now()).toBe(400)
  })

  it('rejects a rate below 1 or fractional', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError)
    expect(() => new RateLimiter(1.5)).toThrow(RangeError)
  })
})
