/**
 * The limiter of one request budget (src/aws/budgets.ts says which requests share one): requests start evenly
 * spaced, `windowMs / perSecond` apart, by priority and then in arrival order, retries included, and any
 * `perSecond + 1` real starts span at least `windowMs`, so no one-second window ever holds more than
 * `perSecond`. A service that says when to come back (Retry-After) pauses the whole budget until then.
 *
 * Why evenly spaced rather than `perSecond` at once, then a wait: a burst leaves together but reaches the service
 * spread out (each request is signed and sent in turn, on a busy event loop), and then the next burst's first
 * requests arrive within the same service window as the last ones of the burst before. Measured against a proxy
 * enforcing 20/s per quota (test/discovery/discover.moto.test.ts, a loaded 2-core machine): bursts drew 11
 * throttles in 144 requests with arrivals of one burst 600 ms apart; holding each slot until a window after the
 * answer drew none but lost the response time (154 sso-admin requests took 9.5 s instead of 7.7); spacing draws
 * none and keeps the rate.
 */

/**
 * A little over a second, because requests reach the service with jitter: two requests leaving a window apart
 * may arrive closer. Starts are timed as they really happen, so the margin covers only the way from the start to
 * the service. Measured over 2,300 sso-admin requests against the quota-enforcing proxy (bench/large.js): with
 * 1,005 ms, 3 to 9 throttles (each retry costs about two starts), with exactly 1,000 ms 58 (the audit took 4 s
 * longer); each millisecond more costs a 20/s budget 2 % of a second every second (1,030 ms took 3.5 s longer).
 */
export const DEFAULT_WINDOW_MS = 1005

export interface RateLimiterOptions {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  windowMs?: number
}

export class RateLimiter {
  private readonly interval: number
  /** The earliest start of the next request: the previous one's planned start plus one interval. */
  private nextStart = Number.NEGATIVE_INFINITY
  private readonly now: () => number
  /** No request starts before this time (a Retry-After the service sent). */
  private pausedUntil = 0
  /** The loop handing out starts, while requests wait. */
  private serving?: Promise<void>
  private readonly sleep: (ms: number) => Promise<void>
  /** Ring of the last `perSecond` actual starts, and how many starts there were. */
  private startCount = 0
  private readonly started: number[] = []
  /** Requests waiting for a start, highest priority first. */
  private readonly waiting: Array<{priority: number; resolve: () => void}> = []
  private readonly windowMs: number

  constructor(
    readonly perSecond: number,
    options: RateLimiterOptions = {},
  ) {
    if (!(perSecond >= 1) || !Number.isInteger(perSecond))
      throw new RangeError(`perSecond must be a whole number >= 1, got ${perSecond}`)
    this.now = options.now ?? (() => performance.now())
    this.sleep =
      options.sleep ??
      ((ms) =>
        new Promise<void>((resolve) => {
          setTimeout(resolve, ms)
        }))
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS
    this.interval = this.windowMs / perSecond
  }

  /**
   * Resolves when the caller may send one request. Among the requests waiting when a start comes up, the one of
   * the highest priority goes first (arrival order among equals): a read that others wait on, such as the
   * account list the assignment audit needs, goes ahead of reads only the end result needs.
   */
  acquire(priority = 0): Promise<void> {
    return new Promise((resolve) => {
      let at = this.waiting.length
      while (at > 0 && this.waiting[at - 1].priority < priority) at--
      this.waiting.splice(at, 0, {priority, resolve})
      this.serving ??= this.serve()
    })
  }

  /**
   * The service throttled a request: its budget is smaller than ours (other callers share it). Count one extra
   * start, so the next request waits a little longer instead of adding to the pile-up.
   */
  onThrottled(): void {
    this.nextStart = Math.max(this.nextStart, this.now()) + this.interval
  }

  /**
   * The service asked the caller to wait `ms` (Retry-After): no request of this budget starts before then.
   * Requests already waiting wait too; a shorter pause never shortens a longer one.
   */
  pause(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms)
  }

  /**
   * The plan, any pause, and a window after the start `perSecond` starts ago as it really happened: a start that
   * came late (a busy event loop, a garbage collection) is not caught up at the expense of the window.
   */
  private earliestStart(): number {
    const windowAgo = this.startCount >= this.perSecond ? this.started[this.startCount % this.perSecond] : undefined
    return Math.max(this.nextStart, this.pausedUntil, windowAgo === undefined ? 0 : windowAgo + this.windowMs)
  }

  /** Hands out starts one at a time while requests wait; a single loop, so a start is never given twice. */
  private async serve(): Promise<void> {
    // Requests that arrive together are served together: the first start goes by priority too.
    await undefined
    while (this.waiting.length > 0) {
      let start = this.earliestStart()
      // A pause can grow while this loop sleeps (another throttle came back): look again after each sleep.
      for (let wait = start - this.now(); wait > 0; wait = start - this.now()) {
        // eslint-disable-next-line no-await-in-loop
        await this.sleep(wait)
        start = this.earliestStart()
      }

      // From the planned start rather than the wake-up, so that timer delays do not add up over a long run; but
      // never more than a quarter interval back (after an idle time the plan is in the past).
      const now = this.now()
      this.nextStart = Math.max(start, now - this.interval / 4) + this.interval
      this.started[this.startCount++ % this.perSecond] = now
      // Chosen after the wait: a request of higher priority that arrived meanwhile takes this start.
      this.waiting.shift()!.resolve()
      // Let the request just started go on before the next start is planned.
      // eslint-disable-next-line no-await-in-loop
      await undefined
    }

    this.serving = undefined
  }
}
