/**
 * What botocore and the JS SDK make of one section header line, and the header to suggest instead of one they
 * read differently: a suggestion is only ever a header that both readers read as the kind and name meant
 * (checked here with the two readings of src/config/readings/, and in the tests with the real readers).
 */
import type {FileKind} from '../config/ini/document.js'

import {classifyLine} from '../config/ini/document.js'
import {classifyBotocoreSection} from '../config/readings/botocore.js'
import {jsSectionKey} from '../config/readings/js-sdk.js'
import {closest} from '../config/settings.js'
import {shlexSplit} from '../config/shlex.js'

export type SectionKind = 'profile' | 'services' | 'sso-session'

export interface SectionRef {
  kind: SectionKind
  name: string
}

const KINDS: SectionKind[] = ['profile', 'sso-session', 'services']

/** botocore: a profile, sso-session or services section (the credentials file holds only profiles), or undefined. */
export function botocoreReads(file: FileKind, lineText: string): SectionRef | undefined {
  const line = classifyLine(lineText, '', 1)
  if (line.kind !== 'section' || line.header === 'DEFAULT') return undefined
  if (file === 'credentials') return {kind: 'profile', name: line.header!}
  const classified = classifyBotocoreSection(line.header!)
  return classified && classified.kind !== 'other' ? {kind: classified.kind, name: classified.name} : undefined
}

/** The JS SDK: the same, or undefined when it drops the section or does not see a header on this line. */
export function jsReads(file: FileKind, lineText: string): SectionRef | undefined {
  return jsRefOfKey(file, jsSectionKey(lineText))
}

/** What the JS SDK's section key for a header (`profile.dev`, `sso-session.corp`, a literal) names in this file. */
export function jsRefOfKey(file: FileKind, key: ReturnType<typeof jsSectionKey>): SectionRef | undefined {
  if (key === undefined || typeof key === 'object') return undefined
  // The credentials file is read without prefix handling: every section is a profile of that literal key.
  if (file === 'credentials') return {kind: 'profile', name: key}
  if (key === 'default') return {kind: 'profile', name: 'default'}
  const dot = key.indexOf('.')
  const kind = KINDS.find((k) => k === key.slice(0, dot))
  return kind && {kind, name: key.slice(dot + 1)}
}

/** Whether the JS SDK sees a section header on this line at all (`[profile a];` is not one to it). */
export function jsSeesHeader(lineText: string): boolean {
  const hasComment = lineText.includes('#') || lineText.includes(';')
  const trimmed = (hasComment ? lineText.split(/(^|\s)[;#]/)[0] : lineText).trim()
  return trimmed[0] === '[' && trimmed.at(-1) === ']'
}

/** How a message names what a reader made of a header. */
export function describeRef(ref: SectionRef): string {
  return `${ref.kind} "${ref.name}"`
}

/**
 * A header both readers read as this kind and name, in this file; if the name itself cannot be read alike, a
 * name of letters, digits and `. _ -` made from it (`renamed`). Undefined only for what no file can hold
 * (an sso-session or services section in the credentials file).
 */
export function headerFor(file: FileKind, wanted: SectionRef): undefined | {header: string; renamed: boolean} {
  if (file === 'credentials' && wanted.kind !== 'profile') return undefined
  // The name as meant, else letters, digits and `. _ -` only, else without edge underscores (`__proto__`).
  for (const name of [
    wanted.name,
    safeName(wanted.name),
    safeName(wanted.name).replaceAll(/^_+|_+$/g, '') || 'profile',
  ]) {
    const header =
      file === 'credentials'
        ? `[${name}]`
        : wanted.kind === 'profile' && name === 'default'
          ? '[default]'
          : `[${wanted.kind} ${name}]`
    const ref = {kind: wanted.kind, name}
    if (same(botocoreReads(file, header), ref) && same(jsReads(file, header), ref))
      return {header, renamed: name !== wanted.name}
  }

  return undefined
}

/**
 * What a header that no reader takes as meant was probably meant to be: `[dev]` a profile dev, `[Profile Dev]` a
 * profile Dev, `[sso-sesion x]` and `[profile sso-sesion x]` an sso-session x, `[profile profile x]` a profile x.
 * The last word that is (nearly) a section kind gives the kind (`kindWord`, as written); the words after it the
 * name, empty when there are none (`[Profile]`).
 */
export function intendedSection(header: string): SectionRef & {kindWord?: string} {
  // botocore's greedy header match swallows a comment that holds `]` (`profile a] # see [docs`): keep what came first.
  const text = header.includes(']') ? header.slice(0, header.indexOf(']')) : header
  const words = shlexSplit(text) ?? text.replaceAll(/["']/g, ' ').trim().split(/\s+/)
  let kind: SectionKind = 'profile'
  let kindWord: string | undefined
  let start = 0
  for (let i = 0; i < words.length; i++) {
    const near = nearKind(words[i])
    if (!near || (i === words.length - 1 && i > 0)) break
    kind = near
    kindWord = words[i]
    start = i + 1
  }

  const name = words.slice(start).join(' ')
  if (kindWord === undefined && name.toLowerCase() === 'default') return {kind, name: 'default'}
  return {kind, kindWord, name}
}

/** The section kind a word means, if it is one up to case or a small typo (`Profile`, `profil`, `sso-sesion`). */
export function nearKind(word: string): SectionKind | undefined {
  const lower = word.toLowerCase()
  return KINDS.find((k) => k === lower) ?? (closest(lower, KINDS) as SectionKind | undefined)
}

/** Letters, digits and `. _ -` only: a name every reader takes as written. */
export function safeName(name: string): string {
  return name.replaceAll(/[^A-Za-z0-9_.-]+/g, '-').replaceAll(/^-+|-+$/g, '') || 'profile'
}

function same(a: SectionRef | undefined, b: SectionRef): boolean {
  return a !== undefined && a.kind === b.kind && a.name === b.name
}
