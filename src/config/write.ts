import {copyFile, mkdir, stat} from 'node:fs/promises'
import {dirname} from 'node:path'

import {BadInputError, messageOf, WriteRefusedError} from '../errors.js'

export interface SafeWriteOptions {
  /** Copy the previous file here before replacing it (e.g. `config.ssokit.bak`). */
  backupPath?: string
  /** Mode for a new file; an existing file keeps its own mode. */
  newFileMode?: number
}

/** How long another ssokit may hold the lock before we give up (ms), and when a lock counts as stale. */
export const LOCK_WAIT_MS = 5000
export const LOCK_STALE_MS = 30_000

/**
 * The one way ssokit replaces a file the user owns: temp file in the same folder, fsync, rename (so a crash
 * leaves the old or the new file, never a mix), the existing mode kept (0600 for a new file), and a backup of
 * the previous content. Callers that read-modify-write hold {@link withFileLock} around the whole cycle.
 */
export async function writeFileSafely(
  path: string,
  data: string | Uint8Array,
  options: SafeWriteOptions = {},
): Promise<void> {
  const existing = await stat(path).catch(() => undefined)
  await mkdir(dirname(path), {recursive: true, mode: 0o700})
  if (existing && options.backupPath) await copyFile(path, options.backupPath)
  // Loaded on first write: commands that only read never pay for it.
  const {default: writeFileAtomic} = await import('write-file-atomic')
  await writeFileAtomic(path, typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data), {
    fsync: true,
    mode: existing ? existing.mode & 0o7777 : (options.newFileMode ?? 0o600),
  })
}

/**
 * Runs `fn` while holding ssokit's lock for `path` (a `<path>.lock` directory, stale after 30 s).
 * Another holder that does not let go within a few seconds is a refusal to write (exit 7).
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  await mkdir(dirname(path), {recursive: true, mode: 0o700})
  let release: () => Promise<void>
  const {default: lockfile} = await import('proper-lockfile')
  try {
    release = await lockfile.lock(path, {
      lockfilePath: `${path}.lock`,
      realpath: false,
      retries: {factor: 1.5, maxRetryTime: waitMs, maxTimeout: 250, minTimeout: 25, retries: Math.ceil(waitMs / 25)},
      stale: LOCK_STALE_MS,
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new WriteRefusedError(`${path} is locked by another ssokit process (lock ${path}.lock).`, 'LOCKED', {
        suggestions: [
          `Wait for the other ssokit to finish; a lock older than ${LOCK_STALE_MS / 1000} s is taken over.`,
        ],
      })
    }

    throw new BadInputError(`Cannot lock ${path}: ${messageOf(error)}`, 'FILE_UNWRITABLE')
  }

  try {
    return await fn()
  } finally {
    await release().catch(() => {})
  }
}
