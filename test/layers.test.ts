/**
 * The layout of src/ as the README's "How the code is laid out" describes it, checked on every file's imports:
 * commands → features (discovery, generate, lint, sso, doctor, report) → config and aws; render is for the
 * commands; nothing below the command layer knows oclif; the config engine never reaches the network; all output
 * goes through the base command. (The lazy loading of the AWS SDK is checked in test/aws/lazy-imports.test.ts.)
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** Every module a file imports (static and dynamic), relative ones resolved to a path under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1])
  return specifiers.map((s) =>
    s.startsWith('.') ? relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))) : s,
  )
}

const files = sourceFiles(SRC).map((path) => ({
  imports: importsOf(path),
  path: relative(SRC, path),
  text: readFileSync(path, 'utf8'),
}))
const layer = (path: string) => path.split('/')[0].replace(/\.ts$/, '')
/** The command layer: commands, their base class, their shared flag definitions, oclif hooks, the package entry. */
const COMMAND_LAYER = new Set(['base-command', 'commands', 'flags', 'hooks', 'index'])
const FEATURES = new Set(['discovery', 'doctor', 'generate', 'lint', 'report', 'sso'])

describe('the layers of src/', () => {
  it('has files in every layer it checks (the walker sees the tree)', () => {
    for (const name of ['commands', 'config', 'aws', 'sso', 'lint', 'render']) {
      expect(
        files.some((f) => layer(f.path) === name),
        name,
      ).toBe(true)
    }
  })

  it('keeps oclif in the command layer', () => {
    const offenders = files.filter(
      (f) => !COMMAND_LAYER.has(layer(f.path)) && f.imports.some((i) => i.startsWith('@oclif/')),
    )
    expect(offenders.map((f) => f.path)).toEqual([])
  })

  it('keeps the config engine off the network and out of the features', () => {
    const offenders = files
      .filter((f) => layer(f.path) === 'config')
      .flatMap((f) =>
        f.imports
          .filter(
            (i) =>
              i.startsWith('@aws-sdk/') ||
              (!i.startsWith('config/') && ['aws', 'commands', 'render', ...FEATURES].includes(layer(i))),
          )
          .map((i) => `${f.path} → ${i}`),
      )
    expect(offenders).toEqual([])
  })

  it('keeps the AWS layer below the features', () => {
    const offenders = files
      .filter((f) => layer(f.path) === 'aws')
      .flatMap((f) =>
        f.imports.filter((i) => ['commands', 'render', ...FEATURES].includes(layer(i))).map((i) => `${f.path} → ${i}`),
      )
    expect(offenders).toEqual([])
  })

  it('lets nothing but the command layer import commands', () => {
    const offenders = files
      .filter((f) => !COMMAND_LAYER.has(layer(f.path)))
      .flatMap((f) =>
        f.imports.filter((i) => COMMAND_LAYER.has(layer(i)) && !i.startsWith('@')).map((i) => `${f.path} → ${i}`),
      )
    expect(offenders).toEqual([])
  })

  it('sends all output through the base command', () => {
    const offenders = files.filter(
      (f) => f.path !== 'base-command.ts' && /process\.(stdout|stderr)\.write/.test(f.text),
    )
    expect(offenders.map((f) => f.path)).toEqual([])
  })

  it('cites what a reader of the repository can open, not the design notes it started from', () => {
    const offenders = files.filter((f) => /design\.md|aws-config-spec|spec §/.test(f.text))
    expect(offenders.map((f) => f.path)).toEqual([])
  })
})
