/**
 * What a value ssokit writes into a config or credentials file may be. Every value that comes from outside (a
 * snapshot, an AWS answer, the portal, a flag, a lint fix) goes through one of these checks before it becomes
 * part of a `key = value` line, so that no value can end the line and start a section or a setting of its own
 * (a `credential_process` that both botocore and the JS SDK would run), and so that ssokit never writes what
 * `ssokit lint` calls an error. The lint rules use the same checks to judge what they read.
 */
import {BadInputError} from '../errors.js'
import {closest, PROFILE_KEYS} from './settings.js'

/**
 * Characters no written value may hold: C0 controls (line feed and carriage return among them), DEL, C1 controls
 * (U+0085 is a line break for Python's `splitlines`, which botocore uses on nested values), and the Unicode line
 * and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNWRITABLE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/

/** A region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`, `us-isob-east-1`. */
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/
const ACCOUNT_ID = /^\d{12}$/
/** IAM role names (and so permission-set names, which become `AWSReservedSSO_<name>_…` roles): `[\w+=,.@-]`, 1–64. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/
/**
 * A name both readers take as written in `[profile NAME]`: the JS SDK keeps only `[\w-@+.%:/]` (anything else
 * drops the section), botocore's shlex splits on whitespace and quotes.
 */
const PROFILE_NAME = /^[\w@+.%:/-]+$/
/** The same for `[sso-session NAME]`, without `:`, which would end the name in ssokit's block markers. */
const SSO_SESSION_NAME = /^[\w@+.%/-]+$/
/** Setting keys as botocore stores them (it lower-cases keys; the JS SDK does not, so ssokit writes them lower-case). */
const SETTING_KEY = /^[a-z][a-z0-9_]*$/

/** Hosts the AWS CLI treats as AWS-owned access portals (`awscli/customizations/sso/resolve.py`). */
const AWS_OWNED_SUFFIXES = [
  '.app.aws',
  '.portal.amazonaws.com',
  '.portal.amazonaws.com.cn',
  '.app.amazonwebservices.com.cn',
  '.portal.amazonaws.eu',
  '.api.amazonwebservices.eu',
  '.awsapps.com',
  '.awsapps.cn',
]
const AWS_OWNED_HOSTS = new Set([
  'identitycenter.amazonaws.com',
  'identitycenter.amazonaws.com.cn',
  'identitycenter.amazonaws.eu',
  'identitycenter.us-gov.amazonaws.com',
])

/**
 * Keys `ssokit generate` writes itself, and keys that would make a generated SSO profile something else (another
 * credential source, or a second portal): `--profile-setting` may set none of them.
 */
export const RESERVED_PROFILE_SETTINGS = new Set([
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_security_token',
  'aws_session_token',
  'credential_process',
  'credential_source',
  'region',
  'role_arn',
  'source_profile',
  'sso_account_id',
  'sso_region',
  'sso_registration_scopes',
  'sso_role_name',
  'sso_session',
  'sso_start_url',
  'web_identity_token_file',
])

export type ValueKind =
  | 'account id'
  | 'profile name'
  | 'region'
  | 'role name'
  | 'setting key'
  | 'setting value'
  | 'sso-session name'
  | 'start URL'

/** A value's problem in one sentence, or undefined when it can be written. */
export function valueProblem(kind: ValueKind, value: string): string | undefined {
  if (typeof value !== 'string') return `expected text, got ${value === null ? 'null' : typeof value}`
  const control = UNWRITABLE.exec(value)
  if (control)
    return `it contains the control character U+${control[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}, which would break the line it is written on`
  switch (kind) {
    case 'account id': {
      return ACCOUNT_ID.test(value) ? undefined : 'an AWS account id has exactly 12 digits'
    }

    case 'profile name': {
      if (value === '__proto__')
        return 'the JS SDK refuses a profile named __proto__ (and then reads the whole file as empty)'
      return PROFILE_NAME.test(value)
        ? undefined
        : 'a profile name both the AWS CLI and the JS SDK read has only letters, digits and _ - . @ + % : /'
    }

    case 'region': {
      return REGION.test(value) ? undefined : 'not a region name such as us-east-1'
    }

    case 'role name': {
      return ROLE_NAME.test(value)
        ? undefined
        : 'a role or permission-set name has 1 to 64 letters, digits and + = , . @ _ -'
    }

    case 'setting key': {
      return SETTING_KEY.test(value) ? undefined : 'a setting key is lower-case letters, digits and _'
    }

    case 'setting value': {
      return settingValueProblem(value)
    }

    case 'sso-session name': {
      return SSO_SESSION_NAME.test(value) ? undefined : 'an sso-session name has only letters, digits and _ - . @ + % /'
    }

    case 'start URL': {
      return startUrlProblem(value)
    }
  }
}

