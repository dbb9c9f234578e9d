import {execFileSync, spawn} from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {
  MAX_READ_BYTES,
  readRegularFile,
  realPathOf,
  removeStaleTempFiles,
  withFileLock,
  writeFileSafely,
} from '../../src/config/write.js'
import {registrationCachePath, writeRegistrationFile} from '../../src/sso/cache.js'

const dir = () => mkdtempSync(join(tmpdir(), 'ssokit-write-'))
const isRoot = process.getuid?.() === 0

describe('readRegularFile', () => {
  it('reads a file, says undefined for a missing one, and reads /dev/null as empty like the AWS CLI', async () => {
    const d = dir()
    writeFileSync(join(d, 'config'), '[default]\n')
    expect((await readRegularFile(join(d, 'config'), 'config file'))?.toString()).toBe('[default]\n')
    expect(await readRegularFile(join(d, 'missing'), 'config file')).toBeUndefined()
    expect(await readRegularFile('/dev/null', 'config file')).toEqual(Buffer.alloc(0))
  })

  it('refuses a directory, a device and a FIFO at once (exit 3), without waiting for a writer', async () => {
    const d = dir()
    const fifo = join(d, 'fifo')
    execFileSync('mkfifo', [fifo])
    const started = Date.now()
    for (const [path, kind] of [
      [d, 'a directory'],
      ['/dev/zero', 'a character device'],
      [fifo, 'a FIFO'],
    ]) {
      await expect(readRegularFile(path, 'config file')).rejects.toMatchObject({
        code: 'FILE_UNREADABLE',
        exit: 3,
        message: expect.stringContaining(`it is ${kind}`),
      })
    }

    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('refuses a file larger than it reads, without reading it', async () => {
    const big = join(dir(), 'config')
    writeFileSync(big, '')
    truncateSync(big, MAX_READ_BYTES + 1)
    await expect(readRegularFile(big, 'config file')).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('more than the 64 MB'),
    })
  })
})

