/** Rules about SSO profiles and sso-sessions, judged by botocore's rules (`credentials.py`, `SSOProvider`) and the JS SDK's (`validateSsoProfile`). */
import type {ConfigModel, ConfigSection, ProfileView} from '../../config/model.js'
import type {Check, Fix, Reporter} from '../types.js'

import {settingValue} from '../../config/model.js'
import {closest} from '../../config/settings.js'
import {startUrlProblem} from '../../config/values.js'
import {locate} from '../locate.js'

const SSO_KEYS = ['sso_session', 'sso_account_id', 'sso_role_name', 'sso_start_url', 'sso_region']

export const ssoRules: Check = (context, report) => {
  const {model} = context
  const used = new Set<string>()
  for (const profile of model.profiles.values()) {
    const sessionName = profile.settings.get('sso_session')
    if (sessionName !== undefined) used.add(sessionName)
    if (!SSO_KEYS.some((k) => profile.settings.has(k))) continue
    const session = sessionName === undefined ? undefined : model.ssoSessions.get(sessionName)
    if (sessionName !== undefined && !session) {
      const at = locate(profile, 'sso_session')!
      const guess = closest(sessionName, model.ssoSessions.keys())
      report({
        file: at.section.file,
        key: 'sso_session',
        line: at.setting.line,
        message: `sso_session "${sessionName}" names no [sso-session ${sessionName}] section: the AWS CLI fails with 'The specified sso-session does not exist: "${sessionName}"', the JS SDK with a TypeError. ${guess ? `Did you mean "${guess}"?` : `Add [sso-session ${sessionName}] with sso_start_url and sso_region.`}`,
        rule: 'missing-sso-session',
        section: at.section.header,
      })
    }

    checkCompleteness(profile, session, report)
    if (session) checkConflicts(profile, session, report)
    if (sessionName === undefined && profile.settings.has('sso_start_url')) {
      const at = locate(profile, 'sso_start_url')!
      report({
        file: at.section.file,
        fix: legacyFix(profile, model),
        key: 'sso_start_url',
        line: at.setting.line,
        message: `Profile "${profile.name}" keeps sso_start_url and sso_region inline (the legacy SSO form): its token is never refreshed, so the AWS CLI and the SDKs stop working when it expires (usually within 8 hours) and \`aws sso login\` uses the older device-code flow. Move them into an [sso-session] (ssokit lint --fix does; log in again afterwards, since the token cache is keyed by the session name).`,
        rule: 'legacy-sso-profile',
        section: at.section.header,
      })
    }

    for (const key of ['sso_start_url'] as const) {
      const at = locate(profile, key)
      const problem = at && startUrlProblem(at.setting.value)
      if (at && problem)
        report({
          file: at.section.file,
          key,
          line: at.setting.line,
          message: problem,
          rule: 'invalid-start-url',
          section: at.section.header,
        })
    }
  }

  for (const session of model.ssoSessions.values()) {
    const at = {file: 'config' as const, line: session.line, section: session.header}
    if (!used.has(session.name)) {
      report({
        ...at,
        message: `[sso-session ${session.name}] is used by no profile. Delete it, or point profiles at it with \`sso_session = ${session.name}\`.`,
        rule: 'unused-sso-session',
      })
    }

    if (settingValue(session, 'sso_registration_scopes') === undefined) {
      report({
        ...at,
        message: `[sso-session ${session.name}] has no sso_registration_scopes: \`aws sso login\` with the device-code flow then registers without scopes and gets a token that cannot be refreshed. Add \`sso_registration_scopes = sso:account:access\`.`,
        rule: 'missing-registration-scopes',
      })
    }

    const missing = ['sso_start_url', 'sso_region'].filter((k) => settingValue(session, k) === undefined)
    if (missing.length > 0) {
      report({
        ...at,
        message: `[sso-session ${session.name}] lacks ${missing.join(' and ')}: \`aws sso login\` fails ("Missing the following required SSO configuration values: ${missing.join(', ')}"), and so does every profile that uses it. Add ${missing.map((k) => `\`${k} = …\``).join(' and ')}.`,
        rule: 'incomplete-sso-profile',
      })
    }

    const url = session.settings.findLast((s) => s.name === 'sso_start_url')
    const problem = url && startUrlProblem(url.value)
    if (url && problem)
      report({...at, key: 'sso_start_url', line: url.line, message: problem, rule: 'invalid-start-url'})
  }
}

function checkCompleteness(profile: ProfileView, session: ConfigSection | undefined, report: Reporter): void {
  const has = (key: string) => profile.settings.has(key)
  // A profile with only sso_session is a token-only profile (`aws sso login --profile P`): valid.
  if (has('sso_session') && !has('sso_account_id') && !has('sso_role_name')) return
  const required = ['sso_account_id', 'sso_role_name']
  if (!has('sso_session')) required.push('sso_start_url', 'sso_region')
  const missing = required.filter((k) => !has(k))
  if (missing.length === 0) return
  const anchor = SSO_KEYS.map((k) => locate(profile, k)).find(Boolean)!
  const viaSession = session ? '' : has('sso_session') ? '' : ' (or sso_session pointing at an [sso-session])'
  report({
    file: anchor.section.file,
    line: anchor.section.line,
    message: `Profile "${profile.name}" has SSO settings but lacks ${missing.join(', ')}${viaSession}: the AWS CLI fails with 'The profile "${profile.name}" is configured to use SSO but is missing required configuration: ${missing.join(', ')}', the JS SDK with "Profile is configured with invalid SSO credentials". Add the missing keys.`,
    rule: 'incomplete-sso-profile',
    section: anchor.section.header,
  })
}

function checkConflicts(profile: ProfileView, session: ConfigSection, report: Reporter): void {
  for (const key of ['sso_start_url', 'sso_region']) {
    const at = locate(profile, key)
    const sessionValue = settingValue(session, key)
    if (!at || sessionValue === undefined || at.setting.value === sessionValue) continue
    report({
      file: at.section.file,
      key,
      line: at.setting.line,
      message: `${key} here ("${at.setting.value}") differs from [sso-session ${session.name}] ("${sessionValue}"): the AWS CLI fails with "The value for ${key} is inconsistent between profile (${at.setting.value}) and sso-session (${sessionValue}).", the JS SDK silently uses the session's value. Delete ${key} from the profile.`,
      rule: 'sso-session-conflict',
      section: at.section.header,
    })
  }
}

