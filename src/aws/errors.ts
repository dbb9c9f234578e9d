import {
  LoginRequiredError,
  NetworkError,
  PermissionDeniedError,
  SsokitError,
  type SsokitErrorOptions,
} from '../errors.js'
import {shellWord} from '../shell.js'

/**
 * Turning raw AWS SDK errors into ssokit's typed errors (src/errors.ts, README: Error codes). Classification reads only `name`,
 * `code` and `$metadata.httpStatusCode`: the SDK puts the service's error code in `name`, Node puts
 * socket/TLS codes in `code`.
 */

/** What ssokit knows about the call that failed. */
export interface AwsCallContext {
  /** The IAM action the call needs, which also names the operation: `sso:ListInstances`. */
  action: string
  region?: string
}

/** The shape of SDK errors that classification reads. */
export interface AwsErrorLike {
  $metadata?: {attempts?: number; httpStatusCode?: number}
  cause?: unknown
  code?: number | string
  message?: string
  name?: string
  /** Set by ssokit's attempt middleware: the URL the failed request went to (no query string, no secrets). */
  ssokitEndpoint?: string
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'])
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException'])
/** Codes for keys the service does not accept: unknown or disabled in this region, or a bad signature. */
const INVALID_CREDENTIALS = new Set([
  'AuthFailure',
  'IncompleteSignature',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
])
const REGION_DISABLED = new Set(['InvalidEndpointException', 'OptInRequired', 'RegionDisabledException'])
const THROTTLING = new Set([
  'RequestLimitExceeded',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
])
const SOCKET_CODES = new Set([
  'EAI_AGAIN',
  'ECONNABORTED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'ETIMEDOUT',
])
// AbortError: ssokit only aborts calls on a deadline (AbortSignal.timeout), so it is a timeout too.
const TIMEOUT_NAMES = new Set(['AbortError', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError'])
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
])

function asLike(error: unknown): AwsErrorLike {
  return typeof error === 'object' && error !== null ? (error as AwsErrorLike) : {message: String(error)}
}

/** The innermost error carrying a Node `code` (the SDK sometimes wraps socket errors). */
function nodeCode(error: AwsErrorLike, depth = 0): string | undefined {
  // DOMExceptions (aborts) carry a numeric `code`: only Node's string codes count.
  if (typeof error.code === 'string' && error.code) return error.code
  if (depth < 5 && error.cause && typeof error.cause === 'object')
    return nodeCode(error.cause as AwsErrorLike, depth + 1)
  return undefined
}

export function isThrottlingError(error: unknown): boolean {
  const e = asLike(error)
  return e.$metadata?.httpStatusCode === 429 || THROTTLING.has(e.name ?? '')
}

export function isTlsError(error: unknown): boolean {
  const code = nodeCode(asLike(error))
  return code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
}

/** The request never got an HTTP answer: DNS, connection, timeout or TLS. */
export function isConnectionError(error: unknown): boolean {
  const e = asLike(error)
  if (e.$metadata?.httpStatusCode !== undefined) return false
  const code = nodeCode(e)
  return (code !== undefined && SOCKET_CODES.has(code)) || TIMEOUT_NAMES.has(e.name ?? '') || isTlsError(e)
}

/**
 * A region the caller cannot use: not enabled for the account (the service does not know the keys there), an
 * opt-in error, or no connection. During a region scan these mean "nothing here", not a failure.
 */
export function isRegionUnavailableError(error: unknown): boolean {
  const e = asLike(error)
  const name = e.name ?? ''
  return INVALID_CREDENTIALS.has(name) || REGION_DISABLED.has(name) || isConnectionError(e)
}

/** The credential chain (not a service) failed. */
function isCredentialProviderError(e: AwsErrorLike): boolean {
  return e.name === 'CredentialsProviderError' || e.name === 'TokenProviderError'
}

/** Where a failed request went, for messages; the SDK's own errors do not say. */
function endpointOf(e: AwsErrorLike): string {
  return e.ssokitEndpoint ?? 'the AWS endpoint'
}

/** A short description of the service's own message, without repeating the code. */
function serviceMessage(e: AwsErrorLike): string {
  const text = (e.message ?? '').trim()
  return text && text !== e.name ? text : ''
}

export class AwsAccessDeniedError extends PermissionDeniedError {
  readonly action: string

