import {loadConfig} from '../../config/load.js'
import {ssoConfigOf} from '../../config/sso-config.js'
import {messageOf, SsokitError} from '../../errors.js'
import {describeDuration} from '../../sso/time.js'
import {
  CATEGORIES,
  type CheckDefinition,
  type CheckResult,
  type CheckStatus,
  type DoctorContext,
  type DoctorOptions,
  result,
} from './types.js'

const order = (check: CheckResult) => CATEGORIES.indexOf(check.category)

export interface DoctorReport {
  checks: CheckResult[]
  summary: Record<CheckStatus, number> & {total: number}
}

/**
 * Runs every check at once, each under a deadline, and returns them grouped by category in definition order.
 * A check that throws fails with its message; one that misses its deadline fails as "no answer", so that a
 * network that drops packets costs one deadline, not one per check.
 */
export async function runChecks(definitions: CheckDefinition[], options: DoctorOptions): Promise<DoctorReport> {
  const context = contextOf(options)
  const runs = definitions.map(async (definition): Promise<CheckResult[]> => {
    if (definition.online && options.offline) return [result(definition, 'skip', 'Skipped: --offline.')]
    const deadline = definition.timeoutMs?.(context) ?? options.timeoutMs + 1000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<CheckResult[]>((resolve) => {
      timer = setTimeout(
        () => resolve([result(definition, 'fail', `No answer within ${describeDuration(deadline)}.`)]),
        deadline,
      )
      timer.unref()
    })
    try {
      const outcome = definition.run(context).then((r) => (Array.isArray(r) ? r : [r]))
      return await Promise.race([outcome, timeout])
    } catch (error) {
      const message = error instanceof SsokitError ? error.message : `The check itself failed: ${messageOf(error)}`
      const fix = error instanceof SsokitError ? (error.suggestions[0]?.replace(/^Run: /, '') ?? null) : null
      return [result(definition, 'fail', message, fix)]
    } finally {
      clearTimeout(timer)
    }
  })
  const checks = (await Promise.all(runs)).flat()
  // A stable sort: within a category, the definitions' order.
  checks.sort((a, b) => order(a) - order(b))
  const summary = {fail: 0, pass: 0, skip: 0, total: checks.length, warn: 0}
  for (const check of checks) summary[check.status]++
  return {checks, summary}
}

function contextOf(options: DoctorOptions): DoctorContext {
  const memos = new Map<string, Promise<unknown>>()
  const memo = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!memos.has(key)) memos.set(key, make())
    return memos.get(key) as Promise<T>
  }

  const config = () => memo('config', () => loadConfig(options.paths))
  return {
    ...options,
    config,
    memo,
    ssoConfig: () => memo('sso-config', async () => ssoConfigOf((await config()).model)),
  }
}
