import type {ConfigModel, ProfileView} from './model.js'

/** The profile list of `ssokit profiles`: what kind of credentials each profile gives, and who manages it. */
import {findManagedBlocks, inManagedBlock} from './managed-blocks.js'

export type ProfileKind = 'assume-role' | 'legacy-sso' | 'other' | 'process' | 'sso-session' | 'static'

export interface ProfileSummary {
  accountId: null | string
  file: string
  kind: ProfileKind
  line: number
  /** Inside an ssokit managed block (README: ssokit generate). */
  managed: boolean
  name: string
  region: null | string
  roleName: null | string
  ssoSession: null | string
}

/** botocore's order of credential providers decides the kind when a profile mixes several. */
export function profileKind(settings: Map<string, string>): ProfileKind {
  if (settings.has('role_arn')) return 'assume-role'
  if (settings.has('sso_account_id') || settings.has('sso_role_name') || settings.has('sso_session')) {
    return settings.has('sso_session') ? 'sso-session' : 'legacy-sso'
  }

  if (settings.has('credential_process')) return 'process'
  if (settings.has('aws_access_key_id')) return 'static'
  return 'other'
}

export function summariseProfiles(
  model: ConfigModel,
  files: {config?: import('./ini/document.js').IniDocument; configPath: string; credentialsPath: string},
): ProfileSummary[] {
  const blocks = files.config ? findManagedBlocks(files.config) : []
  return [...model.profiles.values()]
    .map((profile: ProfileView) => {
      const first = profile.sections[0]
      const get = (key: string) => profile.settings.get(key) ?? null
      return {
        accountId: get('sso_account_id'),
        file: first.file === 'config' ? files.configPath : files.credentialsPath,
        kind: profileKind(profile.settings),
        line: first.line,
        managed: first.file === 'config' && inManagedBlock(blocks, first.line) !== undefined,
        name: profile.name,
        region: get('region'),
        roleName: get('sso_role_name'),
        ssoSession: get('sso_session'),
      }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
