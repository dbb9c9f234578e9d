/**
 * Merges generated profiles into the config file: one managed block per sso-session, replaced in place (or
 * appended), every byte outside it kept. Pure: bytes in, bytes out. It works on the file's lines as text and
 * parses only what lies outside the block, so a block of thousands of profiles costs little to rewrite.
 */
import {decodeConfigBytes, parseDocument} from '../config/ini/document.js'
import {type ManagedBlock, findManagedBlocksInLines} from '../config/managed-blocks.js'
import {sectionsOf, settingValue} from '../config/model.js'
import {classifyBotocoreSection} from '../config/readings/botocore.js'
import {SsokitError, WriteRefusedError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {type SessionSettings, profileLines, renderBlock, toProfile} from './block.js'
import {type Entitlement, nameEntitlements} from './naming.js'

export interface GenerateInput {
  /** The config file's bytes as they are now (empty for a new file). */
  config: Uint8Array
  entitlements: Entitlement[]
  /** Rewrite a block whose digest no longer matches (hand-edited). */
  force?: boolean
  lowercase?: boolean
  nameTemplate: string
  /** Profile names in the credentials file: a generated profile of the same name would merge with them. */
  otherProfileNames?: Set<string>
  profileSettings: Array<[string, string]>
  prune?: boolean
  /** `--region`; default: the sso region. */
  region?: string
  /** What the sso-session should say; needed when no [sso-session] exists yet. */
  session: {region?: string; registrationScopes?: string; startUrl?: string}
  ssoSession: string
}

export interface GenerateReport {
  added: string[]
  /** True when the file changes. */
  changed: boolean
  region: {source: 'region-flag' | 'sso-region'; value: string}
  removed: string[]
  renamed: Array<{from: string; name: string; reason: string}>
  /** Whether the [sso-session] is written inside the block (false: an existing one outside is reused). */
  sessionInBlock: boolean
  skipped: Array<{name: string; reason: string}>
  /** Managed profiles that are gone from the source, kept because --prune was not given. */
  stale: string[]
  unchanged: string[]
  updated: string[]
}

type SessionValues = {region?: string; registrationScopes?: string; startUrl?: string}

export function applyGenerate(input: GenerateInput): {bytes: Buffer; report: GenerateReport} {
  const {ssoSession} = input
  const {bom, encoding, text} = decodeConfigBytes(input.config)
  // Lines keep a trailing `\r` (CRLF files); `texts` are the same lines without it.
  const lines = text === '' ? [] : text.split('\n')
  const texts = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  const crlf = lines.filter((l) => l.endsWith('\r')).length * 2 > lines.length
  const block = currentBlock(texts, ssoSession, input.force)

  const outside = sectionsOf(parseDocument(block ? [...lines.slice(0, block.startIndex), ...lines.slice(block.endIndex! + 1)].join('\n') : text, 'config'))
  const existingSession = outside.find((s) => s.kind === 'sso-session' && s.name === ssoSession)
  const inBlock = block ? blockSections(texts, block.startIndex + 1, block.endIndex!) : []
  const previous = new Map(inBlock.filter((s) => s.kind === 'profile').map((s) => [s.name, s]))
  const blockSession = inBlock.find((s) => s.kind === 'sso-session' && s.name === ssoSession)
  const blockValue = (key: string) => (blockSession ? sectionValue(texts, blockSession, key) : undefined)
  const session = resolveSession(
    input,
    existingSession && {region: settingValue(existingSession, 'sso_region'), registrationScopes: settingValue(existingSession, 'sso_registration_scopes'), startUrl: settingValue(existingSession, 'sso_start_url')},
    blockSession && {region: blockValue('sso_region'), registrationScopes: blockValue('sso_registration_scopes'), startUrl: blockValue('sso_start_url')},
  )
  const region = input.region ? {source: 'region-flag' as const, value: input.region} : {source: 'sso-region' as const, value: session.region}

  // Line numbers of the outside part, mapped back to the file (the block was cut out before parsing).
  const fileLine = (line: number) => (block && line > block.startIndex ? line + block.endIndex! - block.startIndex + 1 : line)
  const outsideNames = new Map(outside.filter((s) => s.kind === 'profile').map((s) => [s.name, fileLine(s.line)]))
  const named = nameEntitlements(input.entitlements, {lowercase: input.lowercase, region: region.value, ssoSession, template: input.nameTemplate})
  const report: GenerateReport = {added: [], changed: false, region, removed: [], renamed: [], sessionInBlock: !existingSession, skipped: [], stale: [], unchanged: [], updated: []}
  const profiles: Array<{lines: string[]; name: string}> = []
  for (const entitlement of named) {
    const clash = outsideNames.get(entitlement.name)
    if (clash !== undefined || input.otherProfileNames?.has(entitlement.name)) {
      report.skipped.push({name: entitlement.name, reason: clash === undefined ? 'a profile of this name exists in the credentials file' : `a profile of this name exists outside the block (config line ${clash})`})
      continue
    }

    if (entitlement.renamed) report.renamed.push({from: entitlement.renamed.from, name: entitlement.name, reason: entitlement.renamed.reason})
    const generated = profileLines(toProfile(entitlement, region.value, input.profileSettings), ssoSession)
    profiles.push({lines: generated, name: entitlement.name})
    const before = previous.get(entitlement.name)
    if (!before) report.added.push(entitlement.name)
    else if (sameLines(texts, before, generated)) report.unchanged.push(entitlement.name)
    else report.updated.push(entitlement.name)
  }

  const kept = new Set(profiles.map((p) => p.name))
  for (const [name, old] of previous) {
    if (kept.has(name)) continue
    if (input.prune) {
      report.removed.push(name)
    } else {
      report.stale.push(name)
      profiles.push({lines: texts.slice(old.start, old.end), name})
    }
  }

  for (const list of [report.added, report.updated, report.unchanged, report.removed, report.stale]) list.sort()
  const blockLines = renderBlock(ssoSession, existingSession ? undefined : session, profiles)
  let out: string[] | undefined
  if (block) {
    if (!sameLines(texts, {end: block.endIndex! + 1, start: block.startIndex}, blockLines)) {
      out = [...lines.slice(0, block.startIndex), ...withEol(blockLines, crlf), ...lines.slice(block.endIndex! + 1)]
    }
  } else if (profiles.length > 0) {
    out = appended(lines, withEol(blockLines, crlf), crlf)
  }

  report.changed = out !== undefined
  const newText = out === undefined ? text : out.join('\n')
  return {bytes: Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(newText, encoding)]), report}
}

