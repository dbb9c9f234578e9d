import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {standardConfig, tempHome} from '../sso/helpers.js'
import {runCli} from '../support/cli.js'

/** `ssokit doctor explain` run as a user runs it (the built CLI; `npm test` builds first). */
describe('ssokit doctor explain', () => {
  const home = tempHome()
  home.writeConfig(standardConfig())
  const env = {...home.env, AWS_PROFILE: ''}

  it('explains a text given as an argument, for people, exit 0', async () => {
    const result = await runCli(
      [
        'doctor',
        'explain',
        'Error when retrieving token from sso: Token has expired and refresh failed',
        '--profile',
        'dev',
      ],
      {env},
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        'sso-login-required: Profile dev uses sso-session corp, which has no cached token: never signed in on this machine, or signed out.',
        '',
        'A new login fixes it. Run:',
        '  ssokit login --sso-session corp',
        '',
        'Found:',
        '  profile        dev',
        '  sso-session    corp',
        '  token          missing',
        '',
      ].join('\n'),
    )
  })

  it('reads stdin when no text is given, and prints the design shape under --json', async () => {
    const text = `Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nbotocore.exceptions.ClientError: An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access\n`
    const result = await runCli(['doctor', 'explain', '--json'], {env: {...env, AWS_PROFILE: 'dev'}, input: text})
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(Object.keys(json).slice(0, 4)).toEqual(['category', 'cause', 'loginFixes', 'fix'])
    expect(json).toMatchObject({
      account: '111122223333',
      category: 'sso-no-access',
      code: 'ForbiddenException',
      fix: 'ssokit doctor access --user <user> --account 111122223333 --permission-set ReadOnly',
      loginFixes: false,
      operation: 'GetRoleCredentials',
      pattern: 'portal-forbidden',
      permissionSet: 'ReadOnly',
      profile: 'dev',
    })
  })

  it('exits 1 for a text it does not recognise, with ssokit doctor as the next step', async () => {
    const result = await runCli(['doctor', 'explain', '--json', 'fatal: Authentication failed for git'], {env})
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({category: 'unknown', fix: 'ssokit doctor', loginFixes: false})
  })

  it('reads the config named by --config-file', async () => {
    const other = tempHome()
    other.writeConfig('[profile staging]\nregion = eu-west-1\n')
    const result = await runCli(
      [
        'doctor',
        'explain',
        '--json',
        '--config-file',
        other.configFile,
        'The config profile (stagin) could not be found',
      ],
      {env},
    )
    expect(JSON.parse(result.stdout)).toMatchObject({fix: 'export AWS_PROFILE=staging', profile: 'stagin'})
  })

  it('never echoes control characters or a token pasted with the error', async () => {
    const secret = 'IQoJb3JpZ2luX2VjEJr' + 'aB3xY9zQ'.repeat(20)
    const result = await runCli(
      [
        'doctor',
        'explain',
        `\u001B]0;title\u0007ExpiredToken: The security token included in the request is expired (token ${secret})`,
      ],
      {env},
    )
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain(secret.slice(0, 30))
    expect(result.stdout).not.toContain('\u0007')
  })

  it('starts fast: explain loads neither the AWS SDK nor other commands', async () => {
    const started = performance.now()
    const result = await runCli(['doctor', 'explain', '--json', 'ForbiddenException: No access'], {
      env: {...env, NODE_DEBUG: 'module'},
    })
    const elapsed = performance.now() - started
    expect(result.code).toBe(0)
    expect(result.stderr).not.toMatch(/@aws-sdk|@smithy/)
    expect(elapsed).toBeLessThan(5000)
    expect(join(home.home)).toBeTruthy()
  })
})
