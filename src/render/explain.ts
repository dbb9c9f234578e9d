import type {Explanation} from '../doctor/explain/types.js'

import {escapeControl, escapeLine} from './terminal.js'

/** `ssokit doctor explain` for people: the category and cause, whether a login helps, the fix, then what it found. */
export function renderExplanation(explanation: Explanation): string {
  const lines = [`${explanation.category}: ${escapeControl(explanation.cause)}`, '']
  if (explanation.category === 'unknown') {
    lines.push('Not recognised. To check the setup step by step, run:', `  ${explanation.fix}`)
  } else {
    lines.push(
      explanation.loginFixes ? 'A new login fixes it. Run:' : 'A new login does not fix it. Fix:',
      `  ${escapeControl(explanation.fix)}`,
    )
  }

  for (const note of explanation.notes ?? []) lines.push('', escapeControl(note))
  const found = (
    [
      ['profile', explanation.profile],
      ['sso-session', explanation.ssoSession],
      ['token', explanation.token && tokenText(explanation.token)],
      ['account', explanation.account],
      ['permission set', explanation.permissionSet],
      ['role', explanation.permissionSet ? undefined : explanation.role],
      ['user', explanation.user],
      ['action', explanation.action],
      ['resource', explanation.resource],
      ['denied by', explanation.deniedBy],
      ['operation', explanation.operation],
      ['code', explanation.code],
    ] as const
  ).filter(([, value]) => value !== undefined)
  if (found.length > 0) {
    lines.push('', 'Found:')
    for (const [name, value] of found) lines.push(`  ${name.padEnd(15)}${escapeLine(String(value))}`)
  }

  if (explanation.guessed) lines.push(`  (inferred, not read from the text: ${explanation.guessed.join(', ')})`)
  return lines.join('\n') + '\n'
}

function tokenText(token: NonNullable<Explanation['token']>): string {
  if (!token.expiresAt) return token.state
  const past = token.state === 'expired' || token.state === 'refreshable'
  return `${token.state} (${past ? 'expired' : 'expires'} ${token.expiresAt})`
}
