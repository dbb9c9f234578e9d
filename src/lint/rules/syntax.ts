/** Rules about lines botocore and the JS SDK parse differently, or botocore cannot parse at all. */
import type {IniDocument, IniLine, PropertyNode} from '../../config/ini/document.js'
import type {Check, LintFile, Reporter} from '../types.js'

import {jsSectionKey} from '../../config/readings/js-sdk.js'

const WHOLE_FILE = 'the AWS CLI then rejects the whole file ("Unable to parse config file")'

export const syntaxRules: Check = (context, report) => {
  for (const file of [context.config, context.credentials])
    if (file.document) checkDocument(file, file.document, report)
}

function checkDocument(file: LintFile, document: IniDocument, report: Reporter): void {
  const {kind} = file
  if (document.bom) {
    report({
      file: kind,
      fix: {file: kind, removeBom: true},
      line: 1,
      message: `The file starts with a UTF-8 byte-order mark: botocore reads it as text before the first section, so ${WHOLE_FILE}; the JS SDK ignores it. Save the file without a BOM.`,
      rule: 'bom',
    })
  }

  if (document.encoding !== 'utf8') {
    report({
      file: kind,
      line: firstInvalidUtf8Line(document),
      message: `This line is not valid UTF-8: botocore fails to decode the file, so ${WHOLE_FILE}; the JS SDK replaces the bad bytes. Re-save the file as UTF-8.`,
      rule: 'parse-error',
    })
  }

  for (const property of document.preamble.properties) {
    report({
      file: kind,
      key: property.key,
      line: property.line.number,
      message: `\`${property.key}\` comes before any [section]: botocore raises MissingSectionHeaderError, so ${WHOLE_FILE}; the JS SDK ignores the line. Move it into a section.`,
      rule: 'parse-error',
    })
  }

  const childLines = new Set<IniLine>()
  for (const property of allProperties(document)) for (const child of property.children) childLines.add(child)
  for (const line of document.lines) {
    if (line.kind !== 'invalid' || childLines.has(line)) continue
    const inSection = document.sections.length > 0 && line.number > document.sections[0].header.number
    const what =
      line.text.trim().startsWith('=') || line.text.trim().startsWith(':')
        ? 'a value with no key'
        : 'a line with no `=`'
    report({
      file: kind,
      line: line.number,
      message: inSection
        ? `${capitalise(what)}: botocore cannot parse it, so ${WHOLE_FILE}; the JS SDK ignores the line. Delete it, or write \`key = value\`.`
        : `Text before any [section]: botocore raises MissingSectionHeaderError, so ${WHOLE_FILE}; the JS SDK ignores the line. Delete it or move it into a section.`,
      rule: 'parse-error',
    })
  }

  checkSections(kind, document, report)
  checkProperties(kind, document, report)
}

