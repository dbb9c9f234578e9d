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

/**
 * `classify: 'on-read'` classifies each line, and groups the lines into sections, only when something reads them:
 * for a caller that reads most of a file as text only (generate's re-run compares its 30,000-line block as text).
 */
export function parseDocument(
  input: string | Uint8Array,
  kind: FileKind,
  options: {classify?: 'at-once' | 'on-read'} = {},
): IniDocument {
  let bom = false
  let encoding: 'latin1' | 'utf8' = 'utf8'
  let text: string
  if (typeof input === 'string') {
    bom = input.startsWith('\uFEFF')
    text = bom ? input.slice(1) : input
  } else {
    ;({bom, encoding, text} = decodeConfigBytes(input))
  }

  const offsets: number[] = []
  const onRead = options.classify === 'on-read'
  const lines = splitLines(text, offsets, onRead)
  const document = onRead
    ? documentWith({bom, encoding, kind}, () => lines)
    : {bom, encoding, kind, lines, ...structure(lines)}
  sources.set(document, {offsets, text})
  return document
}

/** The decoded text of parsed documents and where each line starts in it (edited documents have none). */
const sources = new WeakMap<IniDocument, {offsets: number[]; text: string}>()

/**
 * The texts of lines [from, to) joined with `\n`, whatever their line endings. A parsed document cuts them from
 * its text at once (a managed block holds thousands of lines); an edited one joins its lines.
 */
export function joinedLineTexts(document: IniDocument, from: number, to: number): string {
  if (to <= from) return ''
  const source = sources.get(document)
  if (!source) {
    const texts: string[] = []
    for (let i = from; i < to; i++) texts.push(document.lines[i].text)
    return texts.join('\n')
  }

  // Every \r\n in the cut is a line ending: splitLines takes a \r before \n as part of the ending, never the text.
  const cut = source.text.slice(source.offsets[from], source.offsets[to - 1] + document.lines[to - 1].text.length)
  return cut.includes('\r\n') ? cut.replaceAll('\r\n', '\n') : cut
}

/** Lines [from, to) as the file has them, line endings included: a parsed document cuts them from its text at once. */
export function printedLines(document: IniDocument, from: number, to: number): string {
  if (to <= from) return ''
  const source = sources.get(document)
  if (!source) return linesToText(document.lines.slice(from, to))
  return source.text.slice(source.offsets[from], to < source.offsets.length ? source.offsets[to] : source.text.length)
}

export function printDocument(document: IniDocument): Buffer {
  const body = printedText.get(document)?.() ?? linesToText(document.lines)
  if (document.encoding === 'utf8') return Buffer.from((document.bom ? '\uFEFF' : '') + body, 'utf8')
  // latin1 documents were decoded one byte per character; a BOM was stripped from the bytes before that.
  return Buffer.concat([document.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, 'latin1')])
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

