// Generate benchmark: 5,000 profiles into a 2,000-line existing config, then a re-run that changes nothing.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** A discover snapshot with `accounts` accounts and `roles` permission sets assigned on each. */
export function bigSnapshot(accounts, roles) {
  const psArn = (i) => `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-${String(i).padStart(16, '0')}`
  return {
    accounts: Array.from({length: accounts}, (_, i) => ({
      email: `a${i}@example.com`,
      id: String(100_000_000_000 + i),
      name: `Account ${i} (team ${i % 17})`,
      status: 'ACTIVE',
    })),
    assignments: Array.from({length: accounts * roles}, (_, k) => ({
      accountId: String(100_000_000_000 + Math.floor(k / roles)),
      permissionSetArn: psArn(k % roles),
      principalId: 'g-1',
      principalType: 'GROUP',
    })),
    caller: {account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/bench'},
    generatedAt: '2026-11-22T00:00:00Z',
    instances: [
      {
        identityStoreId: 'd-1234567890',
        instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
        name: null,
        ownerAccountId: '123456789012',
        region: 'us-east-1',
        startUrl: 'https://d-1234567890.awsapps.com/start',
        startUrlSource: 'default',
        status: 'ACTIVE',
      },
    ],
    permissionSets: Array.from({length: roles}, (_, i) => ({
      arn: psArn(i),
      description: null,
      name: `Role${i}`,
      sessionDuration: 'PT1H',
    })),
    searchedRegions: ['us-east-1'],
    stats: {durationMs: 0, requests: 0, throttled: 0},
    version: 1,
    warnings: [],
  }
}

function existingConfig(lines) {
  const out = ['# hand-written profiles', '[default]', 'region = us-east-1', '']
  for (let i = 0; out.length < lines; i++)
    out.push(
      `[profile hand-${i}]`,
      `role_arn = arn:aws:iam::111122223333:role/R${i}`,
      'source_profile = default',
      '# a comment',
      '',
    )
  return out.slice(0, lines).join('\n') + '\n'
}

export async function benchGenerate({runs = 9} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-bench-gen-'))
  const snapshot = join(dir, 'snapshot.json')
  writeFileSync(snapshot, JSON.stringify(bigSnapshot(1250, 4)))
  const config = join(dir, 'config')
  const original = existingConfig(2000)
  const env = {
    ...process.env,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    HOME: dir,
  }
  const args = [BIN, 'generate', '--sso-session', 'corp', '--from', snapshot, '--yes']
  // Two files: `config` is reset to the original before each first generate; `rerunConfig` gets its block once,
  // then every timed run of it changes nothing. Commands are timed in turns so that all see the same load.
  const rerunConfig = join(dir, 'config-rerun')
  const rerunEnv = {...env, AWS_CONFIG_FILE: rerunConfig}
  writeFileSync(rerunConfig, original)
  const time = (argv, runEnv) => {
    const start = process.hrtime.bigint()
    const run = spawnSync(process.execPath, argv, {env: runEnv, stdio: ['ignore', 'ignore', 'pipe']})
    if (run.status !== 0) throw new Error(`${argv.join(' ')} exited ${run.status}: ${run.stderr}`)
    return Number(process.hrtime.bigint() - start) / 1e6
  }

  time(args, rerunEnv)
  const times = {first: [], node: [], rerun: []}
  for (let i = 0; i < runs + 2; i++) {
    writeFileSync(config, original)
    const turn = {node: time(['-e', '0'], process.env), first: time(args, env), rerun: time(args, rerunEnv)}
    if (i >= 2) for (const key of Object.keys(times)) times[key].push(turn[key])
  }

  const median = (list) => Math.round([...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] * 10) / 10
  for (const file of [config, rerunConfig]) {
    const profiles = (readFileSync(file, 'utf8').match(/^\[profile Account/gm) ?? []).length
    if (profiles !== 5000) throw new Error(`expected 5000 generated profiles in ${file}, found ${profiles}`)
  }

  const [nodeMs, first, rerun] = [median(times.node), median(times.first), median(times.rerun)]
  const ratio = (ms) => Math.round((ms / nodeMs) * 100) / 100
  return {
    configLinesBefore: 2000,
    medianMs: {'generate 5,000 profiles': first, 'node -e 0': nodeMs, 're-run, no changes': rerun},
    profiles: 5000,
    ratioToNode: {'generate 5,000 profiles': ratio(first), 're-run, no changes': ratio(rerun)},
    runs,
    target: 4,
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchGenerate(), null, 2))
