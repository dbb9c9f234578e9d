// What lint's messages say botocore and the JS SDK do with a header or a nested setting, checked against the real
// readers: botocore through python3 (test/support/botocore_oracle.py, botocore_settings.py) and the JS SDK's own
// `@smithy/shared-ini-file-loader`. A suggested header must be one both read as the section that was meant.
import {loadSharedConfigFiles, loadSsoSessionData} from '@smithy/shared-ini-file-loader'
import fc from 'fast-check'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import type {Finding} from '../../src/lint/types.js'

import {NESTED_KEYS} from '../../src/config/settings.js'
import {configFileArbitrary} from '../config/arbitraries.js'
import {pythonHas, requirePython, runPythonJson} from '../support/python.js'
import {lintText} from './helpers.js'

const ORACLE = fileURLToPath(new URL('../support/botocore_oracle.py', import.meta.url))
const SETTINGS = fileURLToPath(new URL('../support/botocore_settings.py', import.meta.url))
const hasBotocore = requirePython('botocore')
const awscli = pythonHas('awscli')
if (!awscli.ok) console.warn(`skipping the AWS CLI v1 checks: ${awscli.reason} (pip install awscli)`)

type Kind = 'profile' | 'services' | 'sso-session'
type FileKind = 'config' | 'credentials'

interface BotocoreView {
  profiles: Record<string, Record<string, unknown>>
  services: Record<string, unknown>
  sso_sessions: Record<string, unknown>
}

