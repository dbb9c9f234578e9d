import type {SnapshotWarning} from './snapshot.js'

import {AwsAccessDeniedError} from '../aws/errors.js'
import {SsokitError} from '../errors.js'

/** Service error codes that mean "this part does not exist here" rather than a failure. */
const NOT_APPLICABLE: Record<string, {code: string; message: string}> = {
  AWSOrganizationsNotInUseException: {
    code: 'NOT_IN_ORGANIZATION',
    message: 'The caller account is not in an AWS Organization, so there are no organization accounts to list.',
  },
}

function serviceErrorName(error: unknown): string | undefined {
  const cause = error instanceof SsokitError ? error.cause : error
  return typeof cause === 'object' && cause !== null ? (cause as {name?: string}).name : undefined
}

/**
 * Reads one optional part of the snapshot. A refusal (access denied) or a "not applicable" answer becomes a
 * warning and `undefined`, so the rest of the snapshot is still reported; anything else (network, expired
 * credentials) stops the run.
 */
export async function readOptional<T>(
  scope: string,
  warnings: SnapshotWarning[],
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read()
  } catch (error) {
    const warning = warningFor(scope, error)
    if (!warning) throw error
    warnings.push(warning)
    return undefined
  }
}

export function warningFor(scope: string, error: unknown): SnapshotWarning | undefined {
  if (error instanceof AwsAccessDeniedError)
    return {action: error.action, code: 'ACCESS_DENIED', message: error.message, scope}
  const notApplicable = NOT_APPLICABLE[serviceErrorName(error) ?? '']
  return notApplicable ? {...notApplicable, scope} : undefined
}
