/** Renders ssokit's managed block for one sso-session (README: ssokit generate). */
import {closingMarker, openingMarker} from '../config/managed-blocks.js'
import {type NamedEntitlement, sortedBy} from './naming.js'

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
 * The text between the block's markers, lines joined with `\n` as the digest covers them. The [sso-session] goes
 * inside the block only when it does not already exist outside it; profiles are sorted by name, one blank line
 * apart. Joined natively, since a block holds thousands of lines.
 */
export function renderBody(
  session: SessionSettings | undefined,
  profiles: Array<{lines: string[]; name: string}>,
): string {
  const groups = session ? [sessionLines(session).join('\n')] : []
  for (const profile of sortedBy(profiles, (p) => p.name)) groups.push(profile.lines.join('\n'))
  return groups.join('\n\n')
}

/** The whole block, lines joined with `\n`: its body between the markers, the closing one holding the body's digest. */
export function blockText(ssoSession: string, body: string): string {
  return `${openingMarker(ssoSession)}\n${body === '' ? '' : `${body}\n`}${closingMarker(ssoSession, body)}`
}

export function sessionLines(session: SessionSettings): string[] {
  return [
    `[sso-session ${session.name}]`,
    `sso_start_url = ${session.startUrl}`,
    `sso_region = ${session.region}`,
    `sso_registration_scopes = ${session.registrationScopes}`,
  ]
}

export function toProfile(
  entitlement: NamedEntitlement,
  region: string,
  settings: Array<[string, string]>,
): ProfileToWrite {
  return {accountId: entitlement.accountId, name: entitlement.name, region, roleName: entitlement.roleName, settings}
}
