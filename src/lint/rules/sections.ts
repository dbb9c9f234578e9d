import type {ConfigSection} from '../../config/model.js'
import type {Check} from '../types.js'

/** Rules about section headers: names each tool reads differently, prefixes, [default] twice. */
import {jsSectionKey} from '../../config/readings/js-sdk.js'

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
          ? ` Section names are case-sensitive: write [${lower === 'default' ? 'default' : `profile ${section.header.slice(8)}`}].`
          : ` Write [profile ${section.header}].`
      report({
        ...at,
        message: `[${section.header}] in the config file is not a profile for any tool: the AWS CLI and the JS SDK read profiles only from [default] and [profile NAME] here.${hint}`,
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
          message: `[${section.header}] and [${first.header}] (line ${first.line}) are both ${section.kind} "${section.name}" to botocore, which keeps only the later one. Keep one section.`,
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
      message: `Both [default] and [profile default] exist (line ${first.line}): the AWS CLI uses whichever comes later ([${second.header}] here), the JS SDK always uses [profile default]. Keep only [default].`,
      rule: 'default-profile-conflict',
      section: second.header,
    })
  }

  for (const section of credentials) {
    const at = {file: 'credentials' as const, line: section.line, section: section.header}
    if (section.kind === 'profile' && /^profile[ \t]/.test(section.header)) {
      report({
        ...at,
        message: `[${section.header}] in the credentials file is a profile literally named "${section.header}" for both tools. The credentials file takes bare names: write [${section.header.replace(/^profile[ \t]+/, '')}].`,
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
      message: `The JS SDK refuses the name "${section.header}" and then reads the whole ${at.file} file as empty. Rename the section.`,
      rule: 'invalid-profile-name',
    })
    return
  }

  if (section.kind === 'unnamed') {
    report({
      ...at,
      message: `[${section.header}] names no ${section.header.startsWith('sso-session') ? 'sso-session' : section.header.startsWith('services') ? 'services section' : 'profile'} that either tool can read: botocore needs exactly one name after the prefix, the JS SDK one name of [A-Za-z0-9_.@+%:/-]. Use [profile NAME].`,
      rule: 'invalid-profile-name',
    })
    return
  }

  if (section.kind === 'other' || section.kind === 'defaults') return
  const jsName = at.file === 'config' ? jsConfigName(js) : js
  const expected = at.file === 'config' && section.kind !== 'profile' ? `${section.kind}.${section.name}` : section.name
  if (jsName === expected) return
  const what = section.kind === 'profile' ? 'profile' : section.kind
  const js_ =
    jsName === undefined
      ? 'the JS SDK ignores the whole section'
      : `the JS SDK reads ${what} "${jsName.replace(/^(sso-session|services)\./, '')}"`
  report({
    ...at,
    message: `The AWS CLI reads ${what} "${section.name}" here, but ${js_}. Use a name of letters, digits and . _ - only, with one space after the prefix: [${section.kind === 'profile' && at.file === 'config' && section.name !== 'default' ? 'profile ' : section.kind === 'profile' ? '' : `${section.kind} `}${safeName(section.name)}].`,
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
