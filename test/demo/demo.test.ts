/**
 * `npm run demo` end to end: the whole tour against moto and the emulator, then the demo interrupted half-way
 * (Ctrl-C to its process group, as a terminal sends it; SIGINT to the running command alone, which is how the demo
 * sees a Ctrl-C whose own signal it handles late; SIGTERM to the demo alone, while moto is still starting):
 * afterwards no process the demo started is alive, moto's port is closed and its temporary folder is gone.
 */
import {Config} from '@oclif/core'
import {type ChildProcess, spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'

import {ROOT} from '../support/cli.js'
import {describeWithMoto} from '../support/moto.js'

interface DemoRun {
  child: ChildProcess
  /** Resolves with the exit code (or 128 + signal) when the demo has exited and its streams closed. */
  exited: Promise<number>
  marker: string
  output: () => string
  tmp: string
}

/** Starts the demo in a process group of its own, with its own TMPDIR and a marker every process it starts inherits. */
function startDemo(args: string[] = []): DemoRun {
  const tmp = mkdtempSync(join(tmpdir(), 'ssokit-demo-test-'))
  const marker = randomUUID()
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'demo', 'run.ts'), ...args], {
    cwd: ROOT,
    detached: true,
    env: {...process.env, NODE_NO_WARNINGS: '1', SSOKIT_DEMO_TEST_MARKER: marker, TMPDIR: tmp, TSX_DISABLE_CACHE: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    output += d
  })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    output += d
  })
  const exited = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)))
  })
  return {child, exited, marker, output: () => output, tmp}
}

