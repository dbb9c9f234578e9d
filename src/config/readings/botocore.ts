/**
 * How botocore (the AWS CLI, boto3) reads a config or credentials file: a port of Python 3.11's
 * `configparser.RawConfigParser` with its defaults and botocore's `raw_config_parse` and `_parse_nested`
 * (generate uses it to know whether the AWS CLI can read a file), and how `build_profile_map` names sections.
 * Differential tests check it against real botocore; the rest of botocore's pipeline is the tests' oracle
 * (test/support/readings.ts).
 */
import {PY_WHITESPACE, pythonRstrip, pythonStrip} from '../ini/document.js'
import {shlexSplit} from '../shlex.js'

export type NestedValue = Record<string, string>
export type SectionValues = Record<string, NestedValue | string>

export type BotocoreErrorKind =
  | 'DuplicateOptionError'
  | 'DuplicateSectionError'
  | 'MissingSectionHeaderError'
  | 'NestedValueError'
  | 'ParsingError'
  | 'UnicodeDecodeError'

export interface BotocoreError {
  key?: string
  kind: BotocoreErrorKind
  /** 1-based line (botocore counts lines with universal newlines: `\r`, `\n` and `\r\n` all end a line). */
  line: number
  section?: string
}

export type BotocoreFileReading =
  {error: BotocoreError; ok: false} | {ok: true; sections: Record<string, SectionValues>}

export interface BotocoreConfig {
  /** Sections that are neither profiles, sso-sessions nor services (e.g. `[plugins]`), by header text. */
  other: Record<string, SectionValues>
  profiles: Record<string, SectionValues>
  services: Record<string, SectionValues>
  sso_sessions: Record<string, SectionValues>
}

/** Objects without a prototype, so that names like `__proto__` are ordinary keys, as in a Python dict. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

const NON_SPACE = new RegExp(`[^${PY_WHITESPACE}]`)
const SECTCRE = /^\[(.+)\]/s
const OPTCRE = new RegExp(`^(.*?)[${PY_WHITESPACE}]*([=:])[${PY_WHITESPACE}]*(.*)$`, 's')

/**
 * `raw_config_parse`: the sections of one file (with `[DEFAULT]` keys injected), or botocore's parse error.
 * `acceptsOnly` answers whether botocore reads the file, and its error, without building the sections (the
 * check before every write, src/config/aws-readable.ts): it returns no sections.
 */
export function botocoreReadFile(
  text: string,
  options: {acceptsOnly?: boolean; decodeError?: boolean} = {},
): BotocoreFileReading {
  if (options.decodeError) return {error: {kind: 'UnicodeDecodeError', line: 1}, ok: false}
  const sections = new Map<string, Map<string, string[]>>()
  const defaults = new Map<string, string[]>()
  const added = new Set<string>()
  let cursect: Map<string, string[]> | undefined
  let sectname: string | undefined
  let optname: string | undefined
  let indentLevel = 0
  let parsingError: BotocoreError | undefined
  const lines = text.split(/\r\n|\r|\n/)
  if (lines.at(-1) === '') lines.pop()
  // An index loop and cheap first-character tests: this runs cold, before every write, on files of thousands of lines.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const lineno = i + 1
    const stripped = pythonStrip(line)
    const first = stripped.charCodeAt(0)
    const isComment = first === 0x23 || first === 0x3b // # or ;
    const value = isComment ? '' : stripped
    if (!value) {
      if (!isComment && cursect && optname) cursect.get(optname)?.push('')
      continue
    }

    // The stripped line starts at the first non-whitespace character.
    const curIndent = stripped.length === line.length ? 0 : line.indexOf(stripped)
    if (cursect && optname && curIndent > indentLevel) {
      cursect.get(optname)!.push(value)
      continue
    }

    indentLevel = curIndent
    const header = first === 0x5b ? SECTCRE.exec(value) : null // [

    if (header) {
      sectname = header[1]
      if (sections.has(sectname)) {
        if (added.has(sectionKey(sectname)))
          return fail({kind: 'DuplicateSectionError', line: lineno, section: sectname})
        cursect = sections.get(sectname)
        added.add(sectionKey(sectname))
      } else if (sectname === 'DEFAULT') {
        cursect = defaults
      } else {
        cursect = new Map()
        sections.set(sectname, cursect)
        added.add(sectionKey(sectname))
      }

      optname = undefined
    } else if (cursect) {
      const option = OPTCRE.exec(value)
      if (option) {
        if (!option[1]) parsingError ??= {kind: 'ParsingError', line: lineno, section: sectname}
        optname = pythonRstrip(option[1]).toLowerCase()
        if (added.has(optionKey(sectname!, optname)))
          return fail({key: optname, kind: 'DuplicateOptionError', line: lineno, section: sectname})
        added.add(optionKey(sectname!, optname))
        cursect.set(optname, [pythonStrip(option[3])])
      } else {
        parsingError ??= {kind: 'ParsingError', line: lineno, section: sectname}
      }
    } else {
      return fail({kind: 'MissingSectionHeaderError', line: lineno})
    }
  }

  if (parsingError) return fail(parsingError)
  if (options.acceptsOnly) {
    const nested = firstBadNestedValue(sections, defaults)
    return nested
      ? fail({...nested, kind: 'NestedValueError', line: nestedErrorLine(lines, nested.section, nested.key)})
      : {ok: true, sections: dict()}
  }

  const result = dict<SectionValues>()
  for (const [name, sectionOptions] of sections) {
    const merged = new Map([...sectionOptions, ...[...defaults].filter(([k]) => !sectionOptions.has(k))])
    const values = dict<NestedValue | string>()
    for (const [option, parts] of merged) {
      const joined = pythonRstrip(parts.join('\n'))
      if (joined.startsWith('\n')) {
        const nested = parseNested(joined)
        if (!nested)
          return fail({
            key: option,
            kind: 'NestedValueError',
            line: nestedErrorLine(lines, name, option),
            section: name,
          })
        values[option] = nested
      } else {
        values[option] = joined
      }
    }

    result[name] = values
  }

  return {ok: true, sections: result}

  function fail(error: BotocoreError): BotocoreFileReading {
    return {error, ok: false}
  }
}

