import {Command, Errors} from '@oclif/core'

import {messageOf, SsokitError} from './errors.js'
import {ExitCode} from './exit-codes.js'
import {escapeControl} from './render/terminal.js'
import {redactSecrets} from './secrets.js'

export interface ErrorJson {
  error: {code: string; exit: number; message: string; reason?: string; suggestions: string[]}
}

/**
 * The one base for every ssokit command, and the one place output goes through: `--json` on every command (one
 * document on stdout), human text on stdout and messages on stderr with control characters escaped and known
 * secrets redacted, errors mapped to their exit codes (src/errors.ts) and, under `--json`, printed as
 * `{"error": {...}}` on stdout with the exit code kept (oclif 4 loses it).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true
  /** Errors as one line on stderr (message, then the suggestions), for commands whose stderr other tools show. */
  static oneLineErrors = false

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    const ssokitError = toSsokitError(err)
    if (!ssokitError) {
      // oclif's own usage errors (exit 2) keep oclif's formatting and help hints.
      const exit = err.oclif?.exit ?? err.exitCode ?? ExitCode.USAGE
      process.exitCode ??= exit
      if (this.jsonEnabled()) {
        this.logJson({
          error: {code: 'USAGE', exit, message: redactSecrets(err.message), suggestions: []},
        } satisfies ErrorJson)
        return
      }

      throw err
    }

    process.exitCode = ssokitError.exit
    const message = redactSecrets(ssokitError.message)
    const suggestions = ssokitError.suggestions.map((s) => redactSecrets(s))
    if (this.jsonEnabled()) {
      const error: ErrorJson['error'] = {code: ssokitError.code, exit: ssokitError.exit, message, suggestions}
      if ('reason' in ssokitError && typeof ssokitError.reason === 'string') error.reason = ssokitError.reason
      this.logJson({error} satisfies ErrorJson)
      return
    }

    const {oneLineErrors} = this.constructor as typeof BaseCommand
    const text = oneLineErrors
      ? `Error: ${[message, ...suggestions].join(' ').replaceAll('\n', ' ')}\n`
      : `Error: ${message}\n${suggestions.map((s) => `  ${s}\n`).join('')}`
    this.message(text.trimEnd())
    if (process.env.DEBUG && err.stack) this.message(redactSecrets(err.stack))
    Errors.exit(ssokitError.exit)
  }

  override async init(): Promise<void> {
    // The SDK warns on Node 20 that its releases from 2027 will need Node 22. ssokit's lockfile pins the SDK it
    // was tested with, so the warning tells ssokit's users nothing they can act on; it would only add noise to
    // every command (and to the error text of tools that run credential-process).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
    await super.init()
  }

  /** One compact JSON document per line on stdout (login's events under --json). */
  protected jsonLine(json: unknown): void {
    process.stdout.write(JSON.stringify(json) + '\n')
  }

  /** Print a JSON document on stdout: plain, so that scripts and `jq` read it without colour codes. */
  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  /** A message for people on stderr (also under --json, where stdout holds only JSON). */
  protected message(text: string): void {
    process.stderr.write(escapeControl(redactSecrets(text)) + '\n')
  }

  /** Human output on stdout; nothing under --json (the command returns the data instead). */
  protected output(text: string): void {
    if (this.jsonEnabled()) return
    process.stdout.write(escapeControl(redactSecrets(text)))
  }

  /**
   * A generated document (CSV with its CRLF line ends, an HTML page) on stdout as it is, with known secrets
   * redacted; nothing under --json. Its renderer has escaped every value already: only for such documents.
   */
  protected outputDocument(text: string): void {
    if (this.jsonEnabled()) return
    process.stdout.write(redactSecrets(text))
  }

  /** `Warning: …` on stderr. */
  protected warning(text: string): void {
    this.message(`Warning: ${text}`)
  }
}

/** SsokitErrors as they are; oclif usage errors become undefined (oclif prints them); anything else is a bug. */
function toSsokitError(err: Error & {oclif?: {exit?: number}}): SsokitError | undefined {
  if (err instanceof SsokitError) return err
  if (err instanceof Errors.ExitError) return undefined
  if (err.oclif?.exit !== undefined) return undefined
  return new SsokitError(`Unexpected error (a bug in ssokit): ${messageOf(err)}`, 'UNEXPECTED', {
    cause: err,
    suggestions: [
      'Please report it with the command you ran and its output with DEBUG=1 set (ssokit never prints secrets).',
    ],
  })
}
