/**
 * The trust boundaries end to end: no value from outside (a snapshot, the portal, a flag) becomes a line of its
 * own, no text from outside reaches the terminal with its control characters, special and odd files are refused
 * or left alone as the README says, and generate never adds to a file the AWS CLI cannot read.
 */
import {execFileSync} from 'node:child_process'
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tokenCachePath, writeTokenFile} from '../../src/sso/cache.js'
import {START_URL, tempHome} from '../sso/helpers.js'
import {runCli} from '../support/cli.js'
import {botocoreFullConfig, botocoreReadFile} from '../support/readings.js'
import {type SsoEmulator, startSsoEmulator} from '../support/sso-emulator.js'

const SNAPSHOT = fileURLToPath(new URL('../fixtures/snapshots/small.json', import.meta.url))
const ESC = '\u001B'
const INJECTED = 'Admin\n[profile evil]\ncredential_process = /bin/sh -c id'

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-bounds-'))
  mkdirSync(join(dir, '.aws'))
  const config = join(dir, '.aws', 'config')
  const env = {AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'), HOME: dir}
  return {config, dir, env}
}

type Snapshot = {assignments: Array<{accountId: string}>; permissionSets: Array<{name: string}>}

/** The small snapshot with one value changed. */
function snapshotWith(dir: string, change: (snapshot: Snapshot) => void): string {
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8'))
  change(snapshot)
  const path = join(dir, 'snapshot.json')
  writeFileSync(path, JSON.stringify(snapshot))
  return path
}

const generate = (env: Record<string, string>, ...args: string[]) =>
  runCli(['generate', '--sso-session', 'corp', '--yes', '--json', ...args], {env})

describe('no value from outside becomes a line of its own', () => {
  it('refuses a snapshot whose permission-set name or account id would add lines (exit 3, the JSON path named)', async () => {
    for (const [change, path] of [
      [
        (s: Snapshot) => {
          s.permissionSets[1].name = INJECTED
        },
        '$.permissionSets[1].name',
      ],
      [
        (s: Snapshot) => {
          s.assignments[0].accountId = '111122223333\n[profile x]'
        },
        '$.assignments[0].accountId',
      ],
    ] as const) {
      const h = home()
      writeFileSync(h.config, '[default]\n')
      const file = snapshotWith(h.dir, change)
      const run = await generate(h.env, '--from', file)
      expect(run.code, run.stdout).toBe(3)
      expect(JSON.parse(run.stdout).error).toMatchObject({
        code: 'INVALID_VALUE',
        message: expect.stringContaining(`${file} ${path}`),
      })
      expect(readFileSync(h.config, 'utf8')).toBe('[default]\n')
    }
  })

  it('refuses flags that would break a line or duplicate a key, before anything is read', async () => {
    const h = home()
    for (const [args, text] of [
      [['--profile-region', 'eu-west-1\nx = y'], '--profile-region'],
      [['--start-url', 'http://d-1234567890.awsapps.com/start#x', '--sso-region', 'us-east-1'], '--start-url'],
      [['--profile-setting', 'region=eu-west-1'], 'generate writes the SSO settings and region'],
      [['--profile-setting', 'credential_process=/bin/sh'], 'generate writes the SSO settings'],
      [['--profile-setting', 'output=json\n[profile evil]'], 'control character'],
      [['--profile-setting', 'outptu=json'], 'Did you mean `output`'],
    ] as const) {
      const run = await generate(h.env, '--from', SNAPSHOT, ...args)
      expect(run.code, args.join(' ')).toBe(3)
      expect(JSON.parse(run.stdout).error).toMatchObject({
        code: 'INVALID_VALUE',
        message: expect.stringContaining(text),
      })
    }
  })
})

describe('answers from the portal are checked like any outside value', () => {
  let emulator: SsoEmulator
  beforeAll(async () => {
    emulator = await startSsoEmulator({
      accounts: [{accountId: '111122223333', accountName: `Prod ${ESC}]0;pwned${ESC}\\`, roles: [INJECTED]}],
    })
  })
  afterAll(async () => emulator.close())

  it('refuses a role name with a line break from ListAccountRoles (exit 3), naming the operation', async () => {
    const h = tempHome()
    h.writeConfig(`[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\n`)
    await writeTokenFile(
      tokenCachePath({sessionName: 'corp'}, h.cacheDir),
      emulator.issueToken({region: 'us-east-1', startUrl: START_URL}),
    )
    const run = await runCli(['generate', '--sso-session', 'corp', '--yes'], {env: {...h.env, ...emulator.env()}})
    expect(run.code).toBe(3)
    expect(run.stderr).toContain("the portal's ListAccountRoles answer for account 111122223333")
    expect(run.stderr).toContain(String.raw`\n[profile evil]`)
    expect(run.stderr).not.toContain(ESC)
    expect(readFileSync(h.configFile, 'utf8')).not.toContain('evil')
  })
})

