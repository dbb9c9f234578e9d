import {BaseCommand} from '../base-command.js'
import {loadConfig} from '../config/load.js'
import {type ProfileSummary, summariseProfiles} from '../config/profiles.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {formatProfilesTable} from '../render/profiles.js'

export interface ProfilesOutput {
  profiles: ProfileSummary[]
}

export default class Profiles extends BaseCommand {
  static override description = `List the profiles of the AWS config and credentials files.

Shows each profile's kind (sso-session, legacy-sso, assume-role, process, static, other), its sso-session, account, role and region, and whether ssokit manages it (inside a block written by ssokit generate). Profiles are named as the AWS CLI reads them.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json | jq -r \'.profiles[] | select(.kind == "legacy-sso") | .name\'',
  ]
  static override flags = {...configFileFlags}

  async run(): Promise<ProfilesOutput> {
    const {flags} = await this.parse(Profiles)
    const paths = configPathsFrom(flags)
    const loaded = await loadConfig(paths)
    const profiles = summariseProfiles(loaded.model, {
      config: loaded.config.document,
      configPath: paths.configFile,
      credentialsPath: paths.credentialsFile,
    })
    // The table is for people: under --json nobody reads it, so it is not built.
    if (!this.jsonEnabled()) this.output(formatProfilesTable(profiles))
    return {profiles}
  }
}
