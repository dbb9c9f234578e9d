// Scale benchmark: the sizes that once grew with the square of the input or overflowed the stack (20,000 profiles
// as a table, 150,000 sections, one section of 200,000 keys linted and fixed). Whole processes, timed in turns
// with `node -e 0` so that every command sees the same load; each figure is the fastest of its turns (load only
// ever slows a long command down). `BENCH_SCALE_RUNS` sets the turns (default 1, to keep `npm run bench` short; 3 for steadier figures).
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {bigConfig} from './startup.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

function sections(count) {
  const lines = []
  for (let i = 0; i < count; i++) lines.push(`[profile p${i}]`, 'region = us-east-1')
  return lines.join('\n') + '\n'
}

/** One [default] section with `count` keys another tool writes, in capitals: one fixable finding per key. */
function wideSection(count) {
  const lines = ['[default]']
  for (let i = 0; i < count; i++) lines.push(`Granted_Key_${i} = 3`)
  return lines.join('\n') + '\n'
}

export async function benchScale({runs = Number(process.env.BENCH_SCALE_RUNS ?? 1)} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-bench-scale-'))
  const file = (name, text) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }

  const files = {
    p5k: file('profiles-5000', bigConfig(5000)),
    p20k: file('profiles-20000', bigConfig(20_000)),
    s150k: file('sections-150000', sections(150_000)),
    wide: file('keys-200000', wideSection(200_000)),
  }
  const fixTarget = join(dir, 'keys-200000-fix')
  const env = {...process.env, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir}
  const commands = {
    'node -e 0': [['-e', '0']],
    'profiles, 5,000 profiles (table)': [[BIN, 'profiles'], files.p5k],
    'profiles, 20,000 profiles (table)': [[BIN, 'profiles'], files.p20k],
    'profiles --json, 150,000 sections': [[BIN, 'profiles', '--json'], files.s150k],
    'lint, one section of 200,000 keys': [[BIN, 'lint'], files.wide],
    'lint --fix, one section of 200,000 keys': [
      [BIN, 'lint', '--fix'],
      fixTarget,
      () => copyFileSync(files.wide, fixTarget),
    ],
  }
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
  for (let i = 0; i < runs; i++) {
    for (const [name, [argv, config, reset]] of Object.entries(commands)) {
      reset?.()
      const start = process.hrtime.bigint()
      const run = spawnSync(process.execPath, argv, {
        env: config ? {...env, AWS_CONFIG_FILE: config} : env,
        maxBuffer: 1024 * 1024 * 1024,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      if (run.status !== 0 && run.status !== 1) throw new Error(`${name} exited ${run.status}: ${run.stderr}`)
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6)
    }
  }

  const fastest = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, Math.round(Math.min(...list))]))
  const node = fastest['node -e 0']
  const ms = (name) => fastest[name] - node
  return {
    fastestMs: fastest,
    // Four times the profiles: linear work gives at most 4 (start-up is the same for both); the square gave 11.
    growth: {
      'profiles table, 20,000 vs 5,000 profiles':
        Math.round((ms('profiles, 20,000 profiles (table)') / ms('profiles, 5,000 profiles (table)')) * 100) / 100,
    },
    ratioToNode: Object.fromEntries(
      Object.entries(fastest)
        .filter(([name]) => name !== 'node -e 0')
        .map(([name, value]) => [name, Math.round((value / node) * 100) / 100]),
    ),
    runs,
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchScale(), null, 2))
