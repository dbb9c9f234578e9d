/**
 * The `sso-oidc` and `sso` (portal) calls ssokit makes, behind two small interfaces so that the flows can be
 * driven by the real SDK clients (loaded lazily: only commands that call AWS pay for them) or by a test's fake.
 * Both services are unsigned (`smithy.api#noAuth`) and honour `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL_SSO`.
 */
import {readFile} from 'node:fs/promises'
import {Agent} from 'node:https'

import {BadInputError, messageOf} from '../errors.js'
import {rememberSecret} from '../secrets.js'

export interface RegisterClientInput {
  clientName: string
  clientType: 'public'
  grantTypes?: string[]
  issuerUrl?: string
  redirectUris?: string[]
  scopes?: string[]
}

export interface RegisterClientOutput {
  clientId: string
  clientSecret: string
  /** Epoch seconds. */
  clientSecretExpiresAt: number
}

export interface DeviceAuthorization {
  deviceCode: string
  expiresIn: number
  interval?: number
  userCode: string
  verificationUri: string
  verificationUriComplete?: string
}

export type CreateTokenInput =
  | {clientId: string; clientSecret: string; grantType: 'refresh_token'; refreshToken: string}
  | {
      clientId: string
      clientSecret: string
      code: string
      codeVerifier: string
      grantType: 'authorization_code'
      redirectUri: string
    }
  | {
      clientId: string
      clientSecret: string
      deviceCode: string
      grantType: 'urn:ietf:params:oauth:grant-type:device_code'
    }

export interface CreateTokenOutput {
  accessToken: string
  expiresIn: number
  refreshToken?: string
}

export interface OidcApi {
  /** `scheme://host[:port][/base]` of the resolved sso-oidc endpoint, for the (unmodelled) `/authorize` page. */
  authorizeBaseUrl(): Promise<string>
  close(): void
  createToken(input: CreateTokenInput, signal?: AbortSignal): Promise<CreateTokenOutput>
  registerClient(input: RegisterClientInput, signal?: AbortSignal): Promise<RegisterClientOutput>
  startDeviceAuthorization(
    input: {clientId: string; clientSecret: string; startUrl: string},
    signal?: AbortSignal,
  ): Promise<DeviceAuthorization>
}

export interface RoleCredentials {
  accessKeyId: string
  expiration: Date
  secretAccessKey: string
  sessionToken: string
}

export interface PortalAccount {
  accountId: string
  accountName?: string
  emailAddress?: string
}

export interface PortalApi {
  close(): void
  getRoleCredentials(input: {accessToken: string; accountId: string; roleName: string}): Promise<RoleCredentials>
  listAccountRoles(input: {accessToken: string; accountId: string}): Promise<string[]>
  listAccounts(input: {accessToken: string}): Promise<PortalAccount[]>
  logout(input: {accessToken: string}): Promise<void>
  /** The cheapest check that the portal accepts a token: one ListAccounts request for at most one account. */
  probeToken(input: {accessToken: string}): Promise<void>
}

/** For callers that must answer quickly (doctor, status --verify): fewer attempts, a deadline per attempt. */
export interface ClientOptions {
  maxAttempts?: number
  /** Connection and response timeout of each attempt (ms). */
  timeoutMs?: number
}

interface RequestHandlerConfig {
  connectionTimeout?: number
  httpsAgent?: Agent
  requestTimeout?: number
  throwOnRequestTimeout?: boolean
}

/**
 * The request handler of an SDK client: the deadlines asked for, and AWS_CA_BUNDLE as the AWS CLI reads it
 * (the only CAs trusted), which the AWS SDK for JavaScript itself does not read.
 */
export async function sdkRequestHandler(options: ClientOptions = {}): Promise<{
  requestHandler?: RequestHandlerConfig
}> {
  const handler: RequestHandlerConfig = {}
  if (options.timeoutMs !== undefined) {
    handler.connectionTimeout = options.timeoutMs
    handler.requestTimeout = options.timeoutMs
    // Without it the handler only warns and leaves the request (and the process) waiting.
    handler.throwOnRequestTimeout = true
  }

  const bundle = process.env.AWS_CA_BUNDLE
  if (bundle) {
    const ca = await readFile(bundle).catch((error: unknown) => {
      throw new BadInputError(`AWS_CA_BUNDLE=${bundle} cannot be read: ${messageOf(error)}`, 'CA_BUNDLE_UNREADABLE')
    })
    handler.httpsAgent = new Agent({ca, keepAlive: true})
  }

  return Object.keys(handler).length > 0 ? {requestHandler: handler} : {}
}

async function clientConfig(region: string, options: ClientOptions) {
  return {
    region,
    ...(options.maxAttempts === undefined ? {} : {maxAttempts: options.maxAttempts}),
    ...(await sdkRequestHandler(options)),
  }
}

/** A missing field in a service answer is the service's bug, not the user's: say which. */
function required<T>(value: null | T | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`The service answer has no ${what}.`)
  return value
}

