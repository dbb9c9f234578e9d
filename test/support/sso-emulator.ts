import type {AddressInfo} from 'node:net'

/**
 * An emulator of the two IAM Identity Center services a signed-in user talks to, following their REST-JSON wire
 * protocol closely enough that the real clients (AWS SDK for JavaScript v3, botocore) work unchanged when pointed
 * at it with AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO (the `sso-oidc` and `sso` service models in botocore's data folder):
 *
 * - `sso-oidc`: POST /client/register (RegisterClient), POST /device_authorization (StartDeviceAuthorization),
 *   POST /token (CreateToken: device code, authorization code with PKCE S256 verification, refresh token), and the
 *   unmodelled browser page GET /authorize, which redirects back to the loopback callback. Errors are 4xx/5xx with
 *   `x-amzn-ErrorType` and a body `{"error": "<oauth code>", "error_description": "..."}`.
 * - `sso` portal: GET /assignment/accounts (ListAccounts), GET /assignment/roles (ListAccountRoles),
 *   GET /federation/credentials (GetRoleCredentials), POST /logout (Logout). The access token comes in the
 *   `x-amz-sso_bearer_token` header; queries use `account_id`, `role_name`, `next_token`, `max_result`;
 *   `expiration` is epoch milliseconds; errors carry `x-amzn-ErrorType` and `{"message": "..."}`.
 *
 * Tests seed it with accounts, roles and users, play the user (approve a device code, follow the authorize URL as
 * a browser would), plant tokens, and inject faults per operation.
 */
