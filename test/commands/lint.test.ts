import {chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {runCli} from '../support/cli.js'

let dir: string
let env: NodeJS.ProcessEnv
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssokit-lint-'))
  mkdirSync(join(dir, '.aws'))
  env = {
    AWS_CONFIG_FILE: join(dir, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'),
    HOME: dir,
  }
})

const config = () => env.AWS_CONFIG_FILE!
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

describe('ssokit lint', () => {
  it('reports missing files and exits 0', async () => {
    const run = await runCli(['lint'], {env})
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${config()}: not found (nothing to check)`)
    expect(run.stdout).toContain('No problems found.')
  })

  it('exits 1 on error findings, printing file:line  severity  rule  message and a summary', async () => {
    writeFileSync(config(), '[default]\nregion = us-east-1\nregion = us-west-2\n')
    const run = await runCli(['lint'], {env})
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(new RegExp(`${config()}:3\\s+error\\s+duplicate-key\\s+\`region\` is already set`))
    expect(run.stdout).toContain('1 problem (1 error, 0 warnings, 0 info).')
  })

  it('prints the design JSON shape with --json and --format json, keeping exit 1', async () => {
    writeFileSync(config(), '[default]\nRegion = us-east-1\nregion = us-west-2\n')
    for (const args of [
      ['lint', '--json'],
      ['lint', '--format', 'json'],
    ]) {
      const run = await runCli(args, {env})
      expect(run.code).toBe(1)
      const out = JSON.parse(run.stdout)
      expect(out.summary).toEqual({error: 1, info: 0, warning: 1})
      expect(out.files).toEqual([
        {exists: true, kind: 'config', path: config()},
        {exists: false, kind: 'credentials', path: env.AWS_SHARED_CREDENTIALS_FILE},
      ])
      // Not fixable: lower-casing would collide with the `region` already there.
      expect(out.findings[0]).toEqual({
        file: config(),
        fixable: false,
        key: 'Region',
        line: 2,
        message: expect.stringContaining('lower-cases keys'),
        rule: 'uppercase-key',
        section: 'default',
        severity: 'warning',
      })
    }
  })

  it('prints SARIF 2.1.0', async () => {
    writeFileSync(config(), '[dev]\nregion = us-east-1\n')
    const run = await runCli(['lint', '--format', 'sarif'], {env})
    expect(run.code).toBe(1)
    const sarif = JSON.parse(run.stdout)
    expect(sarif.version).toBe('2.1.0')
    const [result] = sarif.runs[0].results
    expect(result).toMatchObject({level: 'error', ruleId: 'missing-profile-prefix'})
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: {uri: `file://${config()}`},
      region: {startLine: 1},
    })
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('missing-profile-prefix')
  })

  it('exits 3 naming the file when it cannot be read, as text and as JSON', async () => {
    mkdirSync(config())
    const text = await runCli(['lint'], {env})
    expect(text.code).toBe(3)
    expect(text.stderr).toContain(`Cannot read config file ${config()}: it is a directory;`)
    noStackTrace(text.stderr)
    const json = await runCli(['lint', '--json'], {env})
    expect(json.code).toBe(3)
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        code: 'FILE_UNREADABLE',
        exit: 3,
        message: `Cannot read config file ${config()}: it is a directory; ssokit reads and replaces only regular files.`,
        suggestions: [],
      },
    })
    const format = await runCli(['lint', '--format', 'json'], {env})
    expect(format.code).toBe(3)
    expect(JSON.parse(format.stdout)).toEqual(JSON.parse(json.stdout))
  })

  it('--fix writes once, atomically, keeps the mode and a backup, and changes nothing the second time', async () => {
    const original =
      '# team config\r\n[default]\r\nRegion: us-east-1\r\n\r\n[profile agent]\r\ncredential_process = aws sso get-credentials --profile default\r\noutput = json   \r\n'
    writeFileSync(config(), original)
    chmodSync(config(), 0o640)
    const run = await runCli(['lint', '--fix'], {env})
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('fixed 3')
    expect(run.stdout).toContain(`Previous content kept in ${config()}.ssokit.bak.`)
    expect(readFileSync(config(), 'utf8')).toBe(
      '# team config\r\n[default]\r\nregion = us-east-1\r\n\r\n[profile agent]\r\ncredential_process = aws configure export-credentials --profile default --format process\r\noutput = json   \r\n',
    )
    expect(statSync(config()).mode & 0o777).toBe(0o640)
    expect(readFileSync(`${config()}.ssokit.bak`, 'utf8')).toBe(original)
    const mtime = statSync(config()).mtimeMs
    const again = await runCli(['lint', '--fix', '--json'], {env})
    expect(JSON.parse(again.stdout).fixed).toEqual({backups: [], count: 0, files: []})
    expect(statSync(config()).mtimeMs).toBe(mtime)
  })

  it('warns about a credentials file and token cache readable by others', async () => {
    writeFileSync(
      env.AWS_SHARED_CREDENTIALS_FILE!,
      '[temp]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\n',
      {mode: 0o644},
    )
    chmodSync(env.AWS_SHARED_CREDENTIALS_FILE!, 0o644)
    const cache = join(dir, '.aws', 'sso', 'cache')
    mkdirSync(cache, {recursive: true})
    writeFileSync(join(cache, 'abc.json'), '{}')
    chmodSync(join(cache, 'abc.json'), 0o644)
    const run = await runCli(['lint', '--json'], {env})
    const findings = JSON.parse(run.stdout).findings.filter((f: {rule: string}) => f.rule === 'insecure-permissions')
    expect(findings.map((f: {file: string}) => f.file)).toEqual([env.AWS_SHARED_CREDENTIALS_FILE, cache])
    expect(findings[0].message).toBe(
      `The credentials file is readable by other users (mode 0644). Run: chmod 600 ${env.AWS_SHARED_CREDENTIALS_FILE}`,
    )
    expect(findings[1].message).toContain(
      `SSO token cache files in ${cache} are readable by other users: abc.json (0644)`,
    )
    expect(run.code).toBe(0)
  })

  describe('never a stack trace and never a write, whatever the bytes', () => {
    const inputs: Record<string, Buffer> = {
      binary: Buffer.from(Array.from({length: 4096}, (_, i) => (i * 7919 + 13) % 256)),
      'NUL bytes': Buffer.from('[default]\u0000\nregion = us-\u0000east-1\n\u0000\u0000'),
      'invalid UTF-8': Buffer.from([0x5b, 0x64, 0x5d, 0x0a, 0x6b, 0x3d, 0xc3, 0x28, 0x0a]),
      'a 5 MB line': Buffer.from(`[default]\nregion = ${'x'.repeat(5_000_000)}\n`),
      '100,000 sections': Buffer.from(
        Array.from({length: 100_000}, (_, i) => `[profile p${i}]\nregion = us-east-1\n`).join(''),
      ),
    }
    for (const [name, bytes] of Object.entries(inputs)) {
      it(
        name,
        async () => {
          writeFileSync(config(), bytes)
          const run = await runCli(['lint', '--json'], {env})
          expect([0, 1]).toContain(run.code)
          const out = JSON.parse(run.stdout)
          expect(out.files[0].exists).toBe(true)
          for (const f of out.findings) expect(f.line).toBeGreaterThanOrEqual(1)
          noStackTrace(run.stderr)
          expect(readFileSync(config()).equals(bytes)).toBe(true)
        },
        60_000,
      )
    }

    it('names the line of invalid UTF-8', async () => {
      writeFileSync(config(), Buffer.from([0x5b, 0x64, 0x5d, 0x0a, 0x6b, 0x3d, 0xc3, 0x28, 0x0a]))
      const run = await runCli(['lint', '--json'], {env})
      expect(JSON.parse(run.stdout).findings).toContainEqual(
        expect.objectContaining({line: 2, rule: 'parse-error', severity: 'error'}),
      )
    })
  })
})
