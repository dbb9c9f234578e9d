/**
 * The two readings of a config and a credentials file, in full, as the differential tests compare them with real
 * botocore (python3) and the real JS SDK (`@smithy/shared-ini-file-loader`): a port of the JS SDK's `parseIni`,
 * `getConfigData` and `getSsoSessionData`, and botocore's `build_profile_map` and `Session.full_config` on top of
 * src/config/readings/botocore.ts. The product uses only the parts that stay in src/.
 */
import {decodeConfigBytes} from '../../src/config/ini/document.js'
import {
  type BotocoreConfig,
  type BotocoreError,
  type BotocoreFileReading,
  botocoreReadFile,
  classifyBotocoreSection,
  dict,
  type SectionValues,
} from '../../src/config/readings/botocore.js'
import {BLOCKED, PREFIX_KEY, SECTION_TYPES} from '../../src/config/readings/js-sdk.js'

export {botocoreReadFile} from '../../src/config/readings/botocore.js'

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

/** `build_profile_map`: classify the config file's sections the way botocore does. */
export function botocoreProfileMap(sections: Record<string, SectionValues>): BotocoreConfig {
  const config: BotocoreConfig = {other: dict(), profiles: dict(), services: dict(), sso_sessions: dict()}
  for (const [key, values] of Object.entries(sections)) {
    const classified = classifyBotocoreSection(key)
    if (!classified) continue
    switch (classified.kind) {
      case 'other': {
        config.other[key] = values
        break
      }

      case 'profile': {
        config.profiles[classified.name] = values
        break
      }

      case 'sso-session': {
        config.sso_sessions[classified.name] = values
        break
      }

      default: {
        config.services[classified.name] = values
      }
    }
  }

  return config
}

/** `Session.full_config`: config-file profiles, then credentials-file sections merged over them key by key. */
export function botocoreFullConfig(
  config: BotocoreFileReading | undefined,
  credentials: BotocoreFileReading | undefined,
):
  | {config: BotocoreConfig; error?: undefined}
  | {config?: undefined; error: BotocoreError & {file: 'config' | 'credentials'}} {
  if (config && !config.ok) return {error: {file: 'config', ...config.error}}
  const built = botocoreProfileMap(config?.ok ? config.sections : dict())
  if (credentials && !credentials.ok) return {error: {file: 'credentials', ...credentials.error}}
  for (const [name, values] of Object.entries(credentials?.ok ? credentials.sections : dict<SectionValues>())) {
    built.profiles[name] = Object.assign(built.profiles[name] ?? dict(), values)
  }

  return {config: built}
}

/** botocore's view of one file's bytes: Python decodes them as UTF-8 (a BOM is kept as a character). */
export function botocoreReadBytes(bytes: Uint8Array): BotocoreFileReading {
  const {bom, encoding, text} = decodeConfigBytes(bytes)
  return botocoreReadFile((bom ? '\uFEFF' : '') + text, {decodeError: encoding !== 'utf8'})
}

/** The JS SDK's view: Node's utf8 decoding, invalid bytes replaced, a BOM kept as a character. */
export function jsTextOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8')
}

/** Both tools' readings of a config file and a credentials file (undefined = file absent). */
export function readBoth(configBytes: Uint8Array | undefined, credentialsBytes: Uint8Array | undefined) {
  return {
    botocore: botocoreFullConfig(
      configBytes && botocoreReadBytes(configBytes),
      credentialsBytes && botocoreReadBytes(credentialsBytes),
    ),
    js: jsSharedConfig(configBytes && jsTextOf(configBytes), credentialsBytes && jsTextOf(credentialsBytes)),
  }
}
