import pLimit from 'p-limit'

/**
 * Runs `fn` over `items` with at most `concurrency` in flight, results in input order. On the first failure
 * nothing new is started (queued items are dropped) and that failure is thrown: a fatal error such as an
 * unreachable endpoint must not be followed by hundreds more doomed calls.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency))
  try {
    return await Promise.all(items.map((item) => limit(() => fn(item))))
  } finally {
    limit.clearQueue()
  }
}
