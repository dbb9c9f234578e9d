/**
 * What ssokit learned about a session's current token that the token cache does not say: the Identity Center
 * refused its refresh (InvalidGrantException / InvalidClientException from CreateToken), or the portal rejected
 * the access token (UnauthorizedException from GetRoleCredentials, ListAccounts, ...). Without it, `status`
 * would call a token `refreshable` or `valid` while the next command asks for a login (aws/aws-cli#8561).
 *
 * Kept in ssokit's own state folder (`~/.aws/sso/ssokit/sessions/<sha1 of the session>.json`, 0600 in 0700),
 * never in the AWS CLI's token files. The token is identified by a SHA-256 fingerprint of its access token
 * (never the token itself), so any new token — a refresh, `ssokit login`, `aws sso login` — voids the old
 * facts without anyone having to clear them.
 */
import {createHash} from 'node:crypto'
import {chmod, mkdir, readFile, stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {ssokitStateDir} from '../config/paths.js'
import {writeFileSafely} from '../config/write.js'
import {type CachedToken, tokenCacheKey, type TokenKey} from './cache.js'
import {formatAwsTime, parseAwsTime} from './time.js'

/** `refresh-refused`: CreateToken refused the refresh token. `token-rejected`: the portal refused the access token. */
export type LearnedKind = 'refresh-refused' | 'token-rejected'

export interface LearnedFact {
  /** When ssokit learned it (`%Y-%m-%dT%H:%M:%SZ`). */
  at: string
  /** The service's error code, e.g. `InvalidGrantException`. */
  code: string
  kind: LearnedKind
  /** The operation that told us, e.g. `CreateToken`, `GetRoleCredentials`. */
  operation: string
}

interface SessionStateFile {
  facts: LearnedFact[]
  /** The token the facts are about. */
  token: {expiresAt: string; fingerprint: string}
  version: 1
}

/** A SHA-256 fingerprint of an access token: identifies the token without being usable as one. */
export function tokenFingerprint(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'utf8').digest('hex').slice(0, 32)
}

export function learnedStatePath(key: TokenKey, stateDir = ssokitStateDir()): string {
  return join(stateDir, 'sessions', `${tokenCacheKey(key)}.json`)
}

/** The facts about this very token; none when the file is absent, unreadable, or about another token. */
export async function readLearned(
  key: TokenKey,
  token: CachedToken,
  stateDir = ssokitStateDir(),
): Promise<LearnedFact[]> {
  const state = await readStateFile(learnedStatePath(key, stateDir))
  if (!state || state.token.fingerprint !== tokenFingerprint(token.accessToken)) return []
  return state.facts
}

/**
 * Records a fact about `token`. Best effort: what ssokit learns must never turn a command's real outcome into
 * a different error, so a state folder that cannot be written is ignored (the next run learns it again).
 */
export async function recordLearned(
  key: TokenKey,
  token: CachedToken,
  fact: Omit<LearnedFact, 'at'>,
  options: {now?: Date; stateDir?: string} = {},
): Promise<void> {
  const path = learnedStatePath(key, options.stateDir)
  const fingerprint = tokenFingerprint(token.accessToken)
  try {
    const previous = await readStateFile(path)
    const facts = previous?.token.fingerprint === fingerprint ? previous.facts.filter((f) => f.kind !== fact.kind) : []
    facts.push({
      at: formatAwsTime(options.now ?? new Date()),
      code: safeName(fact.code),
      kind: fact.kind,
      operation: safeName(fact.operation),
    })
    const state: SessionStateFile = {facts, token: {expiresAt: token.expiresAt, fingerprint}, version: 1}
    await privateFolder(dirname(path), options.stateDir ?? ssokitStateDir())
    await writeFileSafely(path, JSON.stringify(state, null, 2) + '\n', {newFileMode: 0o600})
    await chmod(path, 0o600)
  } catch {
    // See above: learning is an optimisation of the next answer, never a reason to fail this one.
  }
}

/** The fact that decides a token's state: a rejected token outranks a refused refresh. */
export function decisiveFact(facts: LearnedFact[]): LearnedFact | undefined {
  return facts.find((f) => f.kind === 'token-rejected') ?? facts.find((f) => f.kind === 'refresh-refused')
}

/** One sentence for people: what was learned and when. */
export function describeFact(fact: LearnedFact): string {
  return fact.kind === 'token-rejected'
    ? `the access portal rejected this token (${fact.operation}: ${fact.code}) at ${fact.at}`
    : `IAM Identity Center refused to refresh this token (${fact.operation}: ${fact.code}) at ${fact.at}`
}

/** An error code or operation name as a service sent it, reduced to the characters such names have. */
function safeName(text: string): string {
  return text.replaceAll(/[^\w.:-]/g, '').slice(0, 100) || 'Unknown'
}

async function readStateFile(path: string): Promise<SessionStateFile | undefined> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return undefined
  }

  const state = data as null | Partial<SessionStateFile>
  if (!state || state.version !== 1 || typeof state.token?.fingerprint !== 'string' || !Array.isArray(state.facts))
    return undefined
  const facts = state.facts.filter(
    (f): f is LearnedFact =>
      Boolean(f) &&
      (f.kind === 'refresh-refused' || f.kind === 'token-rejected') &&
      typeof f.code === 'string' &&
      typeof f.operation === 'string' &&
      parseAwsTime(f.at) !== undefined,
  )
  return {
    facts,
    token: {expiresAt: String(state.token.expiresAt ?? ''), fingerprint: state.token.fingerprint},
    version: 1,
  }
}

/** `~/.aws/sso/ssokit` and its `sessions` folder, created 0700 and tightened to 0700 if they were wider. */
async function privateFolder(dir: string, stateDir: string): Promise<void> {
  await mkdir(dir, {mode: 0o700, recursive: true})
  for (const folder of new Set([dir, stateDir])) {
    // eslint-disable-next-line no-await-in-loop
    const info = await stat(folder)
    // eslint-disable-next-line no-await-in-loop
    if ((info.mode & 0o077) !== 0) await chmod(folder, 0o700)
  }
}
