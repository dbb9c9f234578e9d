/**
 * What `ssokit doctor explain` says about an AWS failure a check met: the cause in one sentence, whether a new
 * login fixes it, and the fix, made specific with what the check knows (the session's login, the account and role).
 */
import type {Category} from '../explain/types.js'

import {LoginRequiredError, messageOf, SsokitError} from '../../errors.js'
import {doctorAccessCommand, explainText} from '../explain/index.js'

export interface Advice {
  category: Category
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

export function adviceFor(error: unknown, context: AdviceContext): Advice {
  if (error instanceof LoginRequiredError) {
    return {category: 'sso-login-required', cause: error.message, fix: error.loginCommand, loginFixes: true}
  }

  const cause = rootError(error)
  const code = serviceCode(cause)
  const status = (cause as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
  // The text the AWS CLI would print for it, read by the one classifier of error texts (doctor explain).
  const node = (cause as {code?: unknown}).code
  const text = code
    ? `An error occurred (${code}) when calling the ${context.operation} operation: ${messageOf(cause)}`
    : `${context.operation} failed: ${typeof node === 'string' ? `${node}: ` : ''}${messageOf(cause)}`
  const explained = explainText(text)
  if (explained.category === 'unknown') return otherAdvice(error, context)
  const answered = code
    ? `${context.operation} answered ${code}${status ? ` (HTTP ${status}${status === 403 ? ', "No access"' : ''})` : ''}: `
    : ''
  let {fix} = explained
  if (explained.loginFixes && context.loginCommand) fix = context.loginCommand
  if (explained.category === 'sso-no-access') {
    const command = doctorAccessCommand({
      account: context.accountId,
      permissionSet: context.roleName,
      user: 'YOUR_USER',
    })
    if (command) fix = `Ask an IAM Identity Center administrator to run: ${command}`
  }

  return {category: explained.category, cause: answered + explained.cause, fix, loginFixes: explained.loginFixes}
}

function otherAdvice(error: unknown, context: AdviceContext): Advice {
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
