import {createHash} from 'node:crypto'
import {readdir, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {ssoCacheDir} from '../config/paths.js'
import {readRegularFile, writeFileSafely} from '../config/write.js'
import {messageOf} from '../errors.js'
import {rememberSecret} from '../secrets.js'
import {pythonJsonDumps} from './pyjson.js'
import {formatAwsTime, parseAwsTime} from './time.js'

/**
 * The SSO token cache exactly as the AWS CLI and botocore keep it (botocore `utils.py` `SSOTokenLoader`, the JS SDK's `getSSOTokenFromFile`): `~/.aws/sso/cache/<sha1>.json`,
 * keyed by the sso-session name (or, for legacy profiles, the start URL as written), bodies as Python's
 * `json.dumps` writes them, timestamps `%Y-%m-%dT%H:%M:%SZ`.
 */

/** What a token cache file holds. Readers must accept more keys than these (the JS SDK and other tools add some). */
export interface CachedToken {
  accessToken: string
  clientId?: string
  clientSecret?: string
  /** As written in the file; read with {@link parseAwsTime}. */
  expiresAt: string
  refreshToken?: string
  region?: string
  registrationExpiresAt?: string
  startUrl?: string
}

/** A cached client registration (`RegisterClient` result), shared with `aws sso login`. */
export interface CachedRegistration {
  clientId: string
  clientSecret: string
  expiresAt: string
  /** Present for PKCE registrations: `["authorization_code", "refresh_token"]`. */
  grantTypes?: string[]
  scopes?: string[]
}

/** The key of a token: an sso-session name, or a legacy profile's start URL exactly as written in the config. */
export type TokenKey = {sessionName: string} | {startUrl: string}

export type TokenRead =
  | {path: string; reason: string; status: 'invalid'}
  | {path: string; status: 'missing'}
  | {path: string; status: 'ok'; token: CachedToken}

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex')
}

/** `sha1(session name)`, or `sha1(start URL)` for a legacy profile (botocore `_token_cache_key`, JS `getSSOTokenFilepath`). */
export function tokenCacheKey(key: TokenKey): string {
  return sha1Hex('sessionName' in key ? key.sessionName : key.startUrl)
}

export function tokenCachePath(key: TokenKey, cacheDir = ssoCacheDir()): string {
  return join(cacheDir, `${tokenCacheKey(key)}.json`)
}

export interface RegistrationKeyInput {
  /** Region the OIDC client talks to (`sso_region`). */
  region: string
  /** `sso_registration_scopes` as configured; undefined (Python `None`) when the session sets none, and always for legacy. */
  scopes?: string[]
  /** Undefined (`None`) for a legacy profile. */
  sessionName?: string
  startUrl: string
}

/**
 * The registration cache key of `BaseSSOTokenFetcher._registration_cache_key`: sha1 of
 * `json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"}, sort_keys=True)`.
 */
export function registrationCacheKey(input: RegistrationKeyInput): string {
  const args = {
    region: input.region,
    scopes: input.scopes ?? null,

    session_name: input.sessionName ?? null,
    startUrl: input.startUrl,
    tool: 'botocore',
  }
  return sha1Hex(pythonJsonDumps(args, {sortKeys: true}))
}

export function registrationCachePath(input: RegistrationKeyInput, cacheDir = ssoCacheDir()): string {
  return join(cacheDir, `${registrationCacheKey(input)}.json`)
}

/** Reads a token file; never throws for a missing or unreadable file (that is a state, not an error). */
export async function readTokenFile(path: string): Promise<TokenRead> {
  let text: string
  try {
    const bytes = await readRegularFile(path, 'token cache file')
    if (bytes === undefined) return {path, status: 'missing'}
    text = bytes.toString('utf8')
  } catch (error) {
    return {path, reason: `cannot read the file (${messageOf(error)})`, status: 'invalid'}
  }

  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    // Never echo the content: it may hold tokens.
    return {path, reason: 'not valid JSON', status: 'invalid'}
  }

  if (!data || typeof data !== 'object' || Array.isArray(data))
    return {path, reason: 'not a JSON object', status: 'invalid'}
  const record = data as Record<string, unknown>
  for (const secret of ['accessToken', 'refreshToken', 'clientSecret'] as const) {
    if (typeof record[secret] === 'string') rememberSecret(record[secret])
  }

  // The keys both botocore (`SSOTokenProvider`) and the JS SDK (`validateTokenKey`) require.
  if (typeof record.accessToken !== 'string' || record.accessToken === '')
    return {path, reason: 'no accessToken', status: 'invalid'}
  if (!parseAwsTime(record.expiresAt)) return {path, reason: 'no readable expiresAt', status: 'invalid'}
  const token: CachedToken = {accessToken: record.accessToken, expiresAt: record.expiresAt as string}
  for (const key of [
    'clientId',
    'clientSecret',
    'refreshToken',
    'region',
    'registrationExpiresAt',
    'startUrl',
  ] as const) {
    if (typeof record[key] === 'string') token[key] = record[key]
  }

  return {path, status: 'ok', token}
}

