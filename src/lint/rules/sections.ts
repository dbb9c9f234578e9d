/** Rules about section headers: names each tool reads differently, prefixes, [default] twice. */
import type {FileKind, IniDocument} from '../../config/ini/document.js'
import type {ConfigSection} from '../../config/model.js'
import type {Check, Reporter} from '../types.js'

import {jsSectionKey} from '../../config/readings/js-sdk.js'
import {headerFor, intendedSection, jsReads, jsRefOfKey, jsSeesHeader, nearKind, type SectionRef} from '../headers.js'
import {RULE_TEXTS} from '../messages.js'

/** Sections the AWS CLI itself reads without a prefix. */
const CLI_SECTIONS = new Set(['plugins', 'preview'])

interface At {
  file: FileKind
  line: number
  section: string
}

export const sectionRules: Check = (context, report) => {
  const {config, credentials} = context.model
  const jsTargets = {
    config: lazyJsTargets(context.config.document),
    credentials: lazyJsTargets(context.credentials.document),
  }
  for (const section of config) {
    const at = {file: 'config' as const, line: section.line, section: section.header}
    if (section.kind === 'other' && !CLI_SECTIONS.has(section.header)) checkPrefix(section, at, report)
    if (!checkHeaderComment(section, at, report, jsTargets.config)) checkName(section, at, report)
  }

  checkSameNames(config, report)
  checkDefaultTwice(config, report)
  for (const section of credentials) {
    const at = {file: 'credentials' as const, line: section.line, section: section.header}
    const hidden = checkHeaderComment(section, at, report, jsTargets.credentials)
    if (section.kind !== 'profile') continue
    if (checkCredentialsPrefix(section, at, report)) continue
    if (!hidden) checkName(section, at, report)
  }
}

/** `[profile a]` and `[profile  a]`: two headers, one name to botocore, which keeps the later section. */
function checkSameNames(config: ConfigSection[], report: Reporter): void {
  const names = new Map<string, ConfigSection>()
  for (const section of config) {
    if (section.kind !== 'profile' && section.kind !== 'sso-session' && section.kind !== 'services') continue
    const key = `${section.kind} ${section.name}`
    const first = names.get(key)
    if (first && first.header !== section.header && !(section.kind === 'profile' && section.name === 'default')) {
      report({
        file: 'config',
        line: section.line,
        message: RULE_TEXTS['duplicate-section'].sameName(section.header, first, section.kind, section.name),
        rule: 'duplicate-section',
        section: section.header,
      })
    }

    names.set(key, section)
  }
}

