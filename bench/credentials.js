// Benchmark of `ssokit credential-process`, which every AWS command of a credential_process profile runs: a warm
// call (ssokit's role cache holds the credentials), a cold call (token good, credentials not cached: one
// GetRoleCredentials request), and the full command without the cache (what every call cost before), timed in
// turns with `node -e 0` so that every command sees the same load. The portal is a local stub in its own process
// that counts requests. Needs the built CLI (`npm run build`).
//
// `node bench/credentials.js` prints the result as JSON; `benchCredentials()` returns it.
import {spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {get} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {bigConfig} from './startup.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const PROFILES = Number(process.env.BENCH_CREDENTIALS_PROFILES ?? 2000)

/** A portal that answers GetRoleCredentials and counts the requests (GET /count). */
const STUB = `
const {createServer} = require('node:http')
let requests = 0
const server = createServer((req, res) => {
  if (req.url === '/count') return res.end(String(requests))
  requests++
  res.writeHead(200, {'content-type': 'application/json'})
  res.end(JSON.stringify({roleCredentials: {accessKeyId: 'ASIABENCH' + requests, secretAccessKey: 'bench-secret-' + requests,
    sessionToken: 'bench-session-token-' + requests, expiration: Date.now() + 3600e3}}))
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

function startStub() {
  const child = spawn(process.execPath, ['-e', STUB], {stdio: ['ignore', 'pipe', 'inherit']})
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve({child, url: `http://127.0.0.1:${Number(String(d))}`}))
    child.once('error', reject)
  })
}

const awsTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

function median(list) {
  const sorted = [...list].sort((a, b) => a - b)
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10
}

export async function benchCredentials({runs = 15, warmup = 3} = {}) {
  const home = mkdtempSync(join(tmpdir(), 'ssokit-bench-creds-'))
  const config = join(home, 'config')
  writeFileSync(config, bigConfig(PROFILES))
  // A config edited a while ago, as users' are: ssokit remembers profiles only of files older than 2 s.
  const past = new Date(Date.now() - 3600e3)
  utimesSync(config, past, past)
  const cacheDir = join(home, '.aws', 'sso', 'cache')
  mkdirSync(cacheDir, {mode: 0o700, recursive: true})
  writeFileSync(
    join(cacheDir, `${createHash('sha1').update('corp').digest('hex')}.json`),
    JSON.stringify({
      accessToken: 'bench-access-token',
      expiresAt: awsTime(Date.now() + 8 * 3600e3),
      region: 'us-east-1',
      startUrl: 'https://d-1234567890.awsapps.com/start',
    }),
    {mode: 0o600},
  )
  const stub = await startStub()
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('SSOKIT_')),
  )
  Object.assign(env, {
    AWS_CONFIG_FILE: config,
    AWS_ENDPOINT_URL_SSO: stub.url,
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    HOME: home,
    NODE_NO_WARNINGS: '1',
  })
  const args = [BIN, 'credential-process', '--profile', 'account-0.AdministratorAccess']
  const roleCache = join(home, '.aws', 'sso', 'ssokit', 'credentials')
  const commands = {
    node: {args: ['-e', '0']},
    warm: {args},
    cold: {args, before: () => rmSync(roleCache, {force: true, recursive: true})},
    full: {args: [...args, '--no-cache']},
  }
  const count = () =>
    new Promise((resolve, reject) => {
      get(`${stub.url}/count`, (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve(Number(body)))
      }).once('error', reject)
    })
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
  const requests = Object.fromEntries(Object.keys(commands).map((name) => [name, 0]))
  try {
    for (let i = 0; i < warmup + runs; i++) {
      for (const [name, command] of Object.entries(commands)) {
        command.before?.()
        const before = await count()
        const start = process.hrtime.bigint()
        const run = spawnSync(process.execPath, command.args, {env, stdio: ['ignore', 'ignore', 'pipe']})
        const ms = Number(process.hrtime.bigint() - start) / 1e6
        if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr}`)
        if (i >= warmup) {
          times[name].push(ms)
          requests[name] += (await count()) - before
        }
      }
    }
  } finally {
    stub.child.kill()
    rmSync(home, {force: true, recursive: true})
  }

  const medians = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]))
  const ratio = (ms) => Math.round((ms / medians.node) * 100) / 100
  return {
    medianMs: {
      'node -e 0': medians.node,
      'credential-process, cold (token good, credentials not cached)': medians.cold,
      'credential-process, full command (--no-cache)': medians.full,
      'credential-process, warm (cached)': medians.warm,
    },
    profilesInConfig: PROFILES + 1,
    ratioToNode: {
      'credential-process, cold (token good, credentials not cached)': ratio(medians.cold),
      'credential-process, full command (--no-cache)': ratio(medians.full),
      'credential-process, warm (cached)': ratio(medians.warm),
    },
    requestsPerCall: {
      cold: requests.cold / runs,
      full: requests.full / runs,
      warm: requests.warm / runs,
    },
    runs,
    targets: {'credential-process, cold': 3, 'credential-process, warm': 1.5},
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = spawnSync(process.execPath, [BIN, '--version'])
  if (check.status !== 0) throw new Error('Build first: npm run build')
  console.log(JSON.stringify(await benchCredentials(), null, 2))
}
