/**
 * The limiter of one request budget (src/aws/budgets.ts says which requests share one): at most `perSecond`
 * requests start in any one-second window (a sliding window, served in arrival order), retries included.
 * Unlike a token bucket with a one-second burst, a sliding window never sends twice the rate in the first
 * second. A service that says when to come back (Retry-After) pauses the whole budget until then.
 */

/**
 * The window is a little longer than a second because requests leave here and arrive at the service with
 * jitter. Measured (200 calls, 20 in flight, through a proxy allowing 20/s): a 1000 ms window drew 40
 * throttles and took 13 s; 1030 ms, 1 throttle and 10.3 s; 1060 ms, none and 9.6 s.
 */
export const DEFAULT_WINDOW_MS = 1050

export interface RateLimiterOptions {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  windowMs?: number
}

export class RateLimiter {
  private readonly now: () => number
  /** No request starts before this time (a Retry-After the service sent). */
  private pausedUntil = 0
  private readonly sleep: (ms: number) => Promise<void>
  /** Start times of recent requests, oldest first; never more than `perSecond` kept. */
  private readonly starts: number[] = []
  private tail: Promise<void> = Promise.resolve()
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
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.takeSlot())
    this.tail = turn
    return turn
  }

  /**
   * The service throttled a request: its budget is smaller than ours (other callers share it). Count one extra
   * start now, so the next request waits a little longer instead of adding to the pile-up.
   */
  onThrottled(): void {
    this.record(this.now())
  }

  /**
   * The service asked the caller to wait `ms` (Retry-After): no request of this budget starts before then.
   * Requests already waiting wait too; a shorter pause never shortens a longer one.
   */
  pause(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms)
  }

  private record(time: number): void {
    this.starts.push(time)
    if (this.starts.length > this.perSecond) this.starts.shift()
  }

  private async takeSlot(): Promise<void> {
    // A pause can grow while this request sleeps (another throttle came back): wait until none is left.
    for (let paused = this.pausedUntil - this.now(); paused > 0; paused = this.pausedUntil - this.now()) {
      // eslint-disable-next-line no-await-in-loop
      await this.sleep(paused)
    }

    if (this.starts.length >= this.perSecond) {
      const wait = this.starts[0] + this.windowMs - this.now()
      if (wait > 0) await this.sleep(wait)
    }

    this.record(this.now())
  }
}
