/**
 * A lossless, line-based model of an AWS config or credentials file. Every byte of the input is kept:
 * `printDocument(parseDocument(bytes))` gives back the same bytes for any input, including binary garbage.
 * Lines are classified the way botocore (the AWS CLI) sees them; the two tools' readings live in ../readings.
 */

export type FileKind = 'config' | 'credentials'

export type LineKind =
  /** Only whitespace. */
  | 'blank'
  /** `#` or `;` after optional whitespace. */
  | 'comment'
  /** `[...]`: a section header (botocore: `\[(.+)\]` at the start of the stripped line). */
  | 'invalid'
  /** `key = value` or `key: value`. */
  | 'property'
  /** Anything else: botocore cannot parse it. */
  | 'section'

export interface IniLine {
  delimiter?: ':' | '='
  /** The line ending that followed this line: `\n`, `\r\n`, or `` for a last line without one. */
  eol: '' | '\n' | '\r\n'
  /** Section header text as botocore reads it: between `[` and the last `]` of the line. */
  header?: string
  /** Count of leading whitespace characters. */
  indent: number
  key?: string
  kind: LineKind
  /** 1-based line number. */
  number: number
  /** The line without its ending (and without the byte-order mark on line 1). */
  text: string
  value?: string
}

export interface PropertyNode {
  /** Indented lines under this key: a nested block (`s3 =`) or, after a non-empty value, continuation lines. */
  children: IniLine[]
  /** Index of the last line that belongs to this property (its own line or its last child). */
  endIndex: number
  /** Key as written (trimmed, case kept). */
  key: string
  line: IniLine
  /** Index of the key's line in `document.lines`. */
  startIndex: number
  /** Value on the key's own line, trimmed (botocore keeps inline comments in it). */
  value: string
}

export interface SectionNode {
  /** Index one past the section's last line. */
  endIndex: number
  header: IniLine
  /** Header text as botocore reads it. */
  name: string
  properties: PropertyNode[]
  startIndex: number
}

export interface IniDocument {
  bom: boolean
  /** `utf8` when the bytes are valid UTF-8; otherwise `latin1`, one character per byte, so nothing is lost. */
  encoding: 'latin1' | 'utf8'
  kind: FileKind
  lines: IniLine[]
  /** Properties and other lines before the first section header. */
  preamble: {endIndex: number; properties: PropertyNode[]}
  sections: SectionNode[]
}

export function decodeConfigBytes(bytes: Uint8Array): {bom: boolean; encoding: 'latin1' | 'utf8'; text: string} {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  const body = bom ? bytes.subarray(3) : bytes
  try {
    return {bom, encoding: 'utf8', text: new TextDecoder('utf8', {fatal: true, ignoreBOM: true}).decode(body)}
  } catch {
    return {bom, encoding: 'latin1', text: Buffer.from(body).toString('latin1')}
  }
}

export function parseDocument(input: string | Uint8Array, kind: FileKind): IniDocument {
  let bom = false
  let encoding: 'latin1' | 'utf8' = 'utf8'
  let text: string
  if (typeof input === 'string') {
    bom = input.startsWith('\uFEFF')
    text = bom ? input.slice(1) : input
  } else {
    ;({bom, encoding, text} = decodeConfigBytes(input))
  }

  const lines = splitLines(text)
  return {bom, encoding, kind, lines, ...structure(lines)}
}

export function printDocument(document: IniDocument): Buffer {
  const text = (document.bom ? '\uFEFF' : '') + linesToText(document.lines)
  if (document.encoding === 'utf8') return Buffer.from(text, 'utf8')
  // latin1 documents were decoded one byte per character; a BOM was stripped from the bytes before that.
  return Buffer.concat([
    document.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
    Buffer.from(linesToText(document.lines), 'latin1'),
  ])
}

export function linesToText(lines: IniLine[]): string {
  let out = ''
  for (const line of lines) out += line.text + line.eol
  return out
}

/** The line ending most of the document uses, for lines ssokit adds. */
export function dominantEol(document: IniDocument): '\n' | '\r\n' {
  let crlf = 0
  let lf = 0
  for (const line of document.lines) {
    if (line.eol === '\r\n') crlf++
    else if (line.eol === '\n') lf++
  }

  return crlf > lf ? '\r\n' : '\n'
}

