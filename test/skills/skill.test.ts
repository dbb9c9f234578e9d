/**
 * skills/ssokit/SKILL.md is what coding agents load: its front matter follows the Agent Skills format
 * (agentskills.io: `name` = the folder, lower-case and hyphens, at most 64 characters; `description` at most 1,024),
 * and every ssokit command it tells an agent to run exists with the flags it uses (the oclif manifest of the build).
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

const SKILL = readFileSync(new URL('../../skills/ssokit/SKILL.md', import.meta.url), 'utf8')
const MANIFEST = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, {flags: Record<string, unknown>}>
}

function frontMatter(text: string): Record<string, string> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  if (!match) throw new Error('no front matter')
  return Object.fromEntries(
    match[1].split('\n').map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon), line.slice(colon + 1).trim()]
    }),
  )
}

/** Every `ssokit …` invocation in the skill's code (fenced blocks and inline code), up to a pipe or `--`. */
function invocations(text: string): string[][] {
  const code = [...text.matchAll(/```sh\n([\s\S]*?)```/g), ...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1])
  return code.flatMap((block) =>
    block.split('\n').flatMap((line) =>
      [...line.matchAll(/\bssokit ([^|]*)/g)].map((m) => {
        const words = m[1].trim().split(/\s+/)
        const end = words.indexOf('--')
        return end === -1 ? words : words.slice(0, end)
      }),
    ),
  )
}

describe('skills/ssokit/SKILL.md', () => {
  it('has the front matter agents load', () => {
    const {description, name} = frontMatter(SKILL)
    expect(name).toBe('ssokit')
    expect(name).toMatch(/^[a-z\d]+(-[a-z\d]+)*$/)
    expect(description.length).toBeGreaterThan(100)
    expect(description.length).toBeLessThanOrEqual(1024)
    expect(description).toMatch(/^Recover .* Use when /)
  })

  it('tells the agent to run only commands and flags that exist', () => {
    const calls = invocations(SKILL)
    expect(calls.length).toBeGreaterThan(8)
    const seen = new Set<string>()
    for (const words of calls) {
      if (words.join(' ') === '--version') continue
      const flags = words.filter((w) => w.startsWith('--'))
      const positional = words.filter((w) => !w.startsWith('-'))
      // The longest prefix of the words that names a command (`doctor explain` → `doctor:explain`).
      let id = ''
      for (let n = positional.length; n > 0 && !id; n--) {
        const candidate = positional.slice(0, n).join(':')
        if (MANIFEST.commands[candidate]) id = candidate
      }

      expect(id, words.join(' ')).not.toBe('')
      seen.add(id)
      for (const flag of flags)
        expect(Object.keys(MANIFEST.commands[id].flags), `${id} ${flag}`).toContain(flag.slice(2))
    }

    expect([...seen].sort()).toEqual(expect.arrayContaining(['doctor:explain', 'exec', 'login', 'profiles', 'status']))
  })
})
