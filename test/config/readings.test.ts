// Differential tests: our two readings of a file must equal what real botocore and the real JS SDK read.
import {loadSharedConfigFiles, loadSsoSessionData} from '@smithy/shared-ini-file-loader'
import fc from 'fast-check'
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {requirePython, runPythonJson} from '../support/python.js'
import {botocoreReadFile, readBoth} from '../support/readings.js'
import {configFileArbitrary} from './arbitraries.js'

const CASES = fileURLToPath(new URL('../fixtures/config-cases/', import.meta.url))
const ORACLE = fileURLToPath(new URL('../support/botocore_oracle.py', import.meta.url))
const hasBotocore = requirePython('botocore')

interface Case {
  config?: string
  credentials?: string
  name: string
}

function fixtureCases(): Case[] {
  const files = readdirSync(CASES)
  const names = [...new Set(files.map((f) => f.replace(/\.(config|credentials)$/, '')))].sort()
  return names.map((name) => ({
    config: files.includes(`${name}.config`) ? join(CASES, `${name}.config`) : undefined,
    credentials: files.includes(`${name}.credentials`) ? join(CASES, `${name}.credentials`) : undefined,
    name,
  }))
}

function read(path: string | undefined): Buffer | undefined {
  return path === undefined ? undefined : readFileSync(path)
}

type OracleResult = {config: unknown} | {error: {file: string; kind: string; line: null | number}}

function expectSameAsBotocore(cases: Case[]): void {
  const oracle = runPythonJson<OracleResult[]>(
    ORACLE,
    cases.map((c) => ({config: c.config ?? null, credentials: c.credentials ?? null})),
  )
  for (const [i, testCase] of cases.entries()) {
    const ours = readBoth(read(testCase.config), read(testCase.credentials)).botocore
    const theirs = oracle[i]
    const context = `${testCase.name}\n${testCase.config ? readFileSync(testCase.config, 'latin1') : ''}`
    if ('error' in theirs) {
      expect(ours.error, context).toBeDefined()
      expect({file: ours.error!.file, kind: ours.error!.kind}, context).toEqual({
        file: theirs.error.file,
        kind: theirs.error.kind,
      })
      if (theirs.error.line !== null) expect(ours.error!.line, context).toBe(theirs.error.line)
    } else {
      expect(ours.error, context).toBeUndefined()
      expect(structuredClone(ours.config), context).toEqual(theirs.config)
    }
  }
}

async function expectSameAsJsSdk(testCase: Case): Promise<void> {
  const configFilepath = testCase.config ?? join(tmpdir(), 'ssokit-no-such-config')
  const filepath = testCase.credentials ?? join(tmpdir(), 'ssokit-no-such-credentials')
  const sdk = await loadSharedConfigFiles({configFilepath, filepath, ignoreCache: true})
  const sdkSessions = await loadSsoSessionData({configFilepath})
  const ours = readBoth(read(testCase.config), read(testCase.credentials)).js
  const context = `${testCase.name}\n${testCase.config ? readFileSync(testCase.config, 'latin1') : ''}`
  expect(structuredClone(ours.configFile), context).toEqual(sdk.configFile)
  expect(structuredClone(ours.credentialsFile), context).toEqual(sdk.credentialsFile)
  expect(structuredClone(ours.ssoSessions), context).toEqual(sdkSessions)
}

describe('the fixture corpus (35 odd files measured against botocore 1.43.11 and the JS SDK)', () => {
  it.skipIf(!hasBotocore)('reads every case as botocore does', () => {
    expectSameAsBotocore(fixtureCases())
  })

  it('reads every case as the JS SDK does', async () => {
    for (const testCase of fixtureCases()) await expectSameAsJsSdk(testCase)
  })
})

describe('random files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-diff-'))
  const samples = fc.sample(fc.tuple(configFileArbitrary(), fc.option(configFileArbitrary(), {nil: undefined})), {
    numRuns: 400,
    seed: 20_261_122,
  })
  const cases: Case[] = samples.map(([config, credentials], i) => {
    const configPath = join(dir, `${i}.config`)
    writeFileSync(configPath, config)
    let credentialsPath: string | undefined
    if (credentials !== undefined) {
      credentialsPath = join(dir, `${i}.credentials`)
      writeFileSync(credentialsPath, credentials)
    }

    return {config: configPath, credentials: credentialsPath, name: `random #${i}`}
  })

  it.skipIf(!hasBotocore)('are read as botocore reads them', () => {
    expectSameAsBotocore(cases)
  })

  it('are read as the JS SDK reads them', async () => {
    for (const testCase of cases) await expectSameAsJsSdk(testCase)
  })
})

describe('the check that botocore reads a file (acceptsOnly)', () => {
  const verdict = (text: string, acceptsOnly: boolean) => {
    const reading = botocoreReadFile(text, {acceptsOnly})
    return reading.ok ? 'ok' : reading.error
  }

  it('gives the full reading’s verdict and error, on the corpus and on random files', () => {
    for (const testCase of fixtureCases().filter((c) => c.config)) {
      const text = readFileSync(testCase.config!, 'utf8')
      expect(verdict(text, true), testCase.name).toEqual(verdict(text, false))
    }

    const nested = fc.constantFrom('s3 =', 's3 =\n  a = 1', 's3 =\n  bad', 'x =\n\n  y', '[DEFAULT]\nd =\n  nope')
    fc.assert(
      fc.property(fc.array(fc.oneof(configFileArbitrary(), nested), {maxLength: 4}), (parts) => {
        const text = parts.join('\n')
        expect(verdict(text, true), text).toEqual(verdict(text, false))
      }),
      {numRuns: 3000},
    )
  })
})
