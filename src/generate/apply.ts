/**
 * Merges generated profiles into the config file: one managed block per sso-session, replaced in place (or
 * appended), every line outside it kept byte for byte. Pure: bytes in, bytes out, through the config engine's
 * document and its line edits (src/config/ini/), like every other change ssokit makes to a config file.
 */
import {refuseUnlessAwsCliReads} from '../config/aws-readable.js'
import {documentWith, type IniDocument, parseDocument, printDocument, type SectionNode} from '../config/ini/document.js'
import {appendLines, replaceLines} from '../config/ini/edit.js'
import {closingMarkerWith, findManagedBlocks, type ManagedBlock, openingMarker} from '../config/managed-blocks.js'
import {classifySection, type ConfigSection, sectionsOf, settingValue} from '../config/model.js'
import {samePortal, writableValue} from '../config/values.js'
import {SsokitError, WriteRefusedError} from '../errors.js'
import {blockText, profileLines, renderBody, type SessionSettings, toProfile} from './block.js'
import {type Entitlement, type NamedEntitlement, nameEntitlements, type Transliterate} from './naming.js'

export interface GenerateInput {
  /** The config file's bytes as they are now (empty for a new file). */
  config: Uint8Array
  entitlements: Entitlement[]
  /** Rewrite a block whose digest no longer matches (hand-edited), and write into a file the AWS CLI cannot read. */
  force?: boolean
  lowercase?: boolean
  nameTemplate: string
  /** Profile names in the credentials file: a generated profile of the same name would merge with them. */
  otherProfileNames?: Set<string>
  /** `--profile-setting key=value`, already checked (src/config/values.ts `profileSetting`). */
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
  /** Names that differ from the template's, for profiles added or changed in this run. */
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
type Candidate = {entitlement: NamedEntitlement; lines: string[]}

export function applyGenerate(input: GenerateInput): {bytes: Buffer; report: GenerateReport} {
  const {ssoSession} = input
  // Lines are classified when read: a re-run that changes nothing reads its block as text only.
  const document = parseDocument(input.config, 'config', {classify: 'on-read'})
  const blocks = findManagedBlocks(document)
  const block = currentBlock(blocks, ssoSession, input.force)
  const outside = outsideSections(document, block)

  const existingSession = outside.find((s) => s.kind === 'sso-session' && s.name === ssoSession)
  const blockSession = block && blockSessionValues(document, block, ssoSession)
  const session = resolveSession(input, existingSession && sessionValues(existingSession), blockSession)
  const region = input.region
    ? {source: 'region-flag' as const, value: writableValue('region', input.region, '--profile-region')}
    : {source: 'sso-region' as const, value: session.region}
  checkEntitlements(input.entitlements)
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

  const {candidates, profiles} = planProfiles(input, named, {outside, region: region.value}, report)
  // The [sso-session] goes into the block only when none exists outside it.
  const sessionToWrite = existingSession ? undefined : session
  // The common re-run: the block holds exactly these profiles, so none is stale and every one is unchanged.
  const candidatesBody = renderBody(sessionToWrite, profiles)
  if (block && holdsBody(document, block, candidatesBody)) {
    reportChanges(candidates, report, () => 'unchanged')
    return {bytes: Buffer.from(input.config), report}
  }

  const previous = blockProfiles(document, block)
  // The block's profiles that no candidate took.
  const gone = new Map(previous)
  for (const {name} of profiles) gone.delete(name)
  for (const [name, old] of gone) {
    if (input.prune) {
      report.removed.push(name)
    } else {
      report.stale.push(name)
      profiles.push({lines: sectionLines(document, old, block!.endIndex!), name})
    }
  }

  const body = report.stale.length > 0 ? renderBody(sessionToWrite, profiles) : candidatesBody
  const sameBlock = block !== undefined && holdsBody(document, block, body)
  reportChanges(candidates, report, ({entitlement, lines}) => {
    const before = previous.get(entitlement.name)
    if (!before) return 'added'
    return sameBlock || sameLines(document, before, block!.endIndex!, lines) ? 'unchanged' : 'updated'
  })

  let edited: IniDocument | undefined
  if (block) {
    if (!sameBlock) edited = replaceLines(document, block.startIndex, block.endIndex! + 1, blockText(ssoSession, body))
  } else if (profiles.length > 0) {
    edited = appendLines(document, blockText(ssoSession, body))
  }

  report.changed = edited !== undefined
  // Only a change writes: a run that changes nothing never refuses.
  if (edited && !input.force) refuseUnlessAwsCliReads(document, blocks)
  return {bytes: edited ? printDocument(edited) : Buffer.from(input.config), report}
}

/** An intact block with this body, between markers as ssokit writes them: it stays as it is. */
function holdsBody(document: IniDocument, block: ManagedBlock, body: string): boolean {
  return (
    block.intact &&
    block.body === body &&
    document.lines[block.startIndex].text === openingMarker(block.ssoSession) &&
    document.lines[block.endIndex!].text === closingMarkerWith(block.ssoSession, block.digest!)
  )
}

/**
 * The sections outside this session's block, as a model. When a section header (or nothing) follows the block,
 * no line outside it belongs to the block's sections, so the file without the block has the same sections
 * outside it, and only those lines are classified. Otherwise (say `region = x` right after the closing marker,
 * which botocore reads as part of the block's last profile) the whole file's structure decides.
 */
function outsideSections(document: IniDocument, block: ManagedBlock | undefined): ConfigSection[] {
  if (!block) return sectionsOf(document)
  const {lines} = document
  const end = block.endIndex!
  let next = end + 1
  while (next < lines.length && (lines[next].kind === 'blank' || lines[next].kind === 'comment')) next++
  if (next === lines.length || (lines[next].kind === 'section' && lines[next].indent === 0)) {
    const rest = documentWith(document, () => [...lines.slice(0, block.startIndex), ...lines.slice(end + 1)])
    return sectionsOf(rest)
  }

  return sectionsOf(
    document,
    document.sections.filter((node) => !insideBlock(node, block)),
  )
}

/**
 * The block's own [sso-session]. ssokit writes it first in an intact block, before the first blank line, so only
 * those lines are read; a block edited by hand (rewritten with --force) is read whole.
 */
function blockSessionValues(document: IniDocument, block: ManagedBlock, ssoSession: string): SessionValues | undefined {
  let nodes: SectionNode[]
  let model: IniDocument = document
  if (block.intact) {
    const {lines} = document
    let end = block.startIndex + 1
    while (end < block.endIndex! && lines[end].text !== '') end++
    model = documentWith(document, () => lines.slice(block.startIndex + 1, end))
    nodes = model.sections
  } else {
    nodes = document.sections.filter((node) => insideBlock(node, block))
  }

  const found = nodes.find((node) => {
    const {kind, name} = classifySection(node.name, 'config')
    return kind === 'sso-session' && name === ssoSession
  })
  return found && sessionValues(sectionsOf(model, [found])[0])
}

/** The block's profiles by name (sections inside the block are ssokit's own: only names and text are needed). */
function blockProfiles(document: IniDocument, block: ManagedBlock | undefined): Map<string, SectionNode> {
  const previous = new Map<string, SectionNode>()
  if (!block) return previous
  for (const node of document.sections) {
    if (!insideBlock(node, block)) continue
    const {kind, name} = classifySection(node.name, 'config')
    if (kind === 'profile') previous.set(name, node)
  }

  return previous
}

function insideBlock(node: SectionNode, block: ManagedBlock): boolean {
  return node.startIndex > block.startIndex && node.startIndex < block.endIndex!
}

/** Every account id and role name of the source is one generate may write; each distinct value checked once. */
function checkEntitlements(entitlements: Entitlement[]): void {
  // Thousands of profiles share a few hundred accounts and a handful of roles.
  const checked = new Set<string>()
  for (const e of entitlements) {
    if (!checked.has(e.accountId)) {
      writableValue('account id', e.accountId, () => `account ${JSON.stringify(e.accountId)} of the source`)
      checked.add(e.accountId)
    }

    const role = `\u0000${e.roleName}`
    if (!checked.has(role)) {
      writableValue('role name', e.roleName, () => `role of account ${e.accountId} in the source`)
      checked.add(role)
    }
  }
}

/** The profiles of the new block, skipping names taken outside it (reported), each with its lines. */
function planProfiles(
  input: GenerateInput,
  named: NamedEntitlement[],
  context: {outside: ConfigSection[]; region: string},
  report: GenerateReport,
): {candidates: Candidate[]; profiles: Array<{lines: string[]; name: string}>} {
  const outsideNames = new Map(context.outside.filter((s) => s.kind === 'profile').map((s) => [s.name, s.line]))
  const profiles: Array<{lines: string[]; name: string}> = []
  const candidates: Candidate[] = []
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

    const lines = profileLines(toProfile(entitlement, context.region, input.profileSettings), input.ssoSession)
    profiles.push({lines, name: entitlement.name})
    candidates.push({entitlement, lines})
  }