import {createHash, randomBytes, randomUUID} from 'node:crypto'
import {createServer, request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http'

export type EmulatorOperation =
  | 'Authorize'
  | 'CreateToken'
  | 'GetRoleCredentials'
  | 'ListAccountRoles'
  | 'ListAccounts'
  | 'Logout'
  | 'RegisterClient'
  | 'StartDeviceAuthorization'

export interface EmulatorAccount {
  accountId: string
  accountName: string
  emailAddress?: string
  roles: string[]
}

export interface EmulatorUser {
  /** accountId → role names this user may use; absent: every seeded account and role. */
  access?: Record<string, string[]>
  userName: string
}

export interface SsoEmulatorOptions {
  /** Access-token lifetime in seconds (default 3600). */
  accessTokenExpiresIn?: number
  accounts?: EmulatorAccount[]
  /** Lifetime of an authorization code (default 300 s). */
  authCodeExpiresIn?: number
  /** Device-code lifetime in seconds (default 600). */
  deviceCodeExpiresIn?: number
  /** The polling `interval` StartDeviceAuthorization returns, in seconds (default 1; 0 lets tests poll at once). */
  deviceCodeInterval?: number
  /** Answer SlowDownException when CreateToken polls a device code faster than its interval (default false). */
  enforcePollInterval?: boolean
  /** Largest page ListAccounts / ListAccountRoles return, whatever `max_result` asks (default 100). */
  pageSize?: number
  /** Client-registration lifetime in seconds (default 90 days). */
  registrationExpiresIn?: number
  /** Role-credential lifetime in seconds (default 3600). */
  roleCredentialsExpiresIn?: number
  /** Users; the first one approves when a test does not name one (default one user, `alice`, with all access). */
  users?: EmulatorUser[]
}

export interface RecordedRequest {
  body: unknown
  headers: Record<string, string | string[] | undefined>
  method: string
  operation: 'Device' | 'Unknown' | EmulatorOperation
  path: string
  query: Record<string, string>
}

export interface FaultOptions {
  errorType?: string
  message?: string
  /** How many requests get the fault (default: every one until {@link SsoEmulator.clearFaults}). */
  times?: number
}

/** A token as a cache file holds it, for tests that plant a login. */
export interface IssuedToken {
  accessToken: string
  clientId: string
  clientSecret: string
  expiresAt: string
  refreshToken?: string
  region: string
  registrationExpiresAt: string
  startUrl: string
}

export interface IssueTokenOptions {
  /** Seconds until the access token expires for the emulator (negative: already expired). */
  expiresIn?: number
  /** Give a refresh token (default true). */
  refreshable?: boolean
  region?: string
  /** Seconds until the client registration expires (negative: expired). */
  registrationExpiresIn?: number
  startUrl?: string
  userName?: string
}

export interface FollowAuthorizeOptions {
  /** Deny the request on the consent page (the callback gets `error=access_denied`). */
  deny?: boolean
  /** Replace the `state` in the redirect, as a forged or stale callback would carry. */
  state?: string
  userName?: string
}

export interface FollowAuthorizeResult {
  /** Status of the /authorize answer (302 when it redirected). */
  authorizeStatus: number
  /** Body of the loopback callback's answer. */
  callbackBody?: string
  /** Status of the loopback callback's answer. */
  callbackStatus?: number
  /** Where /authorize redirected the browser. */
  location?: string
}

export interface SsoEmulator {
  /** Approves a pending device code as `userName` (default: the first user). */
  approveDevice(userCode: string, userName?: string): void
  clearFaults(): void
  close(): Promise<void>
  /** Denies a pending device code (CreateToken then answers AccessDeniedException). */
  denyDevice(userCode: string): void
  /** Environment variables that point both SDKs at the emulator. */
  env(): Record<string, string>
  /** Plays the browser: opens the authorize URL, signs in as a user, and follows the redirect to the loopback callback. */
  followAuthorize(url: string, options?: FollowAuthorizeOptions): Promise<FollowAuthorizeResult>
  /** Every secret the emulator handed out: access and refresh tokens, client secrets, role credentials. */
  issuedSecrets(): {roleCredentials: string[]; tokens: string[]}
  /** Registers a client and signs a user in without any flow, for tests that plant a token cache. */
  issueToken(options?: IssueTokenOptions): IssuedToken
  /** The user codes of device authorizations not yet approved or denied, oldest first. */
  pendingUserCodes(): string[]
  readonly requests: RecordedRequest[]
  /** Ends every session's refresh ability, as when the IAM Identity Center session ends: refreshes get InvalidGrantException. */
  revokeRefreshTokens(): void
  /**
   * Revokes every session, as an administrator who deletes a user's active sessions: the portal answers
   * UnauthorizedException to its access tokens and refreshes get InvalidGrantException.
   */
  revokeSessions(): void
  /** Sends a `Date` header this many milliseconds off the real clock (clock-skew tests); 0 restores it. */
  setDateOffset(ms: number): void
  /** Makes `operation` fail with `status` (error type from the status unless given). */
  setFault(operation: EmulatorOperation, status: number, options?: FaultOptions): void
  /**
   * The role credentials GetRoleCredentials hands out for an account and role (e.g. keys moto issued, so that
   * sts:GetCallerIdentity answers for that role); undefined restores random ones.
   */
  setRoleCredentials(
    provider?: (
      accountId: string,
      roleName: string,
    ) => {accessKeyId: string; secretAccessKey: string; sessionToken: string},
  ): void
  /** The next `count` device-code polls answer SlowDownException. */
  slowDown(count: number): void
  readonly url: string
}

interface Client {
  clientId: string
  clientName: string
  clientSecret: string
  expiresAt: number
  grantTypes?: string[]
  issuerUrl?: string
  redirectUris?: string[]
  scopes?: string[]
}

interface Device {
  approvedBy?: string
  clientId: string
  denied?: boolean
  deviceCode: string
  expiresAt: number
  interval: number
  lastPoll?: number
  startUrl: string
  userCode: string
}

interface AuthCode {
  clientId: string
  codeChallenge: string
  expiresAt: number
  redirectUri: string
  userName: string
}

interface Session {
  clientId: string
  refreshable: boolean
  revoked: boolean
  userName: string
}

interface AccessToken {
  expiresAt: number
  sessionId: string
}

const OIDC_ERRORS: Record<number, [string, string]> = {
  400: ['InvalidRequestException', 'invalid_request'],
  401: ['InvalidClientException', 'invalid_client'],
  403: ['AccessDeniedException', 'access_denied'],
  429: ['TooManyRequestsException', 'too_many_requests'],
  500: ['InternalServerException', 'server_error'],
}

const PORTAL_ERRORS: Record<number, [string, string]> = {
  400: ['InvalidRequestException', 'Invalid request'],
  401: ['UnauthorizedException', 'Session token not found or invalid'],
  403: ['ForbiddenException', 'No access'],
  404: ['ResourceNotFoundException', 'Resource not found'],
  429: ['TooManyRequestsException', 'Rate exceeded'],
  500: ['InternalServerException', 'Internal error'],
}

const OIDC_OPERATIONS = new Set<EmulatorOperation>([
  'Authorize',
  'CreateToken',
  'RegisterClient',
  'StartDeviceAuthorization',
])

const DEFAULT_ACCOUNTS: EmulatorAccount[] = [
  {
    accountId: '111122223333',
    accountName: 'Production',
    emailAddress: 'prod@example.com',
    roles: ['AdministratorAccess', 'ReadOnly'],
  },
]

class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly body: Record<string, string>,
  ) {
    super(type)
  }
}

