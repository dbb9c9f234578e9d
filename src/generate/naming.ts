/** Profile names from a template, sanitised so both the AWS CLI and the JS SDK read them, without collisions. */

export interface Entitlement {
  accountId: string
  accountName: string
  roleName: string
}

export interface NamingOptions {
  lowercase?: boolean
  /** The profile region, for `{region}`. */
  region: string
  ssoSession: string
  /** `--name-template`; default `{account_name}.{role_name}`. */
  template: string
  /** ASCII spelling of non-ASCII letters (from {@link loadTransliterator}); without it they are only sanitised. */
  transliterate?: Transliterate
}

export type Transliterate = (text: string) => string

export interface NamedEntitlement extends Entitlement {
  name: string
  /** Set when the name differs from the rendered template: why, and what the template gave. */
  renamed?: {from: string; reason: RenameReason}
}

/**
 * Why a profile's name differs from its rendered template: characters replaced (`sanitised`); the account id added
 * because part of the account name has no ASCII spelling (`not-ascii`) or because another account has the same
 * name or the same profile name (`collision`); or the name `default` avoided (`reserved`).
 */
export type RenameReason = 'collision' | 'not-ascii' | 'reserved' | 'sanitised'

export const DEFAULT_TEMPLATE = '{account_name}.{role_name}'
const PLACEHOLDERS = ['account_name', 'account_id', 'role_name', 'sso_session', 'region'] as const

/** Template placeholders that are not known: a usage error the command reports before doing anything. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1])
    .filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p))
}

export function renderTemplate(
  template: string,
  entitlement: Entitlement,
  options: Pick<NamingOptions, 'region' | 'ssoSession'>,
): string {
  return compileTemplate(template)(entitlement, options)
}

type Placeholder = (typeof PLACEHOLDERS)[number]

/** The template split once into literal text and placeholders (thousands of names are rendered per run). */
function compileTemplate(
  template: string,
): (e: Entitlement, o: Pick<NamingOptions, 'region' | 'ssoSession'>) => string {
  const parts = template.split(/\{(account_name|account_id|role_name|sso_session|region)\}/)
  return (e, o) => {
    let out = parts[0]
    for (let i = 1; i < parts.length; i += 2) out += placeholderValue(parts[i] as Placeholder, e, o) + parts[i + 1]
    return out
  }
}

function placeholderValue(key: Placeholder, e: Entitlement, o: Pick<NamingOptions, 'region' | 'ssoSession'>): string {
  switch (key) {
    case 'account_id': {
      return e.accountId
    }

    case 'account_name': {
      return e.accountName
    }

    case 'region': {
      return o.region
    }

    case 'role_name': {
      return e.roleName
    }

    default: {
      return o.ssoSession
    }
  }
}

/**
 * Runs of characters outside `[A-Za-z0-9_.-]` become `-`; a `-` next to a `.` goes (`Payments-PCI-.Admin` →
 * `Payments-PCI.Admin`), and so do `-` and `.` at the ends. One pass that copies the name in slices: thousands
 * of names go through here in a cold process, where a chain of regular-expression replacements costs half again.
 */
export function sanitiseName(raw: string, lowercase = false): string {
  let out = ''
  /** `raw` from here on is not in `out` yet. */
  let copied = 0
  /** The current run of `-`, `.` and unsafe characters: where it starts, and what it holds. */
  let runStart = -1
  let dashes = 0
  let dots = 0
  let unsafe = false
  let previousUnsafe = false
  for (let i = 0; i < raw.length; i++) {
    const kind = charKind(raw.charCodeAt(i))
    if (kind === KEEP) {
      if (runStart === 0) {
        copied = i
      } else if (runStart !== -1 && (unsafe || (dots > 0 && dashes > 0))) {
        // The run becomes its dots when it has any, else its dashes (each run of unsafe characters one dash).
        out += raw.slice(copied, runStart) + (dots > 0 ? '.'.repeat(dots) : '-'.repeat(dashes))
        copied = i
      }

      runStart = -1
      continue
    }

    if (runStart === -1) {
      runStart = i
      dashes = 0
      dots = 0
      unsafe = false
      previousUnsafe = false
    }

    if (kind === DOT) dots++
    else if (kind === DASH || !previousUnsafe) dashes++
    previousUnsafe = kind === UNSAFE
    unsafe ||= previousUnsafe
  }

  // A run at the end goes, like one at the start.
  const end = runStart === -1 ? raw.length : runStart
  const name = copied === 0 && end === raw.length ? raw : out + raw.slice(copied, end)
  return lowercase ? name.toLowerCase() : name
}

const KEEP = 0
const DASH = 1
const DOT = 2
const UNSAFE = 3

/** Letters, digits and `_` are kept as they are; `-` and `.` are tidied; everything else is unsafe. */
function charKind(code: number): number {
  if (code >= 0x61 ? code <= 0x7a : code >= 0x41 ? code <= 0x5a || code === 0x5f : code >= 0x30 && code <= 0x39)
    return KEEP
  if (code === 0x2d) return DASH
  return code === 0x2e ? DOT : UNSAFE
}

/** Runs of letters and digits outside ASCII that any-ascii spells, all but Han ideographs (see loadTransliterator). */
const TRANSLITERABLE = /(?:(?![\p{ASCII}\p{Script=Han}])[\p{L}\p{M}\p{N}])+/gu
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007F]/
/** A word of a name: letters (with their marks) and digits, in any script. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu

/**
 * A transliterator for these texts, or undefined when they are all ASCII: any-ascii (ISC licence) is imported only
 * when a name needs it. Letters of alphabets and syllabaries get their ASCII spelling (`Zürich` → `Zurich`,
 * `Москва` → `Moskva`); Han ideographs do not, since their reading depends on the language (東京 is Tokyo in
 * Japanese, Dongjing in Chinese): a name that loses a word that way carries the account id instead.
 */
