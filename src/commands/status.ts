import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {ssoCacheDir} from '../config/paths.js'
import {ExitCode} from '../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {renderStatus} from '../render/status.js'
import {type SessionReport, sessionReports, type SessionStatus, type StatusResult} from '../sso/status.js'
import {allTargets, loadTargetConfig, selectTarget} from '../sso/target.js'

export default class Status extends BaseCommand {
  static override description = `For each sso-session (and legacy start URL) in the config, the state of its cached token:
valid, expiring (< 15 min left), refreshable (expired, but a refresh token and the client registration are still valid), expired (or its refresh was refused), missing, or revoked (the access portal rejected it).
ssokit remembers what the service told it (a refused refresh, a rejected token) in its own state folder, so status never calls a session usable when the next command would ask for a login.
Without --verify it reads files only. --verify asks the service with the cheapest call: one refresh attempt for a token that needs one, else one ListAccounts request.
Exits 4 when the session chosen with --sso-session or --profile needs a login, or, with no selection, when every session does.`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Every sso-session, from the files alone'},
    {
      command: '<%= config.bin %> <%= command.id %> --sso-session corp --json',
      description: 'One session, for a script (exit 4 when it needs a login)',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --verify',
      description: 'Ask the service whether each token still works',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --profile dev || <%= config.bin %> login --profile dev',
      description: 'Sign in only when needed',
    },
  ]
  static override flags = {
    ...configFileFlags,
    profile: Flags.string({
      description: 'Only the session of this profile (exit 4 if it needs a login)',
      exclusive: ['sso-session'],
    }),
    'sso-session': Flags.string({description: 'Only this sso-session (exit 4 if it needs a login)'}),
    verify: Flags.boolean({
      description: 'Check online that each token still works (one refresh attempt or one ListAccounts request)',
    }),
  }
  static override summary = 'Show the state of cached SSO tokens'

  async run(): Promise<StatusResult> {
    const {flags} = await this.parse(Status)
    const config = await loadTargetConfig(configPathsFrom(flags))
    const selected = flags['sso-session'] !== undefined || flags.profile !== undefined
    const targets = selected
      ? [selectTarget(config, {profile: flags.profile, ssoSession: flags['sso-session']})]
      : allTargets(config)
    const now = new Date()
    const options = {cacheDir: ssoCacheDir(), now}
    let reports: SessionReport[] = await sessionReports(targets, options)
    if (flags.verify) {
      const {verifyReports} = await import('../sso/verify.js')
      reports = await verifyReports(reports, options)
      for (const report of reports) {
        if (report.verification && !report.verification.checked)
          this.warning(`${report.status.name}: not verified: ${report.verification.detail}`)
      }
    }

    this.output(renderStatus(reports, now))
    const needLogin = reports.filter((r) => r.status.needsLogin)
    if (reports.length > 0 && needLogin.length === reports.length) {
      process.exitCode = ExitCode.LOGIN_REQUIRED
      const what = selected ? `${needLogin[0].status.name} needs` : 'Every session needs'
      this.message(`${what} a login. Run: ${needLogin.map((r) => r.status.loginCommand).join(' or ')}`)
    }

    return {
      sessions: reports.map((r): SessionStatus & {verified?: boolean} =>
        r.verification ? {...r.status, verified: r.verification.checked} : r.status,
      ),
    }
  }
}