describe('writeFileSafely', () => {
  it('replaces the target of a symlink and keeps the link', async () => {
    const d = dir()
    mkdirSync(join(d, 'dotfiles'))
    writeFileSync(join(d, 'dotfiles', 'config'), 'old\n')
    symlinkSync(join(d, 'dotfiles', 'config'), join(d, 'config'))
    const outcome = await writeFileSafely(join(d, 'config'), 'new\n', {backupPath: join(d, 'config.ssokit.bak')})
    expect(lstatSync(join(d, 'config')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(d, 'dotfiles', 'config'), 'utf8')).toBe('new\n')
    expect(outcome).toEqual({backupPath: join(d, 'config.ssokit.bak'), realPath: join(d, 'dotfiles', 'config')})
    expect(readFileSync(join(d, 'config.ssokit.bak'), 'utf8')).toBe('old\n')
    expect(await realPathOf(join(d, 'config'))).toBe(join(d, 'dotfiles', 'config'))
  })

  it('makes no backup (and reports none) for a new file, which gets mode 0600', async () => {
    const path = join(dir(), 'sub', 'config')
    expect(await writeFileSafely(path, 'x\n', {backupPath: `${path}.ssokit.bak`})).toEqual({realPath: path})
    expect(existsSync(`${path}.ssokit.bak`)).toBe(false)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('keeps the mode of an existing file', async () => {
    const path = join(dir(), 'config')
    writeFileSync(path, 'x\n', {mode: 0o640})
    chmodSync(path, 0o640)
    await writeFileSafely(path, 'y\n')
    expect(statSync(path).mode & 0o777).toBe(0o640)
  })

  it.skipIf(!isRoot)('keeps the owner and group of a file it replaces as root', async () => {
    const path = join(dir(), 'config')
    writeFileSync(path, 'x\n')
    chownSync(path, 1234, 2345)
    await writeFileSafely(path, 'y\n')
    expect(statSync(path)).toMatchObject({gid: 2345, uid: 1234})
  })

  it('refuses a read-only file (exit 7) unless forced, and keeps it read-only when forced', async () => {
    const path = join(dir(), 'config')
    writeFileSync(path, 'x\n')
    chmodSync(path, 0o444)
    await expect(writeFileSafely(path, 'y\n')).rejects.toMatchObject({code: 'READ_ONLY', exit: 7})
    expect(readFileSync(path, 'utf8')).toBe('x\n')
    await writeFileSafely(path, 'y\n', {force: true})
    expect(readFileSync(path, 'utf8')).toBe('y\n')
    expect(statSync(path).mode & 0o777).toBe(0o444)
  })

  it('refuses a hard-linked file (exit 7); forced, rewrites it in place so every name sees the change', async () => {
    const d = dir()
    writeFileSync(join(d, 'config'), 'x\n')
    linkSync(join(d, 'config'), join(d, 'other-name'))
    await expect(writeFileSafely(join(d, 'config'), 'y\n')).rejects.toMatchObject({code: 'HARD_LINKED', exit: 7})
    await writeFileSafely(join(d, 'config'), 'y\n', {backupPath: join(d, 'config.ssokit.bak'), force: true})
    expect(readFileSync(join(d, 'other-name'), 'utf8')).toBe('y\n')
    expect(statSync(join(d, 'config')).nlink).toBe(2)
    expect(readFileSync(join(d, 'config.ssokit.bak'), 'utf8')).toBe('x\n')
  })

  it('never replaces a device or a FIFO, and says so', async () => {
    const d = dir()
    execFileSync('mkfifo', [join(d, 'fifo')])
    for (const path of ['/dev/null', join(d, 'fifo')]) {
      await expect(writeFileSafely(path, 'x\n')).rejects.toMatchObject({
        code: 'FILE_UNWRITABLE',
        exit: 3,
        message: expect.stringContaining('only regular files'),
      })
    }

    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
  })

  it('names the folder when it cannot be created (exit 3)', async () => {
    const d = dir()
    writeFileSync(join(d, 'file'), '')
    await expect(writeFileSafely(join(d, 'file', 'config'), 'x')).rejects.toMatchObject({
      code: 'FILE_UNWRITABLE',
      exit: 3,
      message: expect.stringContaining(join(d, 'file')),
    })
  })

  it('leaves recognisable temp files only while it runs, and removes those of a process that died', async () => {
    const d = dir()
    const path = join(d, 'config')
    writeFileSync(path, 'x\n')
    // A process that is gone (the pid of a child that exited) left a full copy behind; one of a live process stays.
    const child = spawn(process.execPath, ['-e', '0'])
    await new Promise((resolve) => {
      child.on('exit', resolve)
    })
    writeFileSync(join(d, `config.ssokit-tmp-${child.pid}-1abc`), 'a full copy\n')
    writeFileSync(join(d, 'config.ssokit-tmp-1-1abc'), 'pid 1 is alive\n')
    await writeFileSafely(path, 'y\n')
    expect(readdirSync(d).sort()).toEqual(['config', 'config.ssokit-tmp-1-1abc'])
    expect(await removeStaleTempFiles(path)).toEqual([])
  })

  it('tightens a private file to 0600 in a 0700 folder, whatever modes they had', async () => {
    const cache = join(dir(), 'cache')
    mkdirSync(cache, {mode: 0o755})
    chmodSync(cache, 0o755)
    const input = {region: 'us-east-1', sessionName: 'corp', startUrl: 'https://d-1234567890.awsapps.com/start'}
    const path = registrationCachePath(input, cache)
    writeFileSync(path, '{}', {mode: 0o644})
    chmodSync(path, 0o644)
    await writeRegistrationFile(path, {clientId: 'id', clientSecret: 'secret-value', expiresAt: '2030-01-01T00:00:00Z'})
    expect(statSync(cache).mode & 0o777).toBe(0o700)
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })
})

describe('withFileLock', () => {
  it('is one lock for a file reached through a symlink and through its target', async () => {
    const d = dir()
    writeFileSync(join(d, 'target'), '')
    symlinkSync(join(d, 'target'), join(d, 'link'))
    let release!: () => void
    const held = withFileLock(
      join(d, 'link'),
      () =>
        new Promise<void>((resolve) => {
          release = resolve
        }),
    )
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
    await expect(withFileLock(join(d, 'target'), async () => 'got it', 300)).rejects.toMatchObject({
      code: 'LOCKED',
      exit: 7,
    })
    release()
    await held
    expect(await withFileLock(join(d, 'target'), async () => 'got it')).toBe('got it')
  })
})
