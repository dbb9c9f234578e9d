import type {FileKind, IniDocument, IniLine, PropertyNode, SectionNode} from './ini/document.js'

/**
 * Sections and settings of the config and credentials files as ssokit uses them, named the way botocore
 * (the AWS CLI) names them, with line numbers for every section and key.
 */
import {classifyBotocoreSection} from './readings/botocore.js'

export type SectionKind = 'defaults' | 'other' | 'profile' | 'services' | 'sso-session' | 'unnamed'

export interface NestedSetting {
  key: string
  line: number
  value: string
}

export interface ConfigSetting {
  /** Key as written. */
  key: string
  line: number
  /** Key as botocore stores it (lower-cased). */
  name: string
  /** Lines under a `key =` with an empty value. */
  nested?: NestedSetting[]
  property: PropertyNode
  value: string
}

export interface ConfigSection {
  file: FileKind
  /** Header text as botocore reads it. */
  header: string
  kind: SectionKind
  line: number
  /** The profile, sso-session or services name as botocore reads it ('' for unnamed sections). */
  name: string
  node: SectionNode
  settings: ConfigSetting[]
}

/** The value botocore reads for a key of a section (last one wins; duplicates are a lint finding). */
export function settingValue(section: ConfigSection, name: string): string | undefined {
  for (let i = section.settings.length - 1; i >= 0; i--)
    if (section.settings[i].name === name) return section.settings[i].value
  return undefined
}

export function findSetting(section: ConfigSection, name: string): ConfigSetting | undefined {
  for (let i = section.settings.length - 1; i >= 0; i--)
    if (section.settings[i].name === name) return section.settings[i]
  return undefined
}

export function sectionsOf(document: IniDocument, nodes: SectionNode[] = document.sections): ConfigSection[] {
  return nodes.map((node) => {
    const {kind, name} = classifySection(node.name, document.kind)
    return {
      file: document.kind,
      header: node.name,
      kind,
      line: node.header.number,
      name,
      node,
      settings: node.properties.map(toSetting),
    }
  })
}

/** What kind of section a header is, and its name, as botocore reads them. */
export function classifySection(header: string, file: FileKind): {kind: SectionKind; name: string} {
  if (header === 'DEFAULT') return {kind: 'defaults', name: ''}
  if (file === 'credentials') return {kind: 'profile', name: header}
  const classified = classifyBotocoreSection(header)
  if (!classified) return {kind: 'unnamed', name: ''}
  return classified
}

function toSetting(property: PropertyNode): ConfigSetting {
  const setting: ConfigSetting = {
    key: property.key,
    line: property.line.number,
    name: property.key.toLowerCase(),
    property,
    value: property.value,
  }
  if (property.value === '' && property.children.length > 0) setting.nested = property.children.map(toNested)
  return setting
}

function toNested(line: IniLine): NestedSetting {
  const text = line.text.trim()
  const eq = text.indexOf('=')
  return eq === -1
    ? {key: text, line: line.number, value: ''}
    : {key: text.slice(0, eq).trim(), line: line.number, value: text.slice(eq + 1).trim()}
}

export interface ProfileView {
  name: string
  /** Config-file section first, then the credentials-file section, as botocore merges them. */
  sections: ConfigSection[]
  /** Effective settings: credentials-file keys override config-file keys (botocore and the JS SDK agree). */
  settings: Map<string, string>
}

export interface ConfigModel {
  config: ConfigSection[]
  credentials: ConfigSection[]
  profiles: Map<string, ProfileView>
  services: Map<string, ConfigSection>
  ssoSessions: Map<string, ConfigSection>
}

export function buildModel(config: IniDocument | undefined, credentials: IniDocument | undefined): ConfigModel {
  const model: ConfigModel = {
    config: config ? sectionsOf(config) : [],
    credentials: credentials ? sectionsOf(credentials) : [],
    profiles: new Map(),
    services: new Map(),
    ssoSessions: new Map(),
  }
  for (const section of model.config) {
    // botocore: a later section of the same name replaces the earlier one (e.g. [default] vs [profile default]).
    switch (section.kind) {
      case 'profile': {
        model.profiles.set(section.name, {name: section.name, sections: [section], settings: settingsMap(section)})
        break
      }

      case 'services': {
        model.services.set(section.name, section)
        break
      }

      case 'sso-session': {
        model.ssoSessions.set(section.name, section)
        break
      }
    }
  }

  for (const section of model.credentials) {
    if (section.kind !== 'profile') continue
    const existing = model.profiles.get(section.name)
    if (existing) {
      existing.sections.push(section)
      for (const [k, v] of settingsMap(section)) existing.settings.set(k, v)
    } else {
      model.profiles.set(section.name, {name: section.name, sections: [section], settings: settingsMap(section)})
    }
  }

  return model
}

function settingsMap(section: ConfigSection): Map<string, string> {
  return new Map(section.settings.map((s) => [s.name, s.value]))
}
