/**
 * Finding the error in what a tool printed: ANSI colours, carriage-return progress, log prefixes, JSON error
 * documents (`--cli-error-format json`, JS SDK errors with `$metadata`, service bodies) and Python tracebacks all
 * become plain lines the patterns can be tried on, plus the facts the text states (code, operation, profile, …).
 */
import {escapeLine} from '../../render/terminal.js'

/** Inputs larger than this are cut to their last part: the error is at the end of a log, and matching stays fast. */
export const MAX_INPUT_CHARS = 256 * 1024

export interface PreparedText {
  /** Whether the text is about AWS at all (an AWS host, SDK, CLI or ARN): generic patterns need it. */
  aws: boolean
  lines: string[]
  /** All lines joined by `\n`. */
  text: string
}

// ESC [ … final byte (CSI), ESC ] … BEL or ESC \ (OSC), and two-character escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[\d;?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]/g
const AWS_CONTEXT =
  /amazonaws\.com|awsapps\.com|\baws(?:-cli|-sdk|2)?\b|botocore|boto3|@aws-sdk|\$metadata|\bAWS_|arn:aws|x-amzn|An error occurred \(|\bsso\b|\bSTS\b|Identity Center|granted|aws-sso/i

export function prepareText(raw: string): PreparedText {
  let text = raw.length > MAX_INPUT_CHARS ? raw.slice(-MAX_INPUT_CHARS) : raw
  text = text.replaceAll(ANSI, '').replaceAll('\r\n', '\n').replaceAll('\r', '\n')
  const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''))
  // JSON documents (pretty-printed over several lines or on one) add one synthetic line "Code: Message".
  for (const summary of jsonErrorSummaries(text)) lines.push(summary)
  const joined = lines.join('\n')
  return {aws: AWS_CONTEXT.test(joined), lines, text: joined}
}

/** `Code: Message` for every JSON object in the text that looks like an error document. */
function jsonErrorSummaries(text: string): string[] {
  const out: string[] = []
  for (const candidate of jsonObjects(text)) {
    let value: unknown
    try {
      value = JSON.parse(candidate)
    } catch {
      continue
    }

    const summary = errorSummary(value)
    if (summary) out.push(summary)
  }

  return out
}

/** Balanced `{…}` spans (outermost only), at most a few, each at most 64 KiB. */
function jsonObjects(text: string): string[] {
  const spans: string[] = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length && spans.length < 20; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }

    if (c === '"' && depth > 0) inString = true
    else if (c === '{') {
      if (depth === 0) start = i
      depth++
    } else if (c === '}' && depth > 0) {
      depth--
      if (depth === 0 && i - start < 65_536) spans.push(text.slice(start, i + 1))
    }
  }

  return spans
}

function errorSummary(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
  const record = value as Record<string, unknown>
  const nested = record.Error ?? record.error
  if (nested && typeof nested === 'object') return errorSummary(nested)
  const pick = (...keys: string[]) => {
    for (const key of keys) if (typeof record[key] === 'string' && record[key] !== '') return record[key] as string
    return undefined
  }

  const code = pick('Code', 'code', '__type', 'errorType', 'name', 'error')
  const message = pick('Message', 'message', 'errorMessage', 'error_description', 'detailedMessage')
  if (!code && !message) return undefined
  return `${(code ?? 'Error').replace(/^.*#/, '')}: ${message ?? ''}`.trim()
}

/** The facts a text states, whatever the pattern that matched it. */
export interface TextFacts {
  account?: string
  code?: string
  /** The config or credentials file a parse error names, and the line when the text has one. */
  configFile?: string
  configLine?: number
  /** The endpoint URL a network or TLS error names. */
  endpoint?: string
  operation?: string
  profile?: string
  role?: string
  /** `python`, `node`, `go` or `java`: which TLS settings apply to the tool that printed it. */
  runtime?: 'go' | 'java' | 'node' | 'python'
  ssoSession?: string
  startUrl?: string
}

