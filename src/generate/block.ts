/** Renders ssokit's managed block for one sso-session (design.md §4). */
import {closingMarker, openingMarker} from '../config/managed-blocks.js'
import type {NamedEntitlement} from './naming.js'

export interface SessionSettings {
  name: string
  region: string
  registrationScopes: string
  startUrl: string
}

export interface ProfileToWrite {
  accountId: string
  name: string
  region: string
  roleName: string
  /** `--profile-setting key=value`, in the order given. */
  settings: Array<[string, string]>
}

export function profileLines(profile: ProfileToWrite, ssoSession: string): string[] {
  return [
    `[profile ${profile.name}]`,
    `sso_session = ${ssoSession}`,
    `sso_account_id = ${profile.accountId}`,
    `sso_role_name = ${profile.roleName}`,
    `region = ${profile.region}`,
    ...profile.settings.map(([k, v]) => `${k} = ${v}`),
  ]
}

/**
 * The block's lines, markers included. The [sso-session] goes inside the block only when it does not already
 * exist outside it; profiles are sorted by name and separated by one blank line.
 */
export function renderBlock(ssoSession: string, session: SessionSettings | undefined, profiles: Array<{lines: string[]; name: string}>): string[] {
  const groups: string[][] = []
  if (session) groups.push(sessionLines(session))
  for (const profile of [...profiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) groups.push(profile.lines)
  const body = groups.flatMap((g, i) => (i === 0 ? g : ['', ...g]))
  return [openingMarker(ssoSession), ...body, closingMarker(ssoSession, body)]
}

export function sessionLines(session: SessionSettings): string[] {
  return [`[sso-session ${session.name}]`, `sso_start_url = ${session.startUrl}`, `sso_region = ${session.region}`, `sso_registration_scopes = ${session.registrationScopes}`]
}

export function toProfile(entitlement: NamedEntitlement, region: string, settings: Array<[string, string]>): ProfileToWrite {
  return {accountId: entitlement.accountId, name: entitlement.name, region, roleName: entitlement.roleName, settings}
}