async function waitFor(run: DemoRun, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!pattern.test(run.output())) {
    if (Date.now() > deadline || run.child.exitCode !== null)
      throw new Error(`the demo never printed ${pattern}:\n${run.output()}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
  }
}

/** Processes (other than those already gone) whose environment carries the run's marker: the demo and all it started. */
function processesWith(marker: string): number[] {
  if (!existsSync('/proc/self/environ')) return []
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`SSOKIT_DEMO_TEST_MARKER=${marker}`))
        pids.push(Number(entry))
    } catch {
      // gone, or not ours
    }
  }

  return pids
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/** A process's state letter (Z for a zombie) and parent from /proc, or undefined once it is gone. */
function processStat(pid: number): undefined | {parent: number; state: string} {
  try {
    const match = /^\d+ \(.*\) (\S) (\d+)/s.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    return match ? {parent: Number(match[2]), state: match[1]} : undefined
  } catch {
    return undefined
  }
}

const processState = (pid: number) => processStat(pid)?.state

/** The commands the demo runs do not carry the marker (the demo clears SSOKIT_* variables): found by parent. */
const childrenOf = (parent: number) =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => processStat(pid)?.parent === parent)

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

const portsIn = (output: string) =>
  [...output.matchAll(/(?:moto|emulator): http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]))

async function expectNothingLeft(run: DemoRun): Promise<void> {
  const left = processesWith(run.marker)
  for (const pid of left) process.kill(pid, 'SIGKILL') // a failing run leaves no orphan on the machine either
  expect(left).toEqual([])
  expect(readdirSync(run.tmp)).toEqual([])
  rmSync(run.tmp, {recursive: true})
  for (const port of portsIn(run.output())) expect(await portAnswers(port), `port ${port}`).toBe(false)
}

describeWithMoto('npm run demo', () => {
  it('walks through every command against moto and the emulator, and leaves nothing behind', async () => {
    const home = readdirSync(process.env.HOME!)
    const run = startDemo(['--flow', 'pkce'])
    const code = await run.exited
    const output = run.output()
    expect(output, output).toMatch(/That was the whole tour/)
    expect(code).toBe(0)

    // Each command is printed before its output, in the order of the walk-through.
    const required = [
      'discover',
      'login --sso-session northwind',
      'generate --sso-session northwind --dry-run',
      'generate --sso-session northwind --yes',
      'profiles',
      'lint',
      'status',
      'doctor --profile',
      'doctor explain',
      'doctor access',
      'report',
      'diff',
    ]
    let at = 0
    for (const command of required) {
      const index = output.indexOf(`\n$ ssokit ${command}`, at)
      expect(index, `$ ssokit ${command} after position ${at}`).toBeGreaterThan(-1)
      at = index
    }

    // What each step is there to show.
    expect(output).toMatch(/Access portal: https:\/\/d-[0-9a-z]{10}\.awsapps\.com\/start/)
    expect(output).toMatch(/with the pkce flow/)
    expect(output).toMatch(/Logged in to sso-session northwind/)
    expect(output).toMatch(/^\+\[profile Development\.PowerUserAccess\]$/m)
    expect(output).toMatch(/Dry run: nothing written/)
    expect(output).toMatch(/^Development\.PowerUserAccess +sso-session +northwind/m)
    expect(output).toMatch(/nonexistent-command \(fixable\)/)
    expect(output).toMatch(/fixed 2/)
    expect(output).toMatch(/^northwind +sso-session +valid/m)
    expect(output).toMatch(
      /ok +caller-identity: sts:GetCallerIdentity: arn:aws:sts::\d{12}:assumed-role\/AWSReservedSSO_PowerUserAccess_/,
    )
    expect(output).toMatch(/^access-denied: /m)
    expect(output).toMatch(/explicit-deny\n +Explicitly denied by ProtectWorkloads/)
    expect(output).toMatch(/PowerUserAccess: not-assigned/)
    expect(output).toMatch(/Wrote northwind-access\.html .*12 accounts, 5 permission sets, 7 people/)
    expect(output).toMatch(/\+ noah joined Developers/)
    expect(output).toMatch(/\+ sofia → Production \(\d{12}\) · ReadOnlyAccess, through group Data/)
    // No token, refresh token or client secret of the emulator's kinds is ever printed.
    expect(output).not.toMatch(/aoa-access-|aor-refresh-|clientsecret-/)

    // Every command of the CLI shows up, in the tour or in the list after it: a new command needs no edit here.
    const config = await Config.load({root: ROOT})
    for (const command of config.commands.filter((c) => !c.hidden)) {
      expect(output).toMatch(new RegExp(`(\\$ ssokit |\\n  )${command.id.replaceAll(':', ' ')}\\b`))
    }

    await expectNothingLeft(run)
    expect(readdirSync(process.env.HOME!)).toEqual(home)
  }, 300_000)

  it('on Ctrl-C in the middle of a command, stops moto, the command and the emulator and removes its files', async () => {
    const run = startDemo()
    await waitFor(run, /\n\$ ssokit generate --sso-session northwind --dry-run/)
    expect(processesWith(run.marker).length).toBeGreaterThanOrEqual(2)
    process.kill(-run.child.pid!, 'SIGINT')
    expect(await run.exited, run.output()).toBe(130)
    expect(run.output()).toMatch(/Interrupted \(SIGINT\)/)
    await expectNothingLeft(run)
  }, 300_000)

  it('when the command alone is interrupted (the demo may see that before its own Ctrl-C), stops as if interrupted', async () => {
    const run = startDemo()
    await waitFor(run, /\n\$ ssokit generate --sso-session northwind --dry-run/)
    // Freeze the demo's process group until the command has started, then end the command while the demo cannot
    // see its own signals: the demo learns of the interruption only from the command's exit.
    const group = -run.child.pid!
    let command: number | undefined
    for (let tries = 0; tries <= 200; tries++) {
      process.kill(group, 'SIGSTOP')
      command = childrenOf(run.child.pid!).find((pid) => commandLine(pid).includes(' generate '))
      if (command !== undefined) break
      process.kill(group, 'SIGCONT')
      await new Promise((resolve) => {
        setTimeout(resolve, 5)
      })
    }

    if (command === undefined) process.kill(group, 'SIGKILL')
    expect(command, run.output()).toBeDefined()
    process.kill(command!, 'SIGINT')
    process.kill(command!, 'SIGCONT')
    while (processState(command!) !== 'Z' && processState(command!) !== undefined) {
      await new Promise((resolve) => {
        setTimeout(resolve, 20)
      })
    }

    process.kill(group, 'SIGCONT')
    expect(await run.exited, run.output()).toBe(130)
    expect(run.output()).toMatch(/Interrupted \(SIGINT\)/)
    await expectNothingLeft(run)
  }, 300_000)

  it('on SIGTERM to the demo alone while moto starts, waits for moto and stops it', async () => {
    const run = startDemo()
    await waitFor(run, /Starting moto/)
    process.kill(run.child.pid!, 'SIGTERM')
    expect(await run.exited, run.output()).toBe(143)
    await expectNothingLeft(run)
  }, 120_000)
})
