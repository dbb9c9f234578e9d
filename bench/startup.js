// Startup and lint benchmark: median wall time of whole processes, as a user or an agent sees them.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** A config with one sso-session and `count` sso-session profiles, plus the usual noise of a real file. */
export function bigConfig(count) {
  const lines = [
    '# generated for the ssokit benchmark',
    '[default]',
    'region = us-east-1',
    'output = json',
    '',
    '[sso-session corp]',
    'sso_start_url = https://d-1234567890.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_registration_scopes = sso:account:access',
    '',
  ]
  for (let i = 0; i < count; i++) {
    lines.push(
      `[profile account-${i}.AdministratorAccess]`,
      'sso_session = corp',
      `sso_account_id = ${String(100_000_000_000 + i)}`,
      'sso_role_name = AdministratorAccess',
      'region = eu-west-1',
      '',
    )
  }

  return lines.join('\n')
}

function timeOnce(command, args, env) {
  const start = process.hrtime.bigint()
  const run = spawnSync(command, args, {env, stdio: ['ignore', 'ignore', 'pipe']})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stderr}`)
  return ms
}

function median(times) {
  const sorted = [...times].sort((a, b) => a - b)
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10
}

export function medianMs(command, args, {env = process.env, runs = 15, warmup = 3} = {}) {
  return medianOfEach({only: [command, args, env]}, {runs, warmup}).only
}

/**
 * Median wall time of each named command, run in turns (A B C A B C …) so that every command sees the same
 * machine load: the ratios stay meaningful on a busy machine.
 */
export function medianOfEach(commands, {runs = 15, warmup = 3} = {}) {
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, [command, args, env]] of Object.entries(commands)) {
      const ms = timeOnce(command, args, env ?? process.env)
      if (i >= warmup) times[name].push(ms)
    }
  }

  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]))
}

export async function benchStartup({runs = 15} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-bench-'))
  const config = join(dir, 'config')
  writeFileSync(config, bigConfig(2000))
  const env = {
    ...process.env,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    HOME: dir,
  }
  const medians = medianOfEach(
    {
      help: [process.execPath, [BIN, '--help'], env],
      lint: [process.execPath, [BIN, 'lint'], env],
      node: [process.execPath, ['-e', '0']],
      version: [process.execPath, [BIN, '--version'], env],
    },
    {runs},
  )
  const {help, lint, node, version} = medians
  const ratio = (ms) => Math.round((ms / node) * 100) / 100
  return {
    medianMs: {
      'node -e 0': node,
      'ssokit --help': help,
      'ssokit --version': version,
      'ssokit lint (2,000 profiles)': lint,
    },
    ratioToNode: {
      'ssokit --help': ratio(help),
      'ssokit --version': ratio(version),
      'ssokit lint (2,000 profiles)': ratio(lint),
    },
    runs,
    targets: {'ssokit --version': 3, 'ssokit lint (2,000 profiles)': 4},
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchStartup(), null, 2))
