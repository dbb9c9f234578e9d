/** `ssokit generate --interactive` in a real terminal (tmux): filter, pick with the checkbox list, confirm. */
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {BIN} from '../support/cli.js'

const SNAPSHOT = fileURLToPath(new URL('../fixtures/snapshots/small.json', import.meta.url))
const hasTmux = spawnSync('tmux', ['-V']).status === 0
if (!hasTmux && process.env.CI) throw new Error('CI is set but tmux is missing (apt-get install tmux)')
const session = `ssokit-test-${process.pid}`

afterEach(() => {
  spawnSync('tmux', ['kill-session', '-t', session])
})

function screen(): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'})
}

async function waitFor(text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (screen().includes(text)) return
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
  }

  throw new Error(`"${text}" never appeared on the screen:\n${screen()}`)
}

describe.skipIf(!hasTmux)('ssokit generate --interactive', () => {
  it('filters, lets the user pick, shows the diff and writes after confirmation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssokit-interactive-'))
    mkdirSync(join(dir, '.aws'))
    const config = join(dir, '.aws', 'config')
    writeFileSync(config, '[default]\nregion = us-east-1\n')
    const env = `HOME=${dir} AWS_CONFIG_FILE=${config} AWS_SHARED_CREDENTIALS_FILE=${join(dir, '.aws', 'credentials')} NODE_NO_WARNINGS=1`
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '50',
      `env ${env} ${process.execPath} ${BIN} generate --sso-session corp --from ${SNAPSHOT} --interactive; sleep 30`,
    ])
    await waitFor('Filter 2 account/role pairs')
    execFileSync('tmux', ['send-keys', '-t', session, 'Prod', 'Enter'])
    await waitFor('Profiles to generate (1 shown')
    expect(screen()).toContain('Prod & Co (111122223333)  AdministratorAccess')
    execFileSync('tmux', ['send-keys', '-t', session, 'Enter'])
    await waitFor('Write 1 new, 0 updated and remove 0 profiles')
    expect(screen()).toContain('+[profile Prod-Co.AdministratorAccess]')
    execFileSync('tmux', ['send-keys', '-t', session, 'Enter'])
    await waitFor('Wrote ')
    const written = readFileSync(config, 'utf8')
    expect(written).toContain('[profile Prod-Co.AdministratorAccess]')
    expect(written).not.toContain('Dev.ReadOnly')
  }, 60_000)

  it('answering no writes nothing, says so and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssokit-interactive-'))
    mkdirSync(join(dir, '.aws'))
    const config = join(dir, '.aws', 'config')
    writeFileSync(config, '[default]\nregion = us-east-1\n')
    const env = `HOME=${dir} AWS_CONFIG_FILE=${config} AWS_SHARED_CREDENTIALS_FILE=${join(dir, '.aws', 'credentials')} NODE_NO_WARNINGS=1`
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '50',
      `env ${env} ${process.execPath} ${BIN} generate --sso-session corp --from ${SNAPSHOT}; echo EXIT=$?; sleep 30`,
    ])
    await waitFor('Write 2 new, 0 updated and remove 0 profiles')
    execFileSync('tmux', ['send-keys', '-t', session, 'n', 'Enter'])
    await waitFor('EXIT=')
    expect(screen()).toContain('the change was not confirmed')
    expect(screen()).not.toContain('there is no terminal')
    expect(screen()).toContain('EXIT=1')
    expect(readFileSync(config, 'utf8')).toBe('[default]\nregion = us-east-1\n')
  }, 60_000)
})
