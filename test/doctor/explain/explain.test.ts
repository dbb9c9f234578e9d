import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {explainError} from '../../../src/doctor/explain/explain.js'
import {type CachedToken, tokenCachePath, writeTokenFile} from '../../../src/sso/cache.js'
import {formatAwsTime} from '../../../src/sso/time.js'
import {standardConfig, type TempHome, tempHome} from '../../sso/helpers.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const HOUR = 3_600_000

function setup(
  config = standardConfig(),
): TempHome & {explain: (text: string, extra?: object) => ReturnType<typeof explainError>} {
  const home = tempHome()
  home.writeConfig(config)
  const paths = {configFile: home.configFile, credentialsFile: join(home.home, '.aws', 'credentials')}
  return {
    ...home,
    explain: (text, extra = {}) => explainError(text, {cacheDir: home.cacheDir, env: {}, now: NOW, paths, ...extra}),
  }
}

async function plantToken(
  home: TempHome,
  key: {sessionName: string} | {startUrl: string},
  token: Partial<CachedToken> & {expiresInMs: number},
) {
  mkdirSync(home.cacheDir, {recursive: true, mode: 0o700})
  const {expiresInMs, ...rest} = token
  await writeTokenFile(tokenCachePath(key, home.cacheDir), {
    accessToken: 'aoa-test-access-token-0123456789',
    expiresAt: formatAwsTime(new Date(NOW.getTime() + expiresInMs)),
    region: 'us-east-1',
    startUrl: 'https://d-1234567890.awsapps.com/start',
    ...rest,
  })
}

const REFRESH = {
  clientId: 'client-id-0123456789',
  clientSecret: 'client-secret-0123456789',
  refreshToken: 'aor-refresh-token-0123456789',
  registrationExpiresAt: formatAwsTime(new Date(NOW.getTime() + 30 * 24 * HOUR)),
}

