/** The error a cancelled wait rejects with (Ctrl-C or SIGTERM). */
export function abortError(): Error {
  const error = new Error('The operation was aborted.')
  error.name = 'AbortError'
  return error
}

export function isAbortError(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'AbortError'
}
