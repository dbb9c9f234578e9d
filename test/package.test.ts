/**
 * The npm package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a temporary prefix, then
 * the installed `ssokit` run from an empty folder with nothing on PATH but Node. The tarball is packed from the
 * tree `npm test` has just built (--ignore-scripts: its prepack would rebuild dist/ under the other tests' feet).
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {isBuiltin} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import ts from 'typescript'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ROOT} from './support/cli.js'

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  version: string
}

let work: string
let tarball: string
let packed: string[]
let unpacked: string
let prefix: string

function npm(args: string[], cwd: string): {status: null | number; stderr: string; stdout: string} {
  const run = spawnSync('npm', args, {cwd, encoding: 'utf8', env: {...process.env, npm_config_loglevel: 'error'}})
  if (run.error) throw run.error
  return run
}

/** The installed ssokit, as a user would run it: an empty folder, PATH holding only Node and the prefix's bin. */
function ssokit(
  args: string[],
  options: {home: string},
): Promise<{code: null | number; stderr: string; stdout: string}> {
  const nodeOnly = join(work, 'node-only')
  mkdirSync(nodeOnly, {recursive: true})
  try {
    symlinkSync(process.execPath, join(nodeOnly, 'node'))
  } catch {
    // made by an earlier call
  }

  const cwd = mkdtempSync(join(work, 'cwd-'))
  return new Promise((resolve, reject) => {
    const child = spawn(join(prefix, 'bin', 'ssokit'), args, {
      cwd,
      env: {HOME: options.home, PATH: `${nodeOnly}:${join(prefix, 'bin')}`},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr, stdout}))
  })
}

/** Every bare module specifier a file imports (statically, dynamically or through a re-export), as TypeScript's scanner reads it. */
function importsOf(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => !spec.startsWith('.') && !spec.startsWith('/') && !isBuiltin(spec))
}

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ssokit-package-'))
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)
  expect(pack.status, pack.stderr).toBe(0)
  const [info] = JSON.parse(pack.stdout) as Array<{filename: string; files: Array<{path: string}>}>
  tarball = join(work, info.filename)
  packed = info.files.map((f) => f.path).sort()
  unpacked = join(work, 'unpacked')
  mkdirSync(unpacked)
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], {encoding: 'utf8'})
  expect(untar.status, untar.stderr).toBe(0)
  prefix = join(work, 'prefix')
})

afterAll(() => {
  if (work) rmSync(work, {force: true, recursive: true})
})

describe('npm pack', () => {
  it('ships the built CLI, the oclif manifest, LICENSE, README and CHANGELOG, and nothing for developers', () => {
    for (const file of ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/run.js', 'oclif.manifest.json', 'package.json'])
      expect(packed).toContain(file)
    const forDevelopers = packed.filter(
      (f) =>
        /^(\.ci|bench|demo|docs|src|test|tmp)\//.test(f) ||
        /^(tsconfig|eslint|vitest)/.test(f) ||
        f === 'bin/dev.js' ||
        (f.endsWith('.ts') && f !== 'dist/index.d.ts'),
    )
    expect(forDevelopers).toEqual([])
    // dist/ holds JavaScript, plus the one declaration file package.json's "types" names.
    expect(packed.filter((f) => f.startsWith('dist/') && !f.endsWith('.js'))).toEqual(['dist/index.d.ts'])
    expect(packed.some((f) => f.startsWith('dist/commands/'))).toBe(true)
    expect(readFileSync(join(unpacked, 'package', 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} the ssokit authors\n/,
    )
    const shipped = JSON.parse(readFileSync(join(unpacked, 'package', 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>
      version: string
    }
    expect(shipped.version).toBe(manifest.version)
    expect(Object.keys(shipped.commands)).toContain('doctor:explain')
  })

  it('has no file that imports a dev dependency (or anything package.json does not depend on)', () => {
    const files = filesUnder(join(unpacked, 'package')).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
    expect(files.length).toBeGreaterThan(50)
    const outside = new Map<string, string[]>()
    for (const file of files) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (packageOf(spec) in manifest.dependencies) continue
        outside.set(packageOf(spec), [...(outside.get(packageOf(spec)) ?? []), file.slice(unpacked.length + 9)])
      }
    }

    expect(Object.fromEntries(outside)).toEqual({})
    // The development entry point (it needs tsx) is not in the package.
    expect(packed).not.toContain('bin/dev.js')
    expect(importsOf(readFileSync(join(ROOT, 'bin', 'dev.js'), 'utf8'))).toEqual(['@oclif/core'])
  })
})

describe('npm install -g of the tarball', () => {
  beforeAll(() => {
    const install = npm(
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
      work,
    )
    expect(install.status, install.stderr).toBe(0)
  }, 240_000)

  it('installs no dev dependency', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'ssokit')
    expect(statSync(join(installed, 'oclif.manifest.json')).isFile()).toBe(true)
    const modules = readdirSync(join(installed, 'node_modules'))
    for (const tool of ['eslint', 'oclif', 'tsx', 'typescript', 'vitest']) expect(modules).not.toContain(tool)
  })

  it('runs --version, --help, lint, doctor explain and the completion script with only Node on PATH', async () => {
    const home = mkdtempSync(join(work, 'home-'))
    mkdirSync(join(home, '.aws'))
    writeFileSync(
      join(home, '.aws', 'config'),
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n',
    )

    const version = await ssokit(['--version'], {home})
    expect(version.stdout).toMatch(new RegExp(`^ssokit/${manifest.version.replaceAll('.', String.raw`\.`)} `))

    const help = await ssokit(['--help'], {home})
    expect(help.code).toBe(0)
    expect(help.stderr).toBe('') // e.g. no "Mismatched version in ssokit plugin manifest"
    for (const command of ['discover', 'generate', 'lint', 'login', 'doctor', 'autocomplete'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))

    const lint = await ssokit(['lint'], {home})
    expect(lint.stderr).toBe('')
    expect(lint.stdout).toMatch(/error +missing-sso-session/)
    expect(lint.code).toBe(1)

    const explain = await ssokit(['doctor', 'explain', 'Token has expired and refresh failed', '--json'], {home})
    expect(explain.stderr).toBe('')
    expect(JSON.parse(explain.stdout)).toMatchObject({category: 'sso-login-required', loginFixes: true})
    expect(explain.code).toBe(0)

    const completion = await ssokit(['autocomplete', 'script', 'bash'], {home})
    expect(completion.stdout).toMatch(/SSOKIT_AC_BASH_SETUP_PATH=/)
    expect(completion.code).toBe(0)
  }, 120_000)
})