function oidcError(status: number, type: string, error: string, description: string): WireError {
  return new WireError(status, type, {error, error_description: description})
}

function portalError(status: number, type: string, message: string): WireError {
  return new WireError(status, type, {message})
}

const random = (prefix: string, bytes = 24) => `${prefix}${randomBytes(bytes).toString('base64url')}`

function awsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export async function startSsoEmulator(options: SsoEmulatorOptions = {}): Promise<SsoEmulator> {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS
  const users = options.users ?? [{userName: 'alice'}]
  const accessTokenExpiresIn = options.accessTokenExpiresIn ?? 3600
  const registrationExpiresIn = options.registrationExpiresIn ?? 90 * 24 * 3600
  const pageSize = options.pageSize ?? 100
  const clients = new Map<string, Client>()
  const devices = new Map<string, Device>()
  const authCodes = new Map<string, AuthCode>()
  const sessions = new Map<string, Session>()
  const accessTokens = new Map<string, AccessToken>()
  const refreshTokens = new Map<string, string>() // refresh token → session id
  const faults = new Map<EmulatorOperation, {options: FaultOptions; remaining: number; status: number}>()
  const requests: RecordedRequest[] = []
  const tokenSecrets = new Set<string>()
  const roleSecrets = new Set<string>()
  let slowDowns = 0
  let dateOffsetMs = 0
  let roleCredentialsProvider:
    | ((accountId: string, roleName: string) => {accessKeyId: string; secretAccessKey: string; sessionToken: string})
    | undefined

  const userOf = (name?: string): EmulatorUser => {
    const user = name === undefined ? users[0] : users.find((u) => u.userName === name)
    if (!user) throw new Error(`sso-emulator: no user ${name}`)
    return user
  }

  const rolesFor = (user: EmulatorUser, accountId: string): string[] => {
    const account = accounts.find((a) => a.accountId === accountId)
    if (!account) return []
    return user.access ? (user.access[accountId] ?? []).filter((r) => account.roles.includes(r)) : account.roles
  }

  const registerClient = (
    input: Omit<Client, 'clientId' | 'clientSecret' | 'expiresAt'>,
    expiresIn = registrationExpiresIn,
  ): Client => {
    const client: Client = {
      ...input,
      clientId: random('client-', 12),
      clientSecret: random('clientsecret-', 32),
      expiresAt: Date.now() + expiresIn * 1000,
    }
    clients.set(client.clientId, client)
    tokenSecrets.add(client.clientSecret)
    return client
  }

  const clientGetsRefreshToken = (client: Client) =>
    Boolean(client.grantTypes?.includes('refresh_token') || client.scopes?.includes('sso:account:access'))

  const newAccessToken = (sessionId: string, expiresIn = accessTokenExpiresIn) => {
    const accessToken = random('aoa-access-', 32)
    accessTokens.set(accessToken, {expiresAt: Date.now() + expiresIn * 1000, sessionId})
    tokenSecrets.add(accessToken)
    return accessToken
  }

  const newRefreshToken = (sessionId: string) => {
    const refreshToken = random('aor-refresh-', 32)
    refreshTokens.set(refreshToken, sessionId)
    tokenSecrets.add(refreshToken)
    return refreshToken
  }

  /** CreateToken's answer for a new sign-in (or a refresh within the same session). */
  const tokenAnswer = (sessionId: string) => {
    const session = sessions.get(sessionId)!
    const answer: Record<string, number | string> = {
      accessToken: newAccessToken(sessionId),
      expiresIn: accessTokenExpiresIn,
      tokenType: 'Bearer',
    }
    if (session.refreshable) answer.refreshToken = newRefreshToken(sessionId)
    return answer
  }

  const startSession = (client: Client, userName: string, refreshable = clientGetsRefreshToken(client)): string => {
    const sessionId = randomUUID()
    sessions.set(sessionId, {clientId: client.clientId, refreshable, revoked: false, userName})
    return sessionId
  }

  const authenticateClient = (body: Record<string, unknown>): Client => {
    const client = typeof body.clientId === 'string' ? clients.get(body.clientId) : undefined
    if (!client || client.clientSecret !== body.clientSecret)
      throw oidcError(401, 'InvalidClientException', 'invalid_client', 'Invalid client')
    if (client.expiresAt <= Date.now())
      throw oidcError(401, 'InvalidClientException', 'invalid_client', 'Client registration has expired')
    return client
  }

  const bearer = (req: IncomingMessage): {session: Session; token: string} => {
    const token = req.headers['x-amz-sso_bearer_token']
    const record = typeof token === 'string' ? accessTokens.get(token) : undefined
    const session = record ? sessions.get(record.sessionId) : undefined
    if (!record || !session || session.revoked || record.expiresAt <= Date.now()) {
      throw portalError(401, 'UnauthorizedException', 'Session token not found or invalid')
    }

    return {session, token: token as string}
  }

  const page = <T>(items: T[], query: Record<string, string>) => {
    const start = query.next_token ? Number(Buffer.from(query.next_token, 'base64url').toString()) : 0
    if (!Number.isInteger(start) || start < 0) throw portalError(400, 'InvalidRequestException', 'Invalid next token')
    const size = Math.min(pageSize, query.max_result ? Number(query.max_result) : pageSize)
    const end = start + size
    return {
      items: items.slice(start, end),
      nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
    }
  }

  const handlers: Record<
    string,
    (
      req: IncomingMessage,
      body: Record<string, unknown>,
      query: Record<string, string>,
    ) => {headers?: Record<string, string>; json?: unknown; status: number; text?: string}
  > = {
    'GET /assignment/accounts'(req, _body, query) {
      const {session} = bearer(req)
      const user = userOf(session.userName)
      const visible = accounts.filter((a) => rolesFor(user, a.accountId).length > 0)
      const {items, nextToken} = page(visible, query)
      return {
        json: {
          accountList: items.map((a) => ({
            accountId: a.accountId,
            accountName: a.accountName,
            emailAddress: a.emailAddress,
          })),
          nextToken,
        },
        status: 200,
      }
    },
    'GET /assignment/roles'(req, _body, query) {
      const {session} = bearer(req)
      if (!query.account_id) throw portalError(400, 'InvalidRequestException', 'account_id is required')
      const roles = rolesFor(userOf(session.userName), query.account_id)
      const {items, nextToken} = page(roles, query)
      return {
        json: {nextToken, roleList: items.map((roleName) => ({accountId: query.account_id, roleName}))},
        status: 200,
      }
    },
    'GET /authorize'(req, _body, query) {
      const client = clients.get(query.client_id ?? '')
      if (!client || !client.grantTypes?.includes('authorization_code'))
        return {status: 400, text: 'Unknown client or not an authorization-code client'}
      let redirect: URL
      try {
        redirect = new URL(query.redirect_uri ?? '')
      } catch {
        return {status: 400, text: 'Invalid redirect_uri'}
      }

      // RFC 8252 §7.3: a loopback redirect matches a registered one whatever its port.
      const registered = (client.redirectUris ?? []).some((uri) => {
        const r = new URL(uri)
        return r.protocol === redirect.protocol && r.hostname === redirect.hostname && r.pathname === redirect.pathname
      })
      if (!registered || redirect.protocol !== 'http:' || redirect.hostname !== '127.0.0.1')
        return {status: 400, text: 'redirect_uri is not registered'}
      const back = (params: Record<string, string>) => {
        for (const [k, v] of Object.entries(params)) redirect.searchParams.set(k, v)
        if (query.state !== undefined) redirect.searchParams.set('state', query.state)
        return {headers: {Location: redirect.toString()}, status: 302}
      }

      if (query.response_type !== 'code') return back({error: 'unsupported_response_type'})
      if (query.code_challenge_method !== 'S256' || !query.code_challenge)
        return back({error: 'invalid_request', error_description: 'PKCE S256 is required'})
      const requestedScopes = (query.scopes ?? '').split(' ').filter(Boolean)
      if (requestedScopes.some((s) => !(client.scopes ?? []).includes(s))) return back({error: 'invalid_scope'})
      if (req.headers['x-emulator-deny'])
        return back({error: 'access_denied', error_description: 'The user denied the request'})
      const user = userOf(req.headers['x-emulator-user'] as string | undefined)
      const code = random('code-', 16)
      authCodes.set(code, {
        clientId: client.clientId,
        codeChallenge: query.code_challenge,
        expiresAt: Date.now() + (options.authCodeExpiresIn ?? 300) * 1000,
        redirectUri: query.redirect_uri,
        userName: user.userName,
      })
      return back({code})
    },
    'GET /device'(req, _body, query) {
      const device = [...devices.values()].find((d) => d.userCode === query.user_code)
      if (!device) return {status: 404, text: 'Unknown code'}
      const userName = req.headers['x-emulator-user']
      if (typeof userName === 'string') {
        device.approvedBy = userOf(userName).userName
        return {status: 200, text: `Approved ${device.userCode} as ${device.approvedBy}`}
      }

      return {status: 200, text: `Confirm the code ${device.userCode} to sign in.`}
    },
    'GET /federation/credentials'(req, _body, query) {
      const {session} = bearer(req)
      if (!query.account_id || !query.role_name)
        throw portalError(400, 'InvalidRequestException', 'account_id and role_name are required')
      if (!rolesFor(userOf(session.userName), query.account_id).includes(query.role_name))
        throw portalError(403, 'ForbiddenException', 'No access')
      const creds = {
        accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
        expiration: Date.now() + (options.roleCredentialsExpiresIn ?? 3600) * 1000,
        secretAccessKey: random('secret-', 30),
        sessionToken: random('session-', 60),
        ...roleCredentialsProvider?.(query.account_id, query.role_name),
      }
      for (const s of [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken]) roleSecrets.add(s)
      return {json: {roleCredentials: creds}, status: 200}
    },
    'POST /client/register'(_req, body) {
      if (typeof body.clientName !== 'string' || body.clientName === '')
        throw oidcError(400, 'InvalidRequestException', 'invalid_request', 'clientName is required')
      if (body.clientType !== 'public')
        throw oidcError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', 'clientType must be public')
      const grantTypes = body.grantTypes as string[] | undefined
      const redirectUris = body.redirectUris as string[] | undefined
      if (grantTypes?.includes('authorization_code')) {
        if (!redirectUris || redirectUris.length === 0)
          throw oidcError(400, 'InvalidRequestException', 'invalid_request', 'redirectUris are required')
        for (const uri of redirectUris) {
          const parsed = new URL(uri)
          if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') {
            throw oidcError(
              400,
              'InvalidRedirectUriException',
              'invalid_redirect_uri',
              'Only loopback redirect URIs are allowed',
            )
          }
        }
      }

      const client = registerClient({
        clientName: body.clientName,
        grantTypes,
        issuerUrl: body.issuerUrl as string | undefined,
        redirectUris,
        scopes: body.scopes as string[] | undefined,
      })
      return {
        json: {
          clientId: client.clientId,
          clientIdIssuedAt: Math.floor(Date.now() / 1000),
          clientSecret: client.clientSecret,
          clientSecretExpiresAt: Math.floor(client.expiresAt / 1000),
        },
        status: 200,
      }
    },
    'POST /device_authorization'(_req, body) {
      const client = authenticateClient(body)
      if (typeof body.startUrl !== 'string' || !body.startUrl.startsWith('https://'))
        throw oidcError(400, 'InvalidRequestException', 'invalid_request', 'startUrl is required')
      const expiresIn = options.deviceCodeExpiresIn ?? 600
      const interval = options.deviceCodeInterval ?? 1
      const letters = 'BCDFGHJKLMNPQRSTVWXZ'
      const userCode = Array.from(
        {length: 8},
        (_, i) => letters[randomBytes(1)[0] % letters.length] + (i === 3 ? '-' : ''),
      ).join('')
      const device: Device = {
        clientId: client.clientId,
        deviceCode: random('device-', 24),
        expiresAt: Date.now() + expiresIn * 1000,
        interval,
        startUrl: body.startUrl,
        userCode,
      }
      devices.set(device.deviceCode, device)
      return {
        json: {
          deviceCode: device.deviceCode,
          expiresIn,
          interval,
          userCode,
          verificationUri: `${emulator.url}/device`,
          verificationUriComplete: `${emulator.url}/device?user_code=${userCode}`,
        },
        status: 200,
      }
    },
    'POST /logout'(req) {
      const {session} = bearer(req)
      session.revoked = true
      return {status: 200, text: ''}
    },
    'POST /token'(_req, body) {
      const client = authenticateClient(body)
      switch (body.grantType) {
        case 'authorization_code': {
          const code = authCodes.get(body.code as string)
          if (!code || code.clientId !== client.clientId || code.expiresAt <= Date.now()) {
            throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid authorization code')
          }

          authCodes.delete(body.code as string)
          if (body.redirectUri !== code.redirectUri)
            throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'redirectUri does not match')
          const challenge = createHash('sha256')
            .update(String(body.codeVerifier ?? ''), 'ascii')
            .digest('base64url')
          if (challenge !== code.codeChallenge)
            throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'PKCE verification failed')
          return {json: tokenAnswer(startSession(client, code.userName)), status: 200}
        }

        case 'refresh_token': {
          const sessionId = refreshTokens.get(body.refreshToken as string)
          const session = sessionId ? sessions.get(sessionId) : undefined
          if (!session || session.revoked || !session.refreshable || session.clientId !== client.clientId) {
            throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided')
          }

          return {json: tokenAnswer(sessionId!), status: 200}
        }

        case 'urn:ietf:params:oauth:grant-type:device_code': {
          const device = devices.get(body.deviceCode as string)
          if (!device || device.clientId !== client.clientId)
            throw oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code provided')
          const now = Date.now()
          if (device.expiresAt <= now)
            throw oidcError(400, 'ExpiredTokenException', 'expired_token', 'Device code has expired')
          if (device.denied)
            throw oidcError(400, 'AccessDeniedException', 'access_denied', 'The user denied the request')
          const tooFast =
            options.enforcePollInterval &&
            device.lastPoll !== undefined &&
            now - device.lastPoll < device.interval * 1000
          device.lastPoll = now
          if (slowDowns > 0 || tooFast) {
            if (slowDowns > 0) slowDowns--
            throw oidcError(400, 'SlowDownException', 'slow_down', 'Client is polling too fast')
          }

          if (!device.approvedBy)
            throw oidcError(
              400,
              'AuthorizationPendingException',
              'authorization_pending',
              'Authorization is still pending',
            )
          devices.delete(device.deviceCode)
          return {json: tokenAnswer(startSession(client, device.approvedBy)), status: 200}
        }

        default: {
          throw oidcError(
            400,
            'UnsupportedGrantTypeException',
            'unsupported_grant_type',
            `Unsupported grant type ${String(body.grantType)}`,
          )
        }
      }
    },
  }

  const OPERATIONS: Record<string, 'Device' | EmulatorOperation> = {
    'GET /assignment/accounts': 'ListAccounts',
    'GET /assignment/roles': 'ListAccountRoles',
    'GET /authorize': 'Authorize',
    'GET /device': 'Device',
    'GET /federation/credentials': 'GetRoleCredentials',
    'POST /client/register': 'RegisterClient',
    'POST /device_authorization': 'StartDeviceAuthorization',
    'POST /logout': 'Logout',
    'POST /token': 'CreateToken',
  }

  const server = createServer(async (req, res) => {
    stampDate(res, dateOffsetMs)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://emulator')
    const key = `${req.method} ${url.pathname}`
    const operation: RecordedRequest['operation'] =
      (OPERATIONS[key] as 'Device' | EmulatorOperation | undefined) ?? 'Unknown'
    const query = Object.fromEntries(url.searchParams)
    let body: Record<string, unknown> = {}
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}
    } catch {
      send(res, {json: {message: 'Malformed JSON'}, status: 400})
      return
    }

    requests.push({body, headers: req.headers, method: req.method ?? '', operation, path: url.pathname, query})
    try {
      if (operation === 'Unknown') {
        send(res, {json: {message: `No route ${key}`}, status: 404})
        return
      }

      const fault = operation === 'Device' ? undefined : faults.get(operation)
      if (fault && fault.remaining > 0) {
        fault.remaining--
        const oidc = OIDC_OPERATIONS.has(operation as EmulatorOperation)
        const [type, detail] = (oidc ? OIDC_ERRORS : PORTAL_ERRORS)[fault.status] ?? [
          'InternalServerException',
          'server_error',
        ]
        const errorType = fault.options.errorType ?? type
        const message = fault.options.message ?? (oidc ? `Injected ${errorType}` : detail)
        throw oidc
          ? oidcError(fault.status, errorType, oidcCode(errorType) ?? detail, message)
          : portalError(fault.status, errorType, message)
      }

      send(res, handlers[key](req, body, query))
    } catch (error) {
      if (error instanceof WireError) {
        send(res, {headers: {'x-amzn-ErrorType': error.type}, json: error.body, status: error.status})
        return
      }

      send(res, {json: {message: String(error)}, status: 500})
    }
  })

  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo

  const emulator: SsoEmulator = {
    approveDevice(userCode, userName) {
      const device = [...devices.values()].find((d) => d.userCode === userCode)
      if (!device) throw new Error(`sso-emulator: no pending device code ${userCode}`)
      device.approvedBy = userOf(userName).userName
    },
    clearFaults() {
      faults.clear()
      slowDowns = 0
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
    denyDevice(userCode) {
      const device = [...devices.values()].find((d) => d.userCode === userCode)
      if (!device) throw new Error(`sso-emulator: no pending device code ${userCode}`)
      device.denied = true
    },
    env() {
      return {AWS_ENDPOINT_URL_SSO: emulator.url, AWS_ENDPOINT_URL_SSO_OIDC: emulator.url}
    },
    async followAuthorize(url, followOptions = {}) {
      const headers: Record<string, string> = {}
      if (followOptions.userName) headers['x-emulator-user'] = followOptions.userName
      if (followOptions.deny) headers['x-emulator-deny'] = '1'
      const first = await get(url, headers)
      const result: FollowAuthorizeResult = {authorizeStatus: first.status}
      if (first.status !== 302 || !first.location) return result
      const location = new URL(first.location)
      if (followOptions.state !== undefined) location.searchParams.set('state', followOptions.state)
      result.location = location.toString()
      const callback = await get(result.location, {})
      result.callbackStatus = callback.status
      result.callbackBody = callback.body
      return result
    },
    issueToken(issue = {}) {
      const client = registerClient(
        {
          clientName: 'botocore-client-planted',
          grantTypes: ['authorization_code', 'refresh_token'],
          issuerUrl: issue.startUrl,
          redirectUris: ['http://127.0.0.1/oauth/callback'],
          scopes: ['sso:account:access'],
        },
        issue.registrationExpiresIn,
      )
      const sessionId = startSession(client, userOf(issue.userName).userName, issue.refreshable ?? true)
      const expiresIn = issue.expiresIn ?? accessTokenExpiresIn
      const token: IssuedToken = {
        accessToken: newAccessToken(sessionId, expiresIn),
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        expiresAt: awsTime(Date.now() + expiresIn * 1000),
        region: issue.region ?? 'us-east-1',
        registrationExpiresAt: awsTime(client.expiresAt),
        startUrl: issue.startUrl ?? 'https://d-1234567890.awsapps.com/start',
      }
      if (sessions.get(sessionId)!.refreshable) token.refreshToken = newRefreshToken(sessionId)
      return token
    },
    issuedSecrets() {
      return {roleCredentials: [...roleSecrets], tokens: [...tokenSecrets]}
    },
    pendingUserCodes() {
      return [...devices.values()].filter((d) => !d.approvedBy && !d.denied).map((d) => d.userCode)
    },
    requests,
    revokeRefreshTokens() {
      for (const session of sessions.values()) session.refreshable = false
    },
    revokeSessions() {
      for (const session of sessions.values()) session.revoked = true
    },
    setDateOffset(ms) {
      dateOffsetMs = ms
    },
    setRoleCredentials(provider) {
      roleCredentialsProvider = provider
    },
    setFault(operation, status, faultOptions = {}) {
      faults.set(operation, {options: faultOptions, remaining: faultOptions.times ?? Number.POSITIVE_INFINITY, status})
    },
    slowDown(count) {
      slowDowns = count
    },
    url: `http://127.0.0.1:${port}`,
  }
  return emulator
}