  constructor(action: string, region: string | undefined, detail: string, options: SsokitErrorOptions = {}) {
    const where = region ? ` in ${region}` : ''
    super(
      `Access denied: ${operationOf(action)}${where} needs the IAM permission ${action}.${detail ? ` AWS said: ${detail}` : ''}`,
      'ACCESS_DENIED',
      {
        suggestions: [
          `Allow ${action} for the caller (management account or Identity Center delegated administrator), or use a profile that has it.`,
        ],
        ...options,
      },
    )
    this.action = action
  }
}

/** `sso:ListInstances` → `ListInstances`. */
function operationOf(action: string): string {
  return action.slice(action.indexOf(':') + 1)
}

export function profileNotFoundError(name: string, cause?: unknown): SsokitError {
  return new SsokitError(
    `Profile ${name} was not found, or has no usable credentials, in the AWS config and credentials files.`,
    'PROFILE_NOT_FOUND',
    {
      cause,
      suggestions: ['List profiles with: ssokit profiles', 'Check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.'],
    },
  )
}

export function credentialsError(error: unknown, profile: string | undefined): SsokitError {
  const e = asLike(error)
  const text = e.message ?? ''
  if (/sso|token/i.test(text) && /expired|not found or is invalid|refresh/i.test(text)) {
    return new LoginRequiredError(
      `The SSO login behind ${profile ? `profile ${profile}` : 'these credentials'} has expired or is missing.`,
      loginCommandFor(profile),
      {cause: error, reason: 'token-expired'},
    )
  }

  const missingProfile = /Profile (\S+) (?:was not found|could not be found)|using profile: \[([^\]]+)\]/.exec(text)
  if (missingProfile) return profileNotFoundError(missingProfile[1] ?? missingProfile[2], error)

  return new LoginRequiredError(
    'No AWS credentials found: this needs management-account (or Identity Center delegated-admin) credentials from --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
    loginCommandFor(profile),
    {
      cause: error,
      reason: 'no-credentials',
      suggestions: profile
        ? []
        : ['PROFILE is an SSO profile with admin access; then pass --profile PROFILE here too.'],
    },
  )
}

/** The login that gives this profile's credentials again (`PROFILE` when no profile is known). */
function loginCommandFor(profile: string | undefined): string {
  return `ssokit login --profile ${profile ? shellWord(profile) : 'PROFILE'}`
}

/**
 * The typed ssokit error for a failed AWS call. Access denied → exit 5 naming the IAM action; expired or
 * rejected keys → exit 4; no connection, timeouts, TLS and endless throttling → exit 6; the rest → exit 1.
 */
export function classifyAwsError(error: unknown, context: AwsCallContext, profile?: string): SsokitError {
  if (error instanceof SsokitError) return error
  const e = asLike(error)
  const name = e.name ?? ''
  const operation = operationOf(context.action)
  const where = context.region ? ` in ${context.region}` : ''
  const detail = serviceMessage(e)

  if (isCredentialProviderError(e)) return credentialsError(error, profile)
  if (ACCESS_DENIED.has(name)) return new AwsAccessDeniedError(context.action, context.region, detail, {cause: error})
  if (EXPIRED.has(name)) {
    return new LoginRequiredError(
      `The AWS credentials have expired (${operation}${where}: ${name}).`,
      loginCommandFor(profile),
      {cause: error, reason: 'credentials-expired'},
    )
  }

  if (INVALID_CREDENTIALS.has(name)) {
    return new LoginRequiredError(
      `AWS rejected the credentials (${operation}${where}: ${name}${detail ? `: ${detail}` : ''}). The keys are unknown, revoked, or not valid in this region.`,
      loginCommandFor(profile),
      {cause: error, reason: 'credentials-rejected'},
    )
  }

  if (isTlsError(e)) {
    return new NetworkError(
      `TLS verification failed for ${endpointOf(e)} (${operation}): ${e.message ?? nodeCode(e)}`,
      'TLS',
      {
        cause: error,
        suggestions: [
          'If a proxy intercepts TLS, trust its CA: AWS_CA_BUNDLE=/path/to/ca.pem (ssokit and the AWS CLI) or NODE_EXTRA_CA_CERTS.',
          'Check AWS_ENDPOINT_URL* variables and endpoint_url settings.',
        ],
      },
    )
  }

  if (isConnectionError(e)) {
    return new NetworkError(
      `Cannot reach ${endpointOf(e)} (${operation}${where}): ${nodeCode(e) ?? name} ${e.message ?? ''}`.trim(),
      'NETWORK',
      {
        cause: error,
        suggestions: ['Check the network, proxy variables (HTTPS_PROXY) and AWS_ENDPOINT_URL* variables.'],
      },
    )
  }

  if (isThrottlingError(e)) {
    const attempts = e.$metadata?.attempts
    return new NetworkError(
      `AWS kept throttling ${operation}${where}${attempts ? ` after ${attempts} attempts` : ''} (${name || 'HTTP 429'}).`,
      'THROTTLED',
      {
        cause: error,
        suggestions: ['Run again with a lower --max-rps, or when other tools are not calling Identity Center.'],
      },
    )
  }

  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && status >= 500) {
    return new NetworkError(
      `${operation}${where} failed with HTTP ${status} (${name}) after retries.`,
      'SERVICE_UNAVAILABLE',
      {
        cause: error,
      },
    )
  }

  return new SsokitError(`${operation}${where} failed: ${name || 'Error'}${detail ? `: ${detail}` : ''}`, 'AWS_ERROR', {
    cause: error,
  })
}

