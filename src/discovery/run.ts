import {budgetRate} from '../aws/budgets.js'
import {AwsSession} from '../aws/clients.js'
import {configuredRegion} from '../aws/configured-region.js'
import {SdkIdentityCenterApi} from '../aws/identity-center-api.js'
import {discover, type DiscoverOutcome, type DiscoverRequest} from './discover.js'

export interface RunDiscoverOptions extends Omit<DiscoverRequest, 'concurrency' | 'configuredRegion'> {
  /** `--max-rps`: the cap of each request budget (src/aws/budgets.ts). */
  maxRps?: number
  profile?: string
}

/**
 * Calls in flight at once, per list being read: enough to keep the fastest budget busy while responses take
 * their time (20/s at 300 ms a response needs 6), bounded so a large organization does not open hundreds of
 * sockets.
 */
function concurrencyFor(maxRps: number | undefined): number {
  return Math.min(32, Math.max(4, budgetRate('sso-admin', maxRps)))
}

/** `ssokit discover` as a library call: real SDK clients from the standard credential chain. */
export async function runDiscover(options: RunDiscoverOptions): Promise<DiscoverOutcome> {
  const {maxRps, profile, ...request} = options
  const session = new AwsSession({maxRps, profile})
  await session.resolveCredentials()
  const region = request.regions && request.regions.length > 0 ? undefined : await configuredRegion(profile)
  return discover(new SdkIdentityCenterApi(session), session.stats, {
    ...request,
    concurrency: concurrencyFor(maxRps),
    configuredRegion: region,
  })
}
