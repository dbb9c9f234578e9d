import {ExitCode, type ExitCodeValue} from './exit-codes.js'

export interface SsokitErrorOptions {
  cause?: unknown
  /** Stable machine-readable code, e.g. `CONFIG_UNREADABLE`. */
  code: string
  exit: ExitCodeValue
  /** Next steps shown to the user, e.g. the command to run. */
  suggestions?: string[]
}

/** An expected failure: shown as a message (never a stack trace) with a stable code and exit status. */
export class SsokitError extends Error {
  readonly code: string
  readonly exit: ExitCodeValue
  readonly suggestions: string[]

  constructor(message: string, options: SsokitErrorOptions) {
    super(message, {cause: options.cause})
    this.name = 'SsokitError'
    this.code = options.code
    this.exit = options.exit
    this.suggestions = options.suggestions ?? []
  }
}

/** A file (config, credentials, snapshot) that cannot be read or parsed. */
export class BadInputError extends SsokitError {
  constructor(message: string, code = 'BAD_INPUT', options: Partial<SsokitErrorOptions> = {}) {
    super(message, {...options, code, exit: ExitCode.BAD_INPUT})
  }
}

export class LoginRequiredError extends SsokitError {
  constructor(message: string, loginCommand: string, options: Partial<SsokitErrorOptions> = {}) {
    super(message, {
      code: 'LOGIN_REQUIRED',
      ...options,
      exit: ExitCode.LOGIN_REQUIRED,
      suggestions: [`Run: ${loginCommand}`],
    })
  }
}

export class PermissionDeniedError extends SsokitError {
  constructor(message: string, options: Partial<SsokitErrorOptions> = {}) {
    super(message, {code: 'ACCESS_DENIED', ...options, exit: ExitCode.PERMISSION_DENIED})
  }
}

export class NetworkError extends SsokitError {
  constructor(message: string, options: Partial<SsokitErrorOptions> = {}) {
    super(message, {code: 'NETWORK', ...options, exit: ExitCode.NETWORK})
  }
}

export class WriteRefusedError extends SsokitError {
  constructor(message: string, code: string, options: Partial<SsokitErrorOptions> = {}) {
    super(message, {...options, code, exit: ExitCode.WRITE_REFUSED})
  }
}

/** The message of anything thrown, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
