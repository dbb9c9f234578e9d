/**
 * Edits of a document that touch only the lines they name: every other line keeps its bytes, its line
 * ending included. Each edit returns a new document with its line numbers and structure up to date.
 */
import {
  addedLine,
  documentWith,
  dominantEol,
  type IniDocument,
  type IniLine,
  movedLine,
  printedLines,
  type PropertyNode,
  type SectionNode,
  withBom,
} from './document.js'

/**
 * Lines [start, end) (0-based indexes) replaced by `lines`: texts without line endings, or one text of lines joined
 * with `\n` (a generated block of thousands of lines is kept as the one string it was rendered as).
 */
export interface LineEdit {
  end: number
  lines: string | string[]
  start: number
}

/** New lines in place of old ones, as one text joined with `\n`: each line ends with `eol`, the last with `lastEol`. */
interface NewLines {
  eol: IniLine['eol']
  lastEol: IniLine['eol']
  text: string
}

/** An edited file: old lines kept (index ranges) and new lines, in file order. */
interface EditPlan {
  /** The old last line, had it no line ending, when new lines follow it: it gets one. */
  endedLine?: number
  eol: '\n' | '\r\n'
  pieces: Array<NewLines | {from: number; to: number}>
}

/**
 * Applies line edits (sorted, not overlapping). Untouched lines keep their objects and bytes, and new lines
 * end like the last line they replace (or with the file's usual line ending); a file that ended without a final
 * newline keeps it that way. The result is printed from the plan, and its lines (new ones classified) and
 * structure are built only when something reads them: generate writes thousands of lines that nothing inspects.
 */
export function editLines(document: IniDocument, edits: LineEdit[], options: {finalEol?: boolean} = {}): IniDocument {
  const plan = planEdits(document, edits, options)
  return documentWith(document, () => planLines(document.lines, plan), {text: () => planText(document, plan)})
}

function planEdits(document: IniDocument, edits: LineEdit[], options: {finalEol?: boolean}): EditPlan {
  const {lines} = document
  const plan: EditPlan = {eol: dominantEol(document), pieces: []}
  const {eol, pieces} = plan
  let cursor = 0
  for (const edit of edits) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > lines.length) {
      throw new RangeError(`line edits must be sorted and within the file: [${edit.start}, ${edit.end})`)
    }

    const text = joinedNewLines(edit.lines)
    if (edit.start > cursor) pieces.push({from: cursor, to: edit.start})
    if (text !== undefined) {
      endWhatPrecedes(plan, lines)
      const replacedEol = edit.end > edit.start ? lines[edit.end - 1].eol : ''
      const atEnd = !options.finalEol && edit.end === lines.length && lines.at(-1)?.eol === ''
      pieces.push({eol: replacedEol || eol, lastEol: atEnd ? '' : replacedEol || eol, text})
    }

    cursor = edit.end
  }

  if (cursor < lines.length) pieces.push({from: cursor, to: lines.length})
  dropEmptyLastLine(pieces)
  return plan
}

/** The new lines as one text joined with `\n`; undefined for none. */
function joinedNewLines(lines: LineEdit['lines']): string | undefined {
  // A value can never become a line of its own: callers validate values (src/config/values.ts); this is the
  // last guard, on the edit's text at once.
  const text = typeof lines === 'string' ? lines : lines.length > 0 ? lines.join('\n') : undefined
  if (text?.includes('\r') || (typeof lines !== 'string' && lines.some((line) => line.includes('\n'))))
    throw new Error('a new line of the file contains a line break')
  return text
}

/** Text inserted after a last line that had no line ending needs one in between. */
function endWhatPrecedes(plan: EditPlan, lines: IniLine[]): void {
  const previous = plan.pieces.at(-1)
  if (!previous) return
  if ('text' in previous) {
    if (previous.lastEol === '') previous.lastEol = plan.eol
  } else if (lines[previous.to - 1].eol === '') {
    plan.endedLine = previous.to - 1
  }
}

/** An empty last line without a line ending is no line at all (parsing the printed bytes would not find it). */
function dropEmptyLastLine(pieces: EditPlan['pieces']): void {
  const last = pieces.at(-1)
  if (!last || !('text' in last) || last.lastEol !== '') return
  if (last.text === '') pieces.pop()
  else if (last.text.endsWith('\n')) {
    last.text = last.text.slice(0, -1)
    last.lastEol = last.eol
  }
}