function withEol(blockLines: string[], crlf: boolean): string[] {
  return crlf ? blockLines.map((l) => `${l}\r`) : blockLines
}

/** `lines` (a split on `\n`) with the block after them, separated by a blank line, ending with a newline. */
function appended(lines: string[], block: string[], crlf: boolean): string[] {
  const out = [...lines]
  if (out.length > 0 && out.at(-1) === '') out.pop() // the file ended with a newline
  const blank = crlf ? '\r' : ''
  if (out.length > 0 && out.at(-1)!.trim() !== '') out.push(blank)
  return [...out, ...block, '']
}

/** Whether lines [start, end) of `texts` are exactly `lines`. */
function sameLines(texts: string[], range: {end: number; start: number}, lines: string[]): boolean {
  if (range.end - range.start !== lines.length) return false
  for (let i = 0; i < lines.length; i++) if (texts[range.start + i] !== lines[i]) return false
  return true
}

interface BlockSection {
  /** One past the section's last non-blank line (an index into the file's lines). */
  end: number
  kind: string
  name: string
  start: number
}

/** The sections inside a block, as index ranges: ssokit wrote them, so headers are plain `[kind name]` lines. */
function blockSections(texts: string[], from: number, to: number): BlockSection[] {
  const sections: BlockSection[] = []
  for (let i = from; i < to; i++) {
    const text = texts[i]
    if (text.startsWith('[')) {
      const header = /^\[(.+)\]\s*$/.exec(text)
      if (!header) continue
      const classified = classifyBotocoreSection(header[1])
      sections.push({end: i + 1, kind: classified?.kind ?? 'other', name: classified?.name ?? header[1], start: i})
    } else if (sections.length > 0 && text.trim() !== '') {
      sections.at(-1)!.end = i + 1
    }
  }

  return sections
}

