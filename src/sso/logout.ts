/** `ssokit logout`: revoke the token with the portal's Logout, then remove the cache files that belong to it. */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {PortalApi} from './clients.js'
import type {SsoTarget} from './target.js'

import {describeFailure} from '../aws/errors.js'
import {cliCredentialCacheFile, readTokenFile, removeFile, tokenCachePath} from './cache.js'
import {removeRoleCache} from './role-cache.js'

export interface LogoutEntry {
  kind: SsoTarget['kind']
  name: string
  /** What happened with the portal's Logout, for people. */
  note?: string
  /**
   * Files removed: the token, the AWS CLI's cached role credentials of the session's profiles, and ssokit's own
   * role-credential cache folder of the session.
   */
  removed: string[]
  /** True when the portal accepted Logout (the token is revoked server-side). */
  revoked: boolean
  startUrl: null | string
}

export interface LogoutOptions {
  cacheDir: string
  /** `~/.aws/cli/cache`. */
  cliCacheDir: string
  portal: (region: string) => Promise<PortalApi>
  /** ssokit's state folder, whose cached role credentials of the session are removed (default `~/.aws/sso/ssokit`). */
  stateDir?: string
  targets: SsoTarget[]
}

export async function logout(options: LogoutOptions): Promise<LogoutEntry[]> {
  const entries: LogoutEntry[] = []
  for (const target of options.targets) {
    // eslint-disable-next-line no-await-in-loop
    entries.push(await logoutOne(target, options))
  }

  return entries
}

async function logoutOne(target: SsoTarget, options: LogoutOptions): Promise<LogoutEntry> {
  const entry: LogoutEntry = {
    kind: target.kind,
    name: target.name,
    removed: [],
    revoked: false,
    startUrl: target.startUrl ?? null,
  }
  const path = tokenCachePath(target.tokenKey, options.cacheDir)
  const read = await readTokenFile(path)
  if (read.status === 'ok') {
    const region = read.token.region ?? target.region
    if (region) {
      const portal = await options.portal(region)
      try {
        await portal.logout({accessToken: read.token.accessToken})
        entry.revoked = true
      } catch (error) {
        const failure = describeFailure(error)
        entry.note =
          failure.kind === 'service' && failure.code === 'UnauthorizedException'
            ? 'the portal no longer accepted the token (already expired or revoked)'
            : `the portal Logout failed (${failure.kind === 'service' ? `${failure.code}: ` : ''}${failure.message}); the token may stay valid until it expires`
      } finally {
        portal.close()
      }
    } else {
      entry.note = 'no region known for the token, so it was not revoked with the portal'
    }
  }

  if (await removeFile(path)) entry.removed.push(path)
  const roleCache = await removeRoleCache(target.tokenKey, options.stateDir)
  if (roleCache) entry.removed.push(roleCache)
  for (const role of target.roles) {
    const file = join(options.cliCacheDir, cliCredentialCacheFile({...role, ...target.tokenKey}))
    // eslint-disable-next-line no-await-in-loop
    if ((await isSsoCredentialCache(file)) && (await removeFile(file))) entry.removed.push(file)
  }

  if (read.status === 'missing' && entry.removed.length === 0) entry.note = 'not logged in: there was no cached token'
  return entry
}

/** Only files the AWS CLI wrote for SSO (`"ProviderType": "sso"`) are removed, as `aws sso logout` does. */
async function isSsoCredentialCache(path: string): Promise<boolean> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as {ProviderType?: unknown}
    return data?.ProviderType === 'sso'
  } catch {
    return false
  }
}
