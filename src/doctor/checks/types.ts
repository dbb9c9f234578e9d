import type {LoadedConfig} from '../../config/load.js'
import type {ConfigPaths} from '../../config/paths.js'
import type {SsoConfig} from '../../config/sso-config.js'

/** The categories of checks, in the order doctor prints them. */
export const CATEGORIES = ['environment', 'config', 'tokens', 'network', 'credentials'] as const

export type CheckCategory = (typeof CATEGORIES)[number]

export type CheckStatus = 'fail' | 'pass' | 'skip' | 'warn'

/** One line of `ssokit doctor`: `{id, category, status, message, fix}`. */
export interface CheckResult {
  category: CheckCategory
  /** The command or config line that fixes it; null for a pass (or when nothing can be done here). */
  fix: null | string
  id: string
  message: string
  status: CheckStatus
}

export interface DoctorOptions {
  cacheDir: string
  env: NodeJS.ProcessEnv
  now: Date
  /** `--offline`: checks that need the network are skipped. */
  offline: boolean
  paths: ConfigPaths
  /** `--profile`: also resolve this profile's credentials end to end. */
  profile?: string
  /** `--sso-session`: only this session's token. */
  ssoSession?: string
  stateDir: string
  /** Deadline of each network step (ms). */
  timeoutMs: number
}

/** What every check gets: the options, and the config read once for all of them. */
export interface DoctorContext extends DoctorOptions {
  config(): Promise<LoadedConfig>
  /** Shared work of several checks (one endpoint probe feeds the TLS and clock-skew checks), by key. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>
  ssoConfig(): Promise<SsoConfig>
}

export interface CheckDefinition {
  category: CheckCategory
  id: string
  /** Needs the network: skipped under `--offline`. */
  online: boolean
  run(context: DoctorContext): Promise<CheckResult | CheckResult[]>
  /** How long the whole check may take; default the context's timeout plus a second. */
  timeoutMs?: (context: DoctorContext) => number
}

/** A result of `definition` (give it an `id` of its own with {@link withId} for per-item checks). */
export function result(
  definition: Pick<CheckDefinition, 'category' | 'id'>,
  status: CheckStatus,
  message: string,
  fix: null | string = null,
): CheckResult {
  return {id: definition.id, category: definition.category, status, message, fix}
}

/** The same result under a per-item id, e.g. `token:corp`. */
export function withId(check: CheckResult, id: string): CheckResult {
  return {...check, id}
}