function planLines(lines: IniLine[], plan: EditPlan): IniLine[] {
  const out: IniLine[] = []
  for (const piece of plan.pieces) {
    if ('text' in piece) {
      const texts = piece.text.split('\n')
      for (let i = 0; i < texts.length; i++)
        out.push(addedLine(texts[i], i === texts.length - 1 ? piece.lastEol : piece.eol, out.length + 1))
      continue
    }

    for (let i = piece.from; i < piece.to; i++) {
      const line = lines[i]
      const eol = i === plan.endedLine ? plan.eol : line.eol
      out.push(line.number === out.length + 1 && eol === line.eol ? line : movedLine(line, eol, out.length + 1))
    }
  }

  return out
}

function planText(document: IniDocument, plan: EditPlan): string {
  let out = ''
  for (const piece of plan.pieces) {
    // Kept lines are cut from the file's text in one piece.
    out +=
      'text' in piece
        ? (piece.eol === '\n' ? piece.text : piece.text.replaceAll('\n', piece.eol)) + piece.lastEol
        : printedLines(document, piece.from, piece.to) + (piece.to - 1 === plan.endedLine ? plan.eol : '')
  }

  return out
}

/** Replaces lines [start, end) (0-based indexes) with new lines. */
export function replaceLines(
  document: IniDocument,
  start: number,
  end: number,
  newLines: LineEdit['lines'],
): IniDocument {
  return editLines(document, [{end, lines: newLines, start}])
}

export function replaceLine(document: IniDocument, index: number, text: string): IniDocument {
  return editLines(document, [{end: index + 1, lines: [text], start: index}])
}

/** Appends lines at the end of the file, separated from existing content by one blank line. */
export function appendLines(document: IniDocument, newLines: LineEdit['lines']): IniDocument {
  const last = document.lines.at(-1)
  const separate = last !== undefined && last.kind !== 'blank'
  const at = document.lines.length
  const lines =
    typeof newLines === 'string' ? (separate ? `\n${newLines}` : newLines) : separate ? ['', ...newLines] : newLines
  // Appended lines always end with a line ending, also in a file whose last line had none.
  return editLines(document, [{end: at, lines, start: at}], {finalEol: true})
}

export function withoutBom(document: IniDocument): IniDocument {
  return withBom(document, false)
}

/** The last section with this header text (a file with duplicates is a lint error; edits go to the last one). */
export function findSection(document: IniDocument, header: string): SectionNode | undefined {
  return document.sections.findLast((s) => s.name === header)
}

function findProperty(section: SectionNode, key: string): PropertyNode | undefined {
  const name = key.toLowerCase()
  return section.properties.findLast((p) => p.key.toLowerCase() === name)
}

/**
 * Sets `key = value` in the section with this header: the key's own lines are replaced (with its nested block,
 * if any), or a new line goes after the section's last key, indented like it. A missing section is appended.
 */
export function setKey(document: IniDocument, header: string, key: string, value: string): IniDocument {
  const section = findSection(document, header)
  if (!section) return addSection(document, header, [[key, value]])
  const existing = findProperty(section, key)
  if (existing) {
    const indent = existing.line.text.slice(0, existing.line.indent)
    return replaceLines(document, existing.startIndex, existing.endIndex + 1, [`${indent}${existing.key} = ${value}`])
  }

  const last = section.properties.at(-1)
  const at = last ? last.endIndex + 1 : section.startIndex + 1
  const indent = last ? last.line.text.slice(0, last.line.indent) : ''
  return replaceLines(document, at, at, [`${indent}${key} = ${value}`])
}

/** Removes a key (and its nested block) from the section with this header; the document as it was if absent. */
export function removeKey(document: IniDocument, header: string, key: string): IniDocument {
  const section = findSection(document, header)
  const existing = section && findProperty(section, key)
  return existing ? replaceLines(document, existing.startIndex, existing.endIndex + 1, []) : document
}

/** Appends `[header]` with its keys at the end of the file, after a blank line. */
export function addSection(document: IniDocument, header: string, entries: Array<[string, string]>): IniDocument {
  return appendLines(document, [`[${header}]`, ...entries.map(([k, v]) => `${k} = ${v}`)])
}

/**
 * Replaces the section with this header (its header and keys; comments and blank lines after its last key stay,
 * since they usually introduce what follows), or appends it when it does not exist.
 */
export function replaceSection(document: IniDocument, header: string, entries: Array<[string, string]>): IniDocument {
  const section = findSection(document, header)
  if (!section) return addSection(document, header, entries)
  const end = (section.properties.at(-1)?.endIndex ?? section.startIndex) + 1
  return replaceLines(document, section.startIndex, end, [`[${header}]`, ...entries.map(([k, v]) => `${k} = ${v}`)])
}
