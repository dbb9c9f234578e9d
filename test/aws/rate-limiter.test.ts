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

/** Start times of `count` requests whose answers come back at once. */
async function startTimes(limiter: RateLimiter, count: number, now: () => number): Promise<number[]> {
  const times: number[] = []
  await Promise.all(
    Array.from({length: count}, () =>
      limiter.acquire().then((release) => {
        times.push(now())
        release()
      }),
    ),
  )
  return times
}

/** One request answered at once. */
async function instant(limiter: RateLimiter): Promise<void> {
  ;(await limiter.acquire())()
}

describe('RateLimiter', () => {
  it('starts at most perSecond requests in any one-second window, in arrival order', async () => {
    const {clock} = fakeClock()
    const limiter = new RateLimiter(10, clock)
    const times = await startTimes(limiter, 25, clock.now)
    expect(times).toEqual([
      ...Array.from({length: 10}, () => 0),
      ...Array.from({length: 10}, () => 1000),
      ...Array.from({length: 5}, () => 2000),
    ])
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(10)
  })

  it('does not wait when requests are spread out already', async () => {
    const {advance, clock} = fakeClock()
    const limiter = new RateLimiter(2, clock)
    for (let i = 0; i < 5; i++) {
      await instant(limiter)
      expect(clock.now()).toBe(i * 600)
      advance(600)
    }
  })

  it('counts a throttle as a used slot, so the next start waits', async () => {
    const {clock} = fakeClock()
    const limiter = new RateLimiter(2, clock)
    await instant(limiter)
    limiter.onThrottled()
    await instant(limiter)
    expect(clock.now()).toBe(1000)
  })

  it('holds a slot until a window after its answer, so late arrivals never crowd the service window', async () => {
    const {advance, clock} = fakeClock()
    const limiter = new RateLimiter(2, clock)
    const first = await limiter.acquire()
    const second = await limiter.acquire()
    // Both in flight: a third waits for an answer, then a window from that answer.
    let thirdAt: number | undefined
    const third = limiter.acquire().then((release) => {
      thirdAt = clock.now()
      release()
    })
    advance(300)
    first()
    await third
    expect(thirdAt).toBe(1300)
    second()
    first()
  })

  it('holds a real burst of 30 at 20/s to one window wait, a second plus the jitter margin', async () => {
    const limiter = new RateLimiter(20)
    const started = performance.now()
    await Promise.all(Array.from({length: 30}, () => instant(limiter)))
    const elapsed = performance.now() - started
    expect(DEFAULT_WINDOW_MS).toBeGreaterThanOrEqual(1000)
    expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_WINDOW_MS - 10)
    expect(elapsed).toBeLessThan(2000)
  })

  it('pauses every waiting and later request until a Retry-After has passed, and a shorter pause does not shorten it', async () => {
    const {advance, clock} = fakeClock()
    const limiter = new RateLimiter(10, clock)
    await limiter.acquire()
    limiter.pause(1500)
    limiter.pause(200)
    const times = await startTimes(limiter, 3, clock.now)
    expect(times).toEqual([1500, 1500, 1500])
    advance(100)
    await limiter.acquire()
    expect(clock.now()).toBe(1600)
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

  it('rejects a rate below 1 or fractional', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError)
    expect(() => new RateLimiter(1.5)).toThrow(RangeError)
  })
})