export async function loadTransliterator(texts: Iterable<string>): Promise<Transliterate | undefined> {
  let ascii = true
  for (const text of texts) if (NON_ASCII.test(text)) ascii = false
  if (ascii) return undefined
  const {default: anyAscii} = await import('any-ascii')
  return (text) => text.replaceAll(TRANSLITERABLE, (run) => anyAscii(run))
}

/** Whether a word of the name has no ASCII letter or digit once transliterated (`東京` in `東京 Team`). */
function losesAWord(name: string, transliterate: Transliterate | undefined): boolean {
  for (const [word] of name.matchAll(WORD)) {
    if (!/[A-Za-z0-9]/.test(transliterate ? transliterate(word) : word)) return true
  }

  return false
}

/**
 * Names every entitlement. Deterministic whatever the input order: entitlements are sorted by account id and
 * role, and no profile's name depends on which came first:
 * - the account name is transliterated to ASCII; when that loses a word of it (`東京 Team`), the account id follows
 *   what is left (`Team-111122223333`), unless the template already holds `{account_id}`;
 * - when two accounts have the same name (as it ends up in profile names), every profile of both carries
 *   `-<account_id>`;
 * - when several profiles still want the same name, every one of them gets `-<account_id>` appended (and, if that
 *   still collides, `-<account_id>-<role>`).
 */
export function nameEntitlements(entitlements: Entitlement[], options: NamingOptions): NamedEntitlement[] {
  const sorted = sortedBy(entitlements, (e) => `${e.accountId}\u0000${e.roleName}`)
  const render = compileTemplate(options.template)
  const byAccountName = options.template.includes('{account_name}') && !options.template.includes('{account_id}')
  // Per account: its name as it goes into the template, and (unless the id was added) its sanitised form.
  const spelled = new Map<string, {kept?: string; name: string}>()
  const accountsByName = new Map<string, Set<string>>()
  for (const e of sorted) {
    if (spelled.has(e.accountId)) continue
    // An ASCII name (the common case) loses no word: only others are transliterated and checked.
    const nonAscii = NON_ASCII.test(e.accountName)
    const ascii = nonAscii && options.transliterate ? options.transliterate(e.accountName) : e.accountName
    const kept = sanitiseName(ascii, options.lowercase)
    const withId = byAccountName && nonAscii && losesAWord(e.accountName, options.transliterate)
    spelled.set(e.accountId, withId ? {name: [kept, e.accountId].filter(Boolean).join('-')} : {kept, name: ascii})
    if (byAccountName && !withId) {
      const same = accountsByName.get(kept) ?? new Set()
      accountsByName.set(kept, same.add(e.accountId))
    }
  }

  const wanted = sorted.map((e) => {
    const rendered = render(e, options)
    const account = spelled.get(e.accountId)!
    const candidate = account.name === e.accountName ? rendered : render({...e, accountName: account.name}, options)
    let sanitised =
      sanitiseName(candidate, options.lowercase) || sanitiseName(`${e.accountId}.${e.roleName}`, options.lowercase)
    let reason: RenameReason | undefined =
      account.kept === undefined ? 'not-ascii' : sanitised === rendered ? undefined : 'sanitised'
    if (account.kept !== undefined && (accountsByName.get(account.kept)?.size ?? 0) > 1) {
      sanitised = `${sanitised}-${e.accountId}`
      reason = 'collision'
    }

    return {entitlement: e, reason, rendered, sanitised}
  })
  const counts = new Map<string, number>()
  for (const w of wanted) counts.set(w.sanitised, (counts.get(w.sanitised) ?? 0) + 1)
  const taken = new Set<string>()
  const named: NamedEntitlement[] = []
  for (const w of wanted) {
    let {reason, sanitised: name}: {reason?: RenameReason; sanitised: string} = w
    if (name === 'default') {
      name = `default-${w.entitlement.accountId}`
      reason = 'reserved'
    } else if ((counts.get(name) ?? 0) > 1) {
      name = `${name}-${w.entitlement.accountId}`
      reason = 'collision'
    }

    if (taken.has(name)) {
      name = sanitiseName(`${name}-${w.entitlement.roleName}`, options.lowercase)
      reason = 'collision'
    }

    taken.add(name)
    const {accountId, accountName, roleName} = w.entitlement
    const entitlement: NamedEntitlement = {accountId, accountName, name, roleName}
    if (reason) entitlement.renamed = {from: w.rendered, reason}
    named.push(entitlement)
  }

  return named
}

/**
 * Items in code-unit order of a key: the same on every machine and locale. Sorting the keys with the built-in
 * comparison is several times faster than a comparator function on thousands of items in a cold process; keys
 * are usually distinct, so only a repeated one gets a list.
 */
export function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  const first = new Map<string, T>()
  let repeated: Map<string, T[]> | undefined
  for (const item of items) {
    const k = key(item)
    if (!first.has(k)) {
      first.set(k, item)
      continue
    }

    repeated ??= new Map()
    const more = repeated.get(k)
    if (more) more.push(item)
    else repeated.set(k, [item])
  }

  const out: T[] = []
  for (const k of [...first.keys()].sort()) {
    out.push(first.get(k)!)
    const more = repeated?.get(k)
    if (more) for (const item of more) out.push(item)
  }

  return out
}
