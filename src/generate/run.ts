/**
 * `ssokit generate` as a library call: choose the source, check every value, name the profiles, merge them into
 * the config's managed block and write it (or show the diff). The command only turns flags into a
 * {@link GenerateRequest} and supplies the questions a terminal can answer.
 */
import type {ConfigPaths} from '../config/paths.js'
import type {GenerateReport} from './apply.js'
import type {Entitlement} from './naming.js'
import type {SourceResult} from './sources.js'

import {profileSetting, writableValue} from '../config/values.js'
import {SsokitError, usageError} from '../errors.js'
import {shellWord} from '../shell.js'
import {unknownPlaceholders} from './naming.js'

export interface GenerateRequest {
  dryRun: boolean
  force?: boolean
  /** `--for-user`: only what this user reaches (admin sources). */
  forUser?: string
  lowercase?: boolean
  nameTemplate: string
  paths: ConfigPaths
  /** `--profile-setting key=value`, as given. */
  profileSettings: string[]
  prune?: boolean
  /** `--region` of the generated profiles. */
  region?: string
  source: {file: string; kind: 'snapshot'} | {kind: 'org'; maxRps?: number; profile?: string} | {kind: 'portal'}
  /** `--sso-region` and `--start-url`: the sso-session's settings when it does not exist yet. */
  ssoRegion?: string
  ssoSession: string
  startUrl?: string
}

/** What only a person at a terminal can decide; the command supplies it. */
export interface GenerateInteraction {
  /**
   * Whether to write the change: `yes` (also for --yes), `no` (the person said no), or `no-terminal` (nobody to
   * ask, and no --yes).
   */
  confirm(diff: () => Promise<string>, report: GenerateReport): Promise<'no' | 'no-terminal' | 'yes'>
  /** `--interactive`: the person picks the accounts and roles. */
  pick?(entitlements: Entitlement[]): Promise<Entitlement[]>
  warn(text: string): void
}

export type GenerateOutput = Omit<GenerateReport, 'changed'> & {
  /** The previous file, kept when this run wrote over it. */
  backup?: string
  diff?: string
  dryRun: boolean
  file: string
  source: string
  ssoSession: string
  written: boolean
}

export async function runGenerate(request: GenerateRequest, interaction: GenerateInteraction): Promise<GenerateOutput> {
  const {paths, ssoSession} = request
  const unknown = unknownPlaceholders(request.nameTemplate)
  if (unknown.length > 0) {
    throw usageError(
      `Unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} in --name-template; use {account_name}, {account_id}, {role_name}, {sso_session}, {region}.`,
    )
  }

  if (request.forUser && request.source.kind === 'portal') {
    throw usageError('--for-user needs an admin source: --from FILE or --from-org.')
  }

  // Every flag that ends up in the file is checked before anything is read or asked.
  writableValue('sso-session name', ssoSession, '--sso-session')
  const profileSettings = request.profileSettings.map((text) => profileSetting(text))
  if (request.region) writableValue('region', request.region, '--profile-region')
  if (request.ssoRegion) writableValue('region', request.ssoRegion, '--sso-region')
  if (request.startUrl) writableValue('start URL', request.startUrl, '--start-url')

  const source = await readSource(request)
  for (const warning of source.warnings ?? []) interaction.warn(warning)
  const entitlements = interaction.pick ? await interaction.pick(source.entitlements) : source.entitlements

  const {generateIntoFile} = await import('./write.js')
  const asked: {answer: 'no' | 'no-terminal' | 'yes'} = {answer: 'yes'}
  const outcome = await generateIntoFile({
    configFile: paths.configFile,
    async confirm(diff, report) {
      asked.answer = await interaction.confirm(diff, report)
      return asked.answer === 'yes'
    },
    credentialsFile: paths.credentialsFile,
    dryRun: request.dryRun,
    input: {
      entitlements,
      force: request.force,
      lowercase: request.lowercase,
      nameTemplate: request.nameTemplate,
      profileSettings,
      prune: request.prune,
      region: request.region,
      session: {
        region: request.ssoRegion ?? source.instance?.region,
        startUrl: request.startUrl ?? source.instance?.startUrl,
      },
      ssoSession,
    },
  })

  if (asked.answer === 'no-terminal') {
    throw new SsokitError(
      `Nothing written to ${paths.configFile}: there is no terminal to confirm the change. Run again with --yes to write it (or --dry-run to see the diff).`,
      'CONFIRMATION_REQUIRED',
    )
  }

  if (asked.answer === 'no')
    throw new SsokitError(`Nothing written to ${paths.configFile}: the change was not confirmed.`, 'DECLINED')
  const {changed: _changed, ...report} = outcome.report
  return {
    ...report,
    ...(outcome.backupPath && {backup: outcome.backupPath}),
    dryRun: request.dryRun,
    file: paths.configFile,
    source: source.source,
    ssoSession,
    written: outcome.written,
    ...(request.dryRun && {diff: await outcome.diff()}),
  }
}

async function readSource(request: GenerateRequest): Promise<SourceResult> {
  const {source} = request
  const {entitlementsFromSnapshot} = await import('./sources.js')
  if (source.kind === 'snapshot') {
    const {readSnapshot} = await import('../discovery/snapshot.js')
    return entitlementsFromSnapshot(await readSnapshot(source.file), {forUser: request.forUser, origin: source.file})
  }

  if (source.kind === 'org') {
    const {runDiscover} = await import('../discovery/run.js')
    const {snapshot} = await runDiscover({
      accounts: true,
      assignments: true,
      maxRps: source.maxRps,
      names: false,
      permissionSets: true,
      principals: Boolean(request.forUser),
      profile: source.profile,
      startUrl: request.startUrl,
    })
    return entitlementsFromSnapshot(snapshot, {forUser: request.forUser, origin: 'live discovery'})
  }

  const [{entitlementsFromPortal}, {loadSsoConfig}, {requireComplete, sessionTargetFor}] = await Promise.all([
    import('./portal-source.js'),
    import('../config/sso-config.js'),
    import('../sso/target.js'),
  ])
  const existing = (await loadSsoConfig(request.paths)).sessions.find((s) => s.name === request.ssoSession)
  const session = existing ?? {name: request.ssoSession, region: request.ssoRegion, startUrl: request.startUrl}
  if (!session.startUrl || !session.region) {
    throw usageError(
      `sso-session ${request.ssoSession} does not exist yet: give its portal with --start-url and --sso-region, or use --from FILE / --from-org.`,
    )
  }

  const target = sessionTargetFor(session)
  if (!existing) {
    // Its login must create the [sso-session] too.
    target.loginCommand = `ssokit login --sso-session ${shellWord(session.name)} --start-url ${shellWord(session.startUrl)} --sso-region ${shellWord(session.region)}`
  }

  return entitlementsFromPortal(requireComplete(target))
}
