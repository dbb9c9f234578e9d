/**
 * Merges generated profiles into the config document: one managed block per sso-session, replaced in place
 * (or appended), every byte outside it kept. Pure: takes a document, returns the new one and a report.
 */
import {type IniDocument} from '../config/ini/document.js'
import {appendLines, replaceLines} from '../config/ini/edit.js'
import {type ManagedBlock, findManagedBlocks} from '../config/managed-blocks.js'
import {sectionsOf, settingValue} from '../config/model.js'
import {SsokitError, WriteRefusedError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {type ProfileToWrite, type SessionSettings, profileLines, renderBlock, toProfile} from './block.js'
import {type Entitlement, type NamedEntitlement, nameEntitlements} from './naming.js'

export interface GenerateInput {
  /** The config file as it is now (an empty document for a new file). */
  document: IniDocument
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
  /** True when the document changed. */
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

export function applyGenerate(input: GenerateInput): {document: IniDocument; report: GenerateReport} {
  const {document, ssoSession} = input
  const block = currentBlock(document, ssoSession, input.force)
  const inBlock = (index: number) => block?.endIndex !== undefined && index > block.startIndex && index < block.endIndex
  const sections = sectionsOf(document)
  const outside = sections.filter((s) => !inBlock(s.node.startIndex))
  const previous = new Map(
    sections
      .filter((s) => inBlock(s.node.startIndex) && s.kind === 'profile')
      .map((s) => [s.name, document.lines.slice(s.node.startIndex, trimBlank(document, s.node.startIndex, Math.min(s.node.endIndex, block!.endIndex!))).map((l) => l.text)]),
  )

  const existingSession = outside.find((s) => s.kind === 'sso-session' && s.name === ssoSession)
  const blockSession = sections.find((s) => inBlock(s.node.startIndex) && s.kind === 'sso-session' && s.name === ssoSession)
  const settingsOf = (section: typeof existingSession) =>
    section && {region: settingValue(section, 'sso_region'), registrationScopes: settingValue(section, 'sso_registration_scopes'), startUrl: settingValue(section, 'sso_start_url')}
  const session = resolveSession(input, settingsOf(existingSession), settingsOf(blockSession))
  const region = input.region ? {source: 'region-flag' as const, value: input.region} : {source: 'sso-region' as const, value: session.region}

  const outsideNames = new Map(outside.filter((s) => s.kind === 'profile').map((s) => [s.name, s.line]))
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
    const lines = profileLines(toProfile(entitlement as NamedEntitlement, region.value, input.profileSettings) satisfies ProfileToWrite, ssoSession)
    profiles.push({lines, name: entitlement.name})
    const before = previous.get(entitlement.name)
    if (!before) report.added.push(entitlement.name)
    else if (before.join('\n') === lines.join('\n')) report.unchanged.push(entitlement.name)
    else report.updated.push(entitlement.name)
  }

  const kept = new Set(profiles.map((p) => p.name))
  for (const [name, lines] of previous) {
    if (kept.has(name)) continue
    if (input.prune) {
      report.removed.push(name)
    } else {
      report.stale.push(name)
      profiles.push({lines, name})
    }
  }

  const blockLines = renderBlock(ssoSession, existingSession ? undefined : session, profiles)
  let next: IniDocument
  if (block) {
    const old = document.lines.slice(block.startIndex, block.endIndex! + 1).map((l) => l.text)
    next = old.join('\n') === blockLines.join('\n') ? document : replaceLines(document, block.startIndex, block.endIndex! + 1, blockLines)
  } else {
    next = profiles.length === 0 ? document : appendLines(document, blockLines)
  }

  for (const list of [report.added, report.updated, report.unchanged, report.removed, report.stale]) list.sort()
  report.changed = next !== document
  return {document: next, report}
}

/** The block for this session, refusing (exit 7) one that was edited by hand unless forced. */
function currentBlock(document: IniDocument, ssoSession: string, force = false): ManagedBlock | undefined {
  const blocks = findManagedBlocks(document).filter((b) => b.ssoSession === ssoSession)
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

type SessionValues = {region?: string; registrationScopes?: string; startUrl?: string}

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

/** A section's lines without the blank lines that separate it from the next section. */
function trimBlank(document: IniDocument, start: number, end: number): number {
  while (end > start + 1 && document.lines[end - 1].kind === 'blank') end--
  return end
}