describe('text from outside reaches the terminal with its control characters escaped', () => {
  it('profiles and lint show a profile named with escape codes without sending them to the terminal', async () => {
    const h = home()
    writeFileSync(h.config, `[profile a${ESC}]0;retitled\u0007]\nregion = us-east-1\n`)
    for (const command of ['profiles', 'lint']) {
      const run = await runCli([command], {env: h.env})
      expect(run.stdout + run.stderr, command).not.toContain(ESC)
      expect(run.stdout + run.stderr, command).toContain(String.raw`\x1b]0;retitled\x07`)
    }
  })
})

describe('special and odd files', () => {
  it('reads /dev/null as an empty config, and never replaces it', async () => {
    const h = home()
    const env = {...h.env, AWS_CONFIG_FILE: '/dev/null'}
    const lint = await runCli(['lint', '--json'], {env})
    expect(lint.code).toBe(0)
    const run = await generate(env, '--from', SNAPSHOT)
    expect(run.code).toBe(3)
    expect(JSON.parse(run.stdout).error).toMatchObject({
      code: 'FILE_UNWRITABLE',
      message: expect.stringContaining('a character device'),
    })
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true)
  })

  it('refuses a FIFO, a directory and /dev/zero as the config at once, in every command that reads it', async () => {
    const h = home()
    execFileSync('mkfifo', [join(h.dir, 'fifo')])
    for (const config of [join(h.dir, 'fifo'), h.dir, '/dev/zero']) {
      for (const args of [
        ['lint'],
        ['profiles'],
        ['status'],
        ['generate', '--sso-session', 'corp', '--from', SNAPSHOT, '--yes'],
      ]) {
        const started = Date.now()
        const run = await runCli([...args, '--json'], {env: {...h.env, AWS_CONFIG_FILE: config}, timeoutMs: 20_000})
        expect(run.code, `${args[0]} ${config}`).toBe(3)
        expect(JSON.parse(run.stdout).error.code).toBe('FILE_UNREADABLE')
        expect(Date.now() - started).toBeLessThan(15_000)
      }
    }
  }, 180_000) // twelve CLI runs in turn: each is bounded above, the whole may be slow on a busy machine

  it('writes through a symlink into its target, and one lock serves both names', async () => {
    const h = home()
    mkdirSync(join(h.dir, 'dotfiles'))
    const target = join(h.dir, 'dotfiles', 'aws-config')
    writeFileSync(target, '[default]\nregion = us-east-1\n')
    symlinkSync(target, h.config)
    const viaLink = {...h.env}
    const viaTarget = {...h.env, AWS_CONFIG_FILE: target}
    const sessions = ['one', 'two', 'three', 'four']
    const runs = await Promise.all(
      sessions.map((name, i) =>
        runCli(
          [
            'generate',
            '--sso-session',
            name,
            '--from',
            SNAPSHOT,
            '--name-template',
            '{sso_session}.{account_name}.{role_name}',
            '--start-url',
            START_URL,
            '--sso-region',
            'us-east-1',
            '--yes',
          ],
          {env: i % 2 ? viaTarget : viaLink},
        ),
      ),
    )
    for (const run of runs) expect(run.code, run.stderr).toBe(0)
    expect(lstatSync(h.config).isSymbolicLink()).toBe(true)
    const text = readFileSync(target, 'utf8')
    for (const name of sessions) expect(text.match(new RegExp(`\\[sso-session ${name}\\]`, 'g')), text).toHaveLength(1)
  })

  it('refuses a read-only config and a hard-linked one (exit 7) unless --force', async () => {
    const h = home()
    writeFileSync(h.config, '[default]\n')
    chmodSync(h.config, 0o444)
    const refused = await generate(h.env, '--from', SNAPSHOT)
    expect(refused.code).toBe(7)
    expect(JSON.parse(refused.stdout).error.code).toBe('READ_ONLY')
    const forced = await generate(h.env, '--from', SNAPSHOT, '--force')
    expect(forced.code).toBe(0)
    expect(statSync(h.config).mode & 0o777).toBe(0o444)

    const linked = home()
    writeFileSync(linked.config, '[default]\n')
    linkSync(linked.config, join(linked.dir, 'other-name'))
    const hard = await generate(linked.env, '--from', SNAPSHOT)
    expect(hard.code).toBe(7)
    expect(JSON.parse(hard.stdout).error.code).toBe('HARD_LINKED')
    expect((await generate(linked.env, '--from', SNAPSHOT, '--force')).code).toBe(0)
    expect(readFileSync(join(linked.dir, 'other-name'), 'utf8')).toContain('[profile Dev.ReadOnly]')
  })

  it('says a backup was made only when there was a previous file', async () => {
    const h = home()
    const first = await runCli(['generate', '--sso-session', 'corp', '--from', SNAPSHOT, '--yes'], {env: h.env})
    expect(first.stderr).toContain(`Wrote ${h.config}.`)
    expect(first.stderr).not.toContain('previous version')
    writeFileSync(h.config, '[default]\n')
    const second = await runCli(['generate', '--sso-session', 'corp', '--from', SNAPSHOT, '--yes'], {env: h.env})
    expect(second.stderr).toContain(`(previous version in ${h.config}.ssokit.bak)`)
  })
})

