import {escapeLine} from './terminal.js'

/**
 * HTML built only through the `markup` tag (not named `html`, so that prettier leaves the templates' whitespace
 * alone: the page's inline style and script are hashed byte for byte): every interpolated value is escaped unless it is already
 * {@link SafeHtml} (the output of another `markup` call), so a value from a snapshot can never become markup.
 * Control and bidirectional-override characters are shown as escapes (`\x1b`, `\u202e`), as in the terminal,
 * so a name cannot reorder what is shown around it. Attribute values must be written in double quotes.
 */
export class SafeHtml {
  constructor(readonly html: string) {}

  toString(): string {
    return this.html
  }
}

export type HtmlValue = false | HtmlValue[] | null | number | SafeHtml | string | undefined

const ENTITIES: Record<string, string> = {'"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;'}

export function escapeHtml(text: string): string {
  return escapeLine(text).replaceAll(/["&'<>]/g, (c) => ENTITIES[c])
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.html
  if (Array.isArray(value)) return value.map((v) => render(v)).join('')
  return escapeHtml(String(value))
}

export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]
  for (const [i, value] of values.entries()) out += render(value) + strings[i + 1]
  return new SafeHtml(out)
}

/** Trusted markup written by ssokit itself (the page's own CSS and script), never data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

/**
 * JSON for a `<script type="application/json">` element: `<` is written as `\u003c`, so no value can close the
 * element or open a comment, and U+2028/U+2029 are escaped for older parsers.
 */
export function jsonForScript(data: unknown): SafeHtml {
  return new SafeHtml(
    JSON.stringify(data)
      .replaceAll('<', String.raw`\u003c`)
      .replaceAll('\u2028', String.raw`\u2028`)
      .replaceAll('\u2029', String.raw`\u2029`),
  )
}
