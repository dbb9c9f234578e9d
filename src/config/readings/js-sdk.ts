/**
 * How the AWS SDK for JavaScript v3 reads the same files: a port of `@smithy/shared-ini-file-loader`'s
 * `parseIni`, `getConfigData` and `getSsoSessionData` (the SDK no longer exports `parseIni`). The
 * differential tests check it against the real `loadSharedConfigFiles`.
 */
import {dict} from './botocore.js'

export type JsSections = Record<string, Record<string, string>>

export interface JsLineEvent {
  /** Key as stored (`s3.max_concurrent_requests` inside a sub-section). */
  key?: string
  /** 1-based line number (the SDK splits on `\n` and `\r\n` only). */
  line: number
  /** Section the line landed in, as the SDK names it (`profile.dev`), if any. */
  section?: string
  what: 'dropped' | 'section' | 'stored' | 'sub-section'
}

export type JsReading = {error: string; ok: false} | {events: JsLineEvent[]; ok: true; sections: JsSections}

const PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/
const SECTION_TYPES = new Set(['profile', 'services', 'sso-session'])
const BLOCKED = new Set(['__proto__', 'profile __proto__'])

/** `parseIni`, plus a per-line account of what happened to each line (for lint messages). */
export function jsParseIni(text: string): JsReading {
  const map = dict<Record<string, string>>()
  const events: JsLineEvent[] = []
  let currentSection: string | undefined
  let currentSubSection: string | undefined
  for (const [i, iniLine] of text.split(/\r?\n/).entries()) {
    const line = i + 1
    const trimmedLine = iniLine.split(/(^|\s)[;#]/)[0].trim()
    const isSection = trimmedLine[0] === '[' && trimmedLine.at(-1) === ']'
    if (isSection) {
      currentSection = undefined
      currentSubSection = undefined
      const sectionName = trimmedLine.slice(1, -1)
      const matches = PREFIX_KEY.exec(sectionName)
      if (matches) {
        if (SECTION_TYPES.has(matches[1])) currentSection = `${matches[1]}.${matches[3]}`
      } else {
        currentSection = sectionName
      }

      if (BLOCKED.has(sectionName)) return {error: `Found invalid profile name "${sectionName}"`, ok: false}
      events.push({line, section: currentSection, what: currentSection === undefined ? 'dropped' : 'section'})
    } else if (currentSection) {
      const eq = trimmedLine.indexOf('=')
      if (eq === 0 || eq === -1) {
        if (trimmedLine) events.push({line, section: currentSection, what: 'dropped'})
        continue
      }

      const name = trimmedLine.slice(0, eq).trim()
      const value = trimmedLine.slice(eq + 1).trim()
      if (value === '') {
        currentSubSection = name
        events.push({key: name, line, section: currentSection, what: 'sub-section'})
      } else {
        if (currentSubSection && iniLine.trimStart() === iniLine) currentSubSection = undefined
        const key = currentSubSection ? `${currentSubSection}.${name}` : name
        map[currentSection] ??= dict()
        // A plain object's `__proto__` key swallows a string assignment; keep the SDK's result.
        if (key !== '__proto__') map[currentSection][key] = value
        events.push({key, line, section: currentSection, what: 'stored'})
      }
    } else if (trimmedLine) {
      events.push({line, what: 'dropped'})
    }
  }

  return {events, ok: true, sections: map}
}

/** `getConfigData`: profiles by bare name (`[profile default]` replaces `[default]`), other known types prefixed. */
export function jsConfigData(sections: JsSections): JsSections {
  const result = dict<Record<string, string>>()
  if (sections.default) result.default = sections.default
  for (const [key, value] of Object.entries(sections)) {
    const dot = key.indexOf('.')
    if (dot === -1 || !SECTION_TYPES.has(key.slice(0, dot))) continue
    result[key.slice(0, dot) === 'profile' ? key.slice(dot + 1) : key] = value
  }

  return result
}

/** `getSsoSessionData`: sso-sessions by name. */
export function jsSsoSessionData(sections: JsSections): JsSections {
  const result = dict<Record<string, string>>()
  for (const [key, value] of Object.entries(sections)) {
    if (key.startsWith('sso-session.')) result[key.slice(key.indexOf('.') + 1)] = value
  }

  return result
}

/** `loadSharedConfigFiles` + `loadSsoSessionData`: errors make a file read as empty, silently, as in the SDK. */
export function jsSharedConfig(
  configText: string | undefined,
  credentialsText: string | undefined,
): {
  configFile: JsSections
  credentialsFile: JsSections
  ssoSessions: JsSections
} {
  const config = configText === undefined ? undefined : jsParseIni(configText)
  const credentials = credentialsText === undefined ? undefined : jsParseIni(credentialsText)
  const configSections = config?.ok ? config.sections : dict<Record<string, string>>()
  return {
    configFile: jsConfigData(configSections),
    credentialsFile: credentials?.ok ? credentials.sections : dict(),
    ssoSessions: jsSsoSessionData(configSections),
  }
}

/**
 * What the JS SDK makes of one header line: the section key it stores keys under (`profile.dev`,
 * `sso-session.corp`, or the literal text), undefined when it drops the section, or 'blocked' for `__proto__`.
 */
export function jsSectionKey(lineText: string): string | undefined | {blocked: true} {
  const trimmed = lineText.split(/(^|\s)[;#]/)[0].trim()
  if (trimmed[0] !== '[' || trimmed.at(-1) !== ']') return undefined
  const sectionName = trimmed.slice(1, -1)
  if (BLOCKED.has(sectionName)) return {blocked: true}
  const matches = PREFIX_KEY.exec(sectionName)
  if (!matches) return sectionName
  return SECTION_TYPES.has(matches[1]) ? `${matches[1]}.${matches[3]}` : undefined
}
