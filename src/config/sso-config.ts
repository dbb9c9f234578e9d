/** The SSO part of the config: sso-sessions and SSO profiles, as login, status and credential-process need it. */
import {type ConfigPaths, loadConfig} from './load.js'
import {type ConfigModel, settingValue} from './model.js'

export interface SsoSessionConfig {
  name: string
  region?: string
  /** `sso_registration_scopes`, split on commas as the AWS CLI does; undefined when the setting is absent. */
  registrationScopes?: string[]
  startUrl?: string
}

export interface SsoProfileConfig {
  accountId?: string
  kind: 'legacy' | 'sso-session'
  profile: string
  region?: string
  roleName?: string
  ssoSession?: string
  startUrl?: string
}

export interface SsoConfig {
  profiles: SsoProfileConfig[]
  sessions: SsoSessionConfig[]
}

export async function loadSsoConfig(paths: ConfigPaths): Promise<SsoConfig> {
  return ssoConfigOf((await loadConfig(paths)).model)
}

export function parseScopes(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

export function ssoConfigOf(model: ConfigModel): SsoConfig {
  const sessions = [...model.ssoSessions.values()].map((section) => {
    const scopes = settingValue(section, 'sso_registration_scopes')
    return {
      name: section.name,
      region: settingValue(section, 'sso_region'),
      // botocore tells an absent setting (null in the registration cache key) from an empty one ([]).
      registrationScopes: scopes === undefined ? undefined : parseScopes(scopes),
      startUrl: settingValue(section, 'sso_start_url'),
    }
  })
  const byName = new Map(sessions.map((s) => [s.name, s]))
  const profiles: SsoProfileConfig[] = []
  for (const profile of model.profiles.values()) {
    const get = (key: string) => profile.settings.get(key)
    const ssoSession = get('sso_session')
    if (
      ![ssoSession, get('sso_start_url'), get('sso_region'), get('sso_account_id'), get('sso_role_name')].some(
        (v) => v !== undefined,
      )
    )
      continue
    const session = ssoSession === undefined ? undefined : byName.get(ssoSession)
    profiles.push({
      accountId: get('sso_account_id'),
      kind: ssoSession === undefined ? 'legacy' : 'sso-session',
      profile: profile.name,
      region: session ? session.region : get('sso_region'),
      roleName: get('sso_role_name'),
      ssoSession,
      startUrl: session ? session.startUrl : get('sso_start_url'),
    })
  }

  return {profiles, sessions}
}