/**
 * Checks a value and returns it, or throws bad input (exit 3) that names where the value came from: the
 * snapshot file and JSON path, the AWS operation, or the flag. Nothing has been written when it throws.
 */
export function writableValue(kind: ValueKind, value: string, origin: (() => string) | string): string {
  const problem = valueProblem(kind, value)
  if (problem) {
    // `origin` may be a function: loops over thousands of values build the text only for the one that fails.
    const where = typeof origin === 'function' ? origin() : origin
    throw new BadInputError(
      `${where}: ${describeValue(value)} is not a valid ${kind}: ${problem}. Nothing was written.`,
      'INVALID_VALUE',
    )
  }

  return value
}

/**
 * What is wrong with a start URL, or undefined when it has an access-portal form: https, an AWS-owned portal host
 * (botocore and the JS SDK use the URL as written; only AWS CLI 2.35.13 and later resolve custom domains), the
 * path of that form, and no `#…` (the token cache file is named after the URL as written).
 */
export function startUrlProblem(value: string): string | undefined {
  if (/\s/.test(value)) return `${describeValue(value)} contains whitespace (an inline comment?): it is not a URL.`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `${describeValue(value)} is not a URL. Access-portal URLs look like https://d-xxxxxxxxxx.awsapps.com/start.`
  }

  if (url.protocol !== 'https:') {
    return `${describeValue(value)} is not https: the AWS CLI refuses it ("The sso_start_url must use the https scheme."). Use https://.`
  }

  if (value.includes('#')) {
    return `${describeValue(value)} ends in "#…": the token cache file is named after the start URL exactly as written, so this URL and the same URL without "#…" keep separate logins, and the portal ignores the fragment. Remove "${value.slice(value.indexOf('#'))}".`
  }

  if (url.username || url.password)
    return `${describeValue(value)} carries a user name or password; an access-portal URL has none.`
  const host = url.hostname.toLowerCase()
  if (!AWS_OWNED_HOSTS.has(host) && !AWS_OWNED_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return `${describeValue(value)} is not an AWS access-portal host (*.awsapps.com, *.portal.<region>.amazonaws.com, *.portal.<region>.app.aws, …): only AWS CLI 2.35.13 and later resolve custom domains; botocore and the JS SDK use the URL as written. Use the portal URL from the IAM Identity Center console.`
  }

  if (host === 'start.us-gov-home.awsapps.com' || host === 'start.home.awsapps.cn') {
    if (!/^\/directory\/[^/]+\/?$/.test(url.pathname)) {
      return `${describeValue(value)} should have the form https://${host}/directory/<IdentityStoreId or alias>.`
    }
  } else if ((host.endsWith('.awsapps.com') || host.endsWith('.awsapps.cn')) && !/^\/start\/?$/.test(url.pathname)) {
    return `${describeValue(value)} should end in /start (https://${host}/start).`
  }

  return undefined
}

/** The portal a start URL names, for comparing URLs that differ only in a trailing `/` (one portal, one login). */
export function samePortal(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '')
}

/** A `--profile-setting KEY=VALUE`, checked: a known, lower-case key that generate does not write itself, and a safe value. */
export function profileSetting(text: string, origin = '--profile-setting'): [string, string] {
  const eq = text.indexOf('=')
  if (eq <= 0)
    throw new BadInputError(`${origin} ${describeValue(text)}: write KEY=VALUE, e.g. output=json.`, 'INVALID_VALUE')
  const key = text.slice(0, eq).trim()
  const value = text.slice(eq + 1).trim()
  writableValue('setting key', key, `${origin} ${describeValue(text)}`)
  if (RESERVED_PROFILE_SETTINGS.has(key)) {
    throw new BadInputError(
      `${origin} ${describeValue(text)}: generate writes the SSO settings and region of each profile itself (use --profile-region for the region), and a profile with other credential settings would no longer be an SSO profile.`,
      'INVALID_VALUE',
    )
  }

  if (!PROFILE_KEYS.has(key)) {
    const guess = closest(key, PROFILE_KEYS)
    throw new BadInputError(
      `${origin} ${describeValue(text)}: \`${key}\` is not a profile setting the AWS CLI or the SDKs read.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
      'INVALID_VALUE',
    )
  }

  return [key, writableValue('setting value', value, `${origin} ${describeValue(text)}`)]
}

function settingValueProblem(value: string): string | undefined {
  if (value === '') return 'a value cannot be empty (`key =` starts a nested block for botocore)'
  if (value !== value.trim()) return 'a value cannot start or end with whitespace (both readers drop it)'
  if (/(^|\s)[#;]/.test(value)) {
    return 'a `#` or `;` after a space starts an inline comment for the JS SDK, while botocore keeps it in the value'
  }

  return undefined
}

/** A value quoted for a message, with control characters visible. */
function describeValue(value: string): string {
  return JSON.stringify(value.length > 120 ? value.slice(0, 120) + '…' : value)
}
