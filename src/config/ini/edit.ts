/**
 * Edits of a document that touch only the lines they name: every other line keeps its bytes, its line
 * ending included. Each edit returns a new document (re-parsed, so line numbers and structure stay right).
 */
import {type IniDocument, dominantEol, linesToText, parseDocument} from './document.js'

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
  if (after.length === 0 && end === document.lines.length && document.lines.at(-1)?.eol === '' && middle.endsWith(eol)) {
    middle = middle.slice(0, -eol.length)
  }

  return reparse(document, head + middle + linesToText(after))
}

export function replaceLine(document: IniDocument, index: number, text: string): IniDocument {
  const lines = document.lines.slice()
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
