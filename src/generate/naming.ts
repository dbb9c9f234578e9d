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
}

export interface NamedEntitlement extends Entitlement {
  name: string
  /** Set when the name differs from the rendered template: why, and what the template gave. */
  renamed?: {from: string; reason: 'collision' | 'reserved' | 'sanitised'}
}

export const DEFAULT_TEMPLATE = '{account_name}.{role_name}'
const PLACEHOLDERS = ['account_name', 'account_id', 'role_name', 'sso_session', 'region'] as const

/** Template placeholders that are not known: a usage error the command reports before doing anything. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p))
}

export function renderTemplate(template: string, entitlement: Entitlement, options: Pick<NamingOptions, 'region' | 'ssoSession'>): string {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    account_id: entitlement.accountId,
    account_name: entitlement.accountName,
    region: options.region,
    role_name: entitlement.roleName,
    sso_session: options.ssoSession,
  }
  return template.replaceAll(/\{(account_name|account_id|role_name|sso_session|region)\}/g, (_, key: keyof typeof values) => values[key])
}

/** Runs of characters outside `[A-Za-z0-9_.-]` become `-`; leading and trailing `-` and `.` are trimmed. */
export function sanitiseName(raw: string, lowercase = false): string {
  const name = raw.replaceAll(/[^A-Za-z0-9_.-]+/g, '-').replaceAll(/^[-.]+|[-.]+$/g, '')
  return lowercase ? name.toLowerCase() : name
}

/**
 * Names every entitlement. Deterministic whatever the input order: entitlements are sorted by account id and
 * role, and when several want the same name, every one of them gets `-<account_id>` appended (and, if that
 * still collides, `-<account_id>-<role>`), so no profile's name depends on which came first.
 */
export function nameEntitlements(entitlements: Entitlement[], options: NamingOptions): NamedEntitlement[] {
  const sorted = [...entitlements].sort((a, b) => compare(a.accountId, b.accountId) || compare(a.roleName, b.roleName))
  const wanted = sorted.map((e) => {
    const rendered = renderTemplate(options.template, e, options)
    return {entitlement: e, rendered, sanitised: sanitiseName(rendered, options.lowercase) || sanitiseName(`${e.accountId}.${e.roleName}`, options.lowercase)}
  })
  const counts = new Map<string, number>()
  for (const w of wanted) counts.set(w.sanitised, (counts.get(w.sanitised) ?? 0) + 1)
  const taken = new Set<string>()
  const named: NamedEntitlement[] = []
  for (const w of wanted) {
    let name = w.sanitised
    let reason: NonNullable<NamedEntitlement['renamed']>['reason'] | undefined = name === w.rendered ? undefined : 'sanitised'
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
    named.push({...w.entitlement, name, ...(reason && {renamed: {from: w.rendered, reason}})})
  }

  return named
}

/** Code-unit order: the same on every machine and locale (and far cheaper than localeCompare on thousands). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
