import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import fsp from 'node:fs/promises'
import {syncBuiltinESMExports} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {DEFAULT_TEMPLATE} from '../../src/generate/naming.js'
import {generateIntoFile} from '../../src/generate/write.js'

const input = {
  entitlements: [{accountId: '111122223333', accountName: 'Prod', roleName: 'Admin'}],
  nameTemplate: DEFAULT_TEMPLATE,
  profileSettings: [],
  session: {region: 'us-east-1', startUrl: 'https://d-1234567890.awsapps.com/start'},
  ssoSession: 'corp',
}

afterEach(() => {
  vi.restoreAllMocks()
  syncBuiltinESMExports()
})

describe('generateIntoFile', () => {
  it('leaves the original untouched (and no temp file behind) when the process fails between writing the temp file and renaming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssokit-fault-'))
    const configFile = join(dir, 'config')
    writeFileSync(configFile, '# precious\n[default]\nregion = us-east-1\n')
    // The crash: every rename fails after the temp file was written and synced.
    vi.spyOn(fsp, 'rename').mockRejectedValue(Object.assign(new Error('injected crash before rename'), {code: 'EIO'}))
    syncBuiltinESMExports()
    await expect(
      generateIntoFile({
        configFile,
        confirm: async () => true,
        credentialsFile: join(dir, 'credentials'),
        dryRun: false,
        input,
      }),
    ).rejects.toThrow('injected crash before rename')
    expect(readFileSync(configFile, 'utf8')).toBe('# precious\n[default]\nregion = us-east-1\n')
    expect(readdirSync(dir).filter((f) => f !== 'config' && f !== 'config.ssokit.bak')).toEqual([])
  })

  it('does not write when the confirmation is declined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssokit-decline-'))
    const configFile = join(dir, 'config')
    writeFileSync(configFile, '[default]\n')
    const outcome = await generateIntoFile({
      configFile,
      confirm: async () => false,
      credentialsFile: join(dir, 'credentials'),
      dryRun: false,
      input,
    })
    expect(outcome.written).toBe(false)
    expect(await outcome.diff()).toContain('+[profile Prod.Admin]')
    expect(readFileSync(configFile, 'utf8')).toBe('[default]\n')
  })

  it('spells non-ASCII account names in ASCII (the transliterator is loaded for them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssokit-ascii-'))
    const configFile = join(dir, 'config')
    const outcome = await generateIntoFile({
      configFile,
      confirm: async () => true,
      credentialsFile: join(dir, 'credentials'),
      dryRun: false,
      input: {
        ...input,
        entitlements: [
          {accountId: '111122223333', accountName: 'Zürich Office', roleName: 'Admin'},
          {accountId: '444455556666', accountName: '東京 Team', roleName: 'Admin'},
        ],
      },
    })
    expect(outcome.report.added).toEqual(['Team-444455556666.Admin', 'Zurich-Office.Admin'])
    expect(readFileSync(configFile, 'utf8')).toContain('[profile Zurich-Office.Admin]\n')
  })
})