function splitLines(text: string, offsets: number[], onRead: boolean): IniLine[] {
  const lines: IniLine[] = []
  let start = 0
  while (start < text.length) {
    offsets.push(start)
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

    lines.push(onRead ? new LazyLine(raw, eol, lines.length + 1) : classifyLine(raw, eol, lines.length + 1))
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
  // Positions, not substrings: a 30,000-line file allocates only the key and value of each property.
  const {length} = text
  let start = 0
  while (start < length && isPyWhitespace(text.charCodeAt(start))) start++
  if (start === length) return {eol, indent: start, kind: 'blank', number, text}
  let end = length
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--
  const first = text.charCodeAt(start)
  if (first === 0x23 || first === 0x3b) return {eol, indent: start, kind: 'comment', number, text} // # ;
  if (first === 0x5b) {
    // configparser's SECTCRE `\[(?P<header>.+)\]`: greedy, so the header runs to the line's last `]`.
    const close = text.lastIndexOf(']', end - 1)
    if (close - start >= 2)
      return {eol, header: text.slice(start + 1, close), indent: start, kind: 'section', number, text}
  }

  // configparser's OPTCRE: the key is everything before the first `=` or `:`, whitespace around it dropped.
  // indexOf is native: a file is parsed once, in code not yet optimised, where a character loop costs more.
  const equals = text.indexOf('=', start)
  const colon = text.indexOf(':', start)
  const at = equals === -1 ? colon : colon === -1 ? equals : Math.min(equals, colon)

  // No delimiter, or a value without a key: botocore cannot parse the line.
  if (at === -1 || at >= end || at === start) return {eol, indent: start, kind: 'invalid', number, text}

  let keyEnd = at
  while (keyEnd > start && isPyWhitespace(text.charCodeAt(keyEnd - 1))) keyEnd--
  let valueStart = at + 1
  while (valueStart < end && isPyWhitespace(text.charCodeAt(valueStart))) valueStart++
  return {
    delimiter: text[at] as ':' | '=',
    eol,
    indent: start,
    key: text.slice(start, keyEnd),
    kind: 'property',
    number,
    text,
    value: valueStart < end ? text.slice(valueStart, end) : '',
  }
}

/**
 * A line classified the first time anything but its text, line ending or number is read: the lines an edit adds
 * (printing an edited document reads nothing else, so a block of thousands of new lines costs no classification
 * unless something inspects it), and those of a document parsed with `classify: 'on-read'`.
 */
class LazyLine implements IniLine {
  #classified?: IniLine

  constructor(
    readonly text: string,
    readonly eol: IniLine['eol'],
    readonly number: number,
  ) {}

  get delimiter(): IniLine['delimiter'] {
    return this.classified().delimiter
  }

  get header(): string | undefined {
    return this.classified().header
  }

  get indent(): number {
    return this.classified().indent
  }

  get key(): string | undefined {
    return this.classified().key
  }

  get kind(): LineKind {
    return this.classified().kind
  }

  get value(): string | undefined {
    return this.classified().value
  }

  private classified(): IniLine {
    this.#classified ??= classifyLine(this.text, this.eol, this.number)
    return this.#classified
  }
}

/** A new line of a document (see {@link LazyLine}). */
export function addedLine(text: string, eol: IniLine['eol'], number: number): IniLine {
  return new LazyLine(text, eol, number)
}

/** The same line at another place or with another line ending. */
export function movedLine(line: IniLine, eol: IniLine['eol'], number: number): IniLine {
  return line instanceof LazyLine ? new LazyLine(line.text, eol, number) : {...line, eol, number}
}

/** The text of documents made by an edit, printed from the edit itself without building their lines (./edit.ts). */
const printedText = new WeakMap<IniDocument, () => string>()

/**
 * A document like `document` with other lines: built, and grouped into sections, the first time they are read.
 * `text` prints them without building them; an edited document that is only printed needs nothing else.
 */
export function documentWith(
  document: Pick<IniDocument, 'bom' | 'encoding' | 'kind'>,
  lines: () => IniLine[],
  options: {bom?: boolean; text?: () => string} = {},
): IniDocument {
  let built: IniLine[] | undefined
  let shape: Pick<IniDocument, 'preamble' | 'sections'> | undefined
  const edited: IniDocument = {
    bom: options.bom ?? document.bom,
    encoding: document.encoding,
    kind: document.kind,
    get lines() {
      built ??= lines()
      return built
    },
    get preamble() {
      shape ??= structure(this.lines)
      return shape.preamble
    },
    get sections() {
      shape ??= structure(this.lines)
      return shape.sections
    },
  }
  if (options.text) printedText.set(edited, options.text)
  return edited
}

/** The same document with or without its byte-order mark. */
export function withBom(document: IniDocument, bom: boolean): IniDocument {
  return documentWith(document, () => document.lines, {bom, text: printedText.get(document)})
}

/** Shared by every property without children (most of them), replaced by its own array on the first child. */
const NO_CHILDREN: IniLine[] = []

/**
 * Groups lines into sections and properties with botocore's rule: a line indented deeper than the last key
 * line belongs to that key (nested block or continuation); blank and comment lines never end a key.
 * Sections are found in one pass that allocates nothing per line; each section's properties are built the first
 * time they are read (a block of thousands of generated profiles that nobody inspects costs no nodes).
 */
export function structure(lines: IniLine[]): Pick<IniDocument, 'preamble' | 'sections'> {
  const sections: SectionNode[] = []
  let inProperty = false
  let keyIndent = 0
  let preambleEnd = lines.length
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    if (line.kind === 'blank' || line.kind === 'comment') continue
    if (inProperty && line.indent > keyIndent) continue
    inProperty = line.kind === 'property'
    keyIndent = line.indent
    if (line.kind !== 'section') continue
    if (sections.length === 0) preambleEnd = index
    else sections.at(-1)!.endIndex = index
    sections.push(lazySection(lines, line, index))
  }

  return {preamble: new LazyPreamble(lines, preambleEnd), sections}
}

function lazySection(lines: IniLine[], header: IniLine, startIndex: number): SectionNode {
  return new LazySection(lines, header, startIndex)
}

/** A section whose properties are built on first read (a class: one shape, the getter on the prototype). */
class LazySection implements SectionNode {
  endIndex: number
  readonly header: IniLine
  readonly name: string
  readonly startIndex: number
  #lines: IniLine[]
  #properties?: PropertyNode[]

  constructor(lines: IniLine[], header: IniLine, startIndex: number) {
    this.#lines = lines
    this.endIndex = lines.length
    this.header = header
    this.name = header.header!
    this.startIndex = startIndex
  }

  get properties(): PropertyNode[] {
    this.#properties ??= propertiesOf(this.#lines, this.startIndex + 1, this.endIndex)
    return this.#properties
  }
}

class LazyPreamble {
  endIndex: number
  #lines: IniLine[]
  #properties?: PropertyNode[]

  constructor(lines: IniLine[], endIndex: number) {
    this.#lines = lines
    this.endIndex = endIndex
  }

  get properties(): PropertyNode[] {
    this.#properties ??= propertiesOf(this.#lines, 0, this.endIndex)
    return this.#properties
  }
}

/** The properties of lines [from, to): the lines of one section after its header, or the preamble. */
function propertiesOf(lines: IniLine[], from: number, to: number): PropertyNode[] {
  const properties: PropertyNode[] = []
  let current: PropertyNode | undefined
  let keyIndent = from > 0 ? lines[from - 1].indent : 0
  for (let index = from; index < to; index++) {
    const line = lines[index]
    if (line.kind === 'blank' || line.kind === 'comment') continue
    if (current && line.indent > keyIndent) {
      if (current.children === NO_CHILDREN) current.children = []
      current.children.push(line)
      current.endIndex = index
      continue
    }

    current = undefined
    keyIndent = line.indent
    if (line.kind === 'property') {
      current = {children: NO_CHILDREN, endIndex: index, key: line.key!, line, startIndex: index, value: line.value!}
      properties.push(current)
    }
  }

  return properties
}