/** A `Date` header off the real clock by `offsetMs` (Node sends the real one when none is set). */
function stampDate(res: ServerResponse, offsetMs: number): void {
  if (offsetMs !== 0) res.setHeader('Date', new Date(Date.now() + offsetMs).toUTCString())
}

function oidcCode(errorType: string): string | undefined {
  const codes: Record<string, string> = {
    AccessDeniedException: 'access_denied',
    AuthorizationPendingException: 'authorization_pending',
    ExpiredTokenException: 'expired_token',
    InternalServerException: 'server_error',
    InvalidClientException: 'invalid_client',
    InvalidGrantException: 'invalid_grant',
    InvalidRequestException: 'invalid_request',
    InvalidScopeException: 'invalid_scope',
    SlowDownException: 'slow_down',
    UnauthorizedClientException: 'unauthorized_client',
    UnsupportedGrantTypeException: 'unsupported_grant_type',
  }
  return codes[errorType]
}

function send(
  res: ServerResponse,
  answer: {headers?: Record<string, string>; json?: unknown; status: number; text?: string},
): void {
  const headers: Record<string, string> = {...answer.headers, 'x-amzn-RequestId': randomUUID()}
  if (answer.json === undefined) {
    res.writeHead(answer.status, {...headers, 'Content-Type': 'text/plain'})
    res.end(answer.text ?? '')
    return
  }

  res.writeHead(answer.status, {...headers, 'Content-Type': 'application/json'})
  res.end(JSON.stringify(answer.json))
}

/** One GET without following redirects (a browser's single hop). */
function get(url: string, headers: Record<string, string>): Promise<{body: string; location?: string; status: number}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {headers, method: 'GET'}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => {
        body += d
      })
      res.on('end', () => resolve({body, location: res.headers.location, status: res.statusCode ?? 0}))
    })
    req.on('error', reject)
    req.end()
  })
}
