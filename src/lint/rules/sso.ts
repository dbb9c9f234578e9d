/**
 * Rules about SSO profiles and sso-sessions, judged by botocore's rules (`botocore/credentials.py` `SSOProvider`,
 * `botocore/tokens.py` `SSOTokenProvider`) and the JS SDK's (`@aws-sdk/credential-provider-sso` `validateSsoProfile`).
 */
import type {ConfigModel, ConfigSection, ProfileView} from '../../config/model.js'
import type {Check, Fix, Reporter} from '../types.js'

import {settingValue} from '../../config/model.js'
import {closest} from '../../config/settings.js'
import {samePortal, startUrlProblem, valueProblem} from '../../config/values.js'
import {locate} from '../locate.js'
import {RULE_TEXTS} from '../messages.js'

const SSO_KEYS = ['sso_session', 'sso_account_id', 'sso_role_name', 'sso_start_url', 'sso_region']

export const ssoRules: Check = (context, report) => {
  const {model} = context
  const plan = legacyPlan(model)
  const used = new Set<string>()
  for (const profile of model.profiles.values()) {
    const sessionName = profile.settings.get('sso_session')
    if (sessionName !== undefined) used.add(sessionName)
    if (SSO_KEYS.some((k) => profile.settings.has(k))) checkProfile(profile, model, plan, report)
  }

  for (const session of model.ssoSessions.values()) {
    const at = {file: 'config' as const, line: session.line, section: session.header}
    if (!used.has(session.name)) {
      report({
        ...at,
        message: RULE_TEXTS['unused-sso-session'].unused(session.name),
        rule: 'unused-sso-session',
      })
    }

    if (settingValue(session, 'sso_registration_scopes') === undefined) {
      report({
        ...at,
        message: RULE_TEXTS['missing-registration-scopes'].noScopes(session.name),
        rule: 'missing-registration-scopes',
      })
    }

    const missing = ['sso_start_url', 'sso_region'].filter((k) => settingValue(session, k) === undefined)
    if (missing.length > 0) {
      report({
        ...at,
        message: RULE_TEXTS['incomplete-sso-profile'].sessionLacks(session.name, missing),
        rule: 'incomplete-sso-profile',
      })
    }

    const url = session.settings.findLast((s) => s.name === 'sso_start_url')
    const problem = url && startUrlProblem(url.value)
    if (url && problem)
      report({
        ...at,
        key: 'sso_start_url',
        line: url.line,
        message: RULE_TEXTS['invalid-start-url'].problem(problem),
        rule: 'invalid-start-url',
      })
  }
}

function checkProfile(profile: ProfileView, model: ConfigModel, plan: Map<string, LegacyMove>, report: Reporter): void {
  const sessionName = profile.settings.get('sso_session')
  const session = sessionName === undefined ? undefined : model.ssoSessions.get(sessionName)
  if (sessionName !== undefined && !session) {
    const at = locate(profile, 'sso_session')!
    const guess = closest(sessionName, model.ssoSessions.keys())
    report({
      file: at.section.file,
      key: 'sso_session',
      line: at.setting.line,
      message: RULE_TEXTS['missing-sso-session'].noSession(sessionName, guess),
      rule: 'missing-sso-session',
      section: at.section.header,
    })
  }

  checkCompleteness(profile, session, report)
  if (session) checkConflicts(profile, session, report)
  if (sessionName === undefined && profile.settings.has('sso_start_url')) {
    const at = locate(profile, 'sso_start_url')!
    const move = plan.get(profile.name)
    report({
      file: at.section.file,
      fix: move && 'session' in move ? legacyFix(profile, move.session) : undefined,
      key: 'sso_start_url',
      line: at.setting.line,
      message: RULE_TEXTS['legacy-sso-profile'].legacy(
        profile.name,
        move && 'blocked' in move ? move.blocked : undefined,
      ),
      rule: 'legacy-sso-profile',
      section: at.section.header,
    })
  }

  const url = locate(profile, 'sso_start_url')
  const problem = url && startUrlProblem(url.setting.value)
  if (url && problem)
    report({
      file: url.section.file,
      key: 'sso_start_url',
      line: url.setting.line,
      message: RULE_TEXTS['invalid-start-url'].problem(problem),
      rule: 'invalid-start-url',
      section: url.section.header,
    })
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
  report({
    file: anchor.section.file,
    line: anchor.section.line,
    message: RULE_TEXTS['incomplete-sso-profile'].profileLacks(profile.name, missing, !session && !has('sso_session')),
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
      message: RULE_TEXTS['sso-session-conflict'].differs(key, at.setting.value, session.name, sessionValue),
      rule: 'sso-session-conflict',
      section: at.section.header,
    })
  }
}

