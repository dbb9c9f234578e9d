// Generate benchmark: 5,000 profiles into a 2,000-line existing config, then a re-run that changes nothing.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {medianMs} from './startup.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** A discover snapshot with `accounts` accounts and `roles` permission sets assigned on each. */
export function bigSnapshot(accounts, roles) {
  const psArn = (i) => `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-${String(i).padStart(16, '0')}`
  return {
    accounts: Array.from({length: accounts}, (_, i) => ({email: `a${i}@example.com`, id: String(100_000_000_000 + i), name: `Account ${i} (team ${i % 17})`, status: 'ACTIVE'})),
    assignments: Array.from({length: accounts * roles}, (_, k) => ({accountId: String(100_000_000_000 + Math.floor(k / roles)), permissionSetArn: psArn(k % roles), principalId: 'g-1', principalType: 'GROUP'})),
    caller: {account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/bench'},
    generatedAt: '2026-11-22T00:00:00Z',
    instances: [{identityStoreId: 'd-1234567890', instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', name: null, ownerAccountId: '123456789012', region: 'us-east-1', startUrl: 'https://d-1234567890.awsapps.com/start', startUrlSource: 'default', status: 'ACTIVE'}],
    permissionSets: Array.from({length: roles}, (_, i) => ({arn: psArn(i), description: null, name: `Role${i}`, sessionDuration: 'PT1H'})),
    searchedRegions: ['us-east-1'],
    stats: {durationMs: 0, requests: 0, throttled: 0},
    version: 1,
    warnings: [],
  }
}

function existingConfig(lines) {
  const out = ['# hand-written profiles', '[default]', 'region = us-east-1', '']
  for (let i = 0; out.length < lines; i++) out.push(`[profile hand-${i}]`, `role_arn = arn:aws:iam::111122223333:role/R${i}`, 'source_profile = default', '# a comment', '')
  return out.slice(0, lines).join('\n') + '\n'
}

export async function benchGenerate({runs = 7} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-bench-gen-'))
  const snapshot = join(dir, 'snapshot.json')
  writeFileSync(snapshot, JSON.stringify(bigSnapshot(1250, 4)))
  const config = join(dir, 'config')
  const original = existingConfig(2000)
  const env = {...process.env, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir}
  const args = [BIN, 'generate', '--sso-session', 'corp', '--from', snapshot, '--yes']
  const node = medianMs(process.execPath, ['-e', '0'], {runs})
  // Each timed run of the first generate starts from the original file.
  const firstTimes = []
  for (let i = 0; i < runs; i++) {
    writeFileSync(config, original)
    firstTimes.push(medianMs(process.execPath, args, {env, runs: 1, warmup: 0}))
  }

  firstTimes.sort((a, b) => a - b)
  const first = firstTimes[Math.floor(firstTimes.length / 2)]
  const profiles = (readFileSync(config, 'utf8').match(/^\[profile Account/gm) ?? []).length
  if (profiles !== 5000) throw new Error(`expected 5000 generated profiles, found ${profiles}`)
  const rerun = medianMs(process.execPath, args, {env, runs})
  const ratio = (ms) => Math.round((ms / node) * 100) / 100
  return {
    configLinesBefore: 2000,
    medianMs: {'generate 5,000 profiles': first, 'node -e 0': node, 're-run, no changes': rerun},
    profiles,
    ratioToNode: {'generate 5,000 profiles': ratio(first), 're-run, no changes': ratio(rerun)},
    runs,
    target: 4,
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchGenerate(), null, 2))
