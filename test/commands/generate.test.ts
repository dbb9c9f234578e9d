import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {beforeEach, describe, expect, it} from 'vitest'

import {runCli} from '../support/cli.js'
import {botocoreFullConfig, botocoreReadFile} from '../support/readings.js'

const SNAPSHOT = fileURLToPath(new URL('../fixtures/snapshots/small.json', import.meta.url))
const HAIRY = fileURLToPath(new URL('../fixtures/hairy/crlf-nested.config', import.meta.url))

let dir: string
let env: NodeJS.ProcessEnv
let config: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssokit-generate-'))
  mkdirSync(join(dir, '.aws'))
  config = join(dir, '.aws', 'config')
  env = {AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'), HOME: dir}
})

const generate = (...args: string[]) =>
  runCli(['generate', '--sso-session', 'corp', '--from', SNAPSHOT, ...args], {env})

describe('ssokit generate --from FILE', () => {
  it('writes the block into a hairy config, keeps every other byte, and a second run changes nothing', async () => {
    copyFileSync(HAIRY, config)
    const original = readFileSync(config)
    const first = await generate('--yes', '--json', '--profile-setting', 'output=json')
    expect(first.code, first.stderr + first.stdout).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({
      added: ['Dev.ReadOnly', 'Prod-Co.AdministratorAccess'],
      file: config,
      written: true,
    })
    const written = readFileSync(config)
    expect(written.subarray(0, original.length).equals(original)).toBe(true)
    expect(written.toString('utf8')).toContain(
      '[profile Dev.ReadOnly]\r\nsso_session = corp\r\nsso_account_id = 444455556666\r\nsso_role_name = ReadOnly\r\nregion = us-east-1\r\noutput = json\r\n',
    )
    expect(readFileSync(`${config}.ssokit.bak`).equals(original)).toBe(true)
    const mtime = statSync(config).mtimeMs
    const second = await generate('--yes', '--json', '--profile-setting', 'output=json')
    expect(JSON.parse(second.stdout)).toMatchObject({
      added: [],
      unchanged: ['Dev.ReadOnly', 'Prod-Co.AdministratorAccess'],
      written: false,
    })
    expect(statSync(config).mtimeMs).toBe(mtime)
    const lint = await runCli(['lint', '--json'], {env})
    expect(JSON.parse(lint.stdout).summary.error).toBe(0)
  })

  it('creates a missing config with mode 0600', async () => {
    const run = await generate('--yes')
    expect(run.code).toBe(0)
    expect(statSync(config).mode & 0o777).toBe(0o600)
    expect(run.stderr).toContain('Profile region: us-east-1 (the sso region; set another with --profile-region).')
  })

  it('--dry-run prints a unified diff on stdout and writes nothing', async () => {
    writeFileSync(config, '[default]\nregion = us-east-1\n')
    const run = await generate('--dry-run')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^Index: .*\n={10,}\n--- .*\n\+\+\+ .*\n@@ -1,2 \+1,21 @@\n \[default\]\n region = us-east-1\n\+\n\+# >>> ssokit sso-session=corp/,
    )
    expect(readFileSync(config, 'utf8')).toBe('[default]\nregion = us-east-1\n')
  })

  it('without a terminal and without --yes writes nothing and says so (exit 2)', async () => {
    const run = await generate()
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Run again with --yes to write it')
    expect(existsSync(config)).toBe(false)
  })

  it('--for-user keeps what the user reaches directly or through groups', async () => {
    const alice = JSON.parse((await generate('--for-user', 'alice', '--dry-run', '--json')).stdout)
    expect(alice.added).toEqual(['Prod-Co.AdministratorAccess'])
    const bob = JSON.parse((await generate('--for-user', 'BOB@x.com', '--dry-run', '--json')).stdout)
    expect(bob.added).toEqual(['Dev.ReadOnly'])
    const nobody = await generate('--for-user', 'carol', '--dry-run')
    expect(nobody.code).toBe(1)
    expect(nobody.stderr).toContain('No user "carol"')
  })

  it('refuses a hand-edited block with exit 7, and --force rewrites it', async () => {
    await generate('--yes')
    writeFileSync(config, readFileSync(config, 'utf8').replace('sso_role_name = ReadOnly', 'sso_role_name = ReadOnlyX'))
    const refused = await generate('--yes', '--json')
    expect(refused.code).toBe(7)
    expect(JSON.parse(refused.stdout).error.code).toBe('BLOCK_EDITED')
    expect((await generate('--yes', '--force')).code).toBe(0)
    expect(readFileSync(config, 'utf8')).toContain('sso_role_name = ReadOnly\n')
  })

  it('gives up with exit 7 while another ssokit holds the lock', async () => {
    writeFileSync(config, '')
    mkdirSync(`${config}.lock`)
    const run = await generate('--yes')
    expect(run.code).toBe(7)
    expect(run.stderr).toContain('locked by another ssokit process')
  }, 20_000)

  it('rejects a bad snapshot with exit 3 naming the file', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"version": 1, "instances": [')
    const run = await runCli(['generate', '--sso-session', 'corp', '--from', bad, '--yes'], {env})
    expect(run.code).toBe(3)
    expect(run.stderr).toContain(bad)
  })

  it('eight generate processes at once on one file end with every block exactly once', async () => {
    writeFileSync(config, '# shared\n[default]\nregion = us-east-1\n')
    const sessions = Array.from({length: 8}, (_, i) => `team${i}`)
    const runs = await Promise.all(
      sessions.map((s) =>
        runCli(
          [
            'generate',
            '--sso-session',
            s,
            '--from',
            SNAPSHOT,
            '--name-template',
            `${s}.{account_name}.{role_name}`,
            '--yes',
          ],
          {env},
        ),
      ),
    )
    for (const run of runs) expect(run.code, run.stderr).toBe(0)
    const text = readFileSync(config, 'utf8')
    for (const s of sessions) expect(text.match(new RegExp(`# >>> ssokit sso-session=${s}:`, 'g'))).toHaveLength(1)
    expect(text.startsWith('# shared\n[default]\nregion = us-east-1\n')).toBe(true)
    const reading = botocoreFullConfig(botocoreReadFile(text), undefined)
    expect(reading.error).toBeUndefined()
    expect(Object.keys(reading.config!.profiles)).toHaveLength(1 + 8 * 2)
  }, 60_000)

  it('profiles it writes are listed by the AWS CLI v2 (aws configure list-profiles)', async () => {
    const aws = '/usr/bin/aws'
    if (!existsSync(aws)) {
      if (process.env.CI)
        throw new Error('CI is set but the AWS CLI v2 (/usr/bin/aws, Debian package awscli) is missing')
      console.warn('skipping: AWS CLI v2 not installed (apt-get install awscli)')
      return
    }

    copyFileSync(HAIRY, config)
    await generate('--yes')
    const listed = spawnSync(aws, ['configure', 'list-profiles'], {
      encoding: 'utf8',
      env: {HOME: dir, PATH: process.env.PATH, ...env},
    })
    expect(listed.status, listed.stderr).toBe(0)
    expect(listed.stdout.trim().split('\n').sort()).toEqual([
      'Dev.ReadOnly',
      'Prod-Co.AdministratorAccess',
      'default',
      'legacy-admin',
    ])
  })
})
