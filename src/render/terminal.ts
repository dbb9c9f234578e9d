/**
 * Text from outside (AWS error messages, account and role names, an OIDC callback's `error_description`, a
 * config file's own lines) is printed with its control characters escaped, so that no answer can move the
 * cursor, retitle the terminal or hide a line (ESC, CR, BEL, C1 controls, bidirectional overrides).
 * Newlines and tabs stay: ssokit's own multi-line messages need them.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

export function escapeControl(text: string): string {
  return text.replaceAll(UNSAFE, (c) => {
    const code = c.codePointAt(0)!
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** The same for a value that must stay on one line (a table cell, a name inside a sentence). */
export function escapeLine(text: string): string {
  return escapeControl(text)
    .replaceAll('\n', String.raw`\n`)
    .replaceAll('\t', String.raw`\t`)
}
