import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const FIXTURES = fileURLToPath(new URL('../../fixtures/explain/', import.meta.url))

export interface PublicCase {
  /** `expect.<field>: value` lines; `-` means the field must be absent. */
  expect: Record<string, string>
  file: string
  source: string
  text: string
  tool: string
}

/** The texts collected from public threads: a header (source, tool, expect…), `---`, then the text verbatim. */
export function publicCases(): PublicCase[] {
  const dir = join(FIXTURES, 'public')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8')
      const split = raw.indexOf('\n---\n')
      const header = raw.slice(0, split).split('\n')
      const fields = Object.fromEntries(
        header.map((line) => {
          const colon = line.indexOf(': ')
          return [line.slice(0, colon), line.slice(colon + 2)]
        }),
      )
      const expect: Record<string, string> = {category: fields.expect}
      for (const [key, value] of Object.entries(fields))
        if (key.startsWith('expect.')) expect[key.slice('expect.'.length)] = value
      return {expect, file, source: fields.source, text: raw.slice(split + 5).replace(/\n$/, ''), tool: fields.tool}
    })
}

export interface JsonCase {
  [field: string]: unknown
  expect: string
  loginFixes: boolean
  text: string
}

export function jsonCases(name: 'seeds' | 'spec' | 'unknown'): {cases: JsonCase[]; source: string} {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'))
}
