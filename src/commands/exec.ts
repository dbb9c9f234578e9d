import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {usageError} from '../errors.js'
import {configFileFlags, configPathsFrom} from '../flags.js'

const USAGE = 'ssokit exec --profile P -- COMMAND [ARGS…]'

export default class Exec extends BaseCommand {
  static override description = `Runs COMMAND with the role credentials of an SSO profile in its environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION (from the profile's region), with AWS_PROFILE and AWS_DEFAULT_PROFILE removed. For tools that cannot read SSO profiles.
Everything after -- is the command and its arguments. Its stdin, stdout and stderr are ssokit's; the signals ssokit receives are passed on; ssokit exits with the command's exit status (128 + the signal number when a signal ended it; 127 when the command is not found, 126 when it cannot be run).
The token is refreshed when it can be, and role credentials come from ssokit's cache while they last. When a login is needed nothing is run: exit 4 with the login command.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --profile dev -- terraform plan',
    '<%= config.bin %> <%= command.id %> --profile dev -- aws s3 ls',
    'AWS_PROFILE=dev <%= config.bin %> <%= command.id %> -- python3 deploy.py --stage test',
  ]
  static override flags = {
    ...configFileFlags,
    'no-cache': Flags.boolean({description: "Neither read nor write ssokit's role-credential cache"}),
    profile: Flags.string({description: 'The SSO profile whose role credentials to use [default: $AWS_PROFILE]'}),
  }
  static override oneLineErrors = true
  /** Words after `exec` are the command's (oclif would otherwise read `exec sh` as an unknown command `exec sh`). */
  static override strict = false
  static override summary = 'Run a command with SSO role credentials in its environment'
  static override usage = 'exec --profile P -- COMMAND [ARGS…]'
  /** The caller's environment as it was before ssokit changed anything in its own (the child gets this one). */
  private readonly callerEnv: NodeJS.ProcessEnv = {...process.env}

  async run(): Promise<undefined> {
    // Everything after the first `--` belongs to the command; oclif parses only what comes before it.
    const separator = this.argv.indexOf('--')
    const ours = separator === -1 ? this.argv : this.argv.slice(0, separator)
    const [command, ...args] = separator === -1 ? [] : this.argv.slice(separator + 1)
    const {flags} = await this.parse(Exec, ours)
    if (command === undefined)
      throw usageError(separator === -1 ? `Put -- before the command: ${USAGE}` : `Name the command after --: ${USAGE}`)
    const profile = flags.profile ?? (process.env.AWS_PROFILE || undefined)
    if (!profile) throw usageError(`Name the profile: ${USAGE} (or set AWS_PROFILE).`)
    const [{childEnvironment, signedInEnvironment}, {runChild, signalExitCode}] = await Promise.all([
      import('../sso/role-env.js'),
      import('../sso/exec.js'),
    ])
    const {environment, warnings} = await signedInEnvironment({
      cache: !flags['no-cache'],
      paths: configPathsFrom(flags),
      profile,
    })
    for (const warning of warnings) this.warning(warning)
    const outcome = await runChild(command, args, childEnvironment(this.callerEnv, environment))
    if (outcome.signal) {
      // End as the child did, so that a caller's wait() sees the signal; if the signal does not end this
      // process (its default is to be ignored), exit as a shell would report it.
      process.exitCode = signalExitCode(outcome.signal)
      process.kill(process.pid, outcome.signal)
    } else {
      process.exitCode = outcome.code ?? 1
    }

    return undefined
  }
}
