/**
 * Merges generated profiles into the config file: one managed block per sso-session, replaced in place (or
 * appended), every byte outside it kept. Pure: bytes in, bytes out. It works on the file's lines as text and
 * parses only what lies outside the block, so a block of thousands of profiles costs little to rewrite.
 */
import {decodeConfigBytes, parseDocument} from '../config/ini/document.js'
import {type BlockSpan, findBlockSpans} from '../config/managed-blocks.js'
import {sectionsOf, settingValue} from '../config/model.js'
import {classifyBotocoreSection} from '../config/readings/botocore.js'
import {SsokitError, WriteRefusedError} from '../errors.js'
import {profileLines, renderBlock, type SessionSettings, toProfile} from './block.js'
import {type Entitlement, nameEntitlements, type Transliterate} from './naming.js'

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
  /** ASCII spelling for non-ASCII account names (naming.ts `loadTransliterator`). */
  transliterate?: Transliterate
}

export interface GenerateReport {
  added: string[]
  /** True when the file changes. */
  changed: boolean
  region: {source: 'region-flag' | 'sso-region'; value: string}
  removed: string[]
  /** Profiles added or changed in this run whose name differs from the rendered template. */
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
  const eol = usesCrlf(text) ? '\r\n' : '\n'
  const block = currentBlock(text, ssoSession, input.force)
  // The block and its line ending are cut out before parsing: only the rest is the user's.
  const afterBlock = block ? lineEndAfter(text, block.end!) : 0
  const outside = sectionsOf(
    parseDocument(block ? text.slice(0, block.start) + text.slice(afterBlock) : text, 'config'),
  )
  const existingSession = outside.find((s) => s.kind === 'sso-session' && s.name === ssoSession)
  const inBlock = block ? blockSections(block.body) : []
  const previous = new Map(inBlock.filter((s) => s.kind === 'profile').map((s) => [s.name, s.text]))
  const blockSession = inBlock.find((s) => s.kind === 'sso-session' && s.name === ssoSession)
  const session = resolveSession(
    input,
    existingSession && {
      region: settingValue(existingSession, 'sso_region'),
      registrationScopes: settingValue(existingSession, 'sso_registration_scopes'),
      startUrl: settingValue(existingSession, 'sso_start_url'),
    },
    blockSession && {
      region: sectionValue(blockSession, 'sso_region'),
      registrationScopes: sectionValue(blockSession, 'sso_registration_scopes'),
      startUrl: sectionValue(blockSession, 'sso_start_url'),
    },
  )
  const region = input.region
    ? {source: 'region-flag' as const, value: input.region}
    : {source: 'sso-region' as const, value: session.region}

  // Line numbers of the outside part, mapped back to the file (the block was cut out before parsing).
  const blockLines = block ? countLines(text, block.start, afterBlock) : 0
  const fileLine = (line: number) => (block && line >= block.line ? line + blockLines : line)
  const outsideNames = new Map(outside.filter((s) => s.kind === 'profile').map((s) => [s.name, fileLine(s.line)]))
  const named = nameEntitlements(input.entitlements, {
    lowercase: input.lowercase,
    region: region.value,
    ssoSession,
    template: input.nameTemplate,
    transliterate: input.transliterate,
  })
  const report: GenerateReport = {
    added: [],
    changed: false,
    region,
    removed: [],
    renamed: [],
    sessionInBlock: !existingSession,
    skipped: [],
    stale: [],
    unchanged: [],
    updated: [],
  }
  const profiles: Array<{name: string; text: string}> = []
  for (const entitlement of named) {
    const clash = outsideNames.get(entitlement.name)
    if (clash !== undefined || input.otherProfileNames?.has(entitlement.name)) {
      report.skipped.push({
        name: entitlement.name,
        reason:
          clash === undefined
            ? 'a profile of this name exists in the credentials file'
            : `a profile of this name exists outside the block (config line ${clash})`,
      })
      continue
    }

    const generated = profileLines(toProfile(entitlement, region.value, input.profileSettings), ssoSession).join('\n')
    profiles.push({name: entitlement.name, text: generated})
    const before = previous.get(entitlement.name)
    if (before === undefined) report.added.push(entitlement.name)
    else if (before === generated) report.unchanged.push(entitlement.name)
    else report.updated.push(entitlement.name)
    // A rename is news only for a profile this run adds or changes; an unchanged run does not repeat it.
    if (entitlement.renamed && before !== generated)
      report.renamed.push({from: entitlement.renamed.from, name: entitlement.name, reason: entitlement.renamed.reason})
  }

  const kept = new Set(profiles.map((p) => p.name))
  for (const [name, old] of previous) {
    if (kept.has(name)) continue
    if (input.prune) {
      report.removed.push(name)
    } else {
      report.stale.push(name)
      profiles.push({name, text: old})
    }
  }

  for (const list of [report.added, report.updated, report.unchanged, report.removed, report.stale]) list.sort()
  const rendered = renderBlock(ssoSession, existingSession ? undefined : session, profiles).replaceAll('\n', eol)
  let newText: string | undefined
  if (block) {
    if (text.slice(block.start, block.end) !== rendered)
      newText = text.slice(0, block.start) + rendered + text.slice(block.end)
  } else if (profiles.length > 0) {
    newText = appendBlock(text, rendered, eol)
  }