// configparser tracks sections and (section, option) pairs in one set; keep the two kinds apart.
const sectionKey = (name: string) => `s\u0000${name}`
const optionKey = (section: string, option: string) => `o\u0000${section}\u0000${option}`

/** The first option, in the order botocore builds the sections, whose nested block `_parse_nested` rejects. */
function firstBadNestedValue(
  sections: Map<string, Map<string, string[]>>,
  defaults: Map<string, string[]>,
): undefined | {key: string; section: string} {
  for (const [section, sectionOptions] of sections) {
    for (const [key, parts] of sectionOptions) if (badNested(parts)) return {key, section}
    for (const [key, parts] of defaults) if (!sectionOptions.has(key) && badNested(parts)) return {key, section}
  }

  return undefined
}

/** A value that joins into a nested block (an empty first line, then more) which `_parse_nested` rejects. */
function badNested(parts: string[]): boolean {
  if (parts.length < 2 || parts[0] !== '') return false
  const joined = pythonRstrip(parts.join('\n'))
  return joined.startsWith('\n') && parseNested(joined) === undefined
}

/** `_parse_nested`: every non-blank line of a nested block must have `=`; the key's case is kept. */
function parseNested(value: string): NestedValue | undefined {
  const parsed = dict<string>()
  // Python's str.splitlines() boundaries, which include the file, group and record separators \x1c-\x1e.
  // eslint-disable-next-line no-control-regex
  for (const raw of value.split(/\r\n|[\n\r\v\f\u001C-\u001E\u0085\u2028\u2029]/)) {
    const line = pythonStrip(raw)
    if (!line) continue
    const eq = line.indexOf('=')
    if (eq === -1) return undefined
    parsed[pythonStrip(line.slice(0, eq))] = pythonStrip(line.slice(eq + 1))
  }

  return parsed
}

/** botocore does not say which nested line is bad; find the first indented line without `=` under that key. */
function nestedErrorLine(lines: string[], section: string, option: string): number {
  let inSection = false
  let inOption = false
  for (const [i, line] of lines.entries()) {
    const stripped = pythonStrip(line)
    const header = SECTCRE.exec(stripped)
    if (header && NON_SPACE.exec(line)?.index === 0) {
      inSection = header[1] === section
      inOption = false
      continue
    }

    if (!inSection || !stripped || stripped.startsWith('#') || stripped.startsWith(';')) continue
    const indented = (NON_SPACE.exec(line)?.index ?? 0) > 0
    if (!indented) inOption = pythonRstrip(OPTCRE.exec(stripped)?.[1] ?? '').toLowerCase() === option
    else if (inOption && !stripped.includes('=')) return i + 1
  }

  return 1
}

export type BotocoreSectionKind = 'other' | 'profile' | 'services' | 'sso-session'

const PLAIN_HEADER = /^(profile|sso-session|services) ([\w.@+%:/=,-]+)$/

/** What botocore makes of a config-file header: a profile, sso-session or services name, another key, or nothing. */
export function classifyBotocoreSection(header: string): undefined | {kind: BotocoreSectionKind; name: string} {
  // The common case, `profile NAME` with a plain name, is what shlex splits into exactly those two words.
  const plain = PLAIN_HEADER.exec(header)
  if (plain) return {kind: plain[1] as BotocoreSectionKind, name: plain[2]}
  for (const prefix of ['profile', 'sso-session', 'services'] as const) {
    if (!header.startsWith(prefix)) continue
    const parts = shlexSplit(header)
    if (parts?.length !== 2) return undefined
    return {kind: prefix === 'profile' ? 'profile' : prefix, name: parts[1]}
  }

  if (header === 'default') return {kind: 'profile', name: 'default'}
  return {kind: 'other', name: header}
}
