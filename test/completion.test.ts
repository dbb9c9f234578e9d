/**
 * Shell completion (@oclif/plugin-autocomplete) set up with the README's bash lines, in a real bash: the commands
 * it completes are the CLI's own (a new command needs no edit here), topics complete their subcommands, flags
 * complete. zsh and PowerShell get the plugin's scripts for them; this machine runs bash only.
 */
import {Config} from '@oclif/core'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {BIN, ROOT} from './support/cli.js'

/** Runs a bash script in a fresh HOME with `ssokit` (the built CLI) on PATH. */
function bash(home: string, script: string): string {
  const bin = join(home, 'bin')
  mkdirSync(bin, {recursive: true})
  writeFileSync(join(bin, 'ssokit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(join(bin, 'ssokit'), 0o755)
  const run = spawnSync('bash', ['--noprofile', '--norc', '-c', script], {
    encoding: 'utf8',
    env: {...process.env, HOME: home, NODE_NO_WARNINGS: '1', PATH: `${bin}:${process.env.PATH}`},
  })
  expect(run.status, run.stderr).toBe(0)
  return run.stdout
}

/** What bash offers for `line` (ending in a space: a new word). */
const completions = (line: string) => `
read -ra COMP_WORDS <<< ${JSON.stringify(line)}
[[ ${JSON.stringify(line)} == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_ssokit_autocomplete
echo "${line.replaceAll('"', '')}=> $(printf '%s\\n' "\${COMPREPLY[@]}" | sort -u | tr '\\n' ' ')"
`

let home: string

afterEach(() => rmSync(home, {force: true, recursive: true}))

describe('bash completion', () => {
  it('installs with the README lines and completes commands, topics and flags', async () => {
    home = mkdtempSync(join(tmpdir(), 'ssokit-completion-'))
    // `ssokit autocomplete bash` prints the instructions and builds the completion cache; then the install line.
    const instructions = bash(home, 'ssokit autocomplete bash')
    expect(instructions).toContain(`printf "$(ssokit autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc`)
    const out = bash(
      home,
      [
        'printf "$(ssokit autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc',
        'complete -p ssokit',
        completions('ssokit '),
        completions('ssokit doctor ex'),
        completions('ssokit lint --fi'),
        completions('ssokit generate --dry'),
      ].join('\n'),
    )
    expect(out).toContain('complete -F _ssokit_autocomplete ssokit')
    const config = await Config.load({root: ROOT})
    const topLevel = new Set(config.commands.filter((c) => !c.hidden).map((c) => c.id.split(':')[0]))
    const offered = /^ssokit => (.*)$/m.exec(out)![1].trim().split(' ')
    expect(offered.sort()).toEqual([...topLevel].sort())
    expect(out).toMatch(/^ssokit doctor ex=> explain $/m)
    expect(out).toMatch(/^ssokit lint --fi=> --fix $/m)
    expect(out).toMatch(/^ssokit generate --dry=> --dry-run $/m)
  }, 60_000)
})
