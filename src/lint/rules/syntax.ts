/** Rules about lines botocore and the JS SDK parse differently, or botocore cannot parse at all. */
import type {IniDocument, IniLine, PropertyNode} from '../../config/ini/document.js'
import type {Check, LintFile, Reporter} from '../types.js'

import {jsSectionKey} from '../../config/readings/js-sdk.js'
import {RULE_TEXTS} from '../messages.js'

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
      message: RULE_TEXTS.bom.startsWithBom(),
      rule: 'bom',
    })
  }

  if (document.encoding !== 'utf8') {
    report({
      file: kind,
      line: firstInvalidUtf8Line(document),
      message: RULE_TEXTS['parse-error'].invalidUtf8(),
      rule: 'parse-error',
    })
  }

  for (const property of document.preamble.properties) {
    report({
      file: kind,
      key: property.key,
      line: property.line.number,
      message: RULE_TEXTS['parse-error'].keyBeforeSection(property.key),
      rule: 'parse-error',
    })
  }

  const childLines = new Set<IniLine>()
  for (const property of allProperties(document)) for (const child of property.children) childLines.add(child)
  for (const line of document.lines) {
    if (line.kind !== 'invalid' || childLines.has(line)) continue
    const inSection = document.sections.length > 0 && line.number > document.sections[0].header.number
    const what = line.text.trim().startsWith('=') || line.text.trim().startsWith(':') ? 'no-key' : 'no-equals'
    report({
      file: kind,
      line: line.number,
      message: inSection ? RULE_TEXTS['parse-error'].unparsable(what) : RULE_TEXTS['parse-error'].textBeforeSection(),
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
        message: RULE_TEXTS['default-section'].defaults(kind),
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
            message: RULE_TEXTS['duplicate-key'].inDefaults(property.key.toLowerCase(), first),
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
        message: RULE_TEXTS['duplicate-section'].sameHeader(section.name, first),
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
        message: RULE_TEXTS['inline-comment'].bracketInHeaderComment(botocoreHeader, jsKey.replace('.', ' ')),
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
          message: RULE_TEXTS['duplicate-key'].inSection(name, firstKey, name !== property.key),
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
          message: RULE_TEXTS['colon-delimiter'].colon(property.key),
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
          message: RULE_TEXTS['uppercase-key'].uppercase(property.key, lower),
          rule: 'uppercase-key',
        })
      }

      if (property.value === '' && property.children.length === 0) {
        report({
          ...where,
          line: line.number,
          message: RULE_TEXTS['empty-value'].empty(property.key),
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
        message: RULE_TEXTS['continuation-line'].continuation(
          property.key,
          property.value,
          text,
          child.kind === 'section',
        ),
        rule: 'continuation-line',
      })
      continue
    }

    if (!text.includes('=')) {
      const colon = child.kind === 'property' && child.delimiter === ':'
      report({
        ...where,
        line: child.number,
        message: RULE_TEXTS['parse-error'].nestedWithoutEquals(property.key),
        rule: 'parse-error',
      })
      if (colon)
        report({
          ...where,
          fix: {edits: [{line: child.number, lines: [withEquals(child)]}], file: kind},
          line: child.number,
          message: RULE_TEXTS['colon-delimiter'].nestedColon(child.key!),
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
    message: RULE_TEXTS['inline-comment'].inValue(key, botocoreValue, jsValue),
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
