/** Minutes and seconds as milliseconds, so that windows read as what they are. */
export const MINUTE_MS = 60_000

/**
 * The window botocore and the AWS CLI use: a token (or registration) with less than 15 minutes left is refreshed,
 * or not reused (`tokens.py` `_REFRESH_WINDOW`, `utils.py` `_EXPIRY_WINDOW`).
 */
export const REFRESH_WINDOW_MS = 15 * MINUTE_MS

/** A timestamp as the AWS CLI writes it into the token cache: `%Y-%m-%dT%H:%M:%SZ` (UTC, no fraction). */
export function formatAwsTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * A cache timestamp as botocore (dateutil) and the JS SDK (`new Date`) read it: the CLI's `...Z`, the JS SDK's
 * `...000Z`, or an explicit offset. Undefined when it cannot be read.
 */
export function parseAwsTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const date = new Date(value.trim())
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** "in 42 min", "3 h 5 min ago": for people, never for machines. */
export function describeRelative(target: Date, now: Date): string {
  const deltaMs = target.getTime() - now.getTime()
  const text = describeDuration(Math.abs(deltaMs))
  return deltaMs >= 0 ? `in ${text}` : `${text} ago`
}

export function describeDuration(ms: number): string {
  const totalMinutes = Math.floor(ms / MINUTE_MS)
  if (totalMinutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`
  if (totalMinutes < 60) return `${totalMinutes} min`
  const hours = Math.floor(totalMinutes / 60)
  const minutes = totalMinutes % 60
  if (hours < 48) return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`
  return `${Math.floor(hours / 24)} days`
}

/**
 * A duration flag: `90` or `90s` (seconds), `10m`, `1h`, `500ms`. Undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text)
  if (!match) return undefined
  const value = Number(match[1])
  const unit = (match[2] ?? 's').toLowerCase()
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? MINUTE_MS : 60 * MINUTE_MS
  const ms = Math.round(value * factor)
  return ms > 0 ? ms : undefined
}
