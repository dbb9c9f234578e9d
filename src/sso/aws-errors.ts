import {isConnectionError} from '../aws/errors.js'
import {messageOf, NetworkError, SsokitError} from '../errors.js'

/** What went wrong in an SDK call, reduced to what ssokit decides on. */
export type AwsFailure =
  | {code: string; kind: 'service'; message: string; status?: number}
  | {code?: string; kind: 'aborted'; message: string}
  | {code?: string; kind: 'network'; message: string}
  | {kind: 'other'; message: string}

/** Classifies an error thrown by an AWS SDK v3 client call (service error, network, abort, or something else). */
export function classifyAwsError(error: unknown): AwsFailure {
  const err = error as Error & {$fault?: string; $metadata?: {httpStatusCode?: number}; code?: string; name?: string}
  const message = messageOf(error)
  if (err?.name === 'AbortError') return {kind: 'aborted', message}
  if (err && typeof err === 'object' && err.$metadata && err.$fault) {
    // OIDC errors carry the text in `error_description` (the SDK's message is then "UnknownError").
    const description = (err as {error_description?: unknown}).error_description
    const text = typeof description === 'string' && description !== '' ? description : message
    return {code: err.name, kind: 'service', message: text, status: err.$metadata.httpStatusCode}
  }

  if (isConnectionError(error))
    return {code: typeof err?.code === 'string' ? err.code : err?.name, kind: 'network', message}
  return {kind: 'other', message}
}

/** A service or network failure as an ssokit error: network → exit 6, throttling → exit 6, others → exit 1. */
export function failureToError(operation: string, failure: AwsFailure, cause: unknown): SsokitError {
  switch (failure.kind) {
    case 'network': {
      return new NetworkError(`${operation} failed: cannot reach the endpoint (${failure.message}).`, 'NETWORK', {
        cause,
        suggestions: ['Check the network, proxy and CA bundle (AWS_CA_BUNDLE); `ssokit doctor` checks them.'],
      })
    }

    case 'service': {
      if (failure.code === 'TooManyRequestsException' || failure.code === 'ThrottlingException') {
        return new NetworkError(`${operation} was throttled (${failure.code}: ${failure.message}).`, 'THROTTLED', {
          cause,
        })
      }

      if ((failure.status ?? 0) >= 500) {
        return new NetworkError(
          `${operation} failed on the service side (${failure.code}: ${failure.message}).`,
          'SERVICE_UNAVAILABLE',
          {
            cause,
          },
        )
      }

      return new SsokitError(`${operation} failed (${failure.code}: ${failure.message}).`, 'AWS_ERROR', {
        cause,
      })
    }

    default: {
      return new SsokitError(`${operation} failed: ${failure.message}`, 'AWS_ERROR', {
        cause,
      })
    }
  }
}

/** The error a cancelled wait rejects with (Ctrl-C or SIGTERM). */
export function abortError(): Error {
  const error = new Error('The operation was aborted.')
  error.name = 'AbortError'
  return error
}

export function isAbortError(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'AbortError'
}
