import {Flags} from '@oclif/core'

import type {ProcessCredentials, StsCredentials} from '../sso/credential-formats.js'

import {BaseCommand} from '../base-command.js'
import {ssoCacheDir} from '../config/paths.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {loadTargetConfig, selectProfile} from '../sso/target.js'

export default class CredentialProcess extends BaseCommand {
  static override description = `Prints the role credentials of an SSO profile (sso-session or legacy) in the credential_process format (Version 1, with Expiration), refreshing the token when less than 15 minutes remain and it can.
For tools that cannot read SSO profiles: in ~/.aws/config, credential_process = ssokit credential-process --profile P
--format sts prints {"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}}, the shape of an aws sts answer, for tools that read that (e.g. an agent's credential-export setting).
Role credentials are cached by ssokit (~/.aws/sso/ssokit/credentials, 0600) for the current sign-in until 15 minutes before they expire, so most calls make no request at all; --no-cache asks the portal every time.
When a login is needed it prints nothing on stdout, one line on stderr, and exits 4.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --profile dev',
    '[profile dev-process]\ncredential_process = <%= config.bin %> <%= command.id %> --profile dev',
    '<%= config.bin %> <%= command.id %> --profile dev --format sts',
  ]
  static override flags = {
    ...configFileFlags,
    format: Flags.option({
      default: 'process' as const,
      description: 'process: the credential_process document (Version 1); sts: {"Credentials": {...}}',
      options: ['process', 'sts'] as const,
    })(),
    'no-cache': Flags.boolean({description: "Neither read nor write ssokit's role-credential cache"}),
    profile: Flags.string({description: 'The SSO profile whose role credentials to print', required: true}),
  }
  static override oneLineErrors = true
  static override summary = 'Print SSO role credentials for credential_process'

  async run(): Promise<ProcessCredentials | StsCredentials> {
    const {flags} = await this.parse(CredentialProcess)
    const profile = selectProfile(await loadTargetConfig(configPathsFrom(flags)), flags.profile)
    const [{roleCredentials}, {createOidcApi, createPortalApi}, {credentialDocument}] = await Promise.all([
      import('../sso/role-credentials.js'),
      import('../sso/clients.js'),
      import('../sso/credential-formats.js'),
    ])
    const {credentials, warnings} = await roleCredentials({
      cache: !flags['no-cache'],
      cacheDir: ssoCacheDir(),
      oidc: () => createOidcApi(profile.target.region),
      portal: () => createPortalApi(profile.target.region),
      profile,
    })
    for (const warning of warnings) this.warning(warning)
    const document = credentialDocument(credentials, flags.format)
    // Exactly the document (also without --json: that is what the AWS tools read).
    if (!this.jsonEnabled()) this.logJson(document)
    return document
  }
}
