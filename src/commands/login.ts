import {Flags} from '@oclif/core'

import type {DetachedStart} from '../sso/detached-login.js'

import {BaseCommand} from '../base-command.js'
import {cliCredentialCacheDir, ssoCacheDir} from '../config/paths.js'
import {SsokitError} from '../errors.js'
import {SignalExitCode} from '../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {authorizeEventOf, authorizeJson, describeAuthorize, describeTarget} from '../render/login.js'
import {isAbortError} from '../sso/abort.js'
import {chooseFlow, currentFlowEnvironment, type RequestedFlow} from '../sso/flow.js'
import {type CompleteSsoTarget, loadTargetConfig, requireComplete, selectTarget} from '../sso/target.js'
import {describeRelative, parseDuration} from '../sso/time.js'

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
With --json, prints JSON lines: {"event": "authorize", ...} at once, then {"event": "logged-in", ...}.
For agents and scripts, a login in two short commands: --detach prints the authorize event and exits 0 at once while a detached ssokit process finishes the sign-in (a second --detach while it is pending prints the same URL again); --wait then blocks until it ends (at most --timeout): exit 0 with the logged-in event when the session is usable, 4 with the reason otherwise. Without a pending sign-in, --wait answers at once: 0 if the session is usable, 4 if not.
--force first signs out with the portal's Logout, so that the new sign-in starts a new IAM Identity Center session (and its full duration).`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --sso-session corp',
    '<%= config.bin %> <%= command.id %> --profile dev --flow device-code',
    '<%= config.bin %> <%= command.id %> --sso-session corp --no-browser --json',
    '<%= config.bin %> <%= command.id %> --sso-session corp --no-browser --json --detach && <%= config.bin %> <%= command.id %> --wait --sso-session corp',
    '<%= config.bin %> <%= command.id %> --sso-session corp --start-url https://d-1234567890.awsapps.com/start --sso-region eu-west-1',
  ]
  static override flags = {
    ...configFileFlags,
    detach: Flags.boolean({
      description:
        'Print the authorize event and exit at once; a detached ssokit process finishes the sign-in (then use --wait)',
      exclusive: ['wait'],
    }),
    flow: Flags.option({
      default: 'auto' as const,
      description: 'auto: PKCE, or device code when a browser cannot reach this machine; pkce; device-code',
      options: ['auto', 'pkce', 'device-code'] as const,
    })(),
    force: Flags.boolean({
      description:
        "Sign out with the portal's Logout first (and stop a pending sign-in), so a new IAM Identity Center session starts",
      exclusive: ['wait'],
    }),
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
      exclusive: ['wait'],
    }),
    timeout: Flags.string({
      default: '10m',
      description: 'How long to wait for the sign-in (with --wait: for the pending one to end): 90s, 10m, 1h',
    }),
    'use-device-code': Flags.boolean({description: "The AWS CLI's spelling of --flow device-code"}),
    wait: Flags.boolean({
      description:
        'Wait for the pending sign-in of --detach to end (at most --timeout); exit 0 when logged in, 4 if not',
    }),
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
    if (flags.wait) return this.waitForSignIn(target, timeoutMs)
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
    if (flags.force) await this.startOver(target)
    if (flags.detach) {
      const {startDetachedLogin} = await import('../sso/detached-login.js')
      const selection = target.kind === 'sso-session' ? {ssoSession: target.name} : {profile: profile!}
      const start = await startDetachedLogin({
        startOver: flags.force,
        target,
        worker: {...paths, ...selection, flow: choice.flow, timeoutMs},
      })
      await this.reportDetached(start, target, flags['no-browser'])
      return undefined
    }

    this.message(
      `Signing in to ${describeTarget(target)} (${target.startUrl}) with the ${choice.flow} flow: ${choice.reason}.`,
    )
    return this.signIn(target, choice.flow, timeoutMs, flags['no-browser'])
  }

  /** `--detach`: the authorize event (or, for a sign-in that needed no approval, the logged-in event). */
  private async reportDetached(start: DetachedStart, target: CompleteSsoTarget, noBrowser: boolean): Promise<void> {
    const json = this.jsonEnabled()
    if (!start.authorize) {
      if (json)
        this.jsonLine({event: 'logged-in', ssoSession: target.sessionName ?? null, expiresAt: start.tokenExpiresAt})
      else this.output(`Logged in to ${describeTarget(target)}; the token expires at ${start.tokenExpiresAt}.\n`)
      return
    }

    if (json) this.jsonLine({...start.authorize, waitCommand: start.waitCommand})
    this.message(
      start.reused
        ? `A sign-in to ${describeTarget(target)} is already pending (started at ${start.startedAt}, ${start.authorize.flow} flow); here is its URL again (--force starts a new one).`
        : `Signing in to ${describeTarget(target)} (${target.startUrl}) with the ${start.authorize.flow} flow, in a detached ssokit process (pid ${start.pid}).`,
    )
    const event = authorizeEventOf(start.authorize)
    describeAuthorize(event, noBrowser, (text) => this.message(text), {
      until: `It can be approved until ${start.authorize.expiresAt} (${describeRelative(event.expiresAt, new Date())}). Then run: ${start.waitCommand}`,
    })
    if (!noBrowser) {
      const {openInBrowser} = await import('../sso/browser.js')
      const opened = await openInBrowser(start.authorize.url)
      if (!opened.opened) this.message(`Could not open a browser (${opened.error}); open the URL above yourself.`)
    }
  }

  /** The sign-in itself, in this process. */
  private async signIn(
    target: CompleteSsoTarget,
    flow: 'device-code' | 'pkce',
    timeoutMs: number,
    noBrowser: boolean,
  ): Promise<LoginSummary | undefined> {
    const json = this.jsonEnabled()
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
        flow,
        oidc,
        onAuthorize: async (event) => {
          if (json) this.jsonLine(authorizeJson(event))
          describeAuthorize(event, noBrowser, (text) => this.message(text))
          if (!noBrowser) {
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
        `Logged in to ${describeTarget(target)}. ` +
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

  /** `--force`: stop a pending detached sign-in, then the portal's Logout and the cached token and credentials. */
  private async startOver(target: CompleteSsoTarget): Promise<void> {
    const [{signOutFirst}, {createPortalApi}] = await Promise.all([
      import('../sso/detached-login.js'),
      import('../sso/clients.js'),
    ])
    const entry = await signOutFirst(target, {
      cacheDir: ssoCacheDir(),
      cliCacheDir: cliCredentialCacheDir(),
      portal: createPortalApi,
    })
    if (entry.revoked)
      this.message(`Signed out of ${describeTarget(target)} first (--force): the portal ended the session.`)
    else if (entry.note) this.message(`--force: ${entry.note}.`)
  }

  /** `--wait`: the pending detached sign-in's outcome, or whether the session is usable now. */
  private async waitForSignIn(target: CompleteSsoTarget, timeoutMs: number): Promise<undefined> {
    const [{waitForLogin}, {obtainFreshToken}, {createOidcApi}] = await Promise.all([
      import('../sso/detached-login.js'),
      import('../sso/refresh.js'),
      import('../sso/clients.js'),
    ])
    const cacheDir = ssoCacheDir()
    const result = await waitForLogin({
      cacheDir,
      onPending: (state) => {
        const code = state.authorize?.userCode ? ` and confirm the code ${state.authorize.userCode}` : ''
        this.message(
          `Waiting for the sign-in to ${describeTarget(target)} (started at ${state.startedAt}) to be approved: open ${state.authorize!.url}${code} (until ${state.authorize!.expiresAt}).`,
        )
      },
      session: () => obtainFreshToken({cacheDir, oidc: () => createOidcApi(target.region), target}),
      target,
      timeoutMs,
    })
    if (this.jsonEnabled()) {
      this.jsonLine({event: 'logged-in', ssoSession: target.sessionName ?? null, expiresAt: result.expiresAt})
      return undefined
    }

    this.output(
      `Logged in to ${describeTarget(target)}: the token expires at ${result.expiresAt} (${describeRelative(new Date(result.expiresAt), new Date())}).\n`,
    )
    return undefined
  }
}

function usage(message: string): SsokitError {
  return new SsokitError(message, 'USAGE')
}
