// `npm run bench`: every benchmark, one JSON document on stdout. Needs `npm run build` (the script does it).
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const results = {machine: {cpus: (await import('node:os')).cpus().length, node: process.version}}
const {benchStartup} = await import('./startup.js')
results.startup = await benchStartup()
for (const [name, file, fn] of [['discover', './discover.js', 'benchDiscover'], ['generate', './generate.js', 'benchGenerate']]) {
  if (!existsSync(fileURLToPath(new URL(file, import.meta.url)))) continue
  try {
    results[name] = await (await import(file))[fn]()
  } catch (error) {
    results[name] = {error: String(error?.message ?? error)}
    process.exitCode = 1
  }
}

console.log(JSON.stringify(results, null, 2))
