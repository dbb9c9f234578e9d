// One classification of AWS errors for all of ssokit lives in ../aws/errors.ts.
export {type AwsFailure, describeFailure as classifyAwsError, failureToError} from '../aws/errors.js'

/** The error a cancelled wait rejects with (Ctrl-C or SIGTERM). */
export function abortError(): Error {
  const error = new Error('The operation was aborted.')
  error.name = 'AbortError'
  return error
}

export function isAbortError(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'AbortError'
}
