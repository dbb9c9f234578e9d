import {Command, Errors} from '@oclif/core'

import {messageOf, SsokitError} from './errors.js'
import {ExitCode} from './exit-codes.js'
import {redactSecrets} from './secrets.js'

export interface ErrorJson {
  error: {code: string; exit: number; message: string; suggestions?: string[]}
}

/**
 * The one base for every ssokit command: `--json` on every command, errors mapped to design.md §2 exit codes,
 * and, under `--json`, errors as `{"error": {...}}` on stdout with the exit code kept (oclif 4 loses it).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    const ssokitError = toSsokitError(err)
    if (!ssokitError) {
      // oclif's own usage errors (exit 2) keep oclif's formatting and help hints.
      const exit = err.oclif?.exit ?? err.exitCode ?? ExitCode.USAGE
      process.exitCode ??= exit
      if (this.jsonEnabled()) {
        this.logJson({error: {code: 'USAGE', exit, message: redactSecrets(err.message)}} satisfies ErrorJson)
        return
      }

      throw err
    }

    process.exitCode = ssokitError.exit
    const message = redactSecrets(ssokitError.message)
    const suggestions = ssokitError.suggestions.map((s) => redactSecrets(s))
    if (this.jsonEnabled()) {
      const error: ErrorJson['error'] = {code: ssokitError.code, exit: ssokitError.exit, message}
      if (suggestions.length > 0) error.suggestions = suggestions
      this.logJson({error} satisfies ErrorJson)
      return
    }

    process.stderr.write(`Error: ${message}\n${suggestions.map((s) => `  ${s}\n`).join('')}`)
    if (process.env.DEBUG && err.stack) process.stderr.write(redactSecrets(err.stack) + '\n')
    Errors.exit(ssokitError.exit)
  }

  override async init(): Promise<void> {
    // The SDK warns on Node 20 that its releases from 2027 will need Node 22. ssokit's lockfile pins the SDK it
    // was tested with, so the warning tells ssokit's users nothing they can act on; it would only add noise to
    // every command (and to the error text of tools that run credential-process).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
    await super.init()
  }

  /** Print a JSON document on stdout: plain, so that scripts and `jq` read it without colour codes. */
  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }
}

/** SsokitErrors as they are; oclif usage errors become undefined (oclif prints them); anything else is unexpected. */
function toSsokitError(err: Error & {oclif?: {exit?: number}}): SsokitError | undefined {
  if (err instanceof SsokitError) return err
  if (err instanceof Errors.ExitError) return undefined
  if (err.oclif?.exit !== undefined) return undefined
  return new SsokitError(`Unexpected error: ${messageOf(err)}`, {
    cause: err,
    code: 'UNEXPECTED',
    exit: ExitCode.FINDINGS,
  })
}
