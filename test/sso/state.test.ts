import {describe, expect, it} from 'vitest'

import type {CachedToken, TokenRead} from '../../src/sso/cache.js'

import {shellWord} from '../../src/shell.js'
import {chooseFlow, type FlowEnvironment} from '../../src/sso/flow.js'
import {needsLogin, tokenState} from '../../src/sso/state.js'
import {allTargets, requireComplete, selectProfile, selectTarget} from '../../src/sso/target.js'

const NOW = new Date('2026-11-22T10:00:00Z')
const token = (expiresAt: string, extra: Partial<CachedToken> = {}): TokenRead => ({
  path: '/x.json',
  status: 'ok',
  token: {
    accessToken: 'a',
    clientId: 'c',
    clientSecret: 's',
    expiresAt,
    refreshToken: 'r',
    registrationExpiresAt: '2027-01-01T00:00:00Z',
    ...extra,
  },
})

describe('tokenState', () => {
  it('tells valid, expiring, refreshable, expired and missing apart at the 15-minute window', () => {
    const state = (read: TokenRead, refreshes = true) => tokenState(read, NOW, {refreshes}).state
    expect(state(token('2026-11-22T10:15:00Z'))).toBe('valid')
    expect(state(token('2026-11-22T10:14:59Z'))).toBe('expiring')
    expect(state(token('2026-11-22T10:00:01Z'))).toBe('expiring')
    expect(state(token('2026-11-22T10:00:00Z'))).toBe('refreshable')
    expect(state(token('2026-11-22T09:00:00Z', {registrationExpiresAt: '2026-11-22T09:59:59Z'}))).toBe('expired')
    expect(state(token('2026-11-22T09:00:00Z', {refreshToken: undefined}))).toBe('expired')
    expect(state(token('2026-11-22T09:00:00Z', {clientSecret: undefined}))).toBe('expired')
    expect(state(token('2026-11-22T09:00:00Z'), false)).toBe('expired')
    expect(state({path: '/x.json', status: 'missing'})).toBe('missing')
    expect(tokenState({path: '/x.json', reason: 'not valid JSON', status: 'invalid'}, NOW, {refreshes: true})).toEqual({
      expiresAt: null,
      hasRefreshToken: false,
      problem: '/x.json: not valid JSON',
      registrationExpiresAt: null,
      state: 'missing',
    })
  })

  it('normalises times to the CLI format and reports refresh-token presence', () => {
    expect(tokenState(token('2026-11-22T12:00:00.000Z'), NOW, {refreshes: true})).toEqual({
      expiresAt: '2026-11-22T12:00:00Z',
      hasRefreshToken: true,
      registrationExpiresAt: '2027-01-01T00:00:00Z',
      state: 'valid',
    })
  })

  it('needs a login only when expired, missing or revoked', () => {
    expect(
      ['valid', 'expiring', 'refreshable', 'expired', 'missing', 'revoked'].filter((s) => needsLogin(s as never)),
    ).toEqual(['expired', 'missing', 'revoked'])
  })

  it('applies what ssokit learned: a refused refresh is expired, a rejected token revoked', () => {
    const refused = {
      at: '2026-11-22T09:59:00Z',
      code: 'InvalidGrantException',
      kind: 'refresh-refused' as const,
      operation: 'CreateToken',
    }
    const rejected = {
      at: '2026-11-22T09:59:00Z',
      code: 'UnauthorizedException',
      kind: 'token-rejected' as const,
      operation: 'ListAccounts',
    }
    const state = (read: TokenRead, learned: (typeof refused | typeof rejected)[]) =>
      tokenState(read, NOW, {learned, refreshes: true})
    expect(state(token('2026-11-22T09:00:00Z'), [refused])).toMatchObject({learned: refused, state: 'expired'})
    // Still usable until it expires: a refused refresh does not end a token that works.
    expect(state(token('2026-11-22T10:10:00Z'), [refused]).state).toBe('expiring')
    expect(state(token('2026-11-22T12:00:00Z'), [refused, rejected])).toMatchObject({
      learned: rejected,
      state: 'revoked',
    })
    expect(state(token('2026-11-22T09:00:00Z'), []).state).toBe('refreshable')
  })
})

