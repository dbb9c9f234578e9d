import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ssoCacheDir, ssokitStateDir} from '../../config/paths.js'
import {CHECKS, type DoctorReport, runChecks} from '../../doctor/checks/index.js'
import {usageError} from '../../errors.js'
import {ExitCode} from '../../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../../flags.js'
import {renderDoctor} from '../../render/doctor.js'
import {parseDuration} from '../../sso/time.js'

export default class Doctor extends BaseCommand {
  static override description = `Checks what stands between you and working AWS credentials, and prints each check as ok, WARN, FAIL or skip, with the fix.
environment: the AWS CLI on PATH (v1 cannot sign in to sso-sessions; PKCE needs v2 2.22 or later), AWS_PROFILE / AWS_DEFAULT_PROFILE, keys in the environment beside AWS_PROFILE.
config: the lint summary of the config and credentials files.
tokens: each sso-session's token (as \`ssokit status\`, with what ssokit learned), the token cache's owner and modes.
network: the CA bundle (AWS_CA_BUNDLE / ca_bundle), proxy variables and NO_PROXY, and one request to each session's sso-oidc endpoint: reachable, TLS, and the clock against its Date header.
credentials (with --profile): the profile resolves, its token is usable or refreshable, GetRoleCredentials works, sts:GetCallerIdentity answers with the expected account and role.
Checks run at once, each with a deadline (--timeout); --offline skips the network. Exits 1 when a check fails.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --profile dev',
    '<%= config.bin %> <%= command.id %> --offline --json',
  ]
  static override flags = {
    ...configFileFlags,
    offline: Flags.boolean({description: 'Skip the checks that need the network'}),
    profile: Flags.string({
      description: "Also check this profile's credentials end to end (and only its session's token)",
      exclusive: ['sso-session'],
    }),
    'sso-session': Flags.string({description: "Only this sso-session's token and endpoint"}),
    timeout: Flags.string({default: '3s', description: 'Deadline of each network step, e.g. 3s, 1500ms'}),
  }
  static override summary = 'Check the environment, config, tokens, network and credentials'

  async run(): Promise<DoctorReport> {
    const {flags} = await this.parse(Doctor)
    const timeoutMs = parseDuration(flags.timeout)
    if (timeoutMs === undefined) throw usageError(`--timeout ${flags.timeout} is not a duration (e.g. 3s, 1500ms).`)
    const report = await runChecks(CHECKS, {
      cacheDir: ssoCacheDir(),
      env: process.env,
      now: new Date(),
      offline: flags.offline,
      paths: configPathsFrom(flags),
      profile: flags.profile,
      ssoSession: flags['sso-session'],
      stateDir: ssokitStateDir(),
      timeoutMs,
    })
    this.output(renderDoctor(report))
    if (report.summary.fail > 0) process.exitCode = ExitCode.FINDINGS
    return report
  }
}
