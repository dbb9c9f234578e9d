/**
 * `ssokit env`: environment variables as each shell reads them, quoted so that any value survives exactly.
 * Variables to remove come first, so that the last line's status (what `eval` returns) is an assignment's.
 */
import type {RoleEnvironment} from '../sso/role-env.js'

export const SHELL_FORMATS = ['sh', 'fish', 'powershell', 'json'] as const
export type ShellFormat = (typeof SHELL_FORMATS)[number]

/** A POSIX shell word: single quotes, each `'` written as `'\''`. */
export function shQuote(value: string): string {
  return `'${value.replaceAll("'", String.raw`'\''`)}'`
}

/** A fish word: single quotes, in which only `\\` and `\'` are escapes (fish-shell docs, "Quotes"). */
export function fishQuote(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", String.raw`\'`)}'`
}

/**
 * A PowerShell verbatim string: single quotes, each quote character doubled. PowerShell also reads the
 * typographic single quotes U+2018–U+201B as quotes (about_Quoting_Rules), so they are doubled too.
 */
export function powershellQuote(value: string): string {
  return `'${value.replaceAll(/['\u2018-\u201B]/g, (quote) => quote + quote)}'`
}

/** `{"NAME": "value", …, "AWS_PROFILE": null}`: null marks a variable to remove. */
export function environmentJson(environment: RoleEnvironment): Record<string, null | string> {
  const json: Record<string, null | string> = {}
  for (const [name, value] of environment.set) json[name] = value
  for (const name of environment.unset) json[name] = null
  return json
}

export function renderEnvironment(environment: RoleEnvironment, format: Exclude<ShellFormat, 'json'>): string {
  const lines: string[] = []
  switch (format) {
    case 'fish': {
      for (const name of environment.unset) lines.push(`set -e ${name}`)
      for (const [name, value] of environment.set) lines.push(`set -gx ${name} ${fishQuote(value)}`)
      break
    }

    case 'powershell': {
      for (const name of environment.unset) lines.push(`Remove-Item Env:${name} -ErrorAction SilentlyContinue`)
      for (const [name, value] of environment.set) lines.push(`$Env:${name} = ${powershellQuote(value)}`)
      break
    }

    case 'sh': {
      if (environment.unset.length > 0) lines.push(`unset ${environment.unset.join(' ')}`)
      for (const [name, value] of environment.set) lines.push(`export ${name}=${shQuote(value)}`)
      break
    }
  }

  return lines.map((line) => line + '\n').join('')
}
