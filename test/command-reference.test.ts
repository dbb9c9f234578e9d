/**
 * The README's command reference is `oclif readme`'s output from the commands' own help, kept current: regenerate
 * it into a copy of README.md and compare. Every command (a new one too) needs a one-line summary and examples.
 */
import {Config} from '@oclif/core'
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ROOT} from './support/cli.js'

const README = join(ROOT, 'README.md')

async function visibleCommands() {
  const config = await Config.load({root: ROOT})
  return config.commands.filter((c) => !c.hidden)
}

describe('the command reference in README.md', () => {
  it('is what `npm run readme` generates from the built commands (run it after changing a command)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssokit-readme-'))
    try {
      const copy = join(dir, 'README.md')
      copyFileSync(README, copy)
      const run = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'oclif', 'bin', 'run.js'), 'readme', '--readme-path', copy],
        {cwd: ROOT, encoding: 'utf8', env: {...process.env, COLUMNS: '120', OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}},
      )
      expect(run.status, run.stderr).toBe(0)
      const current = readFileSync(README, 'utf8')
      const generated = readFileSync(copy, 'utf8')
      expect(current.indexOf('<!-- commands -->')).toBeGreaterThan(current.indexOf('# Command reference'))
      expect(current === generated, 'README.md is stale: run `npm run readme`').toBe(true)
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  }, 60_000)

  it('has a section for every command', async () => {
    const readme = readFileSync(README, 'utf8')
    const reference = readme.slice(readme.indexOf('<!-- commands -->'), readme.indexOf('<!-- commandsstop -->'))
    for (const command of await visibleCommands()) {
      const id = command.id.replaceAll(':', ' ')
      expect(reference, id).toMatch(new RegExp(`^## \`ssokit ${id}( |\`)`, 'm'))
    }
  })
})

describe("every ssokit command's help", () => {
  it('has a one-line summary and examples', async () => {
    const own = (await visibleCommands()).filter((c) => c.pluginName === 'ssokit')
    expect(own.length).toBeGreaterThan(10)
    for (const command of own) {
      expect(command.summary, `${command.id}: static summary`).toMatch(/^[A-Z].{10,115}[^.]$/)
      expect(command.summary, command.id).not.toContain('\n')
      expect(command.examples?.length ?? 0, `${command.id}: static examples`).toBeGreaterThan(0)
    }
  })
})
