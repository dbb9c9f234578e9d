/** Rules about section headers: names each tool reads differently, prefixes, [default] twice. */
import type {ConfigSection} from '../../config/model.js'
import type {Check} from '../types.js'

import {jsSectionKey} from '../../config/readings/js-sdk.js'
import {RULE_TEXTS} from '../messages.js'

/** Sections the AWS CLI itself reads without a prefix. */
const CLI_SECTIONS = new Set(['plugins', 'preview'])

export const sectionRules: Check = (context, report) => {
  const {config, credentials} = context.model
  let defaultSection: ConfigSection | undefined
  let profileDefault: ConfigSection | undefined
  const names = new Map<string, ConfigSection>()
  for (const section of config) {
    const at = {file: 'config' as const, line: section.line, section: section.header}
    if (section.kind === 'other' && !CLI_SECTIONS.has(section.header)) {
      const lower = section.header.toLowerCase()
      const hint =
        lower.startsWith('profile ') || lower === 'default'
          ? {caseOf: lower === 'default' ? 'default' : `profile ${section.header.slice(8)}`}
          : {write: `profile ${section.header}`}
      report({
        ...at,
        message: RULE_TEXTS['missing-profile-prefix'].notAProfile(section.header, hint),
        rule: 'missing-profile-prefix',
      })
    }

    if (section.kind === 'profile' && section.name === 'default') {
      if (section.header === 'default') defaultSection ??= section
      else profileDefault ??= section
    }

    checkName(section, at, report)
    if (section.kind === 'profile' || section.kind === 'sso-session' || section.kind === 'services') {
      const key = `${section.kind} ${section.name}`
      const first = names.get(key)
      if (first && first.header !== section.header && !(section.kind === 'profile' && section.name === 'default')) {
        report({
          ...at,
          message: RULE_TEXTS['duplicate-section'].sameName(section.header, first, section.kind, section.name),
          rule: 'duplicate-section',
        })
      }

      names.set(key, section)
    }
  }

  if (defaultSection && profileDefault) {
    const [first, second] =
      defaultSection.line < profileDefault.line ? [defaultSection, profileDefault] : [profileDefault, defaultSection]
    report({
      file: 'config',
      line: second.line,
      message: RULE_TEXTS['default-profile-conflict'].both(first.line, second.header),
      rule: 'default-profile-conflict',
      section: second.header,
    })
  }

  for (const section of credentials) {
    const at = {file: 'credentials' as const, line: section.line, section: section.header}
    if (section.kind === 'profile' && /^profile[ \t]/.test(section.header)) {
      report({
        ...at,
        message: RULE_TEXTS['profile-prefix-in-credentials'].prefixed(
          section.header,
          section.header.replace(/^profile[ \t]+/, ''),
        ),
        rule: 'profile-prefix-in-credentials',
      })
      continue
    }

    if (section.kind === 'profile') checkName(section, at, report)
  }
}

function checkName(
  section: ConfigSection,
  at: {file: 'config' | 'credentials'; line: number; section: string},
  report: Parameters<Check>[1],
): void {
  const js = jsSectionKey(section.node.header.text)
  if (js !== undefined && typeof js === 'object') {
    report({
      ...at,
      message: RULE_TEXTS['invalid-profile-name'].blocked(section.header, at.file),
      rule: 'invalid-profile-name',
    })
    return
  }

  if (section.kind === 'unnamed') {
    report({
      ...at,
      message: RULE_TEXTS['invalid-profile-name'].unnamed(
        section.header,
        section.header.startsWith('sso-session')
          ? 'sso-session'
          : section.header.startsWith('services')
            ? 'services section'
            : 'profile',
      ),
      rule: 'invalid-profile-name',
    })
    return
  }

  if (section.kind === 'other' || section.kind === 'defaults') return
  const jsName = at.file === 'config' ? jsConfigName(js) : js
  const expected = at.file === 'config' && section.kind !== 'profile' ? `${section.kind}.${section.name}` : section.name
  if (jsName === expected) return
  const what = section.kind === 'profile' ? 'profile' : section.kind
  const prefix =
    section.kind === 'profile' && at.file === 'config' && section.name !== 'default'
      ? 'profile '
      : section.kind === 'profile'
        ? ''
        : `${section.kind} `
  report({
    ...at,
    message: RULE_TEXTS['invalid-profile-name'].readsDifferently(
      what,
      section.name,
      jsName?.replace(/^(sso-session|services)\./, ''),
      `${prefix}${safeName(section.name)}`,
    ),
    rule: 'invalid-profile-name',
  })
}

function jsConfigName(key: string | undefined): string | undefined {
  if (key === undefined) return undefined
  if (key === 'default') return 'default'
  if (key.startsWith('profile.')) return key.slice('profile.'.length)
  if (key.startsWith('sso-session.') || key.startsWith('services.')) return key
  return undefined
}

export function safeName(name: string): string {
  return name.replaceAll(/[^A-Za-z0-9_.-]+/g, '-').replaceAll(/^-+|-+$/g, '') || 'profile'
}
