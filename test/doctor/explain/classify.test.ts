import {describe, expect, it} from 'vitest'

import {explainText} from '../../../src/doctor/explain/explain.js'
import {CATEGORIES, type Explanation} from '../../../src/doctor/explain/types.js'
import {jsonCases, publicCases} from './fixtures.js'

const LOGIN_FIXES = new Set(['invalid-grant', 'sso-login-required'])
const FIELDS = [
  'account',
  'action',
  'code',
  'deniedBy',
  'operation',
  'permissionSet',
  'profile',
  'resource',
  'ssoSession',
  'user',
] as const

/** The invariants every answer keeps, whatever the text. */
function expectWellFormed(explanation: Explanation): void {
  expect(CATEGORIES).toContain(explanation.category)
  expect(explanation.cause.length).toBeGreaterThan(10)
  expect(explanation.fix).toMatch(/^\S/)
  // Only the sign-in categories say a login helps (without config context).
  expect(explanation.loginFixes).toBe(LOGIN_FIXES.has(explanation.category))
  if (explanation.category === 'unknown') expect(explanation.pattern).toBe('unknown')
}

describe('texts from public issue threads (test/fixtures/explain/public)', () => {
  const cases = publicCases()

  it('has at least 60 texts, each with its source', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60)
    for (const c of cases)
      expect(c.source, c.file).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/)
  })

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const explanation = explainText(c.text)
    expectWellFormed(explanation)
    expect(explanation.category, `${c.file}: matched ${explanation.matched}`).toBe(c.expect.category)
    if (c.expect.pattern) expect(explanation.pattern).toBe(c.expect.pattern)
    if (c.expect.fix) expect(explanation.fix).toBe(c.expect.fix)
    for (const field of FIELDS) {
      const wanted = c.expect[field]
      if (wanted === undefined) continue
      if (wanted === '-') expect(explanation[field], field).toBeUndefined()
      else expect(explanation[field], field).toBe(wanted)
    }
  })
})

describe('every message of the spec catalogue (botocore, AWS CLI, JS SDK)', () => {
  const {cases} = jsonCases('spec')
  it.each(cases.map((c) => [c.text.slice(0, 90).replaceAll('\n', ' '), c] as const))('%s', (_name, c) => {
    const explanation = explainText(c.text)
    expectWellFormed(explanation)
    expect(explanation.category, explanation.matched).toBe(c.expect)
    expect(explanation.loginFixes).toBe(c.loginFixes)
    for (const field of FIELDS) if (c[field] !== undefined) expect(explanation[field], field).toBe(c[field])
    if (c.fix !== undefined) expect(explanation.fix).toBe(c.fix)
    if (c.fixContains !== undefined) expect(explanation.fix).toContain(c.fixContains)
  })
})

describe('every error text the seed documents quote', () => {
  const {cases} = jsonCases('seeds')
  it.each(cases.map((c) => [c.text, c] as const))('%s', (_name, c) => {
    const explanation = explainText(c.text)
    expectWellFormed(explanation)
    expect(explanation.category).toBe(c.expect)
    expect(explanation.loginFixes).toBe(c.loginFixes)
  })
})

describe('texts that must stay unknown', () => {
  const {cases} = jsonCases('unknown')
  it.each(cases.map((c) => [c.text.slice(0, 80).replaceAll('\n', ' ') || '(empty)', c] as const))('%s', (_n, c) => {
    const explanation = explainText(c.text)
    expectWellFormed(explanation)
    expect(explanation.category, `matched ${explanation.pattern}: ${explanation.matched}`).toBe('unknown')
    expect(explanation.fix).toBe('ssokit doctor')
  })
})

describe('finding the error in the noise', () => {
  const error = 'An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access'

  it('reads through ANSI colours, CRLF, progress carriage returns and log prefixes', () => {
    const noisy = [
      '\u001B[1m\u001B[34m$ make deploy\u001B[0m',
      'Uploading 10%\rUploading 50%\rUploading 100%',
      `2026-01-02 03:04:05,678 - MainThread - awscli.clidriver - DEBUG - \u001B[31m${error}\u001B[0m`,
      'make: *** [deploy] Error 254',
    ].join('\r\n')
    const explanation = explainText(noisy)
    expect(explanation).toMatchObject({
      category: 'sso-no-access',
      code: 'ForbiddenException',
      operation: 'GetRoleCredentials',
    })
    expect(explanation.matched).toBe(error)
  })

  it('takes the TLS failure over the "refresh failed" it caused', () => {
    const log = [
      'botocore.exceptions.SSLError: SSL validation failed for https://oidc.us-east-1.amazonaws.com/token [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
      'botocore.exceptions.TokenRetrievalError: Error when retrieving token from sso: Token has expired and refresh failed',
    ].join('\n')
    expect(explainText(log)).toMatchObject({category: 'tls-verification', loginFixes: false, operation: 'CreateToken'})
  })

  it('reads a JSON error document (--cli-error-format json), pretty or on one line', () => {
    expect(
      explainText('{"Code": "UnauthorizedException", "Message": "Session token not found or invalid"}'),
    ).toMatchObject({
      category: 'sso-login-required',
      code: 'UnauthorizedException',
    })
  })

  it('keeps a large log fast and finds the error at its end', () => {
    const noise = Array.from(
      {length: 20_000},
      (_, i) => `2026-01-02 03:04:05,678 - MainThread - botocore.hooks - DEBUG - Event ${i}`,
    )
    const started = performance.now()
    const explanation = explainText([...noise, error].join('\n'))
    expect(explanation.category).toBe('sso-no-access')
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('masks secrets that a pasted text contains, and escapes control characters', () => {
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD4' + 'x7Zq9'.repeat(30)
    const explanation = explainText(
      `An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired aws_session_token=${token} \u001B]0;pwned\u0007`,
    )
    expect(explanation.category).toBe('expired-credentials')
    expect(JSON.stringify(explanation)).not.toContain(token.slice(0, 40))
    expect(JSON.stringify(explanation)).not.toContain('\u0007')
  })
})
