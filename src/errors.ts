import {ExitCode, type ExitCodeValue} from './exit-codes.js'

/**
 * Every error code ssokit prints, with its exit code and what it means: one code per meaning. The README's
 * table of error codes is this list (a test keeps them equal); a code's exit status never depends on who throws it.
 */
export const ERROR_CODES = {
  UNEXPECTED: {exit: ExitCode.FINDINGS, meaning: 'a bug in ssokit; the message says how to report it'},
  AWS_ERROR: {exit: ExitCode.FINDINGS, meaning: 'an AWS service refused a request for a reason not listed here'},
  USER_NOT_FOUND: {exit: ExitCode.FINDINGS, meaning: 'no user of that name, email or id in the identity store'},
  DECLINED: {exit: ExitCode.FINDINGS, meaning: 'the confirmation was answered no; nothing was written'},
  NO_INSTANCE: {exit: ExitCode.FINDINGS, meaning: 'no IAM Identity Center instance in the regions searched'},
  USAGE: {exit: ExitCode.USAGE, meaning: 'a flag or argument that cannot be used as given'},
  CONFIRMATION_REQUIRED: {exit: ExitCode.USAGE, meaning: 'a write needs --yes, because there is no terminal to ask'},
  PROFILE_NOT_FOUND: {exit: ExitCode.USAGE, meaning: 'the profile named by a flag or AWS_PROFILE does not exist'},
  SSO_SESSION_NOT_FOUND: {exit: ExitCode.USAGE, meaning: 'the sso-session named by a flag does not exist'},
  SSO_TARGET_REQUIRED: {
    exit: ExitCode.USAGE,
    meaning: 'several sso-sessions: choose one with --sso-session or --profile',
  },
  FILE_UNREADABLE: {
    exit: ExitCode.BAD_INPUT,
    meaning: 'a file cannot be read: permission, not a regular file, too large',
  },
  FILE_UNWRITABLE: {exit: ExitCode.BAD_INPUT, meaning: 'a file or its folder cannot be written; nothing was written'},
  CONFIG_UNREADABLE_BY_AWS: {
    exit: ExitCode.BAD_INPUT,
    meaning: 'the config is not text the AWS CLI can read (encoding, parse error); generate writes nothing',
  },
  INVALID_VALUE: {
    exit: ExitCode.BAD_INPUT,
    meaning: 'a value from a snapshot, an AWS answer or a flag that is not safe to write; nothing was written',
  },
  SNAPSHOT_INVALID: {exit: ExitCode.BAD_INPUT, meaning: 'a snapshot that is not a `ssokit discover` snapshot'},
  SNAPSHOT_INCOMPLETE: {exit: ExitCode.BAD_INPUT, meaning: 'a snapshot without the parts the command needs'},
  SSO_CONFIG_INCOMPLETE: {exit: ExitCode.BAD_INPUT, meaning: 'an SSO profile or sso-session lacks a required setting'},
  SSO_SESSION_MISSING: {exit: ExitCode.BAD_INPUT, meaning: 'a profile names an sso-session the config does not have'},
  CA_BUNDLE_UNREADABLE: {exit: ExitCode.BAD_INPUT, meaning: 'AWS_CA_BUNDLE names a file that cannot be read'},
  LOGIN_REQUIRED: {
    exit: ExitCode.LOGIN_REQUIRED,
    meaning: 'a (new) login is needed; `reason` says why, `suggestions` has the command',
  },
  ACCESS_DENIED: {exit: ExitCode.PERMISSION_DENIED, meaning: 'the AWS credentials lack an IAM permission (named)'},
  NO_ACCESS: {exit: ExitCode.PERMISSION_DENIED, meaning: 'the signed-in user is not assigned that account and role'},
  NETWORK: {exit: ExitCode.NETWORK, meaning: 'an endpoint cannot be reached (DNS, refused, timeout, proxy)'},
  TLS: {exit: ExitCode.NETWORK, meaning: 'TLS verification failed (untrusted or invalid certificate)'},
  THROTTLED: {exit: ExitCode.NETWORK, meaning: 'AWS kept throttling after every retry'},
  SERVICE_UNAVAILABLE: {exit: ExitCode.NETWORK, meaning: 'AWS answered 5xx after every retry'},
  CALLBACK_SERVER_FAILED: {
    exit: ExitCode.NETWORK,
    meaning: 'the login cannot listen on 127.0.0.1 for the PKCE callback',
  },
  LOCKED: {exit: ExitCode.WRITE_REFUSED, meaning: 'another ssokit holds the file lock'},
  BLOCK_EDITED: {exit: ExitCode.WRITE_REFUSED, meaning: 'a managed block was edited by hand (--force rewrites it)'},
  DUPLICATE_BLOCK: {exit: ExitCode.WRITE_REFUSED, meaning: 'the config has two managed blocks for one sso-session'},
  SSO_SESSION_CONFLICT: {
    exit: ExitCode.WRITE_REFUSED,
    meaning: 'an existing [sso-session] points at another portal or region',
  },
  FILE_CHANGED: {exit: ExitCode.WRITE_REFUSED, meaning: 'the file changed while ssokit was working on it'},
  HARD_LINKED: {
    exit: ExitCode.WRITE_REFUSED,
    meaning: 'the file has several hard links; replacing it would split them (--force rewrites it in place)',
  },
  READ_ONLY: {exit: ExitCode.WRITE_REFUSED, meaning: 'the file is read-only (no owner write bit); --force replaces it'},
  COMMAND_NOT_EXECUTABLE: {
    exit: ExitCode.COMMAND_NOT_EXECUTABLE,
    meaning: '`ssokit exec`: the command exists but cannot be run (permission, not a program)',
  },
  COMMAND_NOT_FOUND: {exit: ExitCode.COMMAND_NOT_FOUND, meaning: '`ssokit exec`: the command is not on PATH'},
} as const satisfies Record<string, {exit: ExitCodeValue; meaning: string}>

