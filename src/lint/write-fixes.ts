import type {FixOutcome} from './fix.js'
import type {LintContext} from './types.js'

import {printDocument} from '../config/ini/document.js'
import {readRegularFile, withFileLock, writeFileSafely} from '../config/write.js'
import {WriteRefusedError} from '../errors.js'

/**
 * Writes the fixed files: under ssokit's lock, only if nobody changed the file since we read it, atomically,
 * with the previous content kept as `<file>.ssokit.bak`. Returns the files written and their backups.
 */
export async function writeFixes(
  original: LintContext,
  outcome: FixOutcome,
  options: {force?: boolean} = {},
): Promise<Array<{backupPath?: string; path: string}>> {
  const written: Array<{backupPath?: string; path: string}> = []
  for (const kind of outcome.changed) {
    const before = original[kind].document!
    const after = outcome.context[kind].document!
    const {path} = original[kind]
    // One file at a time: a refusal on the first leaves the second as it was.
    // eslint-disable-next-line no-await-in-loop
    const {backupPath} = await withFileLock(path, async () => {
      const current = await readRegularFile(path, `${kind} file`)
      if (!current?.equals(printDocument(before))) {
        throw new WriteRefusedError(
          `${path} changed while ssokit was fixing it; nothing was written. Run ssokit lint --fix again.`,
          'FILE_CHANGED',
        )
      }

      return writeFileSafely(path, printDocument(after), {backupPath: `${path}.ssokit.bak`, force: options.force})
    })
    written.push({backupPath, path})
  }

  return written
}