function splitLines(text: string): IniLine[] {
  const lines: IniLine[] = []
  let start = 0
  while (start < text.length) {
    const newline = text.indexOf('\n', start)
    let raw: string
    let eol: IniLine['eol']
    if (newline === -1) {
      raw = text.slice(start)
      eol = ''
      start = text.length
    } else {
      const crlf = newline > start && text[newline - 1] === '\r'
      raw = text.slice(start, crlf ? newline - 1 : newline)
      eol = crlf ? '\r\n' : '\n'
      start = newline + 1
    }

    lines.push(classifyLine(raw, eol, lines.length + 1))
  }

  return lines
}

/** Python's whitespace (`str.isspace()`, regex `\\s`), which botocore's parser strips and splits on. */
export const PY_WHITESPACE = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`

export function leadingWhitespace(text: string): number {
  let i = 0
  while (i < text.length && isPyWhitespace(text.charCodeAt(i))) i++
  return i
}

export function pythonStrip(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--
  return start === 0 && end === text.length ? text : text.slice(start, end)
}

export function pythonRstrip(text: string): string {
  let end = text.length
  while (end > 0 && isPyWhitespace(text.charCodeAt(end - 1))) end--
  return end === text.length ? text : text.slice(0, end)
}

/** Python's `str.isspace()` for one UTF-16 code unit (its whitespace is all in the BMP). */
function isPyWhitespace(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true
  if (code < 0x1c) return false
  if (code <= 0x1f) return true
  if (code < 0x85) return false
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x16_80 ||
    (code >= 0x20_00 && code <= 0x20_0a) ||
    code === 0x20_28 ||
    code === 0x20_29 ||
    code === 0x20_2f ||
    code === 0x20_5f ||
    code === 0x30_00
  )
}

export function classifyLine(text: string, eol: IniLine['eol'], number: number): IniLine {
  const indent = leadingWhitespace(text)
  const stripped = pythonStrip(text)
  const line: IniLine = {eol, indent, kind: 'invalid', number, text}
  if (stripped === '') {
    line.kind = 'blank'
  } else if (stripped.startsWith('#') || stripped.startsWith(';')) {
    line.kind = 'comment'
  } else if (stripped[0] === '[' && stripped.lastIndexOf(']') >= 2) {
    // configparser's SECTCRE `\[(?P<header>.+)\]`: greedy, so the header runs to the line's last `]`.
    line.kind = 'section'
    line.header = stripped.slice(1, stripped.lastIndexOf(']'))
  } else {
    // configparser's OPTCRE: the key is everything before the first `=` or `:`, whitespace around it dropped.
    const eq = stripped.indexOf('=')
    const colon = stripped.indexOf(':')
    const at = eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon)
    if (at > 0) {
      line.kind = 'property'
      line.key = pythonRstrip(stripped.slice(0, at))
      line.delimiter = stripped[at] as ':' | '='
      line.value = pythonStrip(stripped.slice(at + 1))
    }
  }

  return line
}

/**
 * Groups lines into sections and properties with botocore's rule: a line indented deeper than the last key
 * line belongs to that key (nested block or continuation); blank and comment lines never end a key.
 */
function structure(lines: IniLine[]): Pick<IniDocument, 'preamble' | 'sections'> {
  const sections: SectionNode[] = []
  const preamble: IniDocument['preamble'] = {endIndex: 0, properties: []}
  let {properties} = preamble
  let current: PropertyNode | undefined
  let keyIndent = 0
  for (const [index, line] of lines.entries()) {
    if (line.kind === 'blank' || line.kind === 'comment') continue
    if (current && line.indent > keyIndent) {
      current.children.push(line)
      current.endIndex = index
      continue
    }

    current = undefined
    keyIndent = line.indent
    if (line.kind === 'section') {
      if (sections.length === 0) preamble.endIndex = index
      else sections.at(-1)!.endIndex = index
      const section: SectionNode = {
        endIndex: lines.length,
        header: line,
        name: line.header!,
        properties: [],
        startIndex: index,
      }
      sections.push(section)
      properties = section.properties
    } else if (line.kind === 'property') {
      current = {children: [], endIndex: index, key: line.key!, line, startIndex: index, value: line.value!}
      properties.push(current)
    }
  }

  if (sections.length === 0) preamble.endIndex = lines.length
  return {preamble, sections}
}