export type ErrorCode = keyof typeof ERROR_CODES

/** The codes whose exit status is `E`. */
export type ErrorCodeWithExit<E extends ExitCodeValue> = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['exit'] extends E ? K : never
}[ErrorCode]

export interface SsokitErrorOptions {
  cause?: unknown
  /** Next steps shown to the user, e.g. the command to run. */
  suggestions?: string[]
}

/** An expected failure: shown as a message (never a stack trace) with a stable code and its exit status. */
export class SsokitError extends Error {
  readonly code: ErrorCode
  readonly exit: ExitCodeValue
  readonly suggestions: string[]

  constructor(message: string, code: ErrorCode, options: SsokitErrorOptions = {}) {
    super(message, {cause: options.cause})
    this.name = 'SsokitError'
    this.code = code
    this.exit = ERROR_CODES[code].exit
    this.suggestions = options.suggestions ?? []
  }
}

export function usageError(message: string, options: SsokitErrorOptions = {}): SsokitError {
  return new SsokitError(message, 'USAGE', options)
}

/** A file (config, credentials, snapshot) or value that cannot be read, parsed or safely written. */
export class BadInputError extends SsokitError {
  constructor(message: string, code: ErrorCodeWithExit<3>, options: SsokitErrorOptions = {}) {
    super(message, code, options)
  }
}

/** Why a login is needed; kept beside the one code, `LOGIN_REQUIRED`. */
export type LoginReason =
  | 'authorization-denied'
  | 'authorization-expired'
  | 'credentials-expired'
  | 'credentials-rejected'
  | 'login-failed'
  | 'login-pending'
  | 'login-refused'
  | 'no-credentials'
  | 'no-token'
  | 'refresh-refused'
  | 'state-mismatch'
  | 'timeout'
  | 'token-expired'
  | 'token-rejected'

/** A login is needed. The exact command is always the first suggestion. */
export class LoginRequiredError extends SsokitError {
  readonly loginCommand: string
  readonly reason: LoginReason

  constructor(message: string, loginCommand: string, options: SsokitErrorOptions & {reason: LoginReason}) {
    super(message, 'LOGIN_REQUIRED', {
      ...options,
      suggestions: [`Run: ${loginCommand}`, ...(options.suggestions ?? [])],
    })
    this.loginCommand = loginCommand
    this.reason = options.reason
  }
}

export class PermissionDeniedError extends SsokitError {
  constructor(message: string, code: ErrorCodeWithExit<5> = 'ACCESS_DENIED', options: SsokitErrorOptions = {}) {
    super(message, code, options)
  }
}

export class NetworkError extends SsokitError {
  constructor(message: string, code: ErrorCodeWithExit<6> = 'NETWORK', options: SsokitErrorOptions = {}) {
    super(message, code, options)
  }
}

export class WriteRefusedError extends SsokitError {
  constructor(message: string, code: ErrorCodeWithExit<7>, options: SsokitErrorOptions = {}) {
    super(message, code, options)
  }
}

/** The message of anything thrown, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
