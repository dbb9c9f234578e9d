/**
 * What a profile resolved to (its session or start URL, account and role, the session's region, and whether the
 * config lets the portal be called directly: src/sso/portal-direct.ts), remembered for the fast path of
 * `credential-process` while the config and credentials files stay as they were: a generated config can hold
 * thousands of profiles, and parsing it costs more than everything else a warm call does. An entry names the files
 * by path and identifies their content by size, modification and change times and inode (ssokit and the AWS CLI
 * replace files by rename, which changes the inode); any difference, and the full parse decides again. As git does
 * for its index, an entry is not written while a file is younger than its timestamps' resolution (2 s on FAT), so
 * that an edit in place in the same tick, at the same size, cannot go unnoticed.
 *
 * `~/.aws/sso/ssokit/profiles/<sha1>.json`, 0600 in 0700. No secrets: profile, session and role names, account ids.
 */
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {ConfigPaths} from '../config/paths.js'
import type {RoleCacheKey} from '../sso/role-cache.js'

import {readRegularFile, writeFileSafely} from '../config/write.js'
import {sha1Hex} from '../sso/cache.js'

interface FileIdentity {
  ctimeMs: number
  ino: number
  mtimeMs: number
  size: number
}

/** What the fast path needs of a profile. */
export interface ResolvedProfile {
  /** No setting in the config changes the portal's endpoint (src/sso/portal-direct.ts `configAllowsDirect`). */
  direct: boolean
  key: RoleCacheKey
  /** The sso_region of the profile's session. */
  region: string
}

interface IndexEntry extends ResolvedProfile {
  config: FileIdentity | null
  credentials: FileIdentity | null
  version: 2
}

export function profileIndexPath(paths: ConfigPaths, profile: string, stateDir: string): string {
  return join(
    stateDir,
    'profiles',
    `${sha1Hex(JSON.stringify([paths.configFile, paths.credentialsFile, profile]))}.json`,
  )
}

async function identity(path: string): Promise<FileIdentity | null> {
  const info = await stat(path).catch(() => undefined)
  return info ? {ctimeMs: info.ctimeMs, ino: info.ino, mtimeMs: info.mtimeMs, size: info.size} : null
}

/** The files' identities now, to compare with an entry and to write with a new one. */
export async function filesIdentity(paths: ConfigPaths): Promise<Pick<IndexEntry, 'config' | 'credentials'>> {
  const [config, credentials] = await Promise.all([identity(paths.configFile), identity(paths.credentialsFile)])
  return {config, credentials}
}

const same = (a: FileIdentity | null, b: FileIdentity | null | undefined) =>
  a === null
    ? b === null
    : Boolean(b) && a.size === b!.size && a.mtimeMs === b!.mtimeMs && a.ctimeMs === b!.ctimeMs && a.ino === b!.ino

/** The remembered resolution, if the files are the very ones it was made from. */
export async function readProfileIndex(
  path: string,
  files: Pick<IndexEntry, 'config' | 'credentials'>,
): Promise<ResolvedProfile | undefined> {
  let entry: IndexEntry
  try {
    const bytes = await readRegularFile(path, 'profile index')
    if (!bytes) return undefined
    entry = JSON.parse(bytes.toString('utf8')) as IndexEntry
  } catch {
    return undefined
  }

  if (entry?.version !== 2 || !same(files.config, entry.config) || !same(files.credentials, entry.credentials))
    return undefined
  const {direct, key, region} = entry
  const tokenKey = key?.tokenKey as Record<string, unknown> | undefined
  const named = typeof tokenKey?.sessionName === 'string' || typeof tokenKey?.startUrl === 'string'
  if (!named || typeof key.accountId !== 'string' || typeof key.roleName !== 'string') return undefined
  if (typeof direct !== 'boolean' || typeof region !== 'string') return undefined
  return {direct, key, region}
}

/** Files modified this recently are not remembered (see above). */
export const RACY_MS = 2000

export async function writeProfileIndex(
  path: string,
  files: Pick<IndexEntry, 'config' | 'credentials'>,
  profile: ResolvedProfile,
  now = Date.now(),
): Promise<void> {
  if ([files.config, files.credentials].some((file) => file && now - file.mtimeMs < RACY_MS)) return
  const entry: IndexEntry = {version: 2, ...files, ...profile}
  await writeFileSafely(path, JSON.stringify(entry) + '\n', {force: true, private: true})
}
