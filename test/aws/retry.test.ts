import {describe, expect, it} from 'vitest'

import {DEFAULT_RETRY_POLICY, retryAfterMs, SsokitRetryStrategy} from '../../src/aws/retry.js'

const throttle = {$metadata: {httpStatusCode: 400}, name: 'ThrottlingException'}
const tooMany = {$metadata: {httpStatusCode: 429}, name: 'TooManyRequestsException'}
const serverError = {$metadata: {httpStatusCode: 503}, name: 'ServiceUnavailableException'}
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {code: 'ECONNREFUSED'})
const selfSigned = Object.assign(new Error('self-signed certificate'), {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'})
const denied = {$metadata: {httpStatusCode: 400}, name: 'AccessDeniedException'}

/** How many attempts in all the strategy allows for an error that keeps coming back. */
async function attemptsAllowed(strategy: SsokitRetryStrategy, error: unknown, errorType: string): Promise<number> {
  let token = await strategy.acquireInitialRetryToken('')
  let attempts = 1
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, {error, errorType})
      attempts++
    } catch {
      return attempts
    }
  }
}

describe('SsokitRetryStrategy', () => {
  const strategy = new SsokitRetryStrategy(DEFAULT_RETRY_POLICY, () => 1)

  it('retries throttling (400 and 429) many times, 5xx a few, connection failures once, and nothing else', async () => {
    expect(await attemptsAllowed(strategy, throttle, 'THROTTLING')).toBe(DEFAULT_RETRY_POLICY.throttlingAttempts)
    expect(await attemptsAllowed(strategy, tooMany, 'THROTTLING')).toBe(DEFAULT_RETRY_POLICY.throttlingAttempts)
    expect(await attemptsAllowed(strategy, serverError, 'TRANSIENT')).toBe(DEFAULT_RETRY_POLICY.serverErrorAttempts)
    expect(await attemptsAllowed(strategy, refused, 'TRANSIENT')).toBe(DEFAULT_RETRY_POLICY.connectionAttempts)
    expect(await attemptsAllowed(strategy, selfSigned, 'CLIENT_ERROR')).toBe(1)
    expect(await attemptsAllowed(strategy, denied, 'CLIENT_ERROR')).toBe(1)
  })

  it('backs off exponentially up to a ceiling, with full jitter', async () => {
    const delays: number[] = []
    let token = await strategy.acquireInitialRetryToken('')
    for (let i = 0; i < 8; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, {error: throttle, errorType: 'THROTTLING'})
      delays.push(token.getRetryDelay())
    }

    const base = DEFAULT_RETRY_POLICY.throttlingBaseDelayMs
    expect(delays).toEqual(
      [1, 2, 4, 8, 16, 32, 64, 128].map((f) => Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, base * f)),
    )
    const jittered = new SsokitRetryStrategy(DEFAULT_RETRY_POLICY, () => 0.25)
    const first = await jittered.refreshRetryTokenForRetry(await jittered.acquireInitialRetryToken(''), {
      error: throttle,
      errorType: 'THROTTLING',
    })
    expect(first.getRetryDelay()).toBe(base * 0.25)
  })

  it('waits at least as long as a Retry-After hint asks, within the ceiling', async () => {
    const token = await new SsokitRetryStrategy(DEFAULT_RETRY_POLICY, () => 0).refreshRetryTokenForRetry(
      await strategy.acquireInitialRetryToken(''),
      {error: tooMany, errorType: 'THROTTLING', retryAfterHint: new Date(Date.now() + 2000)},
    )
    expect(token.getRetryDelay()).toBeGreaterThan(1500)
    expect(token.getRetryDelay()).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs)
  })
})

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T10:00:00Z')
  const answer = (headers: Record<string, string>) => ({...tooMany, $response: {headers, statusCode: 429}})

  it('reads the header in seconds or as an HTTP date, x-amz-retry-after in ms, and the identity store RetryAfterSeconds', () => {
    expect(retryAfterMs(answer({'Retry-After': '3'}), now)).toBe(3000)
    expect(retryAfterMs(answer({'retry-after': '1.5'}), now)).toBe(1500)
    expect(retryAfterMs(answer({'retry-after': 'Tue, 01 Dec 2026 10:00:07 GMT'}), now)).toBe(7000)
    expect(retryAfterMs(answer({'x-amz-retry-after': '250'}), now)).toBe(250)
    expect(retryAfterMs({...throttle, RetryAfterSeconds: 2}, now)).toBe(2000)
    expect(retryAfterMs(answer({'retry-after': 'soon'}), now)).toBeUndefined()
    expect(retryAfterMs(throttle, now)).toBeUndefined()
  })

  const strategy = new SsokitRetryStrategy(DEFAULT_RETRY_POLICY, () => 0)
  const delayFor = async (error: unknown, retryAfterHint?: Date): Promise<number> =>
    (
      await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), {
        error,
        errorType: 'THROTTLING',
        retryAfterHint,
      })
    ).getRetryDelay()

  it("waits as long as the identity store's RetryAfterSeconds asks, beyond the usual backoff ceiling", async () => {
    expect(await delayFor({...throttle, RetryAfterSeconds: 8})).toBe(8000)
    expect(8000).toBeGreaterThan(DEFAULT_RETRY_POLICY.maxDelayMs)
  })

  it('waits as long as the Retry-After header asks (the SDK hint or the header itself)', async () => {
    expect(await delayFor(answer({'retry-after': '2'}))).toBe(2000)
    expect(await delayFor(tooMany, new Date(Date.now() + 4000))).toBeGreaterThan(3500)
  })

  it('obeys a Retry-After only up to its ceiling, so a bad answer cannot hang the run', async () => {
    expect(await delayFor({...throttle, RetryAfterSeconds: 3600})).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs)
  })
})

describe('SsokitRetryStrategy budgets', () => {
  it('keeps a separate budget per kind of failure, so throttles do not use up the 5xx retries', async () => {
    const strategy = new SsokitRetryStrategy(DEFAULT_RETRY_POLICY, () => 0)
    let token = await strategy.acquireInitialRetryToken('')
    for (let i = 0; i < DEFAULT_RETRY_POLICY.throttlingAttempts - 1; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, {error: throttle, errorType: 'THROTTLING'})
    }

    for (let i = 0; i < DEFAULT_RETRY_POLICY.serverErrorAttempts - 1; i++) {
      token = await strategy.refreshRetryTokenForRetry(token, {error: serverError, errorType: 'TRANSIENT'})
    }

    await expect(
      strategy.refreshRetryTokenForRetry(token, {error: serverError, errorType: 'TRANSIENT'}),
    ).rejects.toThrow()
    await expect(
      strategy.refreshRetryTokenForRetry(token, {error: throttle, errorType: 'THROTTLING'}),
    ).rejects.toThrow()
  })
})
