import {Flags} from '@oclif/core'

import type {AuthorizeEvent} from '../sso/login.js'

import {BaseCommand} from '../base-command.js'
import {ssoCacheDir} from '../config/paths.js'
import {SsokitError} from '../errors.js'
import {SignalExitCode} from '../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {isAbortError} from '../sso/aws-errors.js'
import {chooseFlow, currentFlowEnvironment, type RequestedFlow} from '../sso/flow.js'
import {loadTargetConfig, requireComplete, selectTarget} from '../sso/target.js'
import {describeRelative, formatAwsTime, parseDuration} from '../sso/time.js'

/** What `login` returns for people; under `--json` it prints JSON lines instead (README: login). */
export interface LoginSummary {
  expiresAt: string
  flow: 'device-code' | 'pkce'
  path: string
  ssoSession: null | string
  startUrl: string
}

export default class Login extends BaseCommand {
  static override description = `Signs in to an sso-session (or a legacy SSO profile) and caches the token exactly as the AWS CLI does, so aws, boto3 and the JS SDK use it.
--flow auto (the default) uses PKCE with a loopback redirect on 127.0.0.1, or the device-code flow when a browser may not reach this machine (SSH session, container, CI, no display), and says which it picked and why.
With --json, prints JSON lines: {"event": "authorize", ...} at once, then {"event": "logged-in", ...}, so an agent can run it in the background and show the URL to a person.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --sso-session corp',
    '<%= config.bin %> <%= command.id %> --profile dev --flow device-code',
    '<%= config.bin %> <%= command.id %> --sso-session corp --no-browser --json',
    '<%= config.bin %> <%= command.id %> --sso-session corp --start-url https://d-1234567890.awsapps.com/start --sso-region eu-west-1',
  ]
  static override flags = {
    ...configFileFlags,
    flow: Flags.option({
      default: 'auto' as const,
      description: 'auto: PKCE, or device code when a browser cannot reach this machine; pkce; device-code',
      options: ['auto', 'pkce', 'device-code'] as const,
    })(),
    'no-browser': Flags.boolean({
      description: 'Print the URL (and code) instead of opening a browser; the flow stays the same',
    }),
    profile: Flags.string({
      description: "Sign in to this profile's sso-session (or its start URL for a legacy profile)",
      exclusive: ['sso-session'],
    }),
    'sso-region': Flags.string({
      dependsOn: ['sso-session', 'start-url'],
      description: 'With --start-url: the Identity Center region of a new sso-session',
    }),
    'sso-session': Flags.string({description: 'The sso-session to sign in to'}),
    'start-url': Flags.string({
      dependsOn: ['sso-session', 'sso-region'],
      description:
        'Create the --sso-session in the config first, with this access-portal URL (and --sso-region), if it does not exist',
    }),
    timeout: Flags.string({default: '10m', description: 'How long to wait for the sign-in: 90s, 10m, 1h'}),
    'use-device-code': Flags.boolean({description: "The AWS CLI's spelling of --flow device-code"}),
  }
  static override summary = 'Sign in to IAM Identity Center and cache the token'

  /** JSON lines, one document per line, under `--json` (errors included). */
  override logJson(json: unknown): void {
    this.jsonLine(json)
  }

  async run(): Promise<LoginSummary | undefined> {
    const {flags} = await this.parse(Login)
    const timeoutMs = parseDuration(flags.timeout)
    if (timeoutMs === undefined)
      throw usage(`--timeout: expected a duration such as 90s, 10m or 1h, got "${flags.timeout}".`)
    if (flags['use-device-code'] && flags.flow === 'pkce') throw usage('--use-device-code conflicts with --flow pkce.')
    const requested: RequestedFlow = flags['use-device-code'] ? 'device-code' : flags.flow
    const paths = configPathsFrom(flags)
    if (flags['start-url'] && flags['sso-region'] && flags['sso-session']) {
      const {ensureSsoSession} = await import('../config/sso-session-section.js')
      const {created} = await ensureSsoSession(paths.configFile, {
        name: flags['sso-session'],
        region: flags['sso-region'],
        startUrl: flags['start-url'],
      })
      if (created) this.message(`Added [sso-session ${flags['sso-session']}] to ${paths.configFile}.`)
    }

    const config = await loadTargetConfig(paths)
    const profile =
      flags.profile ?? (flags['sso-session'] === undefined ? process.env.AWS_PROFILE || undefined : undefined)
    const target = requireComplete(selectTarget(config, {profile, ssoSession: flags['sso-session']}))
    if (target.kind === 'legacy' && requested === 'pkce') {
      throw usage(
        'A legacy profile (start URL in the profile) signs in with the device-code flow; PKCE needs an sso-session.',
      )
    }

    const choice = chooseFlow(
      requested,
      target.kind,
      await currentFlowEnvironment(),
      flags['use-device-code'] ? '--use-device-code' : undefined,
    )
    const json = this.jsonEnabled()
    this.message(
      `Signing in to ${target.kind === 'sso-session' ? `sso-session ${target.name}` : target.name} (${target.startUrl}) with the ${choice.flow} flow: ${choice.reason}.`,
    )

    const [{login}, {createOidcApi}, {openInBrowser}] = await Promise.all([
      import('../sso/login.js'),
      import('../sso/clients.js'),
      import('../sso/browser.js'),
    ])
    const controller = new AbortController()
    let signalName: string | undefined
    const onSignal = (name: string) => {
      signalName = name
      controller.abort()
    }

    const onInt = () => onSignal('SIGINT')
    const onTerm = () => onSignal('SIGTERM')
    const oidc = await createOidcApi(target.region)
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
    try {
      const result = await login({
        cacheDir: ssoCacheDir(),
        flow: choice.flow,
        oidc,
        onAuthorize: async (event) => {
          if (json) this.jsonLine(authorizeJson(event))
          describeAuthorize(event, flags['no-browser'], (text) => this.message(text))
          if (!flags['no-browser']) {
            const opened = await openInBrowser(event.url)
            if (!opened.opened) this.message(`Could not open a browser (${opened.error}); open the URL above yourself.`)
          }
        },
        signal: controller.signal,
        target,
        timeoutMs,
      })
      const summary: LoginSummary = {
        expiresAt: result.token.expiresAt,
        flow: result.flow,
        path: result.path,
        ssoSession: target.sessionName ?? null,
        startUrl: target.startUrl,
      }
      if (json) {
        this.logJson({event: 'logged-in', ssoSession: summary.ssoSession, expiresAt: summary.expiresAt})
        return undefined
      }

      const expiry = new Date(summary.expiresAt)
      this.output(
        `Logged in to ${target.kind === 'sso-session' ? `sso-session ${target.name}` : target.name}. ` +
          `The token expires at ${summary.expiresAt} (${describeRelative(expiry, new Date())})` +
          `${result.token.refreshToken ? ' and is refreshed automatically' : ''}.\n`,
      )
      return summary
    } catch (error) {
      if (!isAbortError(error) || !signalName) throw error
      const exit = SignalExitCode[signalName] ?? SignalExitCode.SIGINT
      process.exitCode = exit
      if (json)
        this.logJson({
          error: {code: 'INTERRUPTED', exit, message: `Login interrupted (${signalName}); nothing was written.`},
        })
      else this.message(`Login interrupted (${signalName}); nothing was written.`)
      return undefined
    } finally {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      oidc.close()
    }
  }
}

function usage(message: string): SsokitError {
  return new SsokitError(message, 'USAGE')
}

function authorizeJson(event: AuthorizeEvent) {
  return {
    event: 'authorize',
    flow: event.flow,
    url: event.url,
    userCode: event.userCode,
    expiresAt: formatAwsTime(event.expiresAt),
  }
}

function describeAuthorize(event: AuthorizeEvent, noBrowser: boolean, say: (text: string) => void): void {
  const until = `Waiting until ${formatAwsTime(event.expiresAt)} (${describeRelative(event.expiresAt, new Date())}); Ctrl-C cancels.`
  const intro = noBrowser
    ? 'Open this URL in a browser to sign in:'
    : 'Opening the browser. If it does not open, or to sign in on another device, open:'
  if (event.flow === 'device-code') {
    say(
      `${intro}\n\n  ${event.url}\n\nand check that the page shows the code: ${event.userCode}\n(or open ${event.verificationUri} and enter it).\n${until}`,
    )
  } else {
    say(
      `${intro}\n\n  ${event.url}\n\nThe browser must run on this machine: it returns to 127.0.0.1. Elsewhere, use --flow device-code.\n${until}`,
    )
  }
}