  return {candidates, profiles}
}

/** Sorts each candidate into added, updated or unchanged, with the renames of those that change. */
function reportChanges(
  candidates: Candidate[],
  report: GenerateReport,
  change: (candidate: Candidate) => 'added' | 'unchanged' | 'updated',
): void {
  for (const candidate of candidates) {
    const {entitlement} = candidate
    const what = change(candidate)
    report[what].push(entitlement.name)
    if (what !== 'unchanged' && entitlement.renamed) {
      report.renamed.push({from: entitlement.renamed.from, name: entitlement.name, reason: entitlement.renamed.reason})
    }
  }

  for (const list of [report.added, report.updated, report.unchanged, report.removed, report.stale]) list.sort()
}

function sessionValues(section: ConfigSection): SessionValues {
  return {
    region: settingValue(section, 'sso_region'),
    registrationScopes: settingValue(section, 'sso_registration_scopes'),
    startUrl: settingValue(section, 'sso_start_url'),
  }
}

/** A section's line texts inside the block, without the blank lines that separate it from the next. */
function sectionLines(document: IniDocument, section: SectionNode, blockEnd: number): string[] {
  const end = sectionEnd(document, section, blockEnd)
  return document.lines.slice(section.startIndex, end).map((l) => l.text)
}

function sectionEnd(document: IniDocument, section: SectionNode, blockEnd: number): number {
  let end = Math.min(section.endIndex, blockEnd)
  while (end > section.startIndex + 1 && document.lines[end - 1].kind === 'blank') end--
  return end
}