interface PlannedSession {
  /** Lines of a new [sso-session] to append; undefined when an existing one is reused. */
  append?: string[]
  name: string
  startUrl: string
}

type LegacyMove = {blocked: 'region' | 'start URL'} | {session: PlannedSession}

/**
 * Where `--fix` moves each legacy SSO profile: one sso-session per portal and region, where a start URL with and
 * without a trailing `/` is one portal (one session, one login). An existing [sso-session] of that portal and
 * region is reused; otherwise a new one, named after the portal host, gets the start URL of the portal's first
 * profile. A start URL or region lint calls invalid is never copied: that profile keeps its finding, unfixed.
 * Profiles whose URL and region are not both in one config-file section are left out.
 */
function legacyPlan(model: ConfigModel): Map<string, LegacyMove> {
  const sessions = new Map<string, PlannedSession>()
  for (const session of model.ssoSessions.values()) {
    const url = settingValue(session, 'sso_start_url')
    const region = settingValue(session, 'sso_region')
    const key = url !== undefined && region !== undefined ? portalKey(url, region) : undefined
    if (key !== undefined && !sessions.has(key)) sessions.set(key, {name: session.name, startUrl: url!})
  }

  const names = new Set(model.ssoSessions.keys())
  const plan = new Map<string, LegacyMove>()
  for (const profile of model.profiles.values()) {
    if (profile.settings.has('sso_session') || !profile.settings.has('sso_start_url')) continue
    const url = locate(profile, 'sso_start_url')!
    const region = locate(profile, 'sso_region')
    if (!region || url.section.file !== 'config' || region.section !== url.section) continue
    if (valueProblem('start URL', url.setting.value)) {
      plan.set(profile.name, {blocked: 'start URL'})
      continue
    }

    if (valueProblem('region', region.setting.value)) {
      plan.set(profile.name, {blocked: 'region'})
      continue
    }

    const key = portalKey(url.setting.value, region.setting.value)
    let session = sessions.get(key)
    if (!session || !samePortal(session.startUrl, url.setting.value)) {
      const name = sessionNameFor(url.setting.value, names)
      names.add(name)
      session = {
        append: [
          `[sso-session ${name}]`,
          `sso_start_url = ${url.setting.value}`,
          `sso_region = ${region.setting.value}`,
          'sso_registration_scopes = sso:account:access',
        ],
        name,
        startUrl: url.setting.value,
      }
      sessions.set(key, session)
    }

    plan.set(profile.name, {session})
  }

  return plan
}

/** A key per portal and region for grouping (a URL with or without trailing `/`); samePortal has the last word. */
function portalKey(url: string, region: string): string {
  return `${url.replace(/\/+$/, '')}\u0000${region}`
}

/** The fix for a legacy SSO profile: `sso_session = NAME` instead of its inline start URL and region. */
function legacyFix(profile: ProfileView, session: PlannedSession): Fix {
  const url = locate(profile, 'sso_start_url')!
  const region = locate(profile, 'sso_region')!
  const indent = url.setting.property.line.text.slice(0, url.setting.property.line.indent)
  return {
    append: session.append,
    edits: [
      {line: url.setting.line, lines: [`${indent}sso_session = ${session.name}`]},
      {line: region.setting.line, lines: []},
    ],
    file: 'config',
  }
}

/** A session name from the portal host (`d-1234567890`, `mycorp`), made unique against the names taken. */
function sessionNameFor(startUrl: string, taken: Set<string>): string {
  let base = 'sso'
  try {
    base = new URL(startUrl).hostname.split('.')[0].replaceAll(/[^A-Za-z0-9_.-]+/g, '-') || 'sso'
  } catch {}

  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`
  return name
}