const SERVICE_CODE_PATTERNS: RegExp[] = [
  /An error occurred \((\w+)\)/,
  /\bapi error (\w+):/,
  /https response error StatusCode: \d+, RequestID: [^,]*, (\w+):/,
  /x-amzn-ErrorType'?"?:\s*'?"?(\w+)/i,
  /"__type"\s*:\s*"(?:[\w.]+#)?(\w+)"/,
  /<Code>(\w+)<\/Code>/,
  /Error Code: (\w+)[;)]/,
  /"Code"\s*:\s*"(\w+)"/,
  /^\s*Code:\s*(\w+)\s*$/m,
  /\bname: '(\w+(?:Exception|Error))'/,
  /\b(\w+Exception): /,
]
const CLASS_CODE_PATTERNS: RegExp[] = [
  /\b(?:botocore\.exceptions|boto\.exception|configparser|urllib3\.exceptions)\.([A-Z]\w+)/,
  /\b(CredentialsProviderError|TokenProviderError|ProviderError)\b/,
  /\bcode: '([A-Z][A-Z_]+)'/,
  /\[([A-Z][A-Z_]{6,})\]/,
  /\b(E[A-Z]{3,}) /,
]
const OPERATION_PATTERNS: RegExp[] = [
  /when calling the (\w+) operation/g,
  /operation error [\w -]+: (\w+)/g,
  /OperationModel\(name=(\w+)\)/g,
]
const URL_OPERATIONS: Array<[RegExp, string]> = [
  [
    /portal\.sso\.[\w-]+\.amazonaws\.com(?:\.cn)?\/federation\/credentials|\/federation\/credentials\?/,
    'GetRoleCredentials',
  ],
  [/oidc\.[\w-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:\/token\b|\S*\s+"POST \/token\b)/, 'CreateToken'],
  [/oidc\.[\w-]+\.amazonaws\.com(?:\.cn)?\/client\/register/, 'RegisterClient'],
  [/oidc\.[\w-]+\.amazonaws\.com(?:\.cn)?\/device_authorization/, 'StartDeviceAuthorization'],
]
const PROFILE_PATTERNS: RegExp[] = [
  /The config profile \((.+?)\) could not be found/,
  /SSO session token associated with profile=(.+?) was not found/,
  /\bProfile (\S+?) was not found/,
  /\bProfile '(.+?)' (?:could not be found|is missing)/,
  /The profile "(.+?)" is configured/,
  /Could not resolve credentials using profile: \[(.+?)\]/,
  /\bProfile "(.+?)" not found/,
  /\bProfile (\S+) does not exist/,
  /failed to get shared config profile, (\S+)/,
  /\bProfile (\S+) (?:credential_process|did not contain)/,
  /(?:^|\s)--profile[= ]([\w.@+%:/-]+)/m,
  /\bAWS_PROFILE=([\w.@+%:/-]+)/,
  /\(used by profile ([\w.@+%:/-]+)\)/,
]
const SESSION_PATTERNS: RegExp[] = [
  /The specified sso-session does not exist: "(.+?)"/,
  /\bSso session '(.+?)'/,
  /the "(.+?)" sso_session configuration does not exist/,
  /Error loading SSO Token: Token for (?!https?:)(\S+?) (?:does not exist|is invalid)/,
  /Loading cached SSO token for (\S+)/,
  /(?:^|\s)--sso-session[= ]([\w.@+%:/-]+)/m,
  /\bsso[-_]session[= ]"?([\w.@+%:/-]+)"?/,
]
const START_URL =
  /https:\/\/[\w.-]+\.(?:awsapps\.com|awsapps\.cn|app\.aws|portal\.amazonaws\.com(?:\.cn)?)(?:\/start)?[^\s"'`)]*/

/** What the text states, read with the patterns above (the first pattern that finds something wins). */
export function readFacts(prepared: PreparedText): TextFacts {
  const {text} = prepared
  const startUrl = START_URL.exec(text)?.[0]
  const facts: TextFacts = {
    account:
      /[?&]account_id=(\d{12})\b/.exec(text)?.[1] ??
      /--account-id[= ](\d{12})\b/.exec(text)?.[1] ??
      /\bsso_account_id\s*=\s*(\d{12})\b/.exec(text)?.[1],
    code: first(text, SERVICE_CODE_PATTERNS) ?? first(text, CLASS_CODE_PATTERNS),
    endpoint:
      /(?:endpoint URL|proxy URL|SSL validation failed for|Post|Get|url=|to)\s*:?\s*"?(https?:\/\/[^\s"'<>]+?)"?(?=[\s"'<>:]|$)/.exec(
        text,
      )?.[1],
    operation: operationOf(text),
    profile: first(text, PROFILE_PATTERNS),
    role: /[?&]role_name=([\w+=,.@-]+)/.exec(text)?.[1] ?? /--role-name[= ]([\w+=,.@-]+)/.exec(text)?.[1],
    runtime: runtimeOf(text),
    ssoSession: first(text, SESSION_PATTERNS),
    startUrl: startUrl?.replace(/[.,;:]+$/, ''),
    ...configFileOf(text),
  }
  for (const key of Object.keys(facts) as Array<keyof TextFacts>) if (facts[key] === undefined) delete facts[key]
  return facts
}

/** The innermost operation is the one that failed: Go wraps "operation error STS: … operation error SSO OIDC: CreateToken". */
function operationOf(text: string): string | undefined {
  for (const pattern of OPERATION_PATTERNS) {
    const all = [...text.matchAll(pattern)].map((m) => m[1])
    if (all.length > 0) return all.at(-1)
  }

  return URL_OPERATIONS.find(([pattern]) => pattern.test(text))?.[1]
}

function configFileOf(text: string): Pick<TextFacts, 'configFile' | 'configLine'> {
  const parse =
    /While reading from '(.+?)' \[line\s+(\d+)\]/.exec(text) ?? /file: '(.+?)', line: (\d+)/.exec(text) ?? undefined
  if (parse) return {configFile: unescapePythonPath(parse[1]), configLine: Number(parse[2])}
  const path = /Unable to parse config file: (.+?)\s*$/m.exec(text)?.[1]
  return path ? {configFile: path} : {}
}

function first(text: string, patterns: RegExp[]): string | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(text)
    if (match?.[1]) return match[1]
  }

  return undefined
}

