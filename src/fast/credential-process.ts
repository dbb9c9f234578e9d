/**
 * The fast path of `ssokit credential-process`, which every `aws` command of a `credential_process` profile
 * runs: bin/run.js calls {@link answerCredentialProcess} before it loads oclif. It parses the command's few flags
 * itself, reads the config (the config engine is light) and ssokit's role cache, and prints. With the cache cold
 * and the token good, it fetches the credentials with one direct request where that is certainly equivalent
 * (src/sso/portal-direct.ts). Everything else — an unknown flag, `--no-cache`, a token to refresh, any error —
 * returns false, and the full command answers, so exit codes and error lines stay exactly the command's.
 *
 * It must load neither the AWS SDK nor oclif (a test checks the modules it loads).
 */
import {type ConfigPaths, configPaths, ssoCacheDir, ssokitStateDir} from '../config/paths.js'
import {withFileLock} from '../config/write.js'
import {readTokenFile, tokenCachePath} from '../sso/cache.js'
import {credentialDocument, type CredentialDocumentFormat, printedDocument} from '../sso/credential-formats.js'
import {tokenFingerprint} from '../sso/learned.js'
import {
  readRoleCache,
  ROLE_LOCK_WAIT_MS,
  type RoleCacheKey,
  roleCachePath,
  type RoleCredentialSet,
  writeRoleCache,
} from '../sso/role-cache.js'
import {REFRESH_WINDOW_MS} from '../sso/time.js'
import {
  filesIdentity,
  profileIndexPath,
  readProfileIndex,
  type ResolvedProfile,
  writeProfileIndex,
} from './profile-index.js'

export interface FastFlags {
  configFile?: string
  credentialsFile?: string
  format: CredentialDocumentFormat
  profile: string
}

const VALUE_FLAGS: Record<string, keyof FastFlags> = {
  '--config-file': 'configFile',
  '--credentials-file': 'credentialsFile',
  '--format': 'format',
  '--profile': 'profile',
}

/**
 * The flags, when they are only ones the fast path knows, each given once (`--flag value` or `--flag=value`);
 * undefined otherwise, so that oclif parses (and reports) anything unusual.
 */
export function parseFastFlags(argv: string[]): FastFlags | undefined {
  const seen = new Map<keyof FastFlags, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') continue
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    const key = VALUE_FLAGS[name]
    if (!key || seen.has(key)) return undefined
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('-'))) return undefined
    seen.set(key, value)
  }

  const format = seen.get('format') ?? 'process'
  const profile = seen.get('profile')
  if (!profile || (format !== 'process' && format !== 'sts')) return undefined
  return {configFile: seen.get('configFile'), credentialsFile: seen.get('credentialsFile'), format, profile}
}

/**
 * Prints the credentials with `write` (bin/run.js passes stdout's) and returns true, or returns false (having
 * printed nothing) for the full command.
 */
export async function answerCredentialProcess(
  argv: string[],
  options: {env?: NodeJS.ProcessEnv; write: (text: string) => void},
): Promise<boolean> {
  const env = options.env ?? process.env
  if (env.SSOKIT_FAST_PATH === '0') return false
  const flags = parseFastFlags(argv)
  if (!flags) return false
  try {
    const credentials = await fastCredentials(flags, env)
    if (!credentials) return false
    options.write(printedDocument(credentialDocument(credentials, flags.format)))
    return true
  } catch {
    // Whatever went wrong, the full command finds it again and reports it as it always has.
    return false
  }
}

async function fastCredentials(flags: FastFlags, env: NodeJS.ProcessEnv): Promise<RoleCredentialSet | undefined> {
  const paths = configPaths({configFile: flags.configFile, credentialsFile: flags.credentialsFile}, env)
  const cacheDir = ssoCacheDir(env)
  const stateDir = ssokitStateDir(env)
  const lookup = async (key: RoleCacheKey) => {
    const read = await readTokenFile(tokenCachePath(key.tokenKey, cacheDir))
    if (read.status !== 'ok') return {token: undefined}
    const fingerprint = tokenFingerprint(read.token.accessToken)
    const expected = {accountId: key.accountId, roleName: key.roleName, token: fingerprint}
    const cached = await readRoleCache(roleCachePath(key, stateDir), expected, new Date())
    return {cached, fingerprint, token: read.token}
  }

  // Warm: the profile as resolved before from these very files, and its credentials in the cache.
  const indexPath = profileIndexPath(paths, flags.profile, stateDir)
  const files = await filesIdentity(paths)
  let profile = await readProfileIndex(indexPath, files)
  let first = profile && (await lookup(profile.key))
  if (first?.cached) return first.cached

  // Otherwise what only a cold call needs is loaded now; the config is parsed only when the index did not answer.
  const [{remainingMs}, {directPortalEndpointFor, getRoleCredentialsDirect}] = await Promise.all([
    import('../sso/state.js'),
    import('../sso/portal-direct.js'),
  ])
  if (!profile) {
    profile = await resolveProfile(paths, flags.profile)
    await writeProfileIndex(indexPath, files, profile).catch(() => {})
    first = await lookup(profile.key)
    if (first.cached) return first.cached
  }

  const {key} = profile
  // Cold: only a token that needs no refresh, and only where the direct request is certainly the SDK's.
  if (!first?.token || remainingMs(first.token, new Date()) < REFRESH_WINDOW_MS) return undefined
  const endpoint = profile.direct ? directPortalEndpointFor(profile.region, env) : undefined
  if (!endpoint) return undefined
  const path = roleCachePath(key, stateDir)
  return withFileLock(
    path,
    async () => {
      const current = await lookup(key)
      if (current.cached) return current.cached
      if (!current.token || remainingMs(current.token, new Date()) < REFRESH_WINDOW_MS) return undefined
      const input = {accessToken: current.token.accessToken, accountId: key.accountId, roleName: key.roleName}
      const fetched = await getRoleCredentialsDirect(endpoint, input, env)
      if (fetched)
        await writeRoleCache(path, {credentials: fetched, key, token: current.fingerprint!}, stateDir).catch(() => {})
      return fetched
    },
    ROLE_LOCK_WAIT_MS,
  )
}

/** What the full parse of the config says about the profile (the warm path's index holds the same). */
async function resolveProfile(paths: ConfigPaths, name: string): Promise<ResolvedProfile> {
  const [{loadConfig}, {ssoConfigOf}, {selectProfile}, {configAllowsDirect}] = await Promise.all([
    import('../config/load.js'),
    import('../config/sso-config.js'),
    import('../sso/target.js'),
    import('../sso/portal-direct.js'),
  ])
  const {model} = await loadConfig(paths)
  const profile = selectProfile(ssoConfigOf(model), name)
  return {
    direct: configAllowsDirect(model),
    key: {accountId: profile.accountId, roleName: profile.roleName, tokenKey: profile.target.tokenKey},
    region: profile.target.region,
  }
}
