/**
 * Python's `shlex.split(s)` (posix mode, no comments), which botocore uses on section names such as
 * `profile "my name"`. Returns undefined where Python raises ValueError (unclosed quote, trailing backslash).
 */
export function shlexSplit(input: string): string[] | undefined {
  const tokens: string[] = []
  let token = ''
  let inToken = false
  let quote: "'" | '"' | undefined
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else token += ch
    } else if (quote === '"') {
      if (ch === '"') quote = undefined
      else if (ch === '\\' && i + 1 < input.length && (input[i + 1] === '"' || input[i + 1] === '\\'))
        token += input[++i]
      else if (ch === '\\' && i + 1 >= input.length) return undefined
      else token += ch
    } else
      switch (ch) {
        case ' ':
        case '\t':
        case '\r':
        case '\n': {
          if (inToken) tokens.push(token)
          token = ''
          inToken = false

          break
        }

        case '"':
        case "'": {
          quote = ch
          inToken = true

          break
        }

        case '\\': {
          if (i + 1 >= input.length) return undefined
          token += input[++i]
          inToken = true

          break
        }

        default: {
          token += ch
          inToken = true
        }
      }
  }

  if (quote) return undefined
  if (inToken) tokens.push(token)
  return tokens
}
