import type {ProfileSummary} from '../config/profiles.js'

import {plainTable} from './table.js'

export function formatProfilesTable(profiles: ProfileSummary[]): string {
  if (profiles.length === 0) return 'No profiles found.\n'
  return plainTable(
    ['PROFILE', 'KIND', 'SSO SESSION', 'ACCOUNT', 'ROLE', 'REGION', 'MANAGED'],
    profiles.map((p) => [
      p.name,
      p.kind,
      dash(p.ssoSession),
      dash(p.accountId),
      dash(p.roleName),
      dash(p.region),
      p.managed ? 'yes' : 'no',
    ]),
  )
}

function dash(value: null | string): string {
  return value ?? '-'
}
