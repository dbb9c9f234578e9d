import type {IdentityCenterApi, InstanceRecord} from '../aws/identity-center-api.js'

import {AwsAccessDeniedError, isRegionUnavailableError} from '../aws/errors.js'
import {COMMERCIAL_REGIONS} from '../aws/regions.js'
import {SsokitError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {mapConcurrently} from './concurrency.js'
import {type ProgressReporter, silentProgress} from './progress.js'

/** How long one region of the scan may take before it counts as unavailable. */
export const SCAN_TIMEOUT_MS = 8000

export interface InstanceSearch {
  concurrency: number
  /** AWS_REGION / the profile's region: asked first when no region is given. */
  configuredRegion?: string
  progress?: ProgressReporter
  /** `--region`: only these, and any failure there is an error. */
  regions?: string[]
}

export interface InstanceSearchResult {
  instances: InstanceRecord[]
  /** Every region where ListInstances was called, in the order asked. */
  searchedRegions: string[]
}

export class NoInstanceError extends SsokitError {
  constructor(regions: string[]) {
    super(
      `No IAM Identity Center instance is visible to these credentials in ${describeRegions(regions)}.`,
      'NO_INSTANCE',
      {
        suggestions: [
          'Use management-account or Identity Center delegated-administrator credentials (--profile).',
          'Identity Center in China or GovCloud: name the region, e.g. --region cn-north-1 or --region us-gov-west-1.',
        ],
      },
    )
  }
}

function describeRegions(regions: string[]): string {
  return regions.length <= 3 ? regions.join(', ') : `${regions.length} regions (${regions.slice(0, 3).join(', ')}, ...)`
}

/** Whether a failure means "this region is not usable by the caller" (not enabled, opt-in, no connection). */
function regionUnavailable(error: unknown): boolean {
  return isRegionUnavailableError(error instanceof SsokitError ? error.cause : error)
}

/**
 * Finds the Identity Center instances. With `--region`: those regions. Otherwise the configured region first
 * (one call, the usual case), then all commercial regions at once, ignoring regions that are not enabled or do
 * not answer.
 */
export async function findInstances(
  api: Pick<IdentityCenterApi, 'listInstances'>,
  search: InstanceSearch,
): Promise<InstanceSearchResult> {
  const progress = search.progress ?? silentProgress
  progress.phase('instances')
  if (search.regions && search.regions.length > 0) {
    const regions = [...new Set(search.regions)]
    progress.addWork(regions.length)
    const found = await mapConcurrently(regions, search.concurrency, async (region) => {
      const instances = await api.listInstances(region)
      progress.complete()
      return instances
    })
    const instances = found.flat()
    if (instances.length === 0) throw new NoInstanceError(regions)
    return {instances, searchedRegions: regions}
  }

  const searched: string[] = []
  if (search.configuredRegion) {
    searched.push(search.configuredRegion)
    progress.addWork(1)
    try {
      const instances = await api.listInstances(search.configuredRegion)
      progress.complete()
      if (instances.length > 0) return {instances, searchedRegions: searched}
    } catch (error) {
      // A configured region that is not enabled is just an empty region; anything else (denied) is an answer.
      if (!regionUnavailable(error)) throw error
      progress.complete()
    }
  }

  const rest = COMMERCIAL_REGIONS.filter((region) => region !== search.configuredRegion)
  searched.push(...rest)
  progress.addWork(rest.length)
  const outcomes = await mapConcurrently(rest, Math.max(search.concurrency, rest.length), async (region) => {
    try {
      return {instances: await api.listInstances(region, {timeoutMs: SCAN_TIMEOUT_MS})}
    } catch (error) {
      return {error}
    } finally {
      progress.complete()
    }
  })
  const instances = outcomes.flatMap((o) => o.instances ?? [])
  if (instances.length > 0) return {instances, searchedRegions: searched}

  // Nothing anywhere. A refusal is the most useful thing to report (exit 5); then a failure that is not just an
  // unusable region; then, if no region answered at all, the network failure (exit 6).
  const errors = outcomes.flatMap((o) => ('error' in o ? [o.error] : []))
  const denied = errors.find((e) => e instanceof AwsAccessDeniedError)
  if (denied) throw denied
  const unexpected = errors.find((e) => !regionUnavailable(e))
  if (unexpected) throw unexpected
  if (errors.length === rest.length && errors.every((e) => e instanceof SsokitError && e.exit === ExitCode.NETWORK))
    throw errors[0]
  throw new NoInstanceError(searched)
}
