import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {ssoCacheDir} from '../config/paths.js'
import {ExitCode} from '../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {renderStatus} from '../render/status.js'
import {needsLogin, sessionReports, type StatusResult} from '../sso/status.js'
import {allTargets, loadTargetConfig, selectTarget} from '../sso/target.js'

export default class Status extends BaseCommand {
  static override description = `For each sso-session (and legacy start URL) in the config, the state of its cached token:
valid, expiring (< 15 min left), refreshable (expired, but a refresh token and the client registration are still valid), expired, or missing.
Reads the token cache only; no network. Exits 4 when the session chosen with --sso-session or --profile needs a login.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --sso-session corp --json',
    '<%= config.bin %> <%= command.id %> --profile dev || <%= config.bin %> login --profile dev',
  ]
  static override flags = {
    ...configFileFlags,
    profile: Flags.string({
      description: 'Only the session of this profile (exit 4 if it needs a login)',
      exclusive: ['sso-session'],
    }),
    'sso-session': Flags.string({description: 'Only this sso-session (exit 4 if it needs a login)'}),
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
    const reports = await sessionReports(targets, {cacheDir: ssoCacheDir(), now})
    this.output(renderStatus(reports, now))
    if (selected && needsLogin(reports[0].status.state)) {
      process.exitCode = ExitCode.LOGIN_REQUIRED
      this.message(
        `${reports[0].status.name} needs a login (${reports[0].status.state}). Run: ${reports[0].loginCommand}`,
      )
    }

    return {sessions: reports.map((r) => r.status)}
  }
}
