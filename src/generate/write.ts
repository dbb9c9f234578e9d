/** The read-merge-write cycle of `ssokit generate`, under ssokit's lock so concurrent runs never lose a block. */
import {createTwoFilesPatch} from 'diff'
import {readFile} from 'node:fs/promises'

import {parseDocument, printDocument} from '../config/ini/document.js'
import {loadFile} from '../config/load.js'
import {sectionsOf} from '../config/model.js'
import {withFileLock, writeFileSafely} from '../config/write.js'
import {type GenerateInput, type GenerateReport, applyGenerate} from './apply.js'

export interface GenerateOutcome {
  /** Unified diff of the change ('' when nothing changes). */
  diff: string
  report: GenerateReport
  written: boolean
}

export interface GenerateIntoFileOptions {
  configFile: string
  credentialsFile: string
  /** Asked with the diff before writing; false keeps the file as it is. */
  confirm: (diff: string, report: GenerateReport) => Promise<boolean>
  dryRun: boolean
  input: Omit<GenerateInput, 'document' | 'otherProfileNames'>
}

export async function generateIntoFile(options: GenerateIntoFileOptions): Promise<GenerateOutcome> {
  const cycle = async (): Promise<GenerateOutcome> => {
    const before = await readFile(options.configFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    const credentials = await loadFile(options.credentialsFile, 'credentials')
    const otherProfileNames = new Set(credentials.document ? sectionsOf(credentials.document).map((s) => s.name) : [])
    const document = parseDocument(before ?? Buffer.alloc(0), 'config')
    const {document: next, report} = applyGenerate({...options.input, document, otherProfileNames})
    const after = printDocument(next)
    const diff = report.changed ? createTwoFilesPatch(options.configFile, options.configFile, (before ?? Buffer.alloc(0)).toString('utf8'), after.toString('utf8'), 'before', 'after') : ''
    if (options.dryRun || !report.changed) return {diff, report, written: false}
    if (!(await options.confirm(diff, report))) return {diff, report, written: false}
    await writeFileSafely(options.configFile, after, {backupPath: `${options.configFile}.ssokit.bak`, newFileMode: 0o600})
    return {diff, report, written: true}
  }

  return options.dryRun ? cycle() : withFileLock(options.configFile, cycle)
}
