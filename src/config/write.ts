/**
 * The one read-and-replace cycle for every file ssokit writes: the AWS config and credentials files, the token
 * cache and client registrations, snapshots and reports. What it guarantees:
 * - only regular files (or symlinks to one) are read or replaced: a directory, FIFO, socket or device is bad
 *   input (exit 3), never a hang; `/dev/null` reads as empty, as the AWS CLI reads it, and is never replaced;
 *   reads are bounded ({@link MAX_READ_BYTES});
 * - a replacement is a temp file next to the real file (`<name>.ssokit-tmp-<pid>-<n>`), fsync, rename, fsync of
 *   the folder: a crash leaves the old file or the new one, never a mix. Temp files left by a process that died
 *   (kill -9) are removed by the next write;
 * - the mode is kept (0600 for a new file; private files are tightened to 0600 in a 0700 folder), and so are owner
 *   and group when running as root; a symlink stays a symlink (its target is replaced);
 * - a read-only file (no owner write bit) and a hard-linked file (replacing it would leave the other name with the
 *   old content) are refused (exit 7) unless forced; forced, a hard-linked file is rewritten in place, after its
 *   backup was written;
 * - the lock ({@link withFileLock}) is keyed on the real path, so a file reached through a symlink and through its
 *   target is one lock.
 */
import {constants} from 'node:fs'
import {chmod, lstat, mkdir, open, readdir, realpath, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {BadInputError, messageOf, WriteRefusedError} from '../errors.js'

/** Reads larger than this are refused: no AWS config is that big, and `/dev/zero` must not eat the memory. */
export const MAX_READ_BYTES = 64 * 1024 * 1024

/** How long another ssokit may hold the lock before we give up (ms), and when a lock counts as stale. */
export const LOCK_WAIT_MS = 5000
export const LOCK_STALE_MS = 30_000

export interface SafeWriteOptions {
  /** Copy the previous file here before replacing it (e.g. `config.ssokit.bak`); only when there was one. */
  backupPath?: string
  /** Replace a read-only file, and rewrite a hard-linked file in place. */
  force?: boolean
  /** Mode for a new file (default 0600); an existing file keeps its own mode unless `private`. */
  newFileMode?: number
  /** Secrets (tokens, client secrets, credentials): the file becomes 0600 and its folder 0700, whatever they were. */
  private?: boolean
}

export interface WriteOutcome {
  /** The backup made of the previous content, when there was a previous file and a backup was asked for. */
  backupPath?: string
  /** The file actually replaced (the target when `path` is a symlink). */
  realPath: string
}

/** What a path is, in words, for messages about files that are not regular files. */
function kindOf(stats: {
  isBlockDevice(): boolean
  isCharacterDevice(): boolean
  isDirectory(): boolean
  isFIFO(): boolean
  isSocket(): boolean
}): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  return 'not a regular file'
}

function isDevNull(stats: {isCharacterDevice(): boolean; rdev: number}, path: string): boolean {
  return stats.isCharacterDevice() && (path === '/dev/null' || stats.rdev === 259) // 259: major 1, minor 3 on Linux
}

function fsReason(error: unknown): string {
  const {code} = error as NodeJS.ErrnoException
  switch (code) {
    case 'EACCES':
    case 'EPERM': {
      return 'permission denied'
    }

    case 'EISDIR': {
      return 'it is a directory'
    }

    case 'ENOSPC': {
      return 'no space left on the device'
    }

    case 'ENOTDIR': {
      return 'a part of the path is not a directory'
    }

    case 'EROFS': {
      return 'the file system is read-only'
    }

    default: {
      return messageOf(error)
    }
  }
}

/**
 * Reads a file ssokit is about to use: undefined when it does not exist; bad input (exit 3) when it is not a
 * regular file, cannot be read, or is larger than {@link MAX_READ_BYTES}. `what` names it in messages
 * ("config file", "snapshot").
 */
export async function readRegularFile(path: string, what: string): Promise<Buffer | undefined> {
  let handle
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer. It changes nothing for regular files.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new BadInputError(`Cannot read ${what} ${path}: ${fsReason(error)}.`, 'FILE_UNREADABLE', {cause: error})
  }

  try {
    const stats = await handle.stat()
    if (isDevNull(stats, path)) return Buffer.alloc(0)
    if (!stats.isFile()) {
      throw new BadInputError(
        `Cannot read ${what} ${path}: it is ${kindOf(stats)}; ssokit reads and replaces only regular files.`,
        'FILE_UNREADABLE',
      )
    }

    if (stats.size > MAX_READ_BYTES) {
      throw new BadInputError(
        `Cannot read ${what} ${path}: it is ${Math.round(stats.size / 1024 / 1024)} MB, more than the ${MAX_READ_BYTES / 1024 / 1024} MB ssokit reads.`,
        'FILE_UNREADABLE',
      )
    }

    const bytes = await handle.readFile()
    if (bytes.length > MAX_READ_BYTES) {
      throw new BadInputError(
        `Cannot read ${what} ${path}: it grew past ${MAX_READ_BYTES / 1024 / 1024} MB while being read.`,
        'FILE_UNREADABLE',
      )
    }

    return bytes
  } catch (error) {
    if (error instanceof BadInputError) throw error
    throw new BadInputError(`Cannot read ${what} ${path}: ${fsReason(error)}.`, 'FILE_UNREADABLE', {cause: error})
  } finally {
    await handle.close()
  }
}

