/** The read-merge-write cycle of `ssokit generate`, under ssokit's lock so concurrent runs never lose a block. */
import {loadFile} from '../config/load.js'
import {sectionsOf} from '../config/model.js'
import {readRegularFile, withFileLock, writeFileSafely} from '../config/write.js'
import {applyGenerate, type GenerateInput, type GenerateReport} from './apply.js'
import {loadTransliterator} from './naming.js'

export interface GenerateOutcome {
  /** The backup of the previous file, when there was one and it was written over. */
  backupPath?: string
  /** Unified diff of the change ('' when nothing changes); computed only when asked for. */
  diff: () => Promise<string>
  report: GenerateReport
  written: boolean
}

export interface GenerateIntoFileOptions {
  configFile: string
  /** Asked before writing (with the diff, computed on demand); false keeps the file as it is. */
  confirm: (diff: () => Promise<string>, report: GenerateReport) => Promise<boolean>
  credentialsFile: string
  dryRun: boolean
  input: Omit<GenerateInput, 'config' | 'otherProfileNames'>
}

export async function generateIntoFile(options: GenerateIntoFileOptions): Promise<GenerateOutcome> {
  const {entitlements, nameTemplate} = options.input
  const transliterate = await loadTransliterator([nameTemplate, ...entitlements.map((e) => e.accountName)])
  const compute = async () => {
    const before = await readConfig(options.configFile)
    const credentials = await loadFile(options.credentialsFile, 'credentials')
    const otherProfileNames = new Set(credentials.document ? sectionsOf(credentials.document).map((s) => s.name) : [])
    const input = {...options.input, config: before ?? Buffer.alloc(0), otherProfileNames, transliterate}
    return {before, ...applyGenerate(input)}
  }

  const outcome = (result: Awaited<ReturnType<typeof compute>>, written: boolean): GenerateOutcome => ({
    diff: lazyDiff(options.configFile, result.before, result.bytes, result.report.changed),
    report: result.report,
    written,
  })
  // Compute without the lock: a run that changes nothing (the common re-run) never waits for or takes it.
  const first = await compute()
  if (options.dryRun || !first.report.changed) return outcome(first, false)
  return withFileLock(options.configFile, async () => {
    // Another process may have written since we read: then merge again into what is there now.
    const now = await readConfig(options.configFile)
    const result = sameBytes(now, first.before) ? first : await compute()
    if (!result.report.changed || !(await options.confirm(outcome(result, false).diff, result.report)))
      return outcome(result, false)
    const written = await writeFileSafely(options.configFile, result.bytes, {
      backupPath: `${options.configFile}.ssokit.bak`,
      force: options.input.force,
      newFileMode: 0o600,
    })
    return {...outcome(result, true), backupPath: written.backupPath}
  })
}

async function readConfig(path: string): Promise<Buffer | undefined> {
  return readRegularFile(path, 'config file')
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b)
}

/** The unified diff, computed (and the diff library loaded) only when someone asks for it. */
function lazyDiff(path: string, before: Buffer | undefined, after: Buffer, changed: boolean): () => Promise<string> {
  let patch: Promise<string> | undefined
  return () => {
    patch ??= changed
      ? import('diff').then(({createTwoFilesPatch}) =>
          createTwoFilesPatch(
            path,
            path,
            (before ?? Buffer.alloc(0)).toString('utf8'),
            after.toString('utf8'),
            'before',
            'after',
          ),
        )
      : Promise.resolve('')
    return patch
  }
}
