// `npm run -s bench`: builds, then runs every benchmark and prints one JSON document on stdout (the build's
// output goes to stderr; -s keeps npm's own banner off stdout).
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const build = spawnSync('npm', ['run', '--silent', 'build'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: ['ignore', process.stderr, process.stderr],
})
if (build.status !== 0) process.exit(build.status ?? 1)

const results = {machine: {cpus: (await import('node:os')).cpus().length, node: process.version}}
const {benchStartup} = await import('./startup.js')
results.startup = await benchStartup()
for (const [name, file, fn] of [
  ['discover', './discover.js', 'benchDiscover'],
  ['generate', './generate.js', 'benchGenerate'],
  ['scale', './scale.js', 'benchScale'],
  ['credentials', './credentials.js', 'benchCredentials'],
  ['discoverLarge', './large.js', 'benchLarge'],
]) {
  if (!existsSync(fileURLToPath(new URL(file, import.meta.url)))) continue
  try {
    results[name] = await (await import(file))[fn]()
  } catch (error) {
    results[name] = {error: String(error?.message ?? error)}
    process.exitCode = 1
  }
}

console.log(JSON.stringify(results, null, 2))
