/**
 * The limiter of one request budget (src/aws/budgets.ts says which requests share one): requests start evenly
 * spaced, `windowMs / perSecond` apart, served in arrival order, retries included. Any `perSecond + 1` starts
 * then span at least `windowMs`, so no one-second window ever holds more than `perSecond`. A service that says
 * when to come back (Retry-After) pauses the whole budget until then.
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
 * A little over a second, because requests reach the service with jitter: two requests leaving one interval
 * apart may arrive closer. The margin is what a request may arrive late relative to the one `perSecond` before it.
 */
export const DEFAULT_WINDOW_MS = 1030

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
  private readonly sleep: (ms: number) => Promise<void>
  private tail: Promise<void> = Promise.resolve()

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
    this.interval = (options.windowMs ?? DEFAULT_WINDOW_MS) / perSecond
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.takeSlot())
    this.tail = turn
    return turn
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

  private async takeSlot(): Promise<void> {
    let start = Math.max(this.nextStart, this.pausedUntil)
    // A pause can grow while this request sleeps (another throttle came back): look again after each sleep.
    for (let wait = start - this.now(); wait > 0; wait = start - this.now()) {
      // eslint-disable-next-line no-await-in-loop
      await this.sleep(wait)
      start = Math.max(this.nextStart, this.pausedUntil)
    }

    // From the planned start rather than the wake-up, so that timer delays do not add up over a long run; but
    // never more than a quarter interval back (after an idle time the plan is in the past). Any perSecond + 1
    // starts still span the window less a quarter interval, which the window's margin covers.
    this.nextStart = Math.max(start, this.now() - this.interval / 4) + this.interval
  }
}
