import {mkdirSync, mkdtempSync, renameSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {
  filesIdentity,
  profileIndexPath,
  RACY_MS,
  readProfileIndex,
  type ResolvedProfile,
  writeProfileIndex,
} from '../../src/fast/profile-index.js'

const PROFILE: ResolvedProfile = {
  direct: true,
  key: {accountId: '111122223333', roleName: 'ReadOnly', tokenKey: {sessionName: 'corp'}},
  region: 'eu-west-1',
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-index-'))
  const paths = {configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials')}
  writeFileSync(paths.configFile, '[profile dev]\n')
  const past = new Date(Date.now() - 60_000)
  utimesSync(paths.configFile, past, past)
  const stateDir = join(dir, 'state')
  return {index: profileIndexPath(paths, 'dev', stateDir), paths, stateDir}
}

describe('the profile index of the fast path', () => {
  it('answers while the files are the ones it was made from (0600 in 0700), and not after any change', async () => {
    const {index, paths} = setup()
    await writeProfileIndex(index, await filesIdentity(paths), PROFILE)
    expect(statSync(index).mode & 0o777).toBe(0o600)
    expect(statSync(join(index, '..')).mode & 0o777).toBe(0o700)
    expect(await readProfileIndex(index, await filesIdentity(paths))).toEqual(PROFILE)

    // A credentials file that appears, a config replaced by rename (same size and times), a touched config.
    writeFileSync(paths.credentialsFile, '')
    expect(await readProfileIndex(index, await filesIdentity(paths))).toBeUndefined()
    await writeProfileIndex(index, await filesIdentity(paths), PROFILE, Date.now() + RACY_MS)
    expect(await readProfileIndex(index, await filesIdentity(paths))).toEqual(PROFILE)
    const before = statSync(paths.configFile)
    writeFileSync(`${paths.configFile}.new`, '[profile dev]\n')
    utimesSync(`${paths.configFile}.new`, before.atime, before.mtime)
    renameSync(`${paths.configFile}.new`, paths.configFile)
    expect(await readProfileIndex(index, await filesIdentity(paths))).toBeUndefined()
  })

  it('is not written for a file younger than its timestamps can tell apart', async () => {
    const {index, paths} = setup()
    const files = await filesIdentity(paths)
    await writeProfileIndex(index, files, PROFILE, files.config!.mtimeMs + RACY_MS - 1)
    expect(await readProfileIndex(index, files)).toBeUndefined()
    await writeProfileIndex(index, files, PROFILE, files.config!.mtimeMs + RACY_MS)
    expect(await readProfileIndex(index, files)).toEqual(PROFILE)
  })

  it('ignores an entry it cannot trust: not JSON, another version, a key of the wrong shape', async () => {
    const {index, paths} = setup()
    const files = await filesIdentity(paths)
    mkdirSync(join(index, '..'), {mode: 0o700, recursive: true})
    for (const text of [
      'not json',
      'null',
      JSON.stringify({...files, ...PROFILE, version: 1}),
      JSON.stringify({...files, ...PROFILE, key: {...PROFILE.key, tokenKey: {}}, version: 2}),
      JSON.stringify({...files, ...PROFILE, region: 7, version: 2}),
    ]) {
      writeFileSync(index, text, {mode: 0o600})
      expect(await readProfileIndex(index, files), text).toBeUndefined()
    }

    writeFileSync(index, JSON.stringify({...files, ...PROFILE, version: 2}), {mode: 0o600})
    expect(await readProfileIndex(index, files)).toEqual(PROFILE)
  })
})
