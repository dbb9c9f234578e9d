/**
 * A profile's role credentials as environment variables, for `ssokit exec` and `ssokit env`: the variables
 * `aws configure export-credentials --format env` prints (awscli/customizations/configure/exportcreds.py), plus
 * the profile's region, with `AWS_PROFILE` removed (the JS SDK skips the environment's keys while `AWS_PROFILE`
 * is set, so a child would otherwise not use them).
 */
import type {OidcApi, PortalApi} from './clients.js'

import {type ConfigPaths, loadConfig} from '../config/load.js'
import {ssoCacheDir, ssokitStateDir} from '../config/paths.js'
import {ssoConfigOf} from '../config/sso-config.js'
import {valueProblem} from '../config/values.js'
import {BadInputError} from '../errors.js'
import {type RoleCredentialSet} from './role-cache.js'
import {roleCredentials} from './role-credentials.js'
import {selectProfile, type SsoProfileTarget} from './target.js'

/** Removed from the child's environment: the profile that was resolved, in the AWS CLI's two spellings. */
export const REMOVED_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const

export interface RoleEnvironment {
  /** Name → value, in the order they are printed. */
  set: Array<[string, string]>
  unset: string[]
}

export interface ProfileEnvironmentOptions {
  cache: boolean
  cacheDir: string
  oidc: (region: string) => Promise<OidcApi>
  paths: ConfigPaths
  portal: (region: string) => Promise<PortalApi>
  profile: string
  stateDir?: string
}

export interface ProfileEnvironment {
  environment: RoleEnvironment
  expiration: string
  profile: SsoProfileTarget
  /** The profile's `region`, when it has a valid one. */
  region?: string
  warnings: string[]
}

/** The variables for a set of role credentials (and the region, when known). */
export function roleEnvironment(credentials: RoleCredentialSet, region?: string): RoleEnvironment {
  const set: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
    ['AWS_SESSION_TOKEN', credentials.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', credentials.expiration],
  ]
  if (region) set.push(['AWS_REGION', region], ['AWS_DEFAULT_REGION', region])
  for (const [name, value] of set) {
    // Values from outside (the portal's answer): nothing that could end a line or a quoted word in any shell.
    if (!/^[\u0021-\u007E]+$/.test(value))
      throw new BadInputError(
        `The portal's answer for ${name} is not printable ASCII text; nothing was printed or run.`,
        'INVALID_VALUE',
      )
  }

  return {set, unset: [...REMOVED_VARIABLES]}
}

/** The environment a child of `ssokit exec` runs with: ours, minus the profile variables, plus the credentials. */
export function childEnvironment(base: NodeJS.ProcessEnv, environment: RoleEnvironment): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...base}
  for (const name of environment.unset) delete env[name]
  for (const [name, value] of environment.set) env[name] = value
  return env
}

/** Resolves the profile, gets its role credentials (cached, refreshing the token when it can) and its region. */
export async function profileEnvironment(options: ProfileEnvironmentOptions): Promise<ProfileEnvironment> {
  const {model} = await loadConfig(options.paths)
  const profile = selectProfile(ssoConfigOf(model), options.profile)
  const {credentials, warnings} = await roleCredentials({
    cache: options.cache,
    cacheDir: options.cacheDir,
    oidc: () => options.oidc(profile.target.region),
    portal: () => options.portal(profile.target.region),
    profile,
    stateDir: options.stateDir ?? ssokitStateDir(),
  })
  let region = model.profiles.get(profile.profile)?.settings.get('region')
  if (region !== undefined) {
    const problem = valueProblem('region', region)
    if (problem) {
      warnings.push(`The region of profile ${profile.profile} is not used: ${problem}.`)
      region = undefined
    }
  }

  return {
    environment: roleEnvironment(credentials, region),
    expiration: credentials.expiration,
    profile,
    region,
    warnings,
  }
}

/** {@link profileEnvironment} with the SSO clients of this machine (loaded only now) and the AWS CLI's token cache. */
export async function signedInEnvironment(options: {
  cache: boolean
  paths: ConfigPaths
  profile: string
}): Promise<ProfileEnvironment> {
  const {createOidcApi, createPortalApi} = await import('./clients.js')
  return profileEnvironment({...options, cacheDir: ssoCacheDir(), oidc: createOidcApi, portal: createPortalApi})
}
