/** insecure-permissions: secrets readable by other users. */
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {Check} from '../types.js'

import {RULE_TEXTS} from '../messages.js'

export const permissionRules: Check = async (context, report) => {
  if (context.credentials.document) {
    const mode = await modeOf(context.credentials.path)
    if (mode !== undefined && (mode & 0o077) !== 0) {
      report({
        file: 'credentials',
        line: 1,
        message: RULE_TEXTS['insecure-permissions'].credentialsFile(
          (mode & 0o007) === 0 ? 'group' : 'others',
          octal(mode),
          context.credentials.path,
        ),
        rule: 'insecure-permissions',
      })
    }
  }

  if (!context.tokenCacheDir) return
  const names = await readdir(context.tokenCacheDir).catch(() => [] as string[])
  const loose: string[] = []
  const files = names.filter((n) => n.endsWith('.json')).sort()
  const modes = await Promise.all(files.map((name) => modeOf(join(context.tokenCacheDir!, name))))
  for (const [i, name] of files.entries()) {
    const mode = modes[i]
    if (mode !== undefined && (mode & 0o077) !== 0) loose.push(`${name} (${octal(mode)})`)
  }

  if (loose.length > 0) {
    report({
      file: 'config',
      line: 1,
      message: RULE_TEXTS['insecure-permissions'].tokenCache(
        context.tokenCacheDir,
        loose,
        join(context.tokenCacheDir, '*.json'),
      ),
      path: context.tokenCacheDir,
      rule: 'insecure-permissions',
    })
  }
}

async function modeOf(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.mode
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0')
}
