export interface PythonJsonOptions {
  /** `separators=(',', ':')`. */
  compact?: boolean
  /** `sort_keys=True`. */
  sortKeys?: boolean
}

/**
 * Python's `json.dumps(value)` with its defaults (`separators=(', ', ': ')`, `ensure_ascii=True`), optionally with
 * `sort_keys=True` or compact separators. botocore hashes this text for the client-registration cache key and writes it as the body of
 * every token and registration cache file, so byte-for-byte equality matters.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const [itemSep, keySep] = options.compact ? [',', ':'] : [', ', ': ']
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return pythonJsonString(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    // Cache files hold only strings, string lists and integers; Python's float repr is not reproduced.
    if (!Number.isSafeInteger(value)) throw new TypeError(`Only integers are serialised, not ${value}`)
    return String(value)
  }

  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, options)).join(itemSep)}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    if (options.sortKeys) entries.sort(([a], [b]) => comparePythonStrings(a, b))
    return `{${entries.map(([k, v]) => `${pythonJsonString(k)}${keySep}${pythonJsonDumps(v, options)}`).join(itemSep)}}`
  }

  throw new TypeError(`Cannot serialise a ${typeof value} as JSON`)
}

/** A string as Python's encoder writes it with `ensure_ascii`: everything outside ' '..'~' escaped. */
function pythonJsonString(text: string): string {
  let out = '"'
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const ch = text[i]
    switch (ch) {
      case '\n': {
        out += String.raw`\n`
        break
      }

      case '\r': {
        out += String.raw`\r`
        break
      }

      case '\t': {
        out += String.raw`\t`
        break
      }

      case '\f': {
        out += String.raw`\f`
        break
      }

      case '\b': {
        out += String.raw`\b`
        break
      }

      case '"': {
        out += String.raw`\"`
        break
      }

      case '\\': {
        out += '\\\\'
        break
      }

      default: {
        out += code < 0x20 || code > 0x7e ? String.raw`\u` + code.toString(16).padStart(4, '0') : ch
      }
    }
  }

  return out + '"'
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units, which differs only above U+FFFF. */
function comparePythonStrings(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!)
  const cb = [...b].map((c) => c.codePointAt(0)!)
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i] - cb[i]
  return ca.length - cb.length
}
