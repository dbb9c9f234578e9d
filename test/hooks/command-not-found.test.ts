import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {BIN, runCli} from '../support/cli.js'
import {requirePython, runPythonJson} from '../support/python.js'

const PTY = fileURLToPath(new URL('../support/pty_run.py', import.meta.url))
const hasPython = requirePython('pty')

describe('an unknown command', () => {
  it('outside a terminal: names the nearest command and exits 127', async () => {
    const typo = await runCli(['disover'])
    expect(typo.code).toBe(127)
    expect(typo.stderr).toContain('disover is not a ssokit command.')
    expect(typo.stderr.replaceAll(/\s*›\s*/g, ' ')).toContain('Did you mean ssokit discover?')
    const prefix = await runCli(['gen'])
    expect(prefix.stderr.replaceAll(/\s*›\s*/g, ' ')).toContain('Did you mean ssokit generate?')
    const nothing = await runCli(['xyzzy'])
    expect(nothing.code).toBe(127)
    expect(nothing.stderr).not.toContain('Did you mean')
    expect(nothing.stderr).toContain('Run ssokit help for a list of available commands.')
  })

  it.skipIf(!hasPython)('in a terminal: @oclif/plugin-not-found asks, and runs the nearest command on yes', () => {
    const env = {...process.env, NODE_NO_WARNINGS: '1'} as Record<string, string>
    const declined = runPythonJson<{code: number; output: string; seen: boolean}>(PTY, {
      answer: 'n\r',
      argv: [process.execPath, BIN, 'disover'],
      env,
      expect: 'Did you mean',
    })
    expect(declined.seen, declined.output).toBe(true)
    expect(declined.output).toContain('discover')
    expect(declined.code).toBe(127)
    const accepted = runPythonJson<{code: number; output: string; seen: boolean}>(PTY, {
      answer: 'y\r',
      argv: [
        process.execPath,
        BIN,
        'profils',
        '--config-file',
        '/nonexistent/config',
        '--credentials-file',
        '/nonexistent/credentials',
      ],
      env,
      expect: 'Did you mean',
    })
    expect(accepted.output).toContain('No profiles found.')
    expect(accepted.code).toBe(0)
  })
})
