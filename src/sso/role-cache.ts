/**
 * ssokit's cache of role credentials (GetRoleCredentials answers), so that `credential-process`, `exec` and `env`
 * make one portal request per role and sign-in instead of one per AWS command:
 * `~/.aws/sso/ssokit/credentials/<sha1 of the session>/<sha1 of account and role>.json`, 0600 files in 0700
 * folders, written through the one write cycle (src/config/write.ts).
 *
 * An entry belongs to the sign-in that fetched it: it records the fingerprint of the access token used
 * (`tokenFingerprint` of src/sso/learned.ts, never the token) and is used only while the token cache holds that very token, so a logout (ssokit's or
 * `aws sso logout`, which delete the token), a new login or a login as someone else retires it. It is reused
 * until {@link ROLE_CREDENTIALS_MARGIN_MS} before it expires.
 *
 * This module stays light (no AWS SDK, no oclif): the fast path of `credential-process` reads it.
 */
import {chmod, mkdir, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {ssokitStateDir} from '../config/paths.js'
import {readRegularFile, writeFileSafely} from '../config/write.js'
import {rememberSecret} from '../secrets.js'
import {sha1Hex, tokenCacheKey, type TokenKey} from './cache.js'
import {formatAwsTime, MINUTE_MS, parseAwsTime} from './time.js'

/**
 * Cached credentials with less left than this are fetched again: botocore starts refreshing credentials from
 * `credential_process` 15 minutes before they expire (`_DEFAULT_ADVISORY_REFRESH_TIMEOUT` in botocore
 * credentials.py; the JS SDK refreshes 5 minutes before), so an answer with less left would be asked for again at
 * once.
 */
export const ROLE_CREDENTIALS_MARGIN_MS = 15 * MINUTE_MS

/**
 * How long a process waits for another one fetching the same role's credentials: longer than the shared write
 * lock's few seconds (a slow portal must not turn into an error), after which it fetches on its own.
 */
export const ROLE_LOCK_WAIT_MS = 30_000

/** Role credentials as the portal hands them out (GetRoleCredentials). */
export interface RoleCredentialSet {
  accessKeyId: string
  /** `%Y-%m-%dT%H:%M:%SZ`. */
  expiration: string
  secretAccessKey: string
  sessionToken: string
}

export interface RoleCacheKey {
  accountId: string
  roleName: string
  tokenKey: TokenKey
}

interface RoleCacheFile {
  accessKeyId: string
  accountId: string
  expiration: string
  roleName: string
  secretAccessKey: string
  sessionToken: string
  /** Fingerprint of the access token the credentials were fetched with. */
  token: string
  version: 1
}

export function roleCacheRoot(stateDir = ssokitStateDir()): string {
  return join(stateDir, 'credentials')
}

/** The folder of one sso-session's (or legacy start URL's) entries: what logout removes. */
export function roleCacheSessionDir(tokenKey: TokenKey, stateDir = ssokitStateDir()): string {
  return join(roleCacheRoot(stateDir), tokenCacheKey(tokenKey))
}

export function roleCachePath(key: RoleCacheKey, stateDir = ssokitStateDir()): string {
  const role = sha1Hex(JSON.stringify([key.accountId, key.roleName]))
  return join(roleCacheSessionDir(key.tokenKey, stateDir), `${role}.json`)
}

/**
 * The cached credentials for this role if they were fetched with the token whose fingerprint is given and more
 * than the margin is left; undefined otherwise (missing, unreadable, another sign-in's, about to expire).
 */
export async function readRoleCache(
  path: string,
  expected: {accountId: string; roleName: string; token: string},
  now: Date,
): Promise<RoleCredentialSet | undefined> {
  let data: unknown
  try {
    const bytes = await readRegularFile(path, 'role credential cache file')
    if (bytes === undefined) return undefined
    data = JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }

  const entry = data as null | Partial<RoleCacheFile>
  if (!entry || typeof entry !== 'object' || entry.version !== 1) return undefined
  const secrets = [entry.accessKeyId, entry.secretAccessKey, entry.sessionToken]
  if (!secrets.every((s): s is string => typeof s === 'string' && s !== '' && s.trim() === s)) return undefined
  for (const secret of secrets) rememberSecret(secret)
  if (entry.accountId !== expected.accountId || entry.roleName !== expected.roleName) return undefined
  if (entry.token !== expected.token) return undefined
  const expiry = parseAwsTime(entry.expiration)
  if (!expiry || expiry.getTime() - now.getTime() <= ROLE_CREDENTIALS_MARGIN_MS) return undefined
  return {
    accessKeyId: secrets[0],
    expiration: formatAwsTime(expiry),
    secretAccessKey: secrets[1],
    sessionToken: secrets[2],
  }
}

/** Caches `credentials` for `key`, fetched with the token of fingerprint `token`. */
export async function writeRoleCache(
  path: string,
  input: {credentials: RoleCredentialSet; key: RoleCacheKey; token: string},
  stateDir = ssokitStateDir(),
): Promise<void> {
  const {credentials, key} = input
  const entry: RoleCacheFile = {
    version: 1,
    accountId: key.accountId,
    roleName: key.roleName,
    token: input.token,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
  }
  await privateFolders(stateDir)
  await writeFileSafely(path, JSON.stringify(entry, null, 2) + '\n', {force: true, private: true})
}

/** Removes every cached credential of a session; the folder removed, or undefined when there was none. */
export async function removeRoleCache(tokenKey: TokenKey, stateDir = ssokitStateDir()): Promise<string | undefined> {
  const dir = roleCacheSessionDir(tokenKey, stateDir)
  const existed = await stat(dir).then(
    () => true,
    () => false,
  )
  if (!existed) return undefined
  await rm(dir, {force: true, recursive: true})
  return dir
}

/** `~/.aws/sso/ssokit` and its `credentials` folder: 0700, tightened if someone widened them. */
async function privateFolders(stateDir: string): Promise<void> {
  const root = roleCacheRoot(stateDir)
  await mkdir(root, {mode: 0o700, recursive: true})
  for (const dir of [stateDir, root]) {
    // eslint-disable-next-line no-await-in-loop
    const info = await stat(dir)
    // eslint-disable-next-line no-await-in-loop
    if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700)
  }
}