/** What went wrong in an SDK call, reduced to what the SSO code decides on. */
export type AwsFailure =
  | {code: string; kind: 'service'; message: string; status?: number}
  | {code?: string; kind: 'aborted'; message: string}
  | {code?: string; kind: 'network'; message: string; tls: boolean}
  | {kind: 'other'; message: string}

/** The kind of failure of an SDK v3 call: a service's answer, no answer (network, TLS), an abort, or something else. */
export function describeFailure(error: unknown): AwsFailure {
  const e = asLike(error) as AwsErrorLike & {$fault?: string; error_description?: unknown}
  const message = e.message ?? String(error)
  if (e.name === 'AbortError') return {kind: 'aborted', message}
  if (e.$metadata?.httpStatusCode !== undefined && e.$fault) {
    // OIDC errors carry the text in `error_description` (the SDK's message is then "UnknownError").
    const text = typeof e.error_description === 'string' && e.error_description !== '' ? e.error_description : message
    return {code: e.name ?? 'Error', kind: 'service', message: text, status: e.$metadata.httpStatusCode}
  }

  if (isConnectionError(e)) return {code: nodeCode(e) ?? e.name, kind: 'network', message, tls: isTlsError(e)}
  return {kind: 'other', message}
}

/**
 * A failed call as an ssokit error, for callers that handled the codes they know: TLS, no connection,
 * throttling and 5xx → exit 6; the rest → exit 1 (AWS_ERROR).
 */
export function failureToError(operation: string, failure: AwsFailure, cause: unknown): SsokitError {
  switch (failure.kind) {
    case 'network': {
      if (failure.tls) {
        return new NetworkError(`${operation} failed: TLS verification failed (${failure.message}).`, 'TLS', {
          cause,
          suggestions: [
            'If a proxy intercepts TLS, trust its CA: AWS_CA_BUNDLE=/path/to/ca.pem (ssokit and the AWS CLI) or NODE_EXTRA_CA_CERTS.',
            'ssokit doctor checks the CA bundle and the proxy settings.',
          ],
        })
      }

      return new NetworkError(`${operation} failed: cannot reach the endpoint (${failure.message}).`, 'NETWORK', {
        cause,
        suggestions: ['Check the network, the proxy variables and AWS_ENDPOINT_URL*; ssokit doctor checks them.'],
      })
    }

    case 'service': {
      if (THROTTLING.has(failure.code) || failure.status === 429) {
        return new NetworkError(`${operation} was throttled (${failure.code}: ${failure.message}).`, 'THROTTLED', {
          cause,
        })
      }

      if ((failure.status ?? 0) >= 500) {
        return new NetworkError(
          `${operation} failed on the service side (${failure.code}: ${failure.message}).`,
          'SERVICE_UNAVAILABLE',
          {cause},
        )
      }

      return new SsokitError(`${operation} failed (${failure.code}: ${failure.message}).`, 'AWS_ERROR', {cause})
    }

    default: {
      return new SsokitError(`${operation} failed: ${failure.message}`, 'AWS_ERROR', {cause})
    }
  }
}
