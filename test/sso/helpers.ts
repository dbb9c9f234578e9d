import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'vitest'

import type {CompleteSsoTarget} from '../../src/sso/target.js'
import type {SsoEmulator} from '../support/sso-emulator.js'

import {BIN, type CliResult, runCli} from '../support/cli.js'

export const START_URL = 'https://d-1234567890.awsapps.com/start'

/** The legacy profile `old` of {@link standardConfig}, as a login target. */
export const LEGACY_TARGET: CompleteSsoTarget = {
  kind: 'legacy',
  loginCommand: 'ssokit login --profile old',
  name: START_URL,
  profiles: ['old'],
  region: 'us-east-1',
  roles: [],
  startUrl: START_URL,
  tokenKey: {startUrl: START_URL},
}

export interface TempHome {
  cacheDir: string
  configFile: string
  /** HOME and the config paths, for a child process. */
  env: Record<string, string>
  home: string
  writeConfig(text: string): void
}

/** A fresh home folder with an empty `.aws`, so that tests in one file do not see each other's tokens. */
export function tempHome(): TempHome {
  const home = mkdtempSync(join(tmpdir(), 'ssokit-sso-'))
  mkdirSync(join(home, '.aws'), {mode: 0o700})
  const configFile = join(home, '.aws', 'config')
  return {
    cacheDir: join(home, '.aws', 'sso', 'cache'),
    configFile,
    env: {
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      HOME: home,
      USERPROFILE: home,
    },
    home,
    writeConfig(text: string) {
      writeFileSync(configFile, text, {mode: 0o600})
    },
  }
}

/** A config with one sso-session `corp`, a profile `dev` using it, and a legacy profile `old`. */
export function standardConfig(startUrl = START_URL): string {
  return `[sso-session corp]
sso_start_url = ${startUrl}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-west-1

[profile old]
sso_start_url = ${startUrl}
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = AdministratorAccess
`
}

/**
 * Every CLI run of a test file, so that the file can check at the end that no secret the emulator handed out
 * (tokens, client secrets, role credentials) ever reached an output. credential-process's stdout is the one
 * place role credentials belong, and it is checked for tokens only.
 */
export class OutputLog {
  private readonly entries: Array<{args: string[]; result: CliResult}> = []

  get size(): number {
    return this.entries.length
  }

  add(args: string[], result: CliResult): CliResult {
    this.entries.push({args, result})
    return result
  }

  expectNoSecrets(emulator: SsoEmulator): void {
    const {roleCredentials, tokens} = emulator.issuedSecrets()
    expect(tokens.length).toBeGreaterThan(0)
    for (const {args, result} of this.entries) {
      const credentialStdout = args[0] === 'credential-process'
      for (const secret of tokens) {
        expect(result.stdout, `stdout of ${args.join(' ')}`).not.toContain(secret)
        expect(result.stderr, `stderr of ${args.join(' ')}`).not.toContain(secret)
      }

      for (const secret of roleCredentials) {
        if (!credentialStdout) expect(result.stdout, `stdout of ${args.join(' ')}`).not.toContain(secret)
        expect(result.stderr, `stderr of ${args.join(' ')}`).not.toContain(secret)
      }
    }
  }
}

/** Runs the built CLI with a home and the emulator's endpoints, and logs the run. */
export async function ssokit(
  log: OutputLog,
  args: string[],
  env: Record<string, string>,
  options: {timeoutMs?: number} = {},
): Promise<CliResult> {
  return log.add(args, await runCli(args, {env, timeoutMs: options.timeoutMs}))
}

let pythonChecked: null | string | undefined = null

/**
 * Why python3 with botocore cannot be used here, or undefined when it can. With CI set, a missing botocore is a
 * failure (a CI run must never pass without them); elsewhere the caller skips with this reason.
 */
export function botocoreUnavailable(): string | undefined {
  if (pythonChecked !== null) return pythonChecked
  const probe = spawnSync('python3', ['-c', 'import botocore, sys; sys.stdout.write(botocore.__version__)'], {
    encoding: 'utf8',
  })
  pythonChecked =
    probe.status === 0
      ? undefined
      : `python3 with botocore is not available (${probe.error?.message ?? probe.stderr.trim()})`
  if (pythonChecked && process.env.CI) throw new Error(`CI is set and ${pythonChecked}`)
  return pythonChecked
}

export interface LiveCli {
  /** Resolves when the process has exited. */
  done: Promise<CliResult>
  /** Sends a signal to the process. */
  kill(signal: NodeJS.Signals): void
  /** Resolves with the first stdout line (parsed as JSON) that `match` accepts; rejects if the process ends first. */
  nextJson(match?: (json: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
  /** What the process has written to stderr so far. */
  stderr(): string
  /** Resolves once stderr contains `text`. */
  stderrContains(text: string): Promise<void>
}

/**
 * Starts the built CLI and lets the test act while it runs (read the authorize event, play the user, send
 * Ctrl-C). The finished run is added to the log like any other.
 */
export function startCli(log: OutputLog, args: string[], env: Record<string, string>): LiveCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NODE_NO_WARNINGS: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const waiters: Array<() => void> = []
  const wake = () => {
    for (const w of waiters.splice(0)) w()
  }

  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    wake()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
    wake()
  })
  let exited = false
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      exited = true
      wake()
      resolve(log.add(args, {code: code ?? (signal ? 128 : null), stderr, stdout}))
    })
  })
  const waitFor = async <T>(check: () => T | undefined, what: string): Promise<T> => {
    for (;;) {
      const found = check()
      if (found !== undefined) return found
      if (exited)
        throw new Error(`ssokit ${args.join(' ')} exited before ${what}.\nstdout: ${stdout}\nstderr: ${stderr}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
      })
    }
  }

  return {
    done,
    kill: (signal) => child.kill(signal),
    nextJson: (match = () => true) =>
      waitFor(() => {
        for (const line of stdout.split('\n').slice(0, -1)) {
          const json = JSON.parse(line) as Record<string, unknown>
          if (match(json)) return json
        }
      }, 'the expected JSON line'),
    stderr: () => stderr,
    stderrContains: (text) =>
      waitFor(() => (stderr.includes(text) ? true : undefined), `stderr showed "${text}"`).then(() => {}),
  }
}
