/** Every exit code ssokit uses (README: Exit codes). Commands and errors refer to these names, never to numbers. */
export const ExitCode = {
  /** Success; no error findings; access granted. */
  OK: 0,
  /** Findings: lint errors, a failed doctor check, access not granted, an unrecognised error text. */
  FINDINGS: 1,
  /** Usage error (oclif's own flag and argument errors). */
  USAGE: 2,
  /** A config file or snapshot that cannot be read or parsed. Nothing was written. */
  BAD_INPUT: 3,
  /** No token, or expired and not refreshable. The message names the command to run. */
  LOGIN_REQUIRED: 4,
  /** The caller's AWS credentials lack permission for an admin API. */
  PERMISSION_DENIED: 5,
  /** Network, endpoint or TLS failure. */
  NETWORK: 6,
  /** Refused to write: a managed block was edited by hand, or another ssokit holds the lock. */
  WRITE_REFUSED: 7,
  /** `ssokit exec`: the command exists but cannot be run (POSIX shells and env(1) use the same code). */
  COMMAND_NOT_EXECUTABLE: 126,
  /** `ssokit exec`: the command was not found (POSIX shells and env(1) use the same code). */
  COMMAND_NOT_FOUND: 127,
} as const

/** A login interrupted by a signal exits as shells expect: 128 + the signal number. */
export const SignalExitCode: Record<string, number> = {SIGINT: 130, SIGTERM: 143}

/** An unknown command exits as a shell's unknown command does (and as @oclif/plugin-not-found makes it). */
export const COMMAND_NOT_FOUND_EXIT = 127

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