/**
 * The real path of a file that may not exist yet: symlinks followed as far as they lead (a dangling link names
 * the file it will create).
 */
export async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path)
  } catch {
    const link = await lstat(path).catch(() => undefined)
    if (link?.isSymbolicLink()) {
      const {readlink} = await import('node:fs/promises')
      const target = await readlink(path)
      return realPathOf(target.startsWith('/') ? target : join(dirname(path), target))
    }

    const dir = await realpath(dirname(path)).catch(() => dirname(path))
    return join(dir, basename(path))
  }
}

let tempCounter = 0

/**
 * A few random characters, so that two processes that reuse a pid never pick one name. Not a secret: the file is
 * created with O_EXCL, so a name someone else made first is an error, never a file that is written through.
 */
function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 8)
}

/** `<name>.ssokit-tmp-<pid>-<n>`: recognisable, so that the next run can remove those of a process that died. */
function tempPathFor(realPath: string): string {
  tempCounter++
  return join(dirname(realPath), `${basename(realPath)}.ssokit-tmp-${process.pid}-${tempCounter}${uniqueSuffix()}`)
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes `<name>.ssokit-tmp-<pid>-*` files next to `realPath` whose process is gone. */
export async function removeStaleTempFiles(realPath: string): Promise<string[]> {
  const prefix = `${basename(realPath)}.ssokit-tmp-`
  const names = await readdir(dirname(realPath)).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const pid = Number.parseInt(name.slice(prefix.length), 10)
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue
    const path = join(dirname(realPath), name)
    // eslint-disable-next-line no-await-in-loop
    await rm(path, {force: true})
    removed.push(path)
  }

  return removed
}

/**
 * Replaces a file with `data` (see the module comment for what is guaranteed). Callers that read, modify and
 * write hold {@link withFileLock} around the whole cycle and check that the file did not change meanwhile.
 */
export async function writeFileSafely(
  path: string,
  data: string | Uint8Array,
  options: SafeWriteOptions = {},
): Promise<WriteOutcome> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  const realPath = await realPathOf(path)
  const dir = dirname(realPath)
  try {
    await mkdir(dir, {mode: 0o700, recursive: true})
    if (options.private) await chmod(dir, 0o700)
  } catch (error) {
    throw new BadInputError(
      `Cannot write ${path}: cannot create its folder ${dir} (${fsReason(error)}).`,
      'FILE_UNWRITABLE',
      {cause: error},
    )
  }

  const existing = await stat(realPath).catch(() => undefined)
  if (existing) {
    if (isDevNull(existing, realPath) || !existing.isFile()) {
      throw new BadInputError(
        `Cannot write ${path}: it is ${kindOf(existing)}; ssokit reads and replaces only regular files.`,
        'FILE_UNWRITABLE',
      )
    }

    if ((existing.mode & 0o200) === 0 && !options.force) {
      throw new WriteRefusedError(
        `${path} is read-only (mode ${(existing.mode & 0o777).toString(8).padStart(4, '0')}); ssokit does not replace a file you made read-only. Nothing was written.`,
        'READ_ONLY',
        {suggestions: ['Run again with --force to replace it anyway, or make it writable (chmod u+w).']},
      )
    }

    if (existing.nlink > 1 && !options.force) {
      throw new WriteRefusedError(
        `${path} has ${existing.nlink} hard links: replacing it would leave the other names with the old content, and rewriting it in place is not crash-safe. Nothing was written.`,
        'HARD_LINKED',
        {
          suggestions: [
            'Use a symlink instead of a hard link (ssokit replaces the target of a symlink), or run again with --force to rewrite it in place after a backup.',
          ],
        },
      )
    }
  }

  await removeStaleTempFiles(realPath)
  let backupPath: string | undefined
  if (existing && options.backupPath) {
    backupPath = options.backupPath
    const previous = await readRegularFile(realPath, 'file')
    await writeNew(tempPathFor(realPath), previous ?? Buffer.alloc(0), existing.mode & 0o777, undefined).then((temp) =>
      renameInto(temp, backupPath!, path),
    )
  }

  const mode = options.private ? 0o600 : existing ? existing.mode & 0o7777 : (options.newFileMode ?? 0o600)
  const owner = existing && process.getuid?.() === 0 ? {gid: existing.gid, uid: existing.uid} : undefined
  if (existing && existing.nlink > 1) {
    // Forced: in place, so that every name keeps seeing the file. The backup above is the way back.
    await rewriteInPlace(realPath, bytes, path)
    if (options.private) await chmod(realPath, 0o600)
    return {backupPath, realPath}
  }

  const temp = await writeNew(tempPathFor(realPath), bytes, mode, owner).catch((error) => {
    throw new BadInputError(`Cannot write ${path}: ${fsReason(error)}. Nothing was written.`, 'FILE_UNWRITABLE', {
      cause: error,
    })
  })
  await renameInto(temp, realPath, path)
  return {backupPath, realPath}
}