  report.changed = newText !== undefined
  return {
    bytes: Buffer.concat([
      bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
      Buffer.from(newText ?? text, encoding),
    ]),
    report,
  }
}

/** The file's text with the block after it, separated by one blank line, ending with a line ending. */
function appendBlock(text: string, block: string, eol: string): string {
  if (text === '') return block + eol
  let head = text.endsWith('\n') ? text : text + eol
  if (!/\n[^\S\n]*\r?\n$/.test(head) && !/^[^\S\n]*\r?\n$/.test(head)) head += eol
  return head + block + eol
}

function usesCrlf(text: string): boolean {
  let lf = 0
  let crlf = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lf++
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++
  }

  return crlf * 2 > lf
}

/** Offset after the line ending that follows `offset` (or the end of the text). */
function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset)
  return newline === -1 ? text.length : newline + 1
}

function countLines(text: string, from: number, to: number): number {
  let n = 0
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++
  return n
}

interface BlockSection {
  kind: string
  name: string
  /** The section's lines joined with `\n`, without trailing blank lines. */
  text: string
}

/** The sections inside a block's body: ssokit wrote them, so each starts with a plain `[kind name]` line. */
function blockSections(body: string): BlockSection[] {
  const starts: number[] = []
  if (body.startsWith('[')) starts.push(0)
  for (let i = body.indexOf('\n['); i !== -1; i = body.indexOf('\n[', i + 1)) starts.push(i + 1)
  return starts.map((start, i) => {
    const section = body.slice(start, i + 1 < starts.length ? starts[i + 1] - 1 : body.length).trimEnd()
    const headerEnd = section.indexOf('\n')
    const header = /^\[(.+)\]\s*$/.exec(headerEnd === -1 ? section : section.slice(0, headerEnd))?.[1] ?? ''
    // ssokit writes `profile NAME` with a safe NAME; anything else (a forced, hand-edited block) goes through botocore's rules.
    const plain = /^(profile|sso-session) ([\w.-]+)$/.exec(header)
    const classified = plain ? {kind: plain[1], name: plain[2]} : classifyBotocoreSection(header)
    return {kind: classified?.kind ?? 'other', name: classified?.name ?? header, text: section}
  })
}

/** `key = value` inside a block section (the last one, as ssokit writes each key once). */
function sectionValue(section: BlockSection, key: string): string | undefined {
  let value: string | undefined
  for (const line of section.text.split('\n').slice(1)) {
    const eq = line.indexOf('=')
    if (eq > 0 && line.slice(0, eq).trim().toLowerCase() === key) value = line.slice(eq + 1).trim()
  }

  return value
}

/** The block for this session, refusing (exit 7) one that was edited by hand unless forced. */
function currentBlock(text: string, ssoSession: string, force = false): BlockSpan | undefined {
  const blocks = findBlockSpans(text).filter((b) => b.ssoSession === ssoSession)
  if (blocks.length > 1) {
    throw new WriteRefusedError(
      `The config has ${blocks.length} ssokit blocks for sso-session ${ssoSession} (lines ${blocks.map((b) => b.line).join(', ')}); remove all but one.`,
      'DUPLICATE_BLOCK',
    )
  }

  const [block] = blocks
  if (!block) return undefined
  if (block.end === undefined) {
    throw new WriteRefusedError(
      `The ssokit block for sso-session ${ssoSession} that starts on line ${block.line} has no closing marker: it was edited by hand. Restore it, or delete the block and run generate again.`,
      'BLOCK_EDITED',
    )
  }

  if (!block.intact && !force) {
    throw new WriteRefusedError(
      `The ssokit block for sso-session ${ssoSession} (starting on line ${block.line}) was edited by hand: its content no longer matches the digest in its closing marker.`,
      'BLOCK_EDITED',
      {
        suggestions: [
          'Move your changes outside the block (ssokit keeps everything outside it), then run again with --force to rewrite the block.',
        ],
      },
    )
  }

  return block
}

/** The session's settings: an [sso-session] outside the block wins (and must agree), then the flags, then the block's. */
function resolveSession(
  input: GenerateInput,
  existing: SessionValues | undefined,
  previous: SessionValues | undefined,
): SessionSettings {
  const asked = input.session
  if (existing) {
    for (const [key, have, want] of [
      ['sso_start_url', existing.startUrl, asked.startUrl],
      ['sso_region', existing.region, asked.region],
    ] as const) {
      if (want !== undefined && have !== undefined && have !== want) {
        throw new WriteRefusedError(
          `[sso-session ${input.ssoSession}] already exists in the config with ${key} = ${have}, not ${want}. ssokit reuses it and will not write a second one.`,
          'SSO_SESSION_CONFLICT',
          {
            suggestions: [
              `Use another --sso-session name, or change ${key} in [sso-session ${input.ssoSession}] yourself.`,
            ],
          },
        )
      }
    }
  }

  const startUrl = existing?.startUrl ?? asked.startUrl ?? previous?.startUrl
  const region = existing?.region ?? asked.region ?? previous?.region
  if (!startUrl || !region) {
    throw new SsokitError(
      `sso-session ${input.ssoSession} does not exist yet: give its portal with --start-url and --sso-region.`,
      'SSO_SESSION_NOT_FOUND',
    )
  }

  return {
    name: input.ssoSession,
    region,
    registrationScopes: asked.registrationScopes ?? previous?.registrationScopes ?? 'sso:account:access',
    startUrl,
  }
}
