/**
 * `ssokit exec`: runs a command as a child with ssokit's terminal (stdin, stdout and stderr inherited), passes
 * on the signals ssokit receives, and reports how the child ended, so that the command can end the same way.
 */
import {spawn} from 'node:child_process'
import {constants} from 'node:os'

import {SsokitError} from '../errors.js'

/**
 * Signals passed on to the child. One from the terminal (Ctrl-C) reaches the child directly too, as it shares
 * the foreground process group; passing it on covers a signal sent to ssokit alone (`kill`, a supervisor).
 */
export const FORWARDED_SIGNALS: NodeJS.Signals[] = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTERM',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
]

export interface ChildOutcome {
  code: null | number
  signal: NodeJS.Signals | null
}

/** Runs the child to its end. Throws COMMAND_NOT_FOUND / COMMAND_NOT_EXECUTABLE when it cannot start. */
export async function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  const child = spawn(command, args, {env, stdio: 'inherit'})
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }

  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const)
  for (const [signal, handler] of handlers) process.on(signal, handler)
  try {
    return await new Promise<ChildOutcome>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(startError(command, error)))
      child.once('exit', (code, signal) => resolve({code, signal}))
    })
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler)
  }
}

/** The exit status a shell reports for a child killed by `signal`: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

function startError(command: string, error: NodeJS.ErrnoException): SsokitError {
  if (error.code === 'ENOENT')
    return new SsokitError(`The command was not found: ${command}.`, 'COMMAND_NOT_FOUND', {
      cause: error,
      suggestions: ['Check its name and PATH, or give its full path.'],
    })
  return new SsokitError(
    `The command cannot be run: ${command} (${error.code ?? error.message}).`,
    'COMMAND_NOT_EXECUTABLE',
    {
      cause: error,
    },
  )
}