/**
 * Writes a token file as the AWS CLI does (same keys in the same order, same JSON text), but atomically
 * (temp file, fsync, rename) with mode 0600 in a 0700 folder.
 */
export async function writeTokenFile(path: string, token: CachedToken): Promise<void> {
  const ordered = {
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    registrationExpiresAt: token.registrationExpiresAt,
    refreshToken: token.refreshToken,
  }
  await writePrivateFile(path, pythonJsonDumps(ordered))
}

export async function readRegistrationFile(path: string): Promise<CachedRegistration | undefined> {
  let data: unknown
  try {
    const bytes = await readRegularFile(path, 'client registration file')
    if (bytes === undefined) return undefined
    data = JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }

  if (!data || typeof data !== 'object') return undefined
  const record = data as Record<string, unknown>
  if (typeof record.clientSecret === 'string') rememberSecret(record.clientSecret)
  if (typeof record.clientId !== 'string' || typeof record.clientSecret !== 'string') return undefined
  if (!parseAwsTime(record.expiresAt)) return undefined
  const registration: CachedRegistration = {
    clientId: record.clientId,
    clientSecret: record.clientSecret,
    expiresAt: record.expiresAt as string,
  }
  if (isStringArray(record.scopes)) registration.scopes = record.scopes
  if (isStringArray(record.grantTypes)) registration.grantTypes = record.grantTypes
  return registration
}

/** `{"clientId", "clientSecret", "expiresAt", "scopes"?, "grantTypes"?}` in the CLI's order. */
export async function writeRegistrationFile(path: string, registration: CachedRegistration): Promise<void> {
  const ordered = {
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    expiresAt: registration.expiresAt,
    scopes: registration.scopes,
    grantTypes: registration.grantTypes,
  }
  await writePrivateFile(path, pythonJsonDumps(ordered))
}

/** Removes a file; false when it was not there. */
export async function removeFile(path: string): Promise<boolean> {
  const existed = await stat(path).then(
    () => true,
    () => false,
  )
  if (existed) await rm(path, {force: true})
  return existed
}

/**
 * The file name `SSOCredentialFetcher` uses for a profile's cached role credentials:
 * sha1 of `json.dumps({"accountId", "roleName", "sessionName" | "startUrl"}, sort_keys=True, separators=(',', ':'))`,
 * with `:` and path separators made file-safe.
 */
export function cliCredentialCacheFile(input: TokenKey & {accountId: string; roleName: string}): string {
  const args: Record<string, string> = {accountId: input.accountId, roleName: input.roleName}
  if ('sessionName' in input) args.sessionName = input.sessionName
  else args.startUrl = input.startUrl
  return `${sha1Hex(pythonJsonDumps(args, {compact: true, sortKeys: true})).replaceAll(/[:/\\]/g, '_')}.json`
}

/** Names of the JSON files in the cache folder (empty when there is none). */
export async function listCacheFiles(cacheDir = ssoCacheDir()): Promise<string[]> {
  const names = await readdir(cacheDir).catch(() => [] as string[])
  return names.filter((name) => name.endsWith('.json')).sort()
}

/** Expiry of a registration as the CLI writes it (`clientSecretExpiresAt` is epoch seconds). */
export function registrationExpiryFromEpochSeconds(seconds: number): string {
  return formatAwsTime(new Date(seconds * 1000))
}

/** Token and registration files hold secrets: 0600 in a 0700 folder, even when they existed with wider modes. */
async function writePrivateFile(path: string, content: string): Promise<void> {
  await writeFileSafely(path, content, {force: true, private: true})
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