/** Both [default] and [profile default]: botocore takes the later one, the JS SDK always [profile default]. */
function checkDefaultTwice(config: ConfigSection[], report: Reporter): void {
  let defaultSection: ConfigSection | undefined
  let profileDefault: ConfigSection | undefined
  for (const section of config) {
    if (section.kind !== 'profile' || section.name !== 'default') continue
    if (section.header === 'default') defaultSection ??= section
    else profileDefault ??= section
  }

  if (!defaultSection || !profileDefault) return
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

/** `[dev]`, `[Profile Dev]`, `[sso-sesion x]` in the config file: no tool's profile; suggest what both read. */
function checkPrefix(section: ConfigSection, at: At, report: Reporter): void {
  const meant = intendedSection(section.header)
  const suggestion = meant.name === '' ? undefined : headerFor('config', meant)
  const texts = RULE_TEXTS['missing-profile-prefix']
  const typo = meant.kindWord !== undefined && meant.kindWord.toLowerCase() !== meant.kind
  const caseOnly =
    !typo && (meant.kindWord === undefined ? section.header.toLowerCase() === 'default' : meant.kindWord !== meant.kind)
  report({
    ...at,
    message: typo
      ? texts.notAKind(section.header, meant.kindWord!, suggestion?.header ?? `[${meant.kind} NAME]`)
      : texts.notAProfile(section.header, {
          caseOnly,
          renamed: suggestion?.renamed ?? false,
          suggestion: suggestion?.header ?? '[profile NAME]',
        }),
    rule: 'missing-profile-prefix',
  })
}

/**
 * `[profile a];`, `[profile a]# x`, `[profile a] x`: botocore reads the header and ignores what follows `]`; the JS
 * SDK does not see a header (a comment needs whitespace before it) and files the keys that follow under the section
 * before. Returns whether it reported.
 */
function checkHeaderComment(
  section: ConfigSection,
  at: At,
  report: Reporter,
  jsTargets: () => Array<SectionRef | undefined>,
): boolean {
  const {header} = section.node
  if (jsSeesHeader(header.text)) return false
  report({
    ...at,
    message: RULE_TEXTS['inline-comment'].textHidesHeader(
      section.header,
      header.text.slice(header.text.lastIndexOf(']') + 1).trim(),
      jsTargets()[header.number - 1],
    ),
    rule: 'inline-comment',
  })
  return true
}

/**
 * `[profile x]`, `[sso-session x]`, `[services x]` in the credentials file: the file takes bare profile names,
 * and neither tool reads sso-sessions or services from it. Returns whether it reported.
 */
function checkCredentialsPrefix(section: ConfigSection, at: At, report: Reporter): boolean {
  // Only the kind words themselves: `[service account]` is a (badly named) profile, not a services section.
  const words = section.header.trim().split(/\s+/)
  if (words.length < 2 || nearKind(words[0]) !== words[0].toLowerCase()) return false
  const meant = intendedSection(section.header)
  const js = jsReads('credentials', section.node.header.text)
  const texts = RULE_TEXTS['profile-prefix-in-credentials']
  report({
    ...at,
    message:
      meant.kind === 'profile'
        ? texts.prefixed(section.header, js?.name, meant.name, headerFor('credentials', meant)?.header ?? '[NAME]')
        : texts.notInCredentials(section.header, meant.kind, js?.name, headerFor('config', meant)?.header),
    rule: 'profile-prefix-in-credentials',
  })
  return true
}

function checkName(section: ConfigSection, at: At, report: Reporter): void {
  const js = jsSectionKey(section.node.header.text)
  const texts = RULE_TEXTS['invalid-profile-name']
  if (js !== undefined && typeof js === 'object') {
    report({...at, message: texts.blocked(section.header, at.file), rule: 'invalid-profile-name'})
    return
  }

  if (section.kind === 'unnamed') {
    const meant = intendedSection(section.header)
    const suggestion = meant.name === '' ? undefined : headerFor(at.file, meant)
    report({
      ...at,
      message: texts.unnamed(section.header, meant.kind, suggestion?.header ?? `[${meant.kind} NAME]`),
      rule: 'invalid-profile-name',
    })
    return
  }

  if (section.kind === 'other' || section.kind === 'defaults') return
  // The model already holds botocore's reading of the header (kind and name).
  const botocore: SectionRef = {kind: section.kind, name: section.name}
  const jsRef = jsRefOfKey(at.file, js)
  if (jsRef && jsRef.kind === botocore.kind && jsRef.name === botocore.name) return
  report({
    ...at,
    message: texts.readsDifferently(botocore, jsRef, headerFor(at.file, botocore) ?? {header: '[NAME]', renamed: true}),
    rule: 'invalid-profile-name',
  })
}

/**
 * For each line of a file, the section the JS SDK files that line's keys under (undefined: nowhere, or a section
 * it drops), computed once and only when a header it does not see needs it.
 */
function lazyJsTargets(document: IniDocument | undefined): () => Array<SectionRef | undefined> {
  let targets: Array<SectionRef | undefined> | undefined
  return () => {
    if (targets) return targets
    targets = []
    let current: SectionRef | undefined
    for (const line of document?.lines ?? []) {
      if (jsSeesHeader(line.text)) current = jsReads(document!.kind, line.text)
      targets.push(current)
    }

    return targets
  }
}