interface Readings {
  botocore?: BotocoreView
  js: {
    configFile: Record<string, Record<string, string>>
    credentialsFile: Record<string, Record<string, string>>
    ssoSessions: Record<string, Record<string, string>>
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ssokit-claims-'))
let fileCount = 0

/** Both readers' view of a config file and a credentials file (either may be absent). */
async function readAll(inputs: Array<{config?: string; credentials?: string}>): Promise<Readings[]> {
  const paths = inputs.map(({config, credentials}) => {
    const path = (text: string | undefined, kind: string) => {
      if (text === undefined) return null
      const file = join(dir, `${fileCount++}.${kind}`)
      writeFileSync(file, text)
      return file
    }

    return {config: path(config, 'config'), credentials: path(credentials, 'credentials')}
  })
  const botocore = hasBotocore
    ? runPythonJson<Array<{config?: BotocoreView; error?: unknown}>>(ORACLE, paths)
    : paths.map(() => ({config: undefined, error: undefined}))
  return Promise.all(
    paths.map(async (p, i) => {
      const configFilepath = p.config ?? join(dir, 'absent-config')
      const filepath = p.credentials ?? join(dir, 'absent-credentials')
      const {configFile, credentialsFile} = await loadSharedConfigFiles({configFilepath, filepath, ignoreCache: true})
      const ssoSessions = await loadSsoSessionData({configFilepath})
      expect(botocore[i].error, JSON.stringify(p)).toBeUndefined()
      return {botocore: botocore[i].config, js: {configFile, credentialsFile, ssoSessions}} as Readings
    }),
  )
}

const BODY: Record<Kind, string> = {
  profile: 'region = us-east-1\n',
  services: 's3 =\n  endpoint_url = http://localhost:4566\n',
  'sso-session': 'sso_region = us-east-1\n',
}

/** Whether both readers hold exactly this section (and its body's key) in the file kind given. */
function expectReadAs(reading: Readings, section: {file: FileKind; kind: Kind; name: string}, context: string): void {
  const {file, kind, name} = section
  const key = {profile: 'region', services: 's3', 'sso-session': 'sso_region'}[kind]
  const jsKey = kind === 'services' ? 's3.endpoint_url' : key
  if (kind === 'profile') {
    const js = file === 'config' ? reading.js.configFile : reading.js.credentialsFile
    expect(js[name]?.[jsKey], `JS SDK: ${context}`).toBeDefined()
    if (hasBotocore) expect(reading.botocore!.profiles[name]?.[key], `botocore: ${context}`).toBeDefined()
  } else {
    const js = kind === 'sso-session' ? reading.js.ssoSessions[name] : reading.js.configFile[`services.${name}`]
    expect(js?.[jsKey], `JS SDK: ${context}`).toBeDefined()
    const botocore = kind === 'sso-session' ? reading.botocore?.sso_sessions : reading.botocore?.services
    if (hasBotocore) expect(botocore?.[name], `botocore: ${context}`).toBeDefined()
  }
}

/** The header a finding tells the user to write (`Write [x]`, `write [x]`, `as [x]`, `prefix: [x]`). */
function suggestedHeader(finding: Finding): string | undefined {
  return [...finding.message.matchAll(/(?:[Ww]rite|as|prefix:) (\[[^\]]+\])/g)].at(-1)?.[1]
}

interface HeaderCase {
  /** The file the header is written in. */
  file: FileKind
  header: string
  /** The kind of section it was meant to be (its body is written for that kind). */
  kind: Kind
  /** What the header was meant to be (kind and name), in the file the suggestion belongs in. */
  meant: {file: FileKind; kind: Kind; name: string}
  rule: Finding['rule']
}

const c = (file: FileKind, header: string, rule: Finding['rule'], meant: [FileKind, Kind, string]) => ({
  file,
  header,
  kind: meant[1],
  meant: {file: meant[0], kind: meant[1], name: meant[2]},
  rule,
})

const HEADER_CASES: HeaderCase[] = [
  c('config', '[dev]', 'missing-profile-prefix', ['config', 'profile', 'dev']),
  c('config', '[Profile Dev]', 'missing-profile-prefix', ['config', 'profile', 'Dev']),
  c('config', '[Default]', 'missing-profile-prefix', ['config', 'profile', 'default']),
  c('config', '[default ]', 'missing-profile-prefix', ['config', 'profile', 'default']),
  c('config', '[other "section"]', 'missing-profile-prefix', ['config', 'profile', 'other-section']),
  c('config', '[   profile foo    ]', 'missing-profile-prefix', ['config', 'profile', 'foo']),
  c('config', '[sso-sesion foo]', 'missing-profile-prefix', ['config', 'sso-session', 'foo']),
  c('config', '[servics local]', 'missing-profile-prefix', ['config', 'services', 'local']),
  c('config', '[profile sso-sesion foo]', 'invalid-profile-name', ['config', 'sso-session', 'foo']),
  c('config', '[profile    profile foo    ]', 'invalid-profile-name', ['config', 'profile', 'foo']),
  c('config', '[profile other "section"]', 'invalid-profile-name', ['config', 'profile', 'other-section']),
  c('config', '[profile  two]', 'invalid-profile-name', ['config', 'profile', 'two']),
  c('config', '[profile trailing ]', 'invalid-profile-name', ['config', 'profile', 'trailing']),
  c('config', '[profile "quoted name"]', 'invalid-profile-name', ['config', 'profile', 'quoted-name']),
  c('config', '[profile café]', 'invalid-profile-name', ['config', 'profile', 'caf']),
  c('config', '[profiles x]', 'invalid-profile-name', ['config', 'profile', 'x']),
  c('config', '[sso-session "spaced name"]', 'invalid-profile-name', ['config', 'sso-session', 'spaced-name']),
  c('config', '[sso-sessionx y]', 'invalid-profile-name', ['config', 'sso-session', 'y']),
  c('credentials', '[profile dev]', 'profile-prefix-in-credentials', ['credentials', 'profile', 'dev']),
  c('credentials', '[profile "foobar"]', 'profile-prefix-in-credentials', ['credentials', 'profile', 'foobar']),
  c('credentials', "[profile 'my profile']", 'profile-prefix-in-credentials', ['credentials', 'profile', 'my-profile']),
  c('credentials', '[Profile A]', 'profile-prefix-in-credentials', ['credentials', 'profile', 'A']),
  c('credentials', '[my profile]', 'invalid-profile-name', ['credentials', 'profile', 'my-profile']),
  c('credentials', '[sso-session x]', 'profile-prefix-in-credentials', ['config', 'sso-session', 'x']),
  c('credentials', '[services local]', 'profile-prefix-in-credentials', ['config', 'services', 'local']),
]

const HEADER_RULES = new Set<Finding['rule']>([
  'duplicate-section',
  'inline-comment',
  'invalid-profile-name',
  'missing-profile-prefix',
  'profile-prefix-in-credentials',
])

describe('a header lint suggests', () => {
  const found = new Map<HeaderCase, {finding: Finding; suggestion: string}>()
  let readings: Readings[] = []
  beforeAll(async () => {
    for (const testCase of HEADER_CASES) {
      const text = `${testCase.header}\n${BODY[testCase.kind]}`
      const findings = await (testCase.file === 'config' ? lintText(text) : lintText(undefined, text))
      const finding = findings.find((f) => f.rule === testCase.rule && f.line === 1)
      expect(finding, `${testCase.header}: ${JSON.stringify(findings)}`).toBeDefined()
      found.set(testCase, {finding: finding!, suggestion: suggestedHeader(finding!)!})
    }

    readings = await readAll(
      HEADER_CASES.map((testCase) => {
        const text = `${found.get(testCase)!.suggestion}\n${BODY[testCase.meant.kind]}`
        return testCase.meant.file === 'config' ? {config: text} : {credentials: text}
      }),
    )
  })

  for (const [i, testCase] of HEADER_CASES.entries()) {
    it(`${testCase.header} in the ${testCase.file} file: both read the suggestion as ${testCase.meant.kind} ${testCase.meant.name}`, async () => {
      const {finding, suggestion} = found.get(testCase)!
      expect(suggestion, finding.message).toBeDefined()
      expectReadAs(readings[i], testCase.meant, suggestion)
      // And lint has nothing more to say about the suggested header.
      const text = `${suggestion}\n${BODY[testCase.meant.kind]}`
      const again = await (testCase.meant.file === 'config' ? lintText(text) : lintText(undefined, text))
      expect(again.filter((f) => f.line === 1 && HEADER_RULES.has(f.rule))).toEqual([])
    })
  }
})

describe('every header lint suggests for random files', () => {
  it('is read by both tools as one and the same section', async () => {
    const samples = fc.sample(fc.tuple(configFileArbitrary(), configFileArbitrary()), {numRuns: 300, seed: 8})
    const suggestions = new Map<string, FileKind>()
    for (const [config, credentials] of samples) {
      for (const finding of await lintText(config, credentials)) {
        if (!HEADER_RULES.has(finding.rule)) continue
        const header = suggestedHeader(finding)
        if (!header || header.includes('NAME')) continue
        // A section that belongs in the config file is suggested for it, whichever file it was found in.
        const file =
          /^\[(sso-session|services) /.test(header) || !finding.file.endsWith('credentials') ? 'config' : 'credentials'
        suggestions.set(header, file)
      }
    }

    expect(suggestions.size).toBeGreaterThan(20)
    const entries = [...suggestions]
    const kindOf = (header: string): Kind =>
      header.startsWith('[sso-session ') ? 'sso-session' : header.startsWith('[services ') ? 'services' : 'profile'
    const readings = await readAll(
      entries.map(([header, file]) => {
        const text = `${header}\n${BODY[kindOf(header)]}`
        return file === 'config' ? {config: text} : {credentials: text}
      }),
    )
    for (const [i, [header, file]] of entries.entries()) {
      const kind = kindOf(header)
      const name =
        file === 'credentials'
          ? header.slice(1, -1)
          : header === '[default]'
            ? 'default'
            : header.slice(header.indexOf(' ') + 1, -1)
      expectReadAs(readings[i], {file, kind, name}, `${header} in the ${file} file`)
    }
  })
})

describe('what lint says each tool reads', () => {
  it('[profile x] in the credentials file: botocore a profile "profile x", the JS SDK one "profile.x"', async () => {
    for (const header of ['[profile dev]', '[profile "foobar"]', "[profile 'my profile']"]) {
      const finding = (await lintText(undefined, `${header}\n${BODY.profile}`)).find(
        (f) => f.rule === 'profile-prefix-in-credentials',
      )!
      const [, botocoreName, jsName] = /named "(.*)" for botocore and "(.*)" for the JS SDK/.exec(finding.message)!
      const [reading] = await readAll([{credentials: `${header}\n${BODY.profile}`}])
      if (hasBotocore) expect(Object.keys(reading.botocore!.profiles), finding.message).toEqual([botocoreName])
      expect(Object.keys(reading.js.credentialsFile), finding.message).toEqual([jsName])
    }
  })

  it('[sso-session x] and [services x] in the credentials file: no sso-session or services section for either', async () => {
    for (const [header, kind] of [
      ['[sso-session x]', 'sso-session'],
      ['[services x]', 'services'],
    ] as const) {
      const text = `${header}\n${BODY[kind]}`
      const finding = (await lintText(undefined, text)).find((f) => f.rule === 'profile-prefix-in-credentials')!
      const [, botocoreName, jsName] =
        /botocore reads a profile named "(.*)", the JS SDK a profile named "(.*)"\)/.exec(finding.message)!
      // The SSO session named in the config file is looked up where both tools look for it.
      const [reading] = await readAll([{config: '[profile p]\nsso_session = x\nservices = x\n', credentials: text}])
      expect(reading.js.ssoSessions.x).toBeUndefined()
      expect(reading.js.configFile['services.x']).toBeUndefined()
      expect(Object.keys(reading.js.credentialsFile)).toEqual([jsName])
      if (hasBotocore) {
        expect(reading.botocore!.sso_sessions.x).toBeUndefined()
        expect(reading.botocore!.services.x).toBeUndefined()
        expect(reading.botocore!.profiles[botocoreName]).toBeDefined()
      }
    }
  })

  it('a header directly followed by a comment: botocore reads it, the JS SDK files its keys under the section before', async () => {
    const config =
      '[profile a]\nregion = us-east-1\n[profile foo];\noutput = json\n[profile bar]# x\nretry_mode = standard\n'
    const findings = (await lintText(config)).filter((f) => f.rule === 'inline-comment')
    expect(
      findings.map((f) => [f.line, f.message.match(/files the keys that follow under .*?profile "(\w+)"/)?.[1]]),
    ).toEqual([
      [3, 'a'],
      [5, 'a'],
    ])
    const alone = (await lintText('[profile bar]# x\nretry_mode = standard\n')).find((f) => f.rule === 'inline-comment')
    expect(alone?.message).toContain('the JS SDK ignores the keys that follow')
    const [both, first] = await readAll([{config}, {config: '[profile bar]# x\nretry_mode = standard\n'}])
    expect(both.js.configFile).toEqual({a: {output: 'json', region: 'us-east-1', retry_mode: 'standard'}})
    expect(first.js.configFile).toEqual({})
    if (hasBotocore) {
      expect(both.botocore!.profiles).toEqual({
        a: {region: 'us-east-1'},
        bar: {retry_mode: 'standard'},
        foo: {output: 'json'},
      })
    }
  })

  it('a header botocore and the JS SDK name differently: the message names both readings', async () => {
    const finding = (await lintText('[profile  two]\nregion = us-east-1\n')).find(
      (f) => f.rule === 'invalid-profile-name',
    )!
    expect(finding.message).toMatch(/AWS CLI reads profile "two" here, but the JS SDK ignores the whole section/)
    const [reading] = await readAll([{config: '[profile  two]\nregion = us-east-1\n'}])
    expect(reading.js.configFile).toEqual({})
    if (hasBotocore) expect(Object.keys(reading.botocore!.profiles)).toEqual(['two'])
  })
})

describe.skipIf(!hasBotocore)('nested settings', () => {
  interface SettingsReading {
    emr: null | string[]
    endpoint_urls: Record<string, string>
    proxies_config_vars: string[]
    s3_config_vars: string[]
    s3_transfer: null | string[]
    signature_versions: Record<string, string>
  }

  const config =
    '[default]\nregion = us-east-1\ns3 =\n  signature_version = s3\n  addressing_style = path\nsts =\n  signature_version = v4a\ndynamodb =\n  endpoint_url = http://127.0.0.1:1\n'
  let reading: SettingsReading
  beforeAll(() => {
    const path = join(dir, 'nested.config')
    writeFileSync(path, config)
    reading = runPythonJson<SettingsReading>(SETTINGS, {config: path, services: ['s3', 'sts', 'dynamodb']})
  })

  it('knows every key botocore reads under s3 = and proxies_config =', () => {
    for (const key of reading.s3_config_vars) expect(NESTED_KEYS.s3!.has(key), key).toBe(true)
    expect([...NESTED_KEYS.proxies_config!].sort()).toEqual(reading.proxies_config_vars)
  })

  it.skipIf(!awscli.ok)('knows the AWS CLI’s aws s3 transfer settings and emr defaults', () => {
    for (const key of reading.s3_transfer!) expect(NESTED_KEYS.s3!.has(key), key).toBe(true)
    expect([...NESTED_KEYS.emr!].sort()).toEqual(reading.emr)
  })

  it('signature_version under s3 = or any service: botocore signs with it, and lint calls nothing ignored', async () => {
    expect(reading.signature_versions).toMatchObject({dynamodb: 'v4', s3: 's3', sts: 'v4a'})
    const findings = await lintText(config)
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['unknown-key', 8]])
  })

  it('endpoint_url under a service in a profile: botocore ignores it, and lint says where it belongs', async () => {
    expect(reading.endpoint_urls.dynamodb).toBe('https://dynamodb.us-east-1.amazonaws.com')
    const [finding] = await lintText(config)
    expect(finding.message).toMatch(
      /`dynamodb` is not a setting .* it is ignored\. A service's endpoint_url goes in a \[services NAME\] section/,
    )
  })
})