/** Whether a section in the block has exactly these lines (compared without building its text). */
function sameLines(document: IniDocument, section: SectionNode, blockEnd: number, lines: string[]): boolean {
  if (sectionEnd(document, section, blockEnd) - section.startIndex !== lines.length) return false
  return lines.every((text, i) => document.lines[section.startIndex + i].text === text)
}

/** The block for this session, refusing (exit 7) one that was edited by hand unless forced. */
function currentBlock(blocks: ManagedBlock[], ssoSession: string, force = false): ManagedBlock | undefined {
  const mine = blocks.filter((b) => b.ssoSession === ssoSession)
  if (mine.length > 1) {
    throw new WriteRefusedError(
      `The config has ${mine.length} ssokit blocks for sso-session ${ssoSession} (lines ${mine.map((b) => b.startIndex + 1).join(', ')}); remove all but one.`,
      'DUPLICATE_BLOCK',
    )
  }

  const [block] = mine
  if (!block) return undefined
  if (block.endIndex === undefined) {
    throw new WriteRefusedError(
      `The ssokit block for sso-session ${ssoSession} that starts on line ${block.startIndex + 1} has no closing marker: it was edited by hand. Restore it, or delete the block and run generate again.`,
      'BLOCK_EDITED',
    )
  }

  if (!block.intact && !force) {
    throw new WriteRefusedError(
      `The ssokit block for sso-session ${ssoSession} (starting on line ${block.startIndex + 1}) was edited by hand: its content no longer matches the digest in its closing marker.`,
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
  if (existing) refuseConflict(input.ssoSession, existing, asked)
  const startUrl = existing?.startUrl ?? asked.startUrl ?? previous?.startUrl
  const region = existing?.region ?? asked.region ?? previous?.region
  if (!startUrl || !region) {
    throw new SsokitError(
      `sso-session ${input.ssoSession} does not exist yet: give its portal with --start-url and --sso-region.`,
      'SSO_SESSION_NOT_FOUND',
    )
  }

  const scopes = asked.registrationScopes ?? previous?.registrationScopes ?? 'sso:account:access'
  // An [sso-session] outside the block is the user's and is not rewritten; its region is copied into profiles.
  return {
    name: writableValue('sso-session name', input.ssoSession, '--sso-session'),
    region: writableValue('region', region, existing ? `[sso-session ${input.ssoSession}] sso_region` : '--sso-region'),
    registrationScopes: existing ? scopes : writableValue('setting value', scopes, 'sso_registration_scopes'),
    startUrl: existing ? startUrl : writableValue('start URL', startUrl, '--start-url'),
  }
}

/** An [sso-session] of the user's that says another portal or region than the flags: never overwritten. */
function refuseConflict(ssoSession: string, existing: SessionValues, asked: SessionValues): void {
  for (const [key, have, want] of [
    ['sso_start_url', existing.startUrl, asked.startUrl],
    ['sso_region', existing.region, asked.region],
  ] as const) {
    const same = key === 'sso_start_url' ? have && want && samePortal(have, want) : have === want
    if (want !== undefined && have !== undefined && !same) {
      throw new WriteRefusedError(
        `[sso-session ${ssoSession}] already exists in the config with ${key} = ${have}, not ${want}. ssokit reuses it and will not write a second one.`,
        'SSO_SESSION_CONFLICT',
        {suggestions: [`Use another --sso-session name, or change ${key} in [sso-session ${ssoSession}] yourself.`]},
      )
    }
  }
}