export async function createOidcApi(region: string, options: ClientOptions = {}): Promise<OidcApi> {
  const sdk = await import('@aws-sdk/client-sso-oidc')
  const client = new sdk.SSOOIDCClient(await clientConfig(region, options))
  return {
    async authorizeBaseUrl() {
      // Resolve the endpoint as the SDK would for RegisterClient (so AWS_ENDPOINT_URL_SSO_OIDC, FIPS and dual-stack
      // settings apply), then stop before anything is sent: botocore does the same for the authorize URL.
      const command = new sdk.RegisterClientCommand({clientName: 'endpoint-probe', clientType: 'public'})
      const captured = new Error('endpoint captured')
      captured.name = 'EndpointCaptured'
      let url: string | undefined
      command.middlewareStack.add(
        // A middleware of this one command: it records into `url` above.
        // eslint-disable-next-line unicorn/consistent-function-scoping
        () => async (args) => {
          const request = args.request as {hostname: string; path: string; port?: number; protocol: string}
          const port = request.port ? `:${request.port}` : ''
          const base = request.path.replace(/\/client\/register$/, '').replace(/\/$/, '')
          url = `${request.protocol}//${request.hostname}${port}${base}`
          throw captured
        },
        {priority: 'low', step: 'finalizeRequest'},
      )
      try {
        await client.send(command)
      } catch (error) {
        if (error !== captured) throw error
      }

      return required(url, 'endpoint')
    },
    close() {
      client.destroy()
    },
    async createToken(input, signal) {
      for (const secret of Object.values(input)) rememberSecret(secret)
      const out = await client.send(new sdk.CreateTokenCommand(input), {abortSignal: signal})
      rememberSecret(out.accessToken)
      rememberSecret(out.refreshToken)
      return {
        accessToken: required(out.accessToken, 'accessToken'),
        expiresIn: required(out.expiresIn, 'expiresIn'),
        refreshToken: out.refreshToken,
      }
    },
    async registerClient(input, signal) {
      const out = await client.send(new sdk.RegisterClientCommand(input), {abortSignal: signal})
      rememberSecret(out.clientSecret)
      return {
        clientId: required(out.clientId, 'clientId'),
        clientSecret: required(out.clientSecret, 'clientSecret'),
        clientSecretExpiresAt: required(out.clientSecretExpiresAt, 'clientSecretExpiresAt'),
      }
    },
    async startDeviceAuthorization(input, signal) {
      rememberSecret(input.clientSecret)
      const out = await client.send(new sdk.StartDeviceAuthorizationCommand(input), {abortSignal: signal})
      rememberSecret(out.deviceCode)
      return {
        deviceCode: required(out.deviceCode, 'deviceCode'),
        expiresIn: required(out.expiresIn, 'expiresIn'),
        interval: out.interval,
        userCode: required(out.userCode, 'userCode'),
        verificationUri: required(out.verificationUri, 'verificationUri'),
        verificationUriComplete: out.verificationUriComplete,
      }
    },
  }
}

export async function createPortalApi(region: string, options: ClientOptions = {}): Promise<PortalApi> {
  const sdk = await import('@aws-sdk/client-sso')
  const client = new sdk.SSOClient(await clientConfig(region, options))
  return {
    close() {
      client.destroy()
    },
    async getRoleCredentials({accessToken, accountId, roleName}) {
      rememberSecret(accessToken)
      const out = await client.send(new sdk.GetRoleCredentialsCommand({accessToken, accountId, roleName}))
      const creds = required(out.roleCredentials, 'roleCredentials')
      for (const secret of [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken]) rememberSecret(secret)
      return {
        accessKeyId: required(creds.accessKeyId, 'accessKeyId'),
        expiration: new Date(required(creds.expiration, 'expiration')),
        secretAccessKey: required(creds.secretAccessKey, 'secretAccessKey'),
        sessionToken: required(creds.sessionToken, 'sessionToken'),
      }
    },
    async listAccountRoles({accessToken, accountId}) {
      rememberSecret(accessToken)
      const roles: string[] = []
      for await (const page of sdk.paginateListAccountRoles({client, pageSize: 100}, {accessToken, accountId})) {
        for (const role of page.roleList ?? []) if (role.roleName) roles.push(role.roleName)
      }

      return roles
    },
    async listAccounts({accessToken}) {
      rememberSecret(accessToken)
      const accounts: PortalAccount[] = []
      for await (const page of sdk.paginateListAccounts({client, pageSize: 100}, {accessToken})) {
        for (const account of page.accountList ?? []) {
          if (account.accountId)
            accounts.push({
              accountId: account.accountId,
              accountName: account.accountName,
              emailAddress: account.emailAddress,
            })
        }
      }

      return accounts
    },
    async logout({accessToken}) {
      rememberSecret(accessToken)
      await client.send(new sdk.LogoutCommand({accessToken}))
    },
    async probeToken({accessToken}) {
      rememberSecret(accessToken)
      await client.send(new sdk.ListAccountsCommand({accessToken, maxResults: 1}))
    },
  }
}
