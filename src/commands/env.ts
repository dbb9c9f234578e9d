import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {usageError} from '../errors.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {environmentJson, renderEnvironment, SHELL_FORMATS} from '../render/shell-env.js'

export default class Env extends BaseCommand {
  static override description = `Prints the role credentials of an SSO profile as environment variables, for eval: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION (what aws configure export-credentials --format env prints), AWS_REGION and AWS_DEFAULT_REGION from the profile's region, and it unsets AWS_PROFILE and AWS_DEFAULT_PROFILE (while AWS_PROFILE is set, the JS SDK ignores keys in the environment).
Values are quoted exactly for each shell. --format json prints {"NAME": "value", …}, with null for a variable to remove.
The token is refreshed when it can be, and role credentials come from ssokit's cache while they last (--no-cache asks the portal). When a login is needed it prints nothing on stdout and exits 4 with the login command.`
  static override examples = [
    'eval "$(<%= config.bin %> <%= command.id %> --profile dev)"',
    '<%= config.bin %> <%= command.id %> --profile dev --format fish | source',
    '<%= config.bin %> <%= command.id %> --profile dev --format powershell | Invoke-Expression',
    '<%= config.bin %> <%= command.id %> --profile dev --format json',
  ]
  static override flags = {
    ...configFileFlags,
    format: Flags.option({
      default: 'sh' as const,
      description: 'sh (POSIX shells: bash, zsh, dash), fish, powershell, or json',
      options: SHELL_FORMATS,
    })(),
    'no-cache': Flags.boolean({description: "Neither read nor write ssokit's role-credential cache"}),
    profile: Flags.string({description: 'The SSO profile whose role credentials to print [default: $AWS_PROFILE]'}),
  }
  static override oneLineErrors = true
  static override summary = 'Print SSO role credentials as shell exports'

  async run(): Promise<Record<string, null | string>> {
    const {flags} = await this.parse(Env)
    const profile = flags.profile ?? (process.env.AWS_PROFILE || undefined)
    if (!profile) throw usageError('Name the profile: --profile P (or set AWS_PROFILE).')
    const {signedInEnvironment} = await import('../sso/role-env.js')
    const {environment, warnings} = await signedInEnvironment({
      cache: !flags['no-cache'],
      paths: configPathsFrom(flags),
      profile,
    })
    for (const warning of warnings) this.warning(warning)
    const json = environmentJson(environment)
    if (this.jsonEnabled()) return json
    // Printed as is, on purpose: these are the credentials (every value was checked to be printable ASCII), and
    // the base command's output() would redact them.
    if (flags.format === 'json') this.logJson(json)
    else this.log(renderEnvironment(environment, flags.format).trimEnd())
    return json
  }
}
