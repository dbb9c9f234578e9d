import type {TokenKey} from './cache.js'

/**
 * The glue between the config and the SSO library: which sso-session (or legacy start URL) a `--sso-session` or
 * `--profile` flag means, with everything login, status, logout and credential-process need to know about it.
 */
import {type ConfigPaths} from '../config/load.js'
import {loadSsoConfig, type SsoConfig, type SsoProfileConfig, type SsoSessionConfig} from '../config/sso-config.js'
import {BadInputError, SsokitError} from '../errors.js'
import {shellWord} from '../shell.js'

export interface SsoTarget {
  kind: 'legacy' | 'sso-session'
  /** The login command that fixes this target, e.g. `ssokit login --sso-session corp`. */
  loginCommand: string
  /** The sso-session name, or for a legacy profile its start URL. */
  name: string
  /** Profiles that use it, in config order. */
  profiles: string[]
  region?: string
  /**
   * `sso_registration_scopes` of the session; undefined when none are set (and always for legacy), which is
   * what botocore hashes as `null` in the registration cache key.
   */
  registrationScopes?: string[]
  /** Account and role of each of those profiles that has both (for the AWS CLI's role-credential cache). */
  roles: Array<{accountId: string; roleName: string}>
  sessionName?: string
  startUrl?: string
  tokenKey: TokenKey
}

/** A target with the two settings a login needs. */
export type CompleteSsoTarget = SsoTarget & {region: string; startUrl: string}

export interface SsoProfileTarget {
  accountId: string
  profile: string
  roleName: string
  target: CompleteSsoTarget
}

export interface TargetSelection {
  profile?: string
  ssoSession?: string
}

export async function loadTargetConfig(paths: ConfigPaths): Promise<SsoConfig> {
  return loadSsoConfig(paths)
}

/** Every sso-session, then every distinct legacy start URL, as the config lists them. */
export function allTargets(config: SsoConfig): SsoTarget[] {
  const targets: SsoTarget[] = config.sessions.map((session) => sessionTarget(config, session.name))
  const seen = new Set<string>()
  for (const profile of config.profiles) {
    if (profile.kind !== 'legacy' || !profile.startUrl || seen.has(profile.startUrl)) continue
    seen.add(profile.startUrl)
    targets.push(legacyTarget(config, profile))
  }

  return targets
}

/**
 * The target a command was pointed at: `--sso-session S`, else `--profile P` (its session, or its own start URL
 * for a legacy profile). With neither, the only target the config has; several are a usage error that lists them.
 */
export function selectTarget(config: SsoConfig, selection: TargetSelection): SsoTarget {
  if (selection.ssoSession !== undefined) {
    if (!config.sessions.some((s) => s.name === selection.ssoSession)) {
      throw new SsokitError(
        `The specified sso-session does not exist: "${selection.ssoSession}".`,
        'SSO_SESSION_NOT_FOUND',
        {
          suggestions: [
            ...suggestSessions(config),
            `To create it and sign in: ssokit login --sso-session ${shellWord(selection.ssoSession)} --start-url https://<portal>.awsapps.com/start --sso-region <region>`,
          ],
        },
      )
    }

    return sessionTarget(config, selection.ssoSession)
  }

  if (selection.profile !== undefined) return targetOfProfile(config, findSsoProfile(config, selection.profile))
  const targets = allTargets(config)
  if (targets.length === 1) return targets[0]
  throw new SsokitError(
    targets.length === 0
      ? 'The config has no sso-session and no SSO profile.'
      : `The config has ${targets.length} SSO sessions; choose one with --sso-session or --profile.`,
    'SSO_TARGET_REQUIRED',
    {suggestions: suggestSessions(config)},
  )
}

/** The target with its start URL and region, or bad input (exit 3) naming what the config lacks. */
export function requireComplete(target: SsoTarget): CompleteSsoTarget {
  const missing = [target.startUrl ? undefined : 'sso_start_url', target.region ? undefined : 'sso_region'].filter(
    Boolean,
  )
  if (missing.length > 0) {
    const where = target.kind === 'sso-session' ? `[sso-session ${target.name}]` : `profile ${target.profiles[0]}`
    throw new BadInputError(
      `Missing the following required SSO configuration values in ${where}: ${missing.join(', ')}.`,
      'SSO_CONFIG_INCOMPLETE',
    )
  }

  return target as CompleteSsoTarget
}