function checkSections(kind: LintFile['kind'], document: IniDocument, report: Reporter): void {
  const seen = new Map<string, number>()
  const defaultKeys = new Map<string, number>()
  for (const section of document.sections) {
    const {header} = section
    if (section.name === 'DEFAULT') {
      report({
        file: kind,
        line: header.number,
        message: `[DEFAULT] is special to botocore: its keys are injected into every profile and sso-session of this file; ${kind === 'config' ? 'the JS SDK ignores it' : 'the JS SDK reads it as a profile named DEFAULT'}. Move its settings into the profiles that need them.`,
        rule: 'default-section',
        section: section.name,
      })
      for (const property of section.properties) {
        const first = defaultKeys.get(property.key.toLowerCase())
        if (first === undefined) defaultKeys.set(property.key.toLowerCase(), property.line.number)
        else
          report({
            file: kind,
            key: property.key,
            line: property.line.number,
            message: `\`${property.key.toLowerCase()}\` is already set in [DEFAULT] on line ${first}: botocore raises DuplicateOptionError, so ${WHOLE_FILE}. Keep one.`,
            rule: 'duplicate-key',
            section: section.name,
          })
      }

      continue
    }

    const first = seen.get(section.name)
    if (first === undefined) seen.set(section.name, header.number)
    else
      report({
        file: kind,
        line: header.number,
        message: `[${section.name}] already appears on line ${first}: botocore raises DuplicateSectionError, so ${WHOLE_FILE}; the JS SDK merges the two. Merge them into one section.`,
        rule: 'duplicate-section',
        section: section.name,
      })

    const botocoreHeader = section.name
    const jsKey = jsSectionKey(header.text)
    const afterBracket = header.text.slice(header.text.lastIndexOf(']') + 1).trim()
    if (typeof jsKey === 'string' && jsKey !== botocoreHeader && afterBracket === '' && /\s[#;]/.test(header.text)) {
      report({
        file: kind,
        line: header.number,
        message: `The comment after this header contains \`]\`: botocore reads the header as [${botocoreHeader}], the JS SDK as [${jsKey.replace('.', ' ')}]. Put the comment on its own line.`,
        rule: 'inline-comment',
        section: botocoreHeader,
      })
    }

    const keys = new Map<string, number>()
    for (const property of section.properties) {
      const name = property.key.toLowerCase()
      const firstKey = keys.get(name)
      if (firstKey === undefined) keys.set(name, property.line.number)
      else
        report({
          file: kind,
          key: property.key,
          line: property.line.number,
          message: `\`${name}\` is already set in this section on line ${firstKey}${name === property.key ? '' : ' (botocore lower-cases keys)'}: botocore raises DuplicateOptionError, so ${WHOLE_FILE}; the JS SDK keeps the last value. Keep one.`,
          rule: 'duplicate-key',
          section: section.name,
        })
    }
  }
}

function checkProperties(kind: LintFile['kind'], document: IniDocument, report: Reporter): void {
  for (const section of document.sections) {
    const keysInSection = new Set(section.properties.map((p) => p.key))
    for (const property of section.properties) {
      const {line} = property
      const where = {file: kind, key: property.key, section: section.name}
      checkInlineComment(line, property.key, report, where)
      if (line.delimiter === ':') {
        report({
          ...where,
          fix: {edits: [{line: line.number, lines: [withEquals(line)]}], file: kind},
          line: line.number,
          message: `\`${property.key}: …\` uses \`:\` as the delimiter: botocore reads it, the JS SDK ignores the line. Write \`${property.key} = …\`.`,
          rule: 'colon-delimiter',
        })
      }

      if (property.key !== property.key.toLowerCase()) {
        const lower = property.key.toLowerCase()
        const fixable = !keysInSection.has(lower)
        report({
          ...where,
          fix: fixable
            ? {edits: [{line: line.number, lines: [line.text.replace(property.key, lower)]}], file: kind}
            : undefined,
          line: line.number,
          message: `\`${property.key}\`: botocore lower-cases keys and reads \`${lower}\`; the JS SDK keeps the case, so it does not see \`${lower}\`. Write \`${lower}\`.`,
          rule: 'uppercase-key',
        })
      }

      if (property.value === '' && property.children.length === 0) {
        report({
          ...where,
          line: line.number,
          message: `\`${property.key} =\` has no value: botocore reads an empty string, the JS SDK does not store the key at all. Give it a value or delete the line.`,
          rule: 'empty-value',
        })
      }

      checkChildren(kind, property, report, where)
    }
  }
}

function checkChildren(
  kind: LintFile['kind'],
  property: PropertyNode,
  report: Reporter,
  where: {file: LintFile['kind']; key: string; section: string},
): void {
  const nested = property.value === ''
  for (const child of property.children) {
    const text = child.text.trim()
    if (!nested) {
      report({
        ...where,
        line: child.number,
        message: `This indented line follows \`${property.key} = ${property.value}\`: botocore appends it to that value (a continuation line, "${property.value}\\n${text}"); the JS SDK reads it as ${child.kind === 'section' ? 'a new section' : 'a separate key'}. Remove the indentation, or put it under a \`${property.key} =\` line with no value to make a nested block.`,
        rule: 'continuation-line',
      })
      continue
    }

    if (!text.includes('=')) {
      const colon = child.kind === 'property' && child.delimiter === ':'
      report({
        ...where,
        line: child.number,
        message: `Nested line under \`${property.key} =\` without \`=\`: botocore raises an error, so ${WHOLE_FILE}; the JS SDK ignores the line. Write \`name = value\`.`,
        rule: 'parse-error',
      })
      if (colon)
        report({
          ...where,
          fix: {edits: [{line: child.number, lines: [withEquals(child)]}], file: kind},
          line: child.number,
          message: `Nested \`${child.key}: …\` uses \`:\`: botocore requires \`=\` in nested blocks, the JS SDK ignores the line. Write \`${child.key} = …\`.`,
          rule: 'colon-delimiter',
        })
      continue
    }

    if (child.kind === 'property') checkInlineComment(child, child.key!, report, where)
  }
}

const JS_COMMENT = /(^|\s)[;#]/

function checkInlineComment(
  line: IniLine,
  key: string,
  report: Reporter,
  where: {file: LintFile['kind']; key: string; section: string},
): void {
  if (!JS_COMMENT.test(line.text)) return
  const jsText = line.text.split(/(^|\s)[;#]/)[0]
  if (jsText.length === line.text.length) return
  const eq = line.text.indexOf(line.delimiter ?? '=')
  const botocoreValue = line.value ?? ''
  const jsValue = jsText.slice(eq + 1).trim()
  report({
    ...where,
    line: line.number,
    message: `Inline comment: botocore keeps it in the value of \`${key}\` ("${botocoreValue}"), the JS SDK strips it ("${jsValue}"). Put the comment on its own line.`,
    rule: 'inline-comment',
  })
}

/** `key: value` → `key = value`, keeping indentation and everything after the delimiter. */
function withEquals(line: IniLine): string {
  const indent = line.text.slice(0, line.indent)
  return `${indent}${line.key} = ${line.value}`
}

function* allProperties(document: IniDocument): Generator<PropertyNode> {
  yield* document.preamble.properties
  for (const section of document.sections) yield* section.properties
}

function firstInvalidUtf8Line(document: IniDocument): number {
  const decoder = new TextDecoder('utf8', {fatal: true})
  for (const line of document.lines) {
    try {
      decoder.decode(Buffer.from(line.text, 'latin1'))
    } catch {
      return line.number
    }
  }

  return 1
}

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1)
}