/** `key = value` inside a block section (last one wins, as botocore would refuse duplicates anyway). */
function sectionValue(texts: string[], section: BlockSection, key: string): string | undefined {
  let value: string | undefined
  for (let i = section.start + 1; i < section.end; i++) {
    const eq = texts[i].indexOf('=')
    if (eq > 0 && texts[i].slice(0, eq).trim().toLowerCase() === key) value = texts[i].slice(eq + 1).trim()
  }

  return value
}

/** The block for this session, refusing (exit 7) one that was edited by hand unless forced. */
function currentBlock(texts: string[], ssoSession: string, force = false): ManagedBlock | undefined {
  const blocks = findManagedBlocksInLines(texts).filter((b) => b.ssoSession === ssoSession)
  if (blocks.length > 1) {
    throw new WriteRefusedError(`The config has ${blocks.length} ssokit blocks for sso-session ${ssoSession} (lines ${blocks.map((b) => b.startIndex + 1).join(', ')}); remove all but one.`, 'DUPLICATE_BLOCK')
  }

  const [block] = blocks
  if (!block) return undefined
  if (block.endIndex === undefined) {
    throw new WriteRefusedError(`The ssokit block for sso-session ${ssoSession} that starts on line ${block.startIndex + 1} has no closing marker: it was edited by hand. Restore it, or delete the block and run generate again.`, 'BLOCK_EDITED')
  }

  if (!block.intact && !force) {
    throw new WriteRefusedError(`The ssokit block for sso-session ${ssoSession} (lines ${block.startIndex + 1}-${block.endIndex + 1}) was edited by hand: its content no longer matches the digest in its closing marker.`, 'BLOCK_EDITED', {
      suggestions: ['Move your changes outside the block (ssokit keeps everything outside it), then run again with --force to rewrite the block.'],
    })
  }

  return block
}

/** The session's settings: an [sso-session] outside the block wins (and must agree), then the flags, then the block's. */
function resolveSession(input: GenerateInput, existing: SessionValues | undefined, previous: SessionValues | undefined): SessionSettings {
  const asked = input.session
  if (existing) {
    for (const [key, have, want] of [['sso_start_url', existing.startUrl, asked.startUrl], ['sso_region', existing.region, asked.region]] as const) {
      if (want !== undefined && have !== undefined && have !== want) {
        throw new WriteRefusedError(`[sso-session ${input.ssoSession}] already exists in the config with ${key} = ${have}, not ${want}. ssokit reuses it and will not write a second one.`, 'SSO_SESSION_CONFLICT', {
          suggestions: [`Use another --sso-session name, or change ${key} in [sso-session ${input.ssoSession}] yourself.`],
        })
      }
    }
  }

  const startUrl = existing?.startUrl ?? asked.startUrl ?? previous?.startUrl
  const region = existing?.region ?? asked.region ?? previous?.region
  if (!startUrl || !region) {
    throw new SsokitError(`sso-session ${input.ssoSession} does not exist yet: give its portal with --start-url and --sso-region.`, {code: 'SSO_SESSION_UNKNOWN', exit: ExitCode.USAGE})
  }

  return {name: input.ssoSession, region, registrationScopes: asked.registrationScopes ?? previous?.registrationScopes ?? 'sso:account:access', startUrl}
}
