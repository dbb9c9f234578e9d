import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

/** Modules reached from `file` through static, value (not `import type`) imports. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    const specifier = match[1]
    if (specifier.startsWith('.')) staticImports(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen)
    else seen.add(specifier)
  }

  return seen
}

describe('lazy AWS SDK loading', () => {
  it('keeps the SDK out of the discover command module and of the snapshot reader', () => {
    for (const entry of [
      'commands/discover.ts',
      'commands/report.ts',
      'commands/diff.ts',
      'discovery/snapshot.ts',
      'discovery/start-url.ts',
    ]) {
      const reached = [...staticImports(resolve(SRC, entry))]
      expect(
        reached.filter((m) => m.startsWith('@aws-sdk/') || m.startsWith('@smithy/') || m.startsWith('csv-')),
        entry,
      ).toEqual([])
    }
  })

  it('keeps the SDK out of doctor explain (it never calls the network) and of the lint it runs on demand', () => {
    const command = [...staticImports(resolve(SRC, 'commands/doctor/explain.ts'))]
    expect(command.some((m) => m.endsWith('doctor/explain/explain.ts'))).toBe(true)
    for (const entry of ['commands/doctor/explain.ts', 'doctor/explain/explain.ts', 'lint/run.ts']) {
      const reached = [...staticImports(resolve(SRC, entry))]
      expect(
        reached.filter((m) => m.startsWith('@aws-sdk/') || m.startsWith('@smithy/')),
        entry,
      ).toEqual([])
    }
  })

  it('keeps the SDK out of the doctor command and its checks (doctor --offline loads none: test/commands/doctor.test.ts runs it)', () => {
    for (const entry of ['commands/doctor/index.ts', 'commands/status.ts', 'sso/verify.ts']) {
      const reached = [...staticImports(resolve(SRC, entry))]
      expect(
        reached.filter((m) => m.startsWith('@aws-sdk/') || m.startsWith('@smithy/')),
        entry,
      ).toEqual([])
    }
  })

  it('would notice a static SDK import in the chain (the walker follows relative imports)', () => {
    const reached = [...staticImports(resolve(SRC, 'discovery/run.ts'))]
    expect(reached).toContain('p-limit')
    expect(reached.some((m) => m.endsWith('aws/clients.ts'))).toBe(true)
  })
})
