import type {IdentityCenterApi} from '../aws/identity-center-api.js'
import type {SnapshotAccount, SnapshotWarning} from './snapshot.js'

import {type ProgressReporter, silentProgress} from './progress.js'
import {readOptional} from './warnings.js'

/** The organization's accounts (Organizations ListAccounts), or undefined with a warning when not readable. */
export async function readAccounts(
  api: IdentityCenterApi,
  region: string,
  warnings: SnapshotWarning[],
  progress: ProgressReporter = silentProgress,
): Promise<SnapshotAccount[] | undefined> {
  progress.phase('accounts')
  progress.addWork(1)
  const accounts = await readOptional('accounts', warnings, () => api.listAccounts(region))
  progress.complete()
  return accounts
}