/** A path as Python's repr prints it (`'C:\\\\Users\\\\me/.aws/credentials'`). */
function unescapePythonPath(path: string): string {
  return path.replaceAll('\\\\', '\\')
}

function runtimeOf(text: string): TextFacts['runtime'] {
  if (/Traceback \(most recent call last\)|botocore|boto3|urllib3|_ssl\.c:|\bpython/i.test(text)) return 'python'
  if (/PKIX path building failed|software\.amazon\.awssdk|com\.amazonaws|\bat [\w.$]+\([\w.]+\.java:\d+\)/.test(text))
    return 'java'
  if (/\bx509: |operation error [\w -]+:|aws-sdk-go|\bgranted\b|\[✘\]/.test(text)) return 'go'
  if (/\$metadata|node:internal|TLSSocket|@aws-sdk|aws-sdk\/|node_modules|SELF_SIGNED_CERT_IN_CHAIN|\bnpm\b/.test(text))
    return 'node'
  return undefined
}

/** One line for display: trimmed, log prefixes removed, long secrets masked, at most 300 characters. */
export function displayLine(line: string): string {
  let out = line
    .trim()
    .replace(/^\d{4}-\d\d-\d\d[ T][\d:,.]+\s+-\s+\S+\s+-\s+[\w.]+\s+-\s+[A-Z]+\s+-\s+/, '')
    .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\s+/, '')
    .replace(/^(?:\[(?:DEBUG|INFO|WARN|WARNING|ERROR|✘|!)\]\s*|[│>|]\s+)/, '')
  out = maskSecrets(out)
  return escapeLine(out.length > 300 ? `${out.slice(0, 297)}...` : out)
}

/**
 * Masks what looks like a secret in echoed text: values of secret-named keys, and long opaque runs (session
 * tokens, access tokens, client secrets, JWTs). Access key ids, ARNs and account ids stay: they are not secrets.
 */
export function maskSecrets(text: string): string {
  return text
    .replaceAll(
      /((?:secret|token|password|clientSecret|accessToken|refreshToken|sessionToken|SecretAccessKey)["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi,
      '$1<redacted>',
    )
    .replaceAll(/[\w+/=.-]{48,}/g, (run) => (looksOpaque(run) ? '<redacted>' : run))
}

/** A long run of mixed-case letters and digits, not a path, URL or ARN. */
function looksOpaque(run: string): boolean {
  // Paths and ARN resources have slashes; a token with slashes is long (session tokens are hundreds of characters).
  if (/^(?:arn:|https?:)/.test(run) || (run.includes('/') && run.length < 100)) return false
  return /\d/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run)
}
