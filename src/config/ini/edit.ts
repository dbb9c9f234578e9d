/**
 * Edits of a document that touch only the lines they name: every other line keeps its bytes, its line
 * ending included. Each edit returns a new document with its line numbers and structure up to date.
 */
import {
  classifyLine,
  dominantEol,
  type IniDocument,
  type IniLine,
  type PropertyNode,
  type SectionNode,
  structure,
} from './document.js'

/** Lines [start, end) (0-based indexes) replaced by `lines` (text without line endings). */
export interface LineEdit {
  end: number
  lines: string[]
  start: number
}

/**
 * Applies line edits (sorted, not overlapping) in one pass. Untouched lines keep their objects and bytes; only
 * the new lines are classified, and the structure is rebuilt from the lines, so an edit costs about the size of
 * the file, not of a re-parse. New lines end like the last line they replace (or with the file's usual line
 * ending), and a file that ended without a final newline keeps it that way.
 */
export function editLines(document: IniDocument, edits: LineEdit[], options: {finalEol?: boolean} = {}): IniDocument {
  const {lines} = document
  const eol = dominantEol(document)
  const out: IniLine[] = []
  let cursor = 0
  for (const edit of edits) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > lines.length) {
      throw new RangeError(`line edits must be sorted and within the file: [${edit.start}, ${edit.end})`)
    }

    for (let i = cursor; i < edit.start; i++) out.push(lines[i])
    // Text inserted after a last line that had no line ending needs one in between.
    if (edit.lines.length > 0 && out.length > 0 && out.at(-1)!.eol === '') out[out.length - 1] = {...out.at(-1)!, eol}
    const replacedEol = edit.end > edit.start ? lines[edit.end - 1].eol : ''
    const atEnd = !options.finalEol && edit.end === lines.length && lines.at(-1)?.eol === ''
    for (let i = 0; i < edit.lines.length; i++) {
      const text = edit.lines[i]
      // A value can never become a line of its own: callers validate values (src/config/values.ts); this is the
      // last guard.
      if (text.includes('\n') || text.includes('\r')) throw new Error('a new line of the file contains a line break')
      const last = i === edit.lines.length - 1
      out.push(classifyLine(text, last && atEnd ? '' : replacedEol || eol, out.length + 1))
    }

    cursor = edit.end
  }

  for (let i = cursor; i < lines.length; i++) out.push(lines[i])
  // An empty last line without a line ending is no line at all (parsing the printed bytes would not find it).
  if (out.length > 0 && out.at(-1)!.text === '' && out.at(-1)!.eol === '') out.pop()
  for (let i = 0; i < out.length; i++) if (out[i].number !== i + 1) out[i] = {...out[i], number: i + 1}
  return {...document, lines: out, ...structure(out)}
}

/** Replaces lines [start, end) (0-based indexes) with new lines. */
export function replaceLines(document: IniDocument, start: number, end: number, newLines: string[]): IniDocument {
  return editLines(document, [{end, lines: newLines, start}])
}

export function replaceLine(document: IniDocument, index: number, text: string): IniDocument {
  return editLines(document, [{end: index + 1, lines: [text], start: index}])
}

/** Appends lines at the end of the file, separated from existing content by one blank line. */
export function appendLines(document: IniDocument, newLines: string[]): IniDocument {
  const last = document.lines.at(-1)
  const separator = last && last.kind !== 'blank' ? [''] : []
  const at = document.lines.length
  // Appended lines always end with a line ending, also in a file whose last line had none.
  return editLines(document, [{end: at, lines: [...separator, ...newLines], start: at}], {finalEol: true})
}

export function withoutBom(document: IniDocument): IniDocument {
  return {...document, bom: false}
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