/** Writes `bytes` to a new file (never an existing one: O_EXCL), synced, with the mode and owner given. */
async function writeNew(
  path: string,
  bytes: Buffer,
  mode: number,
  owner: undefined | {gid: number; uid: number},
): Promise<string> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode & 0o777)
  try {
    await handle.writeFile(bytes)
    if (owner) await handle.chown(owner.uid, owner.gid)
    // After chown (which clears set-id bits) and regardless of the umask.
    await handle.chmod(mode)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(path, {force: true})
    throw error
  }

  await handle.close()
  return path
}

async function renameInto(temp: string, target: string, named: string): Promise<void> {
  try {
    await rename(temp, target)
  } catch (error) {
    await rm(temp, {force: true})
    throw new BadInputError(`Cannot write ${named}: ${fsReason(error)}. Nothing was written.`, 'FILE_UNWRITABLE', {
      cause: error,
    })
  }

  // The rename itself must survive a crash: sync the folder's entry.
  const dir = await open(dirname(target), constants.O_RDONLY).catch(() => undefined)
  await dir?.sync().catch(() => {})
  await dir?.close()
}

async function rewriteInPlace(realPath: string, bytes: Buffer, named: string): Promise<void> {
  try {
    const handle = await open(realPath, constants.O_WRONLY)
    try {
      await handle.truncate(0)
      await handle.write(bytes, 0, bytes.length, 0)
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    throw new BadInputError(`Cannot write ${named}: ${fsReason(error)}.`, 'FILE_UNWRITABLE', {cause: error})
  }
}

/**
 * Runs `fn` while holding ssokit's lock for `path`: a `<real path>.lock` directory (stale after 30 s), so that
 * the same file reached by two names is one lock. Another holder that does not let go within a few seconds is
 * a refusal to write (exit 7).
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const realPath = await realPathOf(path)
  try {
    await mkdir(dirname(realPath), {mode: 0o700, recursive: true})
  } catch (error) {
    throw new BadInputError(`Cannot lock ${path}: cannot create its folder (${fsReason(error)}).`, 'FILE_UNWRITABLE', {
      cause: error,
    })
  }

  let release: () => Promise<void>
  const {default: lockfile} = await import('proper-lockfile')
  try {
    release = await lockfile.lock(realPath, {
      lockfilePath: `${realPath}.lock`,
      realpath: false,
      retries: {factor: 1.5, maxRetryTime: waitMs, maxTimeout: 250, minTimeout: 25, retries: Math.ceil(waitMs / 25)},
      stale: LOCK_STALE_MS,
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new WriteRefusedError(`${path} is locked by another ssokit process (lock ${realPath}.lock).`, 'LOCKED', {
        suggestions: [
          `Wait for the other ssokit to finish; a lock older than ${LOCK_STALE_MS / 1000} s is taken over.`,
        ],
      })
    }

    throw new BadInputError(`Cannot lock ${path}: ${fsReason(error)}.`, 'FILE_UNWRITABLE', {cause: error})
  }

  try {
    return await fn()
  } finally {
    await release().catch(() => {})
  }
}

/**
 * Checks that files can be created in `dir` (creating it, 0700, when missing) before a command starts something
 * it cannot finish: a login must not ask the user to approve and then fail to save the token.
 */
export async function ensureWritableFolder(dir: string, what: string): Promise<void> {
  const probe = join(dir, `.ssokit-probe-${process.pid}-${uniqueSuffix()}`)
  try {
    await mkdir(dir, {mode: 0o700, recursive: true})
    const handle = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    await handle.close()
    await rm(probe, {force: true})
  } catch (error) {
    throw new BadInputError(
      `Cannot write ${what} in ${dir}: ${fsReason(error)}. Nothing was started.`,
      'FILE_UNWRITABLE',
      {
        cause: error,
      },
    )
  }
}
