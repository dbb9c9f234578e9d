import {isConnectionError, isThrottlingError, isTlsError} from './errors.js'

/**
 * ssokit's retry strategy for the SDK's retry middleware (the SDK's "RetryStrategyV2" shape).
 *
 * Why not the SDK's own modes: `adaptive` slowed a client to under 1 request/s under heavy throttling
 * (measured in bench/discover.js), and `standard` keeps a per-client retry quota (500 units, 5 per throttled retry) that a long
 * audit under 30% throttling can drain, after which calls fail instead of retrying; its throttling backoff
 * also starts at 1 s. Here every attempt already waits for the shared rate limiter, which is what keeps the
 * load bounded, so retries only need capped attempts and exponential backoff with full jitter.
 *
 * Measured against moto (200 ListInstances, 20 in flight): with half the answers throttled at random,
 * `adaptive` (10 attempts) took 400 s, `standard` (10 attempts) behind the shared limiter 68 s, this strategy
 * behind it 32 s; through a proxy allowing 20 requests/s, `standard` without a shared limiter lost 5 of the
 * 200 calls to its retry quota, while this strategy behind the limiter finished all in 10.5 s.
 */
export interface RetryPolicy {
  /** Base of the exponential backoff for 5xx and connection errors (ms). */
  baseDelayMs: number
  /** Attempts in all (first included) when the request got no HTTP answer (refused, DNS, timeout). Few: a dead endpoint should fail fast. */
  connectionAttempts: number
  maxDelayMs: number
  /** Longest wait a Retry-After answer is obeyed for: a service asking for more gets this, then the retry. */
  maxRetryAfterMs: number
  /** Attempts in all for 5xx answers. */
  serverErrorAttempts: number
  /** Attempts in all for throttling answers (400 ThrottlingException, 429 TooManyRequestsException). */
  throttlingAttempts: number
  /** Base of the exponential backoff after a throttling answer (ms). */
  throttlingBaseDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 100,
  connectionAttempts: 2,
  maxDelayMs: 5000,
  maxRetryAfterMs: 30_000,
  serverErrorAttempts: 5,
  throttlingAttempts: 12,
  throttlingBaseDelayMs: 200,
}

/**
 * The policy, with the standard `AWS_MAX_ATTEMPTS` (the SDKs' and the AWS CLI's setting) as the ceiling of every
 * kind's attempts when it is set.
 */
export function retryPolicyFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  base: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryPolicy {
  const max = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10)
  if (!Number.isInteger(max) || max < 1) return base
  return {
    ...base,
    connectionAttempts: Math.min(base.connectionAttempts, max),
    serverErrorAttempts: Math.min(base.serverErrorAttempts, max),
    throttlingAttempts: Math.min(base.throttlingAttempts, max),
  }
}

/**
 * How long the service asked the caller to wait before the next request (ms), or undefined when it did not say:
 * the `Retry-After` header (seconds or an HTTP date, RFC 9110), `x-amz-retry-after` (ms), or the identity
 * store's `RetryAfterSeconds` error member (IdentityStore API reference, ThrottlingException).
 */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const e = error as
    undefined | {$response?: {headers?: Record<string, string | undefined>}; RetryAfterSeconds?: unknown}
  const seconds = e?.RetryAfterSeconds
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const headers = e?.$response?.headers ?? {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const lower = name.toLowerCase()
    if (lower === 'x-amz-retry-after' && /^\d+$/.test(value.trim())) return Number(value)
    if (lower !== 'retry-after') continue
    const text = value.trim()
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
    const date = Date.parse(text)
    if (Number.isFinite(date)) return Math.max(0, date - now)
  }

  return undefined
}

type FailureKind = 'connection' | 'serverError' | 'throttling'

/** Retries so far, in all and by kind: each kind has its own limit, so a throttle does not use up the 5xx budget. */
class RetryToken {
  constructor(
    private readonly retries: number,
    private readonly delayMs: number,
    readonly byKind: Readonly<Record<FailureKind, number>> = {connection: 0, serverError: 0, throttling: 0},
  ) {}

  getRetryCount(): number {
    return this.retries
  }

  getRetryDelay(): number {
    return this.delayMs
  }
}

interface RetryErrorInfo {
  error?: unknown
  errorType: string
  retryAfterHint?: Date
}

export class SsokitRetryStrategy {
  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return new RetryToken(0, 0)
  }

  recordSuccess(_token: RetryToken): void {}

  /** Throws (as the SDK expects) when the error must not, or may no longer, be retried. */
  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const kind = this.kindOf(info)
    if (!kind) throw new Error('Not a retryable error')
    const {attempts, base} = this.limitsFor(kind)
    const retriesOfKind = token.byKind[kind]
    if (retriesOfKind + 1 >= attempts) throw new Error('No retry token available')
    const ceiling = Math.min(this.policy.maxDelayMs, base * 2 ** retriesOfKind)
    let delay = Math.round(this.random() * ceiling)
    // The service said when to come back: never sooner (within reason). The budget pauses too (clients.ts).
    const asked = retryAfterMs(info.error) ?? (info.retryAfterHint && info.retryAfterHint.getTime() - Date.now())
    if (asked !== undefined && asked > 0) delay = Math.max(delay, Math.min(this.policy.maxRetryAfterMs, asked))
    return new RetryToken(token.getRetryCount() + 1, delay, {...token.byKind, [kind]: retriesOfKind + 1})
  }

  private kindOf(info: RetryErrorInfo): FailureKind | undefined {
    const error = info.error as undefined | {$metadata?: {httpStatusCode?: number}}
    if (info.errorType === 'THROTTLING' || isThrottlingError(error)) return 'throttling'
    // A certificate problem does not go away by asking again.
    if (isTlsError(error)) return undefined
    if (isConnectionError(error)) return 'connection'
    const status = error?.$metadata?.httpStatusCode ?? 0
    if (status >= 500 || info.errorType === 'TRANSIENT' || info.errorType === 'SERVER_ERROR') return 'serverError'
    return undefined
  }

  private limitsFor(kind: FailureKind): {attempts: number; base: number} {
    switch (kind) {
      case 'connection': {
        return {attempts: this.policy.connectionAttempts, base: this.policy.baseDelayMs}
      }

      case 'serverError': {
        return {attempts: this.policy.serverErrorAttempts, base: this.policy.baseDelayMs}
      }

      default: {
        return {attempts: this.policy.throttlingAttempts, base: this.policy.throttlingBaseDelayMs}
      }
    }
  }
}
