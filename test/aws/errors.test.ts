import {describe, expect, it} from 'vitest'

import {
  AwsAccessDeniedError,
  classifyAwsError,
  credentialsError,
  isRegionUnavailableError,
  isThrottlingError,
} from '../../src/aws/errors.js'
import {ExitCode} from '../../src/exit-codes.js'

function serviceError(
  name: string,
  status: number,
  message = `${name} message`,
): Error & {$metadata: {httpStatusCode: number}} {
  return Object.assign(new Error(message), {$metadata: {httpStatusCode: status}, name})
}

function socketError(code: string, message: string, endpoint?: string): Error {
  return Object.assign(new Error(message), {code, ...(endpoint ? {ssokitEndpoint: endpoint} : {})})
}

const listInstances = {action: 'sso:ListInstances', region: 'eu-west-1'}

describe('classifyAwsError', () => {
  it('maps access denied (JSON and query spellings) to exit 5, naming the operation and the IAM permission', () => {
    for (const name of ['AccessDeniedException', 'AccessDenied']) {
      const error = classifyAwsError(
        serviceError(name, 400, 'User: arn:aws:iam::1:user/x is not authorized'),
        listInstances,
      )
      expect(error).toBeInstanceOf(AwsAccessDeniedError)
      expect(error.exit).toBe(ExitCode.PERMISSION_DENIED)
      expect(error.code).toBe('ACCESS_DENIED')
      expect(error.message).toContain('ListInstances in eu-west-1 needs the IAM permission sso:ListInstances')
      expect(error.message).toContain('is not authorized')
      expect((error as AwsAccessDeniedError).action).toBe('sso:ListInstances')
    }
  })

  it('maps expired and rejected credentials to exit 4 with the login command', () => {
    const expired = classifyAwsError(serviceError('ExpiredTokenException', 400), listInstances, 'admin')
    expect(expired.exit).toBe(ExitCode.LOGIN_REQUIRED)
    expect(expired).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'credentials-expired'})
    expect(expired.suggestions.join(' ')).toContain('ssokit login --profile admin')
    const stsExpired = classifyAwsError(serviceError('ExpiredToken', 403), {action: 'sts:GetCallerIdentity'})
    expect(stsExpired).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'credentials-expired'})
    const invalid = classifyAwsError(serviceError('InvalidClientTokenId', 403), {action: 'sts:GetCallerIdentity'})
    expect(invalid.exit).toBe(ExitCode.LOGIN_REQUIRED)
    expect(invalid).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'credentials-rejected'})
  })

  it('maps connection failures and timeouts to exit 6, naming the endpoint', () => {
    const refused = classifyAwsError(
      socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', 'http://127.0.0.1:9/'),
      listInstances,
    )
    expect(refused.exit).toBe(ExitCode.NETWORK)
    expect(refused.code).toBe('NETWORK')
    expect(refused.message).toContain('http://127.0.0.1:9/')
    const wrapped = classifyAwsError(
      Object.assign(new Error('outer'), {cause: socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND sso.x')}),
      listInstances,
    )
    expect(wrapped.exit).toBe(ExitCode.NETWORK)
    const timeout = classifyAwsError(Object.assign(new Error('timed out'), {name: 'TimeoutError'}), listInstances)
    expect(timeout.exit).toBe(ExitCode.NETWORK)
  })

  it('maps TLS failures to exit 6 with code TLS and the CA bundle advice', () => {
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'EPROTO',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      const error = classifyAwsError(socketError(code, `tls: ${code}`, 'https://127.0.0.1:1/'), listInstances)
      expect(error.exit).toBe(ExitCode.NETWORK)
      expect(error.code).toBe('TLS')
      expect(error.suggestions.join(' ')).toContain('AWS_CA_BUNDLE')
    }
  })

  it('maps throttling and 5xx that outlived the retries to exit 6, and anything else to exit 1', () => {
    const throttled = classifyAwsError(
      Object.assign(serviceError('ThrottlingException', 400), {$metadata: {attempts: 12, httpStatusCode: 400}}),
      listInstances,
    )
    expect(throttled.code).toBe('THROTTLED')
    expect(throttled.message).toContain('after 12 attempts')
    expect(classifyAwsError(serviceError('InternalServerException', 500), listInstances).exit).toBe(ExitCode.NETWORK)
    const other = classifyAwsError(serviceError('ValidationException', 400, 'bad input'), listInstances)
    expect(other.exit).toBe(ExitCode.FINDINGS)
    expect(other.message).toBe('ListInstances in eu-west-1 failed: ValidationException: bad input')
  })
})

describe('credentialsError', () => {
  it('tells a missing chain, a missing profile and an expired SSO login apart', () => {
    const none = credentialsError(
      Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'}),
      undefined,
    )
    expect(none.exit).toBe(ExitCode.LOGIN_REQUIRED)
    expect(none).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'no-credentials'})
    const missing = credentialsError(
      Object.assign(
        new Error('Could not resolve credentials using profile: [nope] in configuration/credentials file(s).'),
        {name: 'CredentialsProviderError'},
      ),
      'nope',
    )
    expect(missing.exit).toBe(ExitCode.USAGE)
    expect(missing.message).toContain('Profile nope')
    const sso = credentialsError(
      Object.assign(new Error('The SSO session token associated with profile=admin was not found or is invalid.'), {
        name: 'CredentialsProviderError',
      }),
      'admin',
    )
    expect(sso).toMatchObject({code: 'LOGIN_REQUIRED', reason: 'token-expired'})
    expect(sso.suggestions).toEqual(['Run: ssokit login --profile admin'])
  })
})

describe('error predicates', () => {
  it('knows throttling by code and by HTTP 429', () => {
    expect(isThrottlingError(serviceError('ThrottlingException', 400))).toBe(true)
    expect(isThrottlingError(serviceError('Whatever', 429))).toBe(true)
    expect(isThrottlingError(serviceError('AccessDeniedException', 400))).toBe(false)
  })

  it('treats not-enabled regions and dead endpoints as unavailable regions, but not a refusal', () => {
    expect(isRegionUnavailableError(serviceError('UnrecognizedClientException', 400))).toBe(true)
    expect(isRegionUnavailableError(serviceError('InvalidClientTokenId', 403))).toBe(true)
    expect(isRegionUnavailableError(serviceError('OptInRequired', 403))).toBe(true)
    expect(isRegionUnavailableError(socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND'))).toBe(true)
    expect(isRegionUnavailableError(serviceError('AccessDeniedException', 400))).toBe(false)
    expect(isRegionUnavailableError(serviceError('InternalServerException', 500))).toBe(false)
  })
})