/** An SSO profile with its account, role and complete session, as credential-process needs it. */
export function selectProfile(config: SsoConfig, profileName: string): SsoProfileTarget {
  const profile = findSsoProfile(config, profileName)
  const target = requireComplete(targetOfProfile(config, profile))
  const missing = [
    profile.accountId ? undefined : 'sso_account_id',
    profile.roleName ? undefined : 'sso_role_name',
  ].filter(Boolean)
  if (missing.length > 0) {
    throw new BadInputError(
      `The profile "${profileName}" is configured to use SSO but is missing required configuration: ${missing.join(', ')}.`,
      'SSO_CONFIG_INCOMPLETE',
    )
  }

  return {accountId: profile.accountId!, profile: profile.profile, roleName: profile.roleName!, target}
}

function findSsoProfile(config: SsoConfig, name: string): SsoProfileConfig {
  const profile = config.profiles.find((p) => p.profile === name)
  if (!profile) {
    throw new SsokitError(`The profile "${name}" does not exist or has no SSO settings.`, 'PROFILE_NOT_FOUND', {
      suggestions:
        config.profiles.length > 0 ? [`SSO profiles: ${config.profiles.map((p) => p.profile).join(', ')}`] : [],
    })
  }

  return profile
}

function targetOfProfile(config: SsoConfig, profile: SsoProfileConfig): SsoTarget {
  if (profile.kind === 'sso-session') {
    if (!config.sessions.some((s) => s.name === profile.ssoSession)) {
      throw new BadInputError(
        `The specified sso-session does not exist: "${profile.ssoSession}" (used by profile ${profile.profile}).`,
        'SSO_SESSION_MISSING',
      )
    }

    return sessionTarget(config, profile.ssoSession!)
  }

  if (!profile.startUrl) {
    throw new BadInputError(
      `Missing the following required SSO configuration values in profile ${profile.profile}: sso_start_url.`,
      'SSO_CONFIG_INCOMPLETE',
    )
  }

  return legacyTarget(config, profile)
}

function rolesOf(profiles: SsoProfileConfig[]): Array<{accountId: string; roleName: string}> {
  return profiles.flatMap((p) => (p.accountId && p.roleName ? [{accountId: p.accountId, roleName: p.roleName}] : []))
}

function sessionTarget(config: SsoConfig, name: string): SsoTarget {
  const session = config.sessions.find((s) => s.name === name)!
  return sessionTargetFor(
    session,
    config.profiles.filter((p) => p.kind === 'sso-session' && p.ssoSession === name),
  )
}

/** The target of one sso-session (also one not written to the config yet, as generate may have it). */
export function sessionTargetFor(session: SsoSessionConfig, profiles: SsoProfileConfig[] = []): SsoTarget {
  return {
    kind: 'sso-session',
    loginCommand: `ssokit login --sso-session ${shellWord(session.name)}`,
    name: session.name,
    profiles: profiles.map((p) => p.profile),
    region: session.region,
    roles: rolesOf(profiles),
    registrationScopes: session.registrationScopes,
    sessionName: session.name,
    startUrl: session.startUrl,
    tokenKey: {sessionName: session.name},
  }
}

function legacyTarget(config: SsoConfig, profile: SsoProfileConfig): SsoTarget {
  const startUrl = profile.startUrl!
  const profiles = config.profiles.filter((p) => p.kind === 'legacy' && p.startUrl === startUrl)
  return {
    kind: 'legacy',
    loginCommand: `ssokit login --profile ${shellWord(profile.profile)}`,
    name: startUrl,
    profiles: profiles.map((p) => p.profile),
    region: profile.region ?? profiles.find((p) => p.region)?.region,
    roles: rolesOf(profiles),
    startUrl,
    tokenKey: {startUrl},
  }
}

function suggestSessions(config: SsoConfig): string[] {
  const names = config.sessions.map((s) => s.name)
  return names.length > 0 ? [`sso-sessions in the config: ${names.join(', ')}`] : []
}
