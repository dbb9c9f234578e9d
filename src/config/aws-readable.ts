/**
 * Whether the AWS CLI can read a config file at all. ssokit refuses (exit 3) to add to a file it cannot: the part
 * outside ssokit's own blocks is not UTF-8 text (UTF-16, binary, NUL bytes), or botocore rejects it as a whole
 * ("Unable to parse config file"). Writing into it would mix encodings, or hide the new settings behind the error.
 * The check is botocore's own reading of that part (./readings/botocore.ts, checked against real botocore by the
 * tests), so it says exactly what the AWS CLI would.
 */
import {BadInputError} from '../errors.js'
import {type IniDocument, type IniLine, printedLines} from './ini/document.js'
import {findManagedBlocks, type ManagedBlock} from './managed-blocks.js'
import {botocoreReadFile} from './readings/botocore.js'

/** The first line that makes the file unreadable for the AWS CLI, and why; undefined when it reads the file. */
export function awsCliRejection(
  document: IniDocument,
  blocks: ManagedBlock[] = findManagedBlocks(document),
): undefined | {line: number; why: string} {
  // The lines outside closed blocks, as ranges [from, to): their text is cut from the file at once.
  const ranges: Array<[number, number]> = []
  let from = 0
  for (const block of blocks) {
    if (block.endIndex === undefined) continue
    if (block.startIndex > from) ranges.push([from, block.startIndex])
    from = block.endIndex + 1
  }

  if (from < document.lines.length) ranges.push([from, document.lines.length])
  const text = ranges.map(([start, end]) => printedLines(document, start, end)).join('')
  const outside = () => ranges.flatMap(([start, end]) => document.lines.slice(start, end))
  if (text.includes('\u0000')) {
    return {
      line: outside().find((l) => l.text.includes('\u0000'))!.number,
      why: 'holds NUL bytes (a binary or UTF-16 file?)',
    }
  }

  if (document.encoding !== 'utf8') return {line: firstNonUtf8(outside()) ?? 1, why: 'is not UTF-8 text'}
  if (document.bom) return {line: 1, why: 'starts with a UTF-8 byte-order mark'}
  const reading = botocoreReadFile(text, {acceptsOnly: true})
  if (reading.ok) return undefined
  // botocore also ends a line at a lone `\r`; map its line number back through ours.
  let botocoreLine = 0
  const line = outside().find((l) => {
    botocoreLine += 1 + (l.text.match(/\r/g)?.length ?? 0)
    return botocoreLine >= reading.error.line
  })
  return {line: line?.number ?? reading.error.line, why: `makes botocore raise ${reading.error.kind}`}
}

/** Throws bad input (exit 3), naming the line and pointing at `ssokit lint`, when the AWS CLI cannot read the file. */
export function refuseUnlessAwsCliReads(document: IniDocument, blocks?: ManagedBlock[]): void {
  const rejection = awsCliRejection(document, blocks)
  if (!rejection) return
  throw new BadInputError(
    `Not writing to the config: line ${rejection.line} ${rejection.why}, so the AWS CLI cannot read the file ("Unable to parse config file") and what ssokit adds would not work either. Nothing was written.`,
    'CONFIG_UNREADABLE_BY_AWS',
    {
      suggestions: [
        'Run `ssokit lint` to see what is wrong (`ssokit lint --fix` repairs some of it), or run again with --force to write anyway.',
      ],
    },
  )
}

/** A latin1-decoded document's first line that is not valid UTF-8. */
function firstNonUtf8(lines: IniLine[]): number | undefined {
  const decoder = new TextDecoder('utf8', {fatal: true})
  return lines.find((l) => {
    try {
      decoder.decode(Buffer.from(l.text, 'latin1'))
      return false
    } catch {
      return true
    }
  })?.number
}
