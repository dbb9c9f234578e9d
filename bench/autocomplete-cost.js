// `node bench/autocomplete-cost.js` (after `npm run build`): what @oclif/plugin-autocomplete adds to startup. The
// same built CLI runs twice, as it is and from a copy of the project root whose package.json lists no
// autocomplete plugin (dist/ and node_modules/ linked), in turns so both see the same machine load.
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {bigConfig, medianOfEach} from './startup.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ssokit-bench-autocomplete-'))
try {
  const bare = join(dir, 'root')
  mkdirSync(join(bare, 'bin'), {recursive: true})
  copyFileSync(join(ROOT, 'bin', 'run.js'), join(bare, 'bin', 'run.js'))
  for (const entry of ['dist', 'node_modules', 'oclif.manifest.json']) symlinkSync(join(ROOT, entry), join(bare, entry))
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  manifest.oclif.plugins = manifest.oclif.plugins.filter((p) => p !== '@oclif/plugin-autocomplete')
  writeFileSync(join(bare, 'package.json'), JSON.stringify(manifest))

  const config = join(dir, 'config')
  writeFileSync(config, bigConfig(2000))
  const env = {...process.env, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), HOME: dir}
  const bins = {with: join(ROOT, 'bin', 'run.js'), without: join(bare, 'bin', 'run.js')}
  const commands = {'node -e 0': [process.execPath, ['-e', '0']]}
  for (const [name, bin] of Object.entries(bins)) {
    commands[`--version ${name}`] = [process.execPath, [bin, '--version'], env]
    commands[`--help ${name}`] = [process.execPath, [bin, '--help'], env]
    commands[`profiles ${name}`] = [process.execPath, [bin, 'profiles'], env]
    commands[`lint (2,000 profiles) ${name}`] = [process.execPath, [bin, 'lint'], env]
  }

  const runs = Number(process.env.RUNS ?? 15)
  const medianMs = medianOfEach(commands, {runs})
  const node = medianMs['node -e 0']
  const ratioToNode = Object.fromEntries(
    Object.entries(medianMs).map(([name, ms]) => [name, Math.round((ms / node) * 100) / 100]),
  )
  console.log(JSON.stringify({machine: {node: process.version}, medianMs, ratioToNode, runs}, null, 2))
} finally {
  rmSync(dir, {force: true, recursive: true})
}
