/**
 * `npm run demo`: every ssokit command against a made-up organization, with no AWS account. It starts moto and
 * the test suite's sign-in and portal emulator on free loopback ports, seeds "Northwind" (demo/organization.ts),
 * and runs the built CLI as a user would, in a temporary HOME, printing each command before its output.
 * Nothing is left behind — files, processes, ports — also on Ctrl-C (SIGINT), SIGTERM or SIGHUP.
 *
 * Runs from a clone of the repository (it uses test/support/, which the npm package does not ship) and needs
 * python3 with moto, as the test suite does.
 */
import {Config} from '@oclif/core'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {shellWord} from '../src/shell.js'
import {INSTALL_HINT, motoAvailability} from '../test/support/moto.js'
import {accountIndex, ENGINEER} from './organization.js'
import {DemoServices, type Services} from './services.js'
import {type Actor, startingConfig, type Step, tourSteps} from './steps.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
const SIGNAL_EXIT: Record<string, number> = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143}

/**
 * A command of the tour ended by a terminal's signal. The demo then stops as if it had been signalled itself, as
 * shells do for their foreground job: its own signal may be handled after the command's exit (each can reach a
 * different thread of this process), so the order of the two cannot decide how the demo ends.
 */
class CommandInterrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`)
  }
}

function signalOf(code: null | number, signal: NodeJS.Signals | null): NodeJS.Signals | undefined {
  if (signal && signal in SIGNAL_EXIT) return signal
  return Object.entries(SIGNAL_EXIT).find(([, exit]) => exit === code)?.[0] as NodeJS.Signals | undefined
}

const USAGE = `Usage: npm run demo [-- [--keep] [--flow pkce|device-code]]

Runs every ssokit command against a local, made-up organization (moto and an emulator of the AWS sign-in and
portal services), in a temporary HOME. Nothing touches AWS or your ~/.aws.

  --keep              keep the demo's folder (config, token cache, snapshots, the HTML report) and print its path
  --flow pkce|device-code
                      the login flow (default: what ssokit login picks on this machine)
