/**
 * What `ssokit doctor explain` would say about an AWS failure a check met: the cause in one sentence, whether
 * a new login fixes it, and the fix. A small mapping of doctor's own, behind this one function, until doctor
 * and explain share the classifier (its categories are those of `doctor explain`).
 */
import {isConnectionError, isThrottlingError, isTlsError} from '../../aws/errors.js'
import {LoginRequiredError, messageOf, SsokitError} from '../../errors.js'

export interface Advice {
  category:
    'invalid-grant' | 'network' | 'sso-login-required' | 'sso-no-access' | 'throttled' | 'tls-verification' | 'unknown'
  cause: string
  fix: null | string
  loginFixes: boolean
}

export interface AdviceContext {
  accountId?: string
  /** The login that fixes this session. */
  loginCommand?: string
  /** The operation that failed, e.g. `GetRoleCredentials`. */
  operation: string
  roleName?: string
}

const CA_FIX =
  'If a proxy or gateway intercepts TLS, put its CA certificate (PEM) in a file and set AWS_CA_BUNDLE to it (ssokit and the AWS CLI); Node tools on the AWS SDK for JavaScript need NODE_EXTRA_CA_CERTS.'

export function adviceFor(error: unknown, context: AdviceContext): Advice {
  const cause = rootError(error)
  const code = serviceCode(cause)
  const status = (cause as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
  const login = context.loginCommand ?? 'ssokit login'
  if (code === 'UnauthorizedException' || status === 401) {
    return {
      category: 'sso-login-required',
      cause: `${context.operation} answered UnauthorizedException (HTTP 401): the access portal rejected the session token (revoked, ended, or issued for another region).`,
      fix: login,
      loginFixes: true,
    }
  }

  if (code === 'ForbiddenException' || status === 403) return noAccess(context)

  if (code === 'InvalidGrantException' || code === 'InvalidClientException') {
    return {
      category: 'invalid-grant',
      cause: `${context.operation} answered ${code}: IAM Identity Center refused the refresh, so the session has ended.`,
      fix: login,
      loginFixes: true,
    }
  }

  if (isThrottlingError(cause) || status === 429) {
    return {
      category: 'throttled',
      cause: `${context.operation} was throttled (${code ?? 'HTTP 429'}). A new login does not help.`,
      fix: 'Wait a moment and run again; resolve fewer profiles at once.',
      loginFixes: false,
    }
  }

  if (isTlsError(cause)) {
    return {
      category: 'tls-verification',
      cause: `TLS verification failed for ${context.operation}: ${messageOf(cause)}.`,
      fix: CA_FIX,
      loginFixes: false,
    }
  }

  if (isConnectionError(cause)) {
    return {
      category: 'network',
      cause: `${context.operation} could not reach the endpoint: ${messageOf(cause)}.`,
      fix: 'Check the network, the proxy variables and AWS_ENDPOINT_URL* (the network checks above show which part fails).',
      loginFixes: false,
    }
  }

  return otherAdvice(error, context)
}

/** 403 from the portal: no assignment. The handover to `doctor access`, which shows the admin side. */
function noAccess(context: AdviceContext): Advice {
  const {accountId, operation, roleName} = context
  const what = accountId && roleName ? `role ${roleName} in account ${accountId}` : 'this role'
  return {
    category: 'sso-no-access',
    cause: `${operation} answered ForbiddenException (HTTP 403, "No access"): you are not assigned ${what}, or the assignment was removed. A new login does not help.`,
    fix: `Ask an IAM Identity Center administrator to run: ssokit doctor access --user YOUR_USER${accountId ? ` --account ${accountId}` : ''}${roleName ? ` --permission-set ${roleName}` : ''}`,
    loginFixes: false,
  }
}

function otherAdvice(error: unknown, context: AdviceContext): Advice {
  if (error instanceof LoginRequiredError)
    return {category: 'sso-login-required', cause: error.message, fix: error.loginCommand, loginFixes: true}
  return {
    category: 'unknown',
    cause: `${context.operation} failed: ${messageOf(error)}`,
    fix: error instanceof SsokitError ? (error.suggestions[0] ?? null) : null,
    loginFixes: false,
  }
}

/** The SDK error under ssokit's typed error (kept as `cause`), or the error itself. */
function rootError(error: unknown): unknown {
  let current = error
  for (let depth = 0; depth < 3 && current instanceof SsokitError && current.cause !== undefined; depth++)
    current = current.cause
  return current
}

function serviceCode(error: unknown): string | undefined {
  const e = error as {$metadata?: unknown; name?: string}
  return e && typeof e === 'object' && e.$metadata !== undefined ? e.name : undefined
}

/** The advice as one sentence and a fix, for a check result. */
export function adviceText(advice: Advice): {fix: null | string; message: string} {
  return {
    fix: advice.fix,
    message: `${advice.cause} (${advice.category}; a new login ${advice.loginFixes ? 'fixes it' : 'does not help'})`,
  }
}
