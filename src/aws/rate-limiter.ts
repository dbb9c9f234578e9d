/**
 * The limiter of one request budget (src/aws/budgets.ts says which requests share one): at most `perSecond`
 * requests in any one-second window, retries included, served in arrival order. A service that says when to
 * come back (Retry-After) pauses the whole budget until then.
 *
 * A request holds its slot from the moment it leaves until a window after its answer came back, not after it
 * left. The service counts a request when it arrives, which is somewhere between the two: counting from the
 * answer can never put more than `perSecond` arrivals in one of the service's windows, however late requests
 * arrive (a busy event loop, a slow network). Counting from departure, as a plain sliding window does, was
 * throttled against a proxy enforcing 20/s whenever requests of one burst reached it more than the margin
 * apart (measured: 11 throttles in 144 requests with 600 ms of spread on a loaded machine). The cost is the
 * response time: with 100 ms answers a budget of 20/s sends about 18 a second.
 */

/** The window, a little over a second for clock and timer granularity. */
export const DEFAULT_WINDOW_MS = 1010

export interface RateLimiterOptions {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  windowMs?: number
}

/** Called once the request's answer (or failure) arrived; its slot frees a window later. */
export type ReleaseSlot = () => void

export class RateLimiter {
  /** When the answers of recent requests arrived, oldest first (and throttles counted as extra slots). */
  private readonly ended: number[] = []
  private inFlight = 0
  private readonly now: () => number
  /** No request starts before this time (a Retry-After the service sent). */
  private pausedUntil = 0
  private readonly sleep: (ms: number) => Promise<void>
  /** Resolves when a request in flight ends: the only event that can free a slot while all are in flight. */
  private someoneEnded?: {promise: Promise<void>; resolve: () => void}
  private tail: Promise<unknown> = Promise.resolve()
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

  /** Resolves when the caller may send one request, with the function to call when its answer arrives. */
  acquire(): Promise<ReleaseSlot> {
    const turn = this.tail.then(() => this.takeSlot())
    this.tail = turn
    return turn
  }

  /**
   * The service throttled a request: its budget is smaller than ours (other callers share it). Count one extra
   * slot now, so the next request waits a little longer instead of adding to the pile-up.
   */
  onThrottled(): void {
    this.ended.push(this.now())
  }

  /**
   * The service asked the caller to wait `ms` (Retry-After): no request of this budget starts before then.
   * Requests already waiting wait too; a shorter pause never shortens a longer one.
   */
  pause(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms)
  }

  private end(): void {
    this.inFlight--
    this.ended.push(this.now())
    const signal = this.someoneEnded
    this.someoneEnded = undefined
    signal?.resolve()
  }

  private async takeSlot(): Promise<ReleaseSlot> {
    for (;;) {
      const now = this.now()
      if (this.pausedUntil > now) {
        // A pause can grow while this request sleeps (another throttle came back): the loop looks again.
        // eslint-disable-next-line no-await-in-loop
        await this.sleep(this.pausedUntil - now)
        continue
      }

      while (this.ended.length > 0 && this.ended[0] + this.windowMs <= now) this.ended.shift()
      if (this.inFlight + this.ended.length < this.perSecond) break
      if (this.ended.length > 0) {
        // The oldest ended slot frees first; a request ending meanwhile frees its slot only later.
        // eslint-disable-next-line no-await-in-loop
        await this.sleep(this.ended[0] + this.windowMs - now)
      } else {
        // Every slot is in flight: wait for an answer, then its window.
        this.someoneEnded ??= withResolvers()
        // eslint-disable-next-line no-await-in-loop
        await this.someoneEnded.promise
      }
    }

    this.inFlight++
    let released = false
    return () => {
      if (released) return
      released = true
      this.end()
    }
  }
}

/** `Promise.withResolvers` (Node 22+), for Node 20. */
function withResolvers(): {promise: Promise<void>; resolve: () => void} {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return {promise, resolve}
}
