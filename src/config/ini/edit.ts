/**
 * Edits of a document that touch only the lines they name: every other line keeps its bytes, its line
 * ending included. Each edit returns a new document (re-parsed, so line numbers and structure stay right).
 */
import {
  dominantEol,
  type IniDocument,
  linesToText,
  parseDocument,
  type PropertyNode,
  type SectionNode,
} from './document.js'

/** Replaces lines [start, end) (0-based indexes) with new lines of text written with the file's line ending. */
export function replaceLines(document: IniDocument, start: number, end: number, newLines: string[]): IniDocument {
  const eol = dominantEol(document)
  const before = document.lines.slice(0, start)
  const after = document.lines.slice(end)
  // Text inserted after a last line that had no line ending needs one in between.
  let head = linesToText(before)
  if (newLines.length > 0 && before.length > 0 && before.at(-1)!.eol === '') head += eol
  let middle = newLines.map((l) => l + eol).join('')
  // Keep a file that ended without a final newline that way when we replace its last lines.
  if (
    after.length === 0 &&
    end === document.lines.length &&
    document.lines.at(-1)?.eol === '' &&
    middle.endsWith(eol)
  ) {
    middle = middle.slice(0, -eol.length)
  }

  return reparse(document, head + middle + linesToText(after))
}

export function replaceLine(document: IniDocument, index: number, text: string): IniDocument {
  const lines = [...document.lines]
  lines[index] = {...lines[index], text}
  return reparse(document, linesToText(lines))
}

/** Appends lines at the end of the file, separated from existing content by one blank line. */
export function appendLines(document: IniDocument, newLines: string[]): IniDocument {
  const eol = dominantEol(document)
  let text = linesToText(document.lines)
  if (text !== '' && !text.endsWith('\n')) text += eol
  if (text !== '' && !/(\r?\n){2}$/.test(text) && document.lines.at(-1)?.kind !== 'blank') text += eol
  return reparse(document, text + newLines.map((l) => l + eol).join(''))
}

export function withoutBom(document: IniDocument): IniDocument {
  return {...document, bom: false}
}

function reparse(document: IniDocument, text: string): IniDocument {
  const next = parseDocument(text, document.kind)
  return {...next, bom: document.bom, encoding: document.encoding}
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
