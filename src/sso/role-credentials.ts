/**
 * A profile's role credentials for `credential-process`, `exec` and `env`: from ssokit's role cache when it holds
 * them for the current sign-in, else from the portal (refreshing the token when it can) and then cached. Processes
 * that ask at once wait on one lock, so eight of them make one GetRoleCredentials request.
 */
import type {SsoProfileTarget} from './target.js'

import {ssokitStateDir} from '../config/paths.js'
import {withFileLock} from '../config/write.js'
import {messageOf, WriteRefusedError} from '../errors.js'
import {readTokenFile, tokenCachePath} from './cache.js'
import {fromProcessDocument} from './credential-formats.js'
import {processCredentials, type RoleCredentialsOptions} from './credentials.js'
import {tokenFingerprint} from './learned.js'
import {
  readRoleCache,
  ROLE_LOCK_WAIT_MS,
  type RoleCacheKey,
  roleCachePath,
  type RoleCredentialSet,
  writeRoleCache,
} from './role-cache.js'

export interface CachedRoleCredentialsOptions extends RoleCredentialsOptions {
  /** false: neither read nor write the cache (`--no-cache`). */
  cache: boolean
  lockWaitMs?: number
  /** ssokit's state folder (default `~/.aws/sso/ssokit`). */
  stateDir?: string
}

export interface RoleCredentialsResult {
  credentials: RoleCredentialSet
  /** `cache`: no request was made. */
  source: 'cache' | 'portal'
  warnings: string[]
}

export function roleCacheKeyOf(profile: SsoProfileTarget): RoleCacheKey {
  return {accountId: profile.accountId, roleName: profile.roleName, tokenKey: profile.target.tokenKey}
}

/** The cached credentials of `key` if they belong to the token the cache holds now. */
export async function cachedRoleCredentials(
  key: RoleCacheKey,
  options: {cacheDir: string; now: Date; stateDir?: string},
): Promise<RoleCredentialSet | undefined> {
  const token = await readTokenFile(tokenCachePath(key.tokenKey, options.cacheDir))
  if (token.status !== 'ok') return undefined
  return readRoleCache(
    roleCachePath(key, options.stateDir),
    {accountId: key.accountId, roleName: key.roleName, token: tokenFingerprint(token.token.accessToken)},
    options.now,
  )
}

export async function roleCredentials(options: CachedRoleCredentialsOptions): Promise<RoleCredentialsResult> {
  if (!options.cache) return fetch(options, undefined)
  const now = options.now ?? (() => new Date())
  const stateDir = options.stateDir ?? ssokitStateDir()
  const key = roleCacheKeyOf(options.profile)
  const lookup = async () => cachedRoleCredentials(key, {cacheDir: options.cacheDir, now: now(), stateDir})
  const hit = await lookup()
  if (hit) return {credentials: hit, source: 'cache', warnings: []}
  const path = roleCachePath(key, stateDir)
  try {
    return await withFileLock(
      path,
      async () => {
        // Another process may have fetched them while this one waited for the lock.
        const fetched = await lookup()
        if (fetched) return {credentials: fetched, source: 'cache', warnings: []}
        return fetch(options, {key, path, stateDir})
      },
      options.lockWaitMs ?? ROLE_LOCK_WAIT_MS,
    )
  } catch (error) {
    if (error instanceof WriteRefusedError && error.code === 'LOCKED') return fetch(options, {key, path, stateDir})
    throw error
  }
}

async function fetch(
  options: CachedRoleCredentialsOptions,
  store: undefined | {key: RoleCacheKey; path: string; stateDir: string},
): Promise<RoleCredentialsResult> {
  const {credentials, token, warnings} = await processCredentials(options)
  const result: RoleCredentialsResult = {credentials: fromProcessDocument(credentials), source: 'portal', warnings}
  if (store) {
    try {
      await writeRoleCache(
        store.path,
        {credentials: result.credentials, key: store.key, token: tokenFingerprint(token.accessToken)},
        store.stateDir,
      )
    } catch (error) {
      // The credentials are good; only the next call pays for the cache that could not be written.
      warnings.push(`The role credentials could not be cached (${messageOf(error)}); the next call asks the portal.`)
    }
  }

  return result
}
