import {Flags} from '@oclif/core'

import type {ProcessCredentials} from '../sso/credentials.js'

import {BaseCommand} from '../base-command.js'
import {ssoCacheDir} from '../config/paths.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {loadTargetConfig, selectProfile} from '../sso/target.js'

export default class CredentialProcess extends BaseCommand {
  static override description = `Prints the role credentials of an SSO profile (sso-session or legacy) in the credential_process format (Version 1, with Expiration), refreshing the token when less than 15 minutes remain and it can.
For tools that cannot read SSO profiles: in ~/.aws/config, credential_process = ssokit credential-process --profile P
When a login is needed it prints nothing on stdout, one line on stderr, and exits 4.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --profile dev',
    '[profile dev-process]\ncredential_process = <%= config.bin %> <%= command.id %> --profile dev',
  ]
  static override flags = {
    ...configFileFlags,
    profile: Flags.string({description: 'The SSO profile whose role credentials to print', required: true}),
  }
  static override oneLineErrors = true
  static override summary = 'Print SSO role credentials for credential_process'

  async run(): Promise<ProcessCredentials> {
    const {flags} = await this.parse(CredentialProcess)
    const profile = selectProfile(await loadTargetConfig(configPathsFrom(flags)), flags.profile)
    const [{processCredentials}, {createOidcApi, createPortalApi}] = await Promise.all([
      import('../sso/credentials.js'),
      import('../sso/clients.js'),
    ])
    const {credentials, warnings} = await processCredentials({
      cacheDir: ssoCacheDir(),
      oidc: () => createOidcApi(profile.target.region),
      portal: () => createPortalApi(profile.target.region),
      profile,
    })
    for (const warning of warnings) this.warning(warning)
    // Exactly the credential_process document (also without --json: that is what the AWS tools read).
    if (!this.jsonEnabled()) this.logJson(credentials)
    return credentials
  }
}