/**
 * The fix for a legacy SSO profile: `sso_session = NAME` instead of the inline start URL and region, and an
 * [sso-session NAME] with them (reused when one with the same URL and region exists).
 */
function legacyFix(profile: ProfileView, model: ConfigModel): Fix | undefined {
  const url = locate(profile, 'sso_start_url')
  const region = locate(profile, 'sso_region')
  if (!url || !region || url.section.file !== 'config' || region.section !== url.section) return undefined
  const existing = [...model.ssoSessions.values()].find(
    (s) =>
      settingValue(s, 'sso_start_url') === url.setting.value && settingValue(s, 'sso_region') === region.setting.value,
  )
  const name = existing?.name ?? sessionNameFor(url.setting.value, model)
  const indent = url.setting.property.line.text.slice(0, url.setting.property.line.indent)
  return {
    append: existing
      ? undefined
      : [
          `[sso-session ${name}]`,
          `sso_start_url = ${url.setting.value}`,
          `sso_region = ${region.setting.value}`,
          'sso_registration_scopes = sso:account:access',
        ],
    edits: [
      {line: url.setting.line, lines: [`${indent}sso_session = ${name}`]},
      {line: region.setting.line, lines: []},
    ],
    file: 'config',
  }
}

/** A session name from the portal host (`d-1234567890`, `mycorp`), made unique against other sessions. */
function sessionNameFor(startUrl: string, model: ConfigModel): string {
  let base = 'sso'
  try {
    base = new URL(startUrl).hostname.split('.')[0].replaceAll(/[^A-Za-z0-9_.-]+/g, '-') || 'sso'
  } catch {}

  let name = base
  for (let n = 2; model.ssoSessions.has(name); n++) name = `${base}-${n}`
  return name
}
