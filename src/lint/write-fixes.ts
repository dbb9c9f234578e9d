import {readFile} from 'node:fs/promises'

import type {FixOutcome} from './fix.js'
import type {LintContext} from './types.js'

import {printDocument} from '../config/ini/document.js'
import {withFileLock, writeFileSafely} from '../config/write.js'
import {WriteRefusedError} from '../errors.js'

/**
 * Writes the fixed files: under ssokit's lock, only if nobody changed the file since we read it, atomically,
 * with the previous content kept as `<file>.ssokit.bak`. Returns the paths written.
 */
export async function writeFixes(original: LintContext, outcome: FixOutcome): Promise<string[]> {
  const written: string[] = []
  for (const kind of outcome.changed) {
    const before = original[kind].document!
    const after = outcome.context[kind].document!
    const {path} = original[kind]
    // One file at a time: a refusal on the first leaves the second as it was.
    // eslint-disable-next-line no-await-in-loop
    await withFileLock(path, async () => {
      const current = await readFile(path)
      if (!current.equals(printDocument(before))) {
        throw new WriteRefusedError(
          `${path} changed while ssokit was fixing it; nothing was written. Run ssokit lint --fix again.`,
          'FILE_CHANGED',
        )
      }

      await writeFileSafely(path, printDocument(after), {backupPath: `${path}.ssokit.bak`})
    })
    written.push(path)
  }

  return written
}