`

const color = process.stdout.isTTY && !process.env.NO_COLOR
const bold = (text: string) => (color ? `\u001B[1m${text}\u001B[22m` : text)
const dim = (text: string) => (color ? `\u001B[2m${text}\u001B[22m` : text)
const say = (text: string) => process.stdout.write(text + '\n')

/** The demo's own sentences, wrapped to the terminal (at most 100 columns); commands and outputs are left as they are. */
function wrap(text: string, width = Math.min(process.stdout.columns || 100, 100)): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }

  return [...lines, line].join('\n')
}

class Tour {
  private child?: ChildProcess
  private cleaning?: Promise<void>
  private readonly dir: string
  private readonly home: string
  private interrupted = false
  private readonly services = new DemoServices()

  constructor(private readonly options: {flow?: string; keep: boolean}) {
    this.dir = mkdtempSync(join(tmpdir(), 'ssokit-demo-'))
    this.home = join(this.dir, 'home')
    mkdirSync(join(this.home, '.aws'), {mode: 0o700, recursive: true})
  }

  /** Ends the running command, stops both services and removes the folder (unless --keep); once. */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      await Promise.all([stopChild(this.child), this.services.stop()])
      if (this.options.keep) say(`\nThe demo's files are in ${this.home} (moto and the emulator are stopped).`)
      else rmSync(this.dir, {force: true, recursive: true})
    })()
    return this.cleaning
  }

  interrupt(): void {
    this.interrupted = true
  }

  async run(): Promise<void> {
    say(bold('ssokit demo: a made-up organization on this machine, no AWS account needed.'))
    say(dim(`Starting moto and the sign-in emulator on 127.0.0.1, seeding "Northwind" (a dozen accounts)…`))
    const services = await this.services.start()
    if (this.interrupted) return
    say(
      dim(
        `moto: ${services.endpoints.AWS_ENDPOINT_URL}  sign-in and portal emulator: ${services.endpoints.AWS_ENDPOINT_URL_SSO}  HOME: ${this.home}`,
      ),
    )
    const development = services.seeded.memberAccountIds[accountIndex('Development')]
    writeFileSync(
      join(this.home, '.aws', 'config'),
      startingConfig({developmentAccountId: development, startUrl: services.startUrl}),
      {mode: 0o600},
    )
    const steps = tourSteps({
      developmentProfile: 'Development.PowerUserAccess',
      flow: this.options.flow,
      stagingAccountId: services.seeded.memberAccountIds[accountIndex('Staging')],
      startUrl: services.startUrl,
    })
    for (const [index, step] of steps.entries()) {
      if (this.interrupted) return
      await this.runStep(index + 1, step, services)
    }

    if (this.interrupted) return
    await this.otherCommands(steps)
  }

  private env(actor: Actor, services: Services): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {}
    // Nothing of the user's AWS set-up reaches the demo: no AWS_* or SSOKIT_* variables, no proxy, no XDG folders.
    for (const [name, value] of Object.entries(process.env)) {
      if (/^(AWS_|SSOKIT_|XDG_)/.test(name) || /^(https?|all|no)_proxy$/i.test(name)) continue
      env[name] = value
    }

    Object.assign(env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      HOME: this.home,
      USERPROFILE: this.home,
      XDG_CACHE_HOME: join(this.home, '.cache'),
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      XDG_STATE_HOME: join(this.home, '.local', 'state'),
      ...services.endpoints,
    })
    if (actor === 'admin')
      Object.assign(env, {AWS_ACCESS_KEY_ID: 'testing', AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'testing'})
    return env
  }

  /** The commands the tour did not run, from the CLI's own command list: a new command shows here by itself. */
  private async otherCommands(steps: Step[]): Promise<void> {
    const config = await Config.load({root: ROOT})
    const shown = new Set(steps.map((s) => commandId(s.argv, config)))
    const others = config.commands.filter((c) => !c.hidden && !shown.has(c.id)).sort((a, b) => a.id.localeCompare(b.id))
    say(`\n${bold('Also in ssokit')} (ssokit <command> --help for each):`)
    const width = Math.max(...others.map((c) => c.id.length))
    for (const command of others) {
      const id = command.id.replaceAll(':', ' ')
      const summary = command.summary ?? command.description?.split('\n')[0] ?? ''
      say(`  ${id.padEnd(width)}  ${summary.replaceAll('<%= config.bin %>', 'ssokit')}`)
    }

    say(`\nThat was the whole tour. Try it on your own organization: ssokit discover, then ssokit login.`)
  }

  /** Forwards the login's messages and, once it prints the sign-in URL, approves the sign-in as the engineer. */
  private playBrowser(child: ChildProcess): void {
    let text = ''
    let approved = false
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      process.stderr.write(chunk)
      text += chunk
      const url = /^ {2}(https?:\/\/\S+)$/m.exec(text)?.[1]
      if (!url || approved) return
      approved = true
      say(dim(`(The demo opens that URL as a browser would, signs in as ${ENGINEER} and approves.)`))
      this.services.signIn(url).catch((error: unknown) => {
        process.stderr.write(`The demo could not approve the sign-in: ${String(error)}\n`)
      })
    })
  }

  private async runStep(number: number, step: Step, services: Services): Promise<void> {
    say('\n' + wrap(`${number}. ${step.say}`).replace(`${number}.`, bold(`${number}.`)))
    if (step.before === 'change-organization') await this.services.change(services)
    say(bold(`$ ssokit ${step.argv.map(shellWord).join(' ')}${step.quiet ? ' > /dev/null' : ''}`))
    const child = spawn(process.execPath, [BIN, ...step.argv], {
      cwd: this.home,
      env: this.env(step.as, services),
      stdio: ['ignore', step.quiet ? 'ignore' : 'inherit', step.signIn ? 'pipe' : 'inherit'],
    })
    this.child = child
    if (step.signIn) this.playBrowser(child)
    const [code, signal] = await new Promise<[null | number, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (exit, killedBy) => resolve([exit, killedBy]))
    })
    this.child = undefined
    if (this.interrupted) return
    const expected = step.exits ?? [0]
    const interruptedBy = expected.includes(code ?? -1) ? undefined : signalOf(code, signal)
    if (interruptedBy) throw new CommandInterrupted(interruptedBy)
    if (code !== 0) say(dim(`(exit ${code})`))
    if (code === null || !expected.includes(code))
      throw new Error(`ssokit ${step.argv.join(' ')} exited ${code}; the demo expected ${expected.join(' or ')}`)
  }
}

function commandId(argv: string[], config: Config): string {
  const words = argv.filter((a) => !a.startsWith('-'))
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':')
    if (config.findCommand(id)) return id
  }

  return argv[0]
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('close', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 3000).unref()
  })
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {flow: {type: 'string'}, help: {short: 'h', type: 'boolean'}, keep: {type: 'boolean'}},
  })
  if (values.help) {
    process.stdout.write(USAGE)
    return
  }

  if (values.flow !== undefined && !['device-code', 'pkce'].includes(values.flow)) {
    process.stderr.write(`--flow: pkce or device-code, not ${values.flow}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }

  const moto = motoAvailability()
  if (!moto.available) {
    process.stderr.write(
      `The demo needs moto, the AWS emulator the tests use (python3 -m moto.server): ${moto.reason}.\n` +
        `Install it with: ${INSTALL_HINT}\n`,
    )
    process.exitCode = 1
    return
  }

  if (!existsSync(join(ROOT, 'dist', 'commands'))) {
    process.stderr.write('The demo runs the built CLI: run npm run build first (npm run demo does).\n')
    process.exitCode = 1
    return
  }

  // The seeding's own SDK clients would warn that SDK releases from 2027 need Node 22 (ssokit's commands say nothing).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  const tour = new Tour({flow: values.flow, keep: Boolean(values.keep)})
  let exiting = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (exiting) return
    exiting = true
    tour.interrupt()
    process.stderr.write(`\nInterrupted (${signal}): stopping moto and the emulator, removing the demo's files.\n`)
    tour.cleanup().finally(() => process.exit(SIGNAL_EXIT[signal] ?? 130))
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal)
  try {
    await tour.run()
  } catch (error) {
    if (error instanceof CommandInterrupted) onSignal(error.signal)
    if (exiting) return
    process.stderr.write(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }

  if (exiting) return
  await tour.cleanup()
  process.exit()
}

await main()