describe('generate refuses to write into a file the AWS CLI cannot read', () => {
  for (const [name, bytes, line] of [
    ['UTF-16', Buffer.from('\uFEFF[default]\nregion = us-east-1\n', 'utf16le'), 1],
    ['binary with NUL bytes', Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x00, 0x01, 0x02, 0x0a]), 2],
    ['a duplicate section', Buffer.from('[default]\nregion = a\n\n[default]\nregion = b\n'), 4],
    ['a bare line', Buffer.from('[default]\nregion = a\njust words\n'), 3],
  ] as const) {
    it(`${name}: exit 3 naming the line, nothing written; --force writes anyway`, async () => {
      const h = home()
      writeFileSync(h.config, bytes)
      const run = await generate(h.env, '--from', SNAPSHOT)
      expect(run.code, run.stdout).toBe(3)
      expect(JSON.parse(run.stdout).error).toMatchObject({
        code: 'CONFIG_UNREADABLE_BY_AWS',
        message: expect.stringContaining(`line ${line}`),
        suggestions: [expect.stringContaining('ssokit lint')],
      })
      expect(readFileSync(h.config).equals(bytes)).toBe(true)
      expect((await generate(h.env, '--from', SNAPSHOT, '--force')).code).toBe(0)
    })
  }

  it('a file the AWS CLI reads stays readable after generate (checked with botocore)', async () => {
    const h = home()
    writeFileSync(h.config, '[default]\nregion = us-east-1\n')
    expect((await generate(h.env, '--from', SNAPSHOT)).code).toBe(0)
    expect(botocoreFullConfig(botocoreReadFile(readFileSync(h.config, 'utf8')), undefined).error).toBeUndefined()
  })
})

describe('login creates the sso-session a new user does not have yet', () => {
  it('adds [sso-session] through the safe write cycle, refuses a conflicting one', async () => {
    const h = home()
    writeFileSync(h.config, '# mine\n[default]\nregion = eu-west-1\n')
    // No emulator: the login stops at the unreachable endpoint, after the section was written.
    const env = {...h.env, AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:1'}
    const args = [
      'login',
      '--sso-session',
      'new',
      '--start-url',
      START_URL,
      '--sso-region',
      'eu-west-1',
      '--no-browser',
    ]
    const run = await runCli(args, {env})
    expect(run.stderr).toContain(`Added [sso-session new] to ${h.config}.`)
    expect(run.code).toBe(6)
    expect(readFileSync(h.config, 'utf8')).toBe(
      `# mine\n[default]\nregion = eu-west-1\n\n[sso-session new]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    )
    expect((await runCli(args, {env})).stderr).not.toContain('Added')
    const conflict = await runCli(
      [
        'login',
        '--sso-session',
        'new',
        '--start-url',
        'https://other.awsapps.com/start',
        '--sso-region',
        'eu-west-1',
        '--json',
      ],
      {env},
    )
    expect(conflict.code).toBe(7)
    expect(JSON.parse(conflict.stdout.split('\n')[0]).error.code).toBe('SSO_SESSION_CONFLICT')
  })

  it('tells how to create a session that does not exist', async () => {
    const h = home()
    writeFileSync(h.config, '')
    const run = await runCli(['login', '--sso-session', 'nope'], {env: h.env})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ssokit login --sso-session nope --start-url')
  })
})