describe('explain with the config and the token cache', () => {
  it('names the session of the profile and when its token expired, and gives its login command', async () => {
    const home = setup()
    await plantToken(home, {sessionName: 'corp'}, {expiresInMs: -2 * HOUR})
    const explanation = await home.explain(
      'Error when retrieving token from sso: Token has expired and refresh failed',
      {
        profile: 'dev',
      },
    )
    expect(explanation).toMatchObject({
      category: 'sso-login-required',
      cause:
        'Profile dev uses sso-session corp, whose token expired 2 h ago and cannot be refreshed (there is no refresh token).',
      fix: 'ssokit login --sso-session corp',
      loginFixes: true,
      profile: 'dev',
      ssoSession: 'corp',
      token: {expiresAt: '2026-03-01T10:00:00Z', state: 'expired'},
    })
  })

  it('takes the profile from AWS_PROFILE when the text names none, and says it inferred it', async () => {
    const home = setup()
    const explanation = await home.explain('Token has expired and refresh failed', {env: {AWS_PROFILE: 'dev'}})
    expect(explanation.cause).toBe(
      'Profile dev uses sso-session corp, which has no cached token: never signed in on this machine, or signed out.',
    )
    expect(explanation.guessed).toEqual(['profile'])
    expect(explanation.token).toEqual({expiresAt: null, state: 'missing'})
  })

  it('reads the session from "Token for corp does not exist"', async () => {
    const home = setup()
    const explanation = await home.explain('Error loading SSO Token: Token for corp does not exist')
    expect(explanation).toMatchObject({
      fix: 'ssokit login --sso-session corp',
      ssoSession: 'corp',
      token: {state: 'missing'},
    })
    expect(explanation.cause).toBe(
      'There is no cached token for sso-session corp: never signed in on this machine, or signed out.',
    )
  })

  it('says a locally valid token was revoked when the portal answers 401', async () => {
    const home = setup()
    await plantToken(home, {sessionName: 'corp'}, {expiresInMs: 5 * HOUR, ...REFRESH})
    const explanation = await home.explain(
      'An error occurred (UnauthorizedException) when calling the GetRoleCredentials operation: Session token not found or invalid',
      {profile: 'dev'},
    )
    expect(explanation.cause).toMatch(
      /^Profile dev uses sso-session corp, whose token is valid until 2026-03-01T17:00:00Z \(in 5 h\) by its own clock, yet it was refused: it was revoked/,
    )
    expect(explanation).toMatchObject({
      fix: 'ssokit login --sso-session corp',
      loginFixes: true,
      token: {state: 'valid'},
    })
  })

  it('explains a refused refresh of a refreshable token as the end of the Identity Center session', async () => {
    const home = setup()
    await plantToken(home, {sessionName: 'corp'}, {expiresInMs: -30 * 60_000, ...REFRESH})
    const explanation = await home.explain(
      'An error occurred (InvalidGrantException) when calling the CreateToken operation: Invalid refresh token provided',
      {ssoSession: 'corp'},
    )
    expect(explanation).toMatchObject({category: 'invalid-grant', loginFixes: true, token: {state: 'refreshable'}})
    expect(explanation.cause).toBe(
      'The token of sso-session corp expired 30 min ago; its refresh token was refused because the Identity Center session ended.',
    )
  })

  it('gives a legacy profile its own login command', async () => {
    const home = setup()
    await plantToken(home, {startUrl: 'https://d-1234567890.awsapps.com/start'}, {expiresInMs: -HOUR})
    const explanation = await home.explain(
      'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      {profile: 'old'},
    )
    expect(explanation.fix).toBe('ssokit login --profile old')
    expect(explanation.cause).toContain(
      'expired 1 h ago and cannot be refreshed (a legacy profile: tools never refresh it)',
    )
  })

  it('asks for --profile instead of guessing when several sessions could be meant', async () => {
    const home = setup(
      `${standardConfig()}\n[sso-session other]\nsso_start_url = https://d-0987654321.awsapps.com/start\nsso_region = eu-west-1\n`,
    )
    const explanation = await home.explain('Token has expired and refresh failed')
    expect(explanation.fix).toBe('ssokit status')
    expect(explanation.notes?.[0]).toContain('pass --profile or --sso-session')
  })

  it('turns a login error of a profile whose sso-session is missing into a config answer', async () => {
    const home = setup(
      '[profile dev]\nsso_session = crop\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n',
    )
    const explanation = await home.explain('Token has expired and refresh failed', {profile: 'dev'})
    expect(explanation).toMatchObject({
      category: 'sso-config-missing',
      fix: `In [profile dev] of ${home.configFile}, write: sso_session = corp`,
      loginFixes: false,
    })
  })

  it('offers the closest profile name, and lists the profiles', async () => {
    const home = setup()
    const explanation = await home.explain('The config profile (deev) could not be found')
    expect(explanation).toMatchObject({category: 'profile-not-found', fix: 'export AWS_PROFILE=dev', profile: 'deev'})
    expect(explanation.cause).toBe('There is no profile deev; the closest is dev.')
    expect(explanation.notes).toEqual(['Profiles: dev, old.'])
  })

  it('finds a profile written without the `profile` prefix', async () => {
    const home = setup('[dev]\nregion = eu-west-1\n')
    const explanation = await home.explain('The config profile (dev) could not be found')
    expect(explanation.fix).toBe(`Edit ${home.configFile} line 1: write the header as [profile dev]`)
  })

  it('names the missing [sso-session] and writes it from the portal other profiles use', async () => {
    const home = setup(
      '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[profile old]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n',
    )
    const explanation = await home.explain('The specified sso-session does not exist: "corp"')
    expect(explanation.cause).toBe(`There is no [sso-session corp] in ${home.configFile} (used by dev).`)
    expect(explanation.fix).toBe(
      `Add to ${home.configFile}: [sso-session corp] sso_start_url = https://d-1234567890.awsapps.com/start sso_region = us-east-1`,
    )
    expect(explanation.guessed).toContain('fix')
  })

  it('points at the line of the config that makes botocore reject the file', async () => {
    const home = setup(`${standardConfig()}\n[profile dev]\nregion = us-east-1\n`)
    const explanation = await home.explain(`aws: [ERROR]: Unable to parse config file: ${home.configFile}`)
    expect(explanation.category).toBe('config-parse-error')
    expect(explanation.cause).toMatch(
      new RegExp(`^${home.configFile} line 18: \\[profile dev\\] already appears on line 6`),
    )
    expect(explanation.fix).toBe(`Edit ${home.configFile} line 18 ([profile dev]), then check with: ssokit lint`)
  })

  it('proposes ssokit lint --fix when every such finding is fixable (a byte-order mark)', async () => {
    const home = setup(`\uFEFF${standardConfig()}`)
    const explanation = await home.explain(`Unable to parse config file: ${home.configFile}`)
    expect(explanation.fix).toBe('ssokit lint --fix')
  })

  it('uses the file and line configparser names, even the credentials file', async () => {
    const home = setup()
    const credentials = join(home.home, '.aws', 'credentials')
    writeFileSync(
      credentials,
      '[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\naws_access_key_id = AKIAOTHER\n',
    )
    const explanation = await home.explain(
      `configparser.DuplicateOptionError: While reading from '${credentials}' [line  4]: option 'aws_access_key_id' in section 'ci' already exists`,
    )
    expect(explanation.cause).toMatch(new RegExp(`^${credentials} line 4: `))
  })

  it('fills account and permission set of a ForbiddenException from the profile', async () => {
    const home = setup()
    const explanation = await home.explain(
      'An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access',
      {
        profile: 'dev',
      },
    )
    expect(explanation).toMatchObject({
      account: '111122223333',
      category: 'sso-no-access',
      fix: 'ssokit doctor access --user <user> --account 111122223333 --permission-set ReadOnly',
      loginFixes: false,
      permissionSet: 'ReadOnly',
    })
    expect(explanation.guessed).toEqual(['account', 'permissionSet'])
    expect(explanation.notes).toContain(
      'To see what you can reach: ssokit generate --from-portal --sso-session corp --dry-run',
    )
  })

  it('recognises the IAM role name written where the permission set name belongs', async () => {
    const home = setup(
      standardConfig().replace('sso_role_name = ReadOnly', 'sso_role_name = AWSReservedSSO_ReadOnly_0123456789abcdef'),
    )
    const explanation = await home.explain('ForbiddenException: No access', {profile: 'dev'})
    expect(explanation.fix).toBe(`In [profile dev] of ${home.configFile}, write: sso_role_name = ReadOnly`)
  })

  it('says AWS_CA_BUNDLE names a file that does not exist', async () => {
    const home = setup()
    const explanation = await home.explain(
      'SSL validation failed for https://sts.us-east-1.amazonaws.com/ [Errno 2] No such file or directory',
      {env: {AWS_CA_BUNDLE: '/nowhere/ca.pem'}},
    )
    expect(explanation).toMatchObject({
      cause: 'AWS_CA_BUNDLE names /nowhere/ca.pem, which does not exist, so no certificate can be verified.',
      fix: 'unset AWS_CA_BUNDLE',
    })
  })

  it('writes the region line into the profile, with the region of its session', async () => {
    const home = setup(
      '[profile ci]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-central-1\n',
    )
    const explanation = await home.explain('botocore.exceptions.NoRegionError: You must specify a region.', {
      profile: 'ci',
    })
    expect(explanation.fix).toBe(`In [profile ci] of ${home.configFile} (line 1), add: region = eu-central-1`)
  })

  it('asks for a login when role credentials expired and the SSO token is expired too', async () => {
    const home = setup()
    await plantToken(home, {sessionName: 'corp'}, {expiresInMs: -HOUR})
    const explanation = await home.explain(
      'An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired',
      {profile: 'dev'},
    )
    expect(explanation).toMatchObject({
      category: 'expired-credentials',
      fix: 'ssokit login --sso-session corp',
      loginFixes: true,
    })
  })

  it('reads no file when the config cannot be read, and still answers from the text', async () => {
    const explanation = await explainError('ForbiddenException: No access', {
      env: {},
      paths: {configFile: '/proc/self', credentialsFile: '/nowhere/credentials'},
      profile: 'dev',
    })
    expect(explanation.category).toBe('sso-no-access')
    expect(explanation.notes?.[0]).toMatch(/^The config could not be read: /)
  })
})