describe('chooseFlow', () => {
  const laptop: FlowEnvironment = {
    ci: {isCI: false, name: null},
    env: {DISPLAY: ':0'},
    insideContainer: false,
    platform: 'linux',
  }

  it('picks PKCE where a local browser can reach the loopback', () => {
    expect(chooseFlow('auto', 'sso-session', laptop).flow).toBe('pkce')
    expect(chooseFlow('auto', 'sso-session', {...laptop, env: {}, platform: 'darwin'}).flow).toBe('pkce')
    expect(chooseFlow('auto', 'sso-session', {...laptop, env: {WAYLAND_DISPLAY: 'wayland-0'}}).flow).toBe('pkce')
  })

  it('picks device code over SSH, in a container, in CI, or with no display, and says why', () => {
    expect(chooseFlow('auto', 'sso-session', {...laptop, env: {DISPLAY: ':0', SSH_TTY: '/dev/pts/1'}})).toEqual({
      flow: 'device-code',
      reason:
        "this is an SSH session (SSH_TTY is set), so a browser may not reach this machine's 127.0.0.1 (use --flow pkce to override)",
    })
    expect(chooseFlow('auto', 'sso-session', {...laptop, insideContainer: true}).reason).toMatch(
      /^this runs inside a container/,
    )
    expect(chooseFlow('auto', 'sso-session', {...laptop, ci: {isCI: true, name: 'GitHub Actions'}}).reason).toMatch(
      /^this runs in CI \(GitHub Actions\)/,
    )
    expect(chooseFlow('auto', 'sso-session', {...laptop, env: {}}).reason).toMatch(/^there is no graphical display/)
  })

  it('does what it is told, except PKCE for a legacy profile', () => {
    expect(chooseFlow('pkce', 'sso-session', {...laptop, insideContainer: true})).toEqual({
      flow: 'pkce',
      reason: '--flow pkce was given',
    })
    expect(chooseFlow('device-code', 'sso-session', laptop).flow).toBe('device-code')
    expect(chooseFlow('auto', 'legacy', laptop).flow).toBe('device-code')
  })
})

describe('targets', () => {
  const config = {
    profiles: [
      {
        accountId: '111122223333',
        kind: 'sso-session' as const,
        profile: 'dev',
        region: 'us-east-1',
        roleName: 'ReadOnly',
        ssoSession: 'corp',
        startUrl: 'https://a/start',
      },
      {
        kind: 'sso-session' as const,
        profile: 'token-only',
        region: 'us-east-1',
        ssoSession: 'corp',
        startUrl: 'https://a/start',
      },
      {
        accountId: '111122223333',
        kind: 'legacy' as const,
        profile: 'old',
        region: 'us-west-2',
        roleName: 'Admin',
        startUrl: 'https://b/start',
      },
      {
        accountId: '444455556666',
        kind: 'legacy' as const,
        profile: 'old2',
        region: 'us-west-2',
        roleName: 'Admin',
        startUrl: 'https://b/start',
      },
      {kind: 'sso-session' as const, profile: 'dangling', ssoSession: 'gone'},
    ],
    sessions: [
      {name: 'corp', region: 'us-east-1', registrationScopes: ['sso:account:access'], startUrl: 'https://a/start'},
      {name: 'my team', startUrl: 'https://c/start'},
    ],
  }

  it('lists sessions, then each legacy start URL once', () => {
    expect(allTargets(config).map((t) => [t.kind, t.name, t.profiles])).toEqual([
      ['sso-session', 'corp', ['dev', 'token-only']],
      ['sso-session', 'my team', []],
      ['legacy', 'https://b/start', ['old', 'old2']],
    ])
    expect(allTargets(config)[0].roles).toEqual([{accountId: '111122223333', roleName: 'ReadOnly'}])
  })

  it('selects by session or profile, with the login command quoted for a shell', () => {
    expect(selectTarget(config, {profile: 'dev'})).toMatchObject({
      loginCommand: 'ssokit login --sso-session corp',
      tokenKey: {sessionName: 'corp'},
    })
    expect(selectTarget(config, {profile: 'old'})).toMatchObject({
      loginCommand: 'ssokit login --profile old',
      tokenKey: {startUrl: 'https://b/start'},
    })
    expect(selectTarget(config, {ssoSession: 'my team'})).toMatchObject({
      loginCommand: "ssokit login --sso-session 'my team'",
      registrationScopes: undefined,
    })
    expect(shellWord("it's")).toBe(`'it'\\''s'`)
  })

  it('refuses unknown or ambiguous selections and incomplete settings', () => {
    expect(() => selectTarget(config, {ssoSession: 'nope'})).toThrow(
      expect.objectContaining({code: 'SSO_SESSION_NOT_FOUND', exit: 2}),
    )
    expect(() => selectTarget(config, {profile: 'nope'})).toThrow(
      expect.objectContaining({code: 'PROFILE_NOT_FOUND', exit: 2}),
    )
    expect(() => selectTarget(config, {profile: 'dangling'})).toThrow(
      expect.objectContaining({code: 'SSO_SESSION_MISSING', exit: 3}),
    )
    expect(() => selectTarget(config, {})).toThrow(expect.objectContaining({code: 'SSO_TARGET_REQUIRED', exit: 2}))
    expect(selectTarget({profiles: [], sessions: [config.sessions[0]]}, {}).name).toBe('corp')
    expect(() => requireComplete(selectTarget(config, {ssoSession: 'my team'}))).toThrow(
      expect.objectContaining({
        exit: 3,
        message: 'Missing the following required SSO configuration values in [sso-session my team]: sso_region.',
      }),
    )
    expect(() => selectProfile(config, 'token-only')).toThrow(
      expect.objectContaining({exit: 3, message: expect.stringContaining('sso_account_id, sso_role_name')}),
    )
    expect(selectProfile(config, 'old2')).toMatchObject({
      accountId: '444455556666',
      roleName: 'Admin',
      target: {name: 'https://b/start'},
    })
  })
})
