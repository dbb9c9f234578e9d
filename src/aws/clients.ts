import type {IAMClient} from '@aws-sdk/client-iam'
import type {IdentitystoreClient} from '@aws-sdk/client-identitystore'
import type {OrganizationsClient} from '@aws-sdk/client-organizations'
import type {SSOAdminClient} from '@aws-sdk/client-sso-admin'
import type {STSClient} from '@aws-sdk/client-sts'
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider, FinalizeRequestMiddleware} from '@smithy/types'

import {readFile} from 'node:fs/promises'
import {Agent} from 'node:https'

import {BadInputError, messageOf} from '../errors.js'
import {rememberSecret} from '../secrets.js'
import {type BudgetService, operationOf, operationPriority, RequestBudgets} from './budgets.js'
import {type AwsErrorLike, credentialsError, isThrottlingError, profileNotFoundError} from './errors.js'
import {retryAfterMs, type RetryPolicy, retryPolicyFromEnv, SsokitRetryStrategy} from './retry.js'

/**
 * The AWS side of one ssokit run: one credential resolution, one set of request budgets (a rate limiter per
 * quota, src/aws/budgets.ts), one retry strategy and one request counter, shared by every client; one client
 * per service and region, created on first use.
 * The SDK packages are imported on first use too, so a run that never needs Organizations never loads it,
 * and commands that never call AWS pay nothing.
 *
 * Endpoints come from the SDK itself: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> and `endpoint_url` in the
 * profile. ssokit never adds an endpoint option of its own.
 */

export interface AwsSessionOptions {
  /** Connection timeout per attempt (ms). */
  connectionTimeoutMs?: number
  /** `--max-rps`: the cap of every budget's rate; without it each budget runs at its quota. */
  maxRps?: number
  /** `--profile`; otherwise the SDK chain decides (AWS_PROFILE, env keys, default profile, ...). */
  profile?: string
  /** Response timeout per attempt (ms): a region that never answers must not hold up a scan. */
  requestTimeoutMs?: number
  retryPolicy?: RetryPolicy
}

export interface RequestCount {
  /** HTTP attempts sent, retries included. */
  requests: number
  /** Attempts answered with a throttling error. */
  throttled: number
}

export interface RequestStats extends RequestCount {
  /** The same counts per service (`sso-admin`, `identitystore`, `organizations`, `sts`, `iam`). */
  byService: Record<string, RequestCount>
}

export function emptyStats(): RequestStats {
  return {byService: {}, requests: 0, throttled: 0}
}

export interface ClientAndSdk<C, M> {
  client: C
  sdk: M
}

type IamSdk = typeof import('@aws-sdk/client-iam')
type SsoAdminSdk = typeof import('@aws-sdk/client-sso-admin')
type IdentityStoreSdk = typeof import('@aws-sdk/client-identitystore')
type OrganizationsSdk = typeof import('@aws-sdk/client-organizations')
type StsSdk = typeof import('@aws-sdk/client-sts')

interface ClientConfig {
  credentials: AwsCredentialIdentityProvider
  /** Only shown in the `amz-sdk-request` header; the retry strategy decides. */
  maxAttempts: number
  region: string
  requestHandler: {connectionTimeout: number; httpsAgent?: Agent; requestTimeout: number}
  retryStrategy: SsokitRetryStrategy
}

/** The one overload of `middlewareStack.add` used here; each client's own typing is per-service. */
interface AttemptMiddlewareStack {
  add(
    middleware: FinalizeRequestMiddleware<object, object>,
    options: {name: string; priority: 'low'; step: 'finalizeRequest'},
  ): void
}

export class AwsSession {
  readonly budgets: RequestBudgets
  readonly stats: RequestStats = emptyStats()
  private caBundle?: Promise<Agent | undefined>
  private readonly clients = new Map<string, Promise<ClientAndSdk<unknown, unknown>>>()
  private credentialProvider?: AwsCredentialIdentityProvider
  private readonly retryStrategy: SsokitRetryStrategy

  constructor(readonly options: AwsSessionOptions = {}) {
    this.budgets = new RequestBudgets(options.maxRps)
    this.retryStrategy = new SsokitRetryStrategy(options.retryPolicy ?? retryPolicyFromEnv())
  }

  private get maxRetryAfterMs(): number {
    return (this.options.retryPolicy ?? retryPolicyFromEnv()).maxRetryAfterMs
  }

  get profile(): string | undefined {
    return this.options.profile
  }

  /** IAM is global: `region` picks the partition's endpoint (us-east-1 for aws). */
  iam(region: string): Promise<ClientAndSdk<IAMClient, IamSdk>> {
    return this.client(
      'iam',
      region,
      () => import('@aws-sdk/client-iam'),
      (sdk, config) => new sdk.IAMClient(config),
    )
  }

  identityStore(region: string): Promise<ClientAndSdk<IdentitystoreClient, IdentityStoreSdk>> {
    return this.client(
      'identitystore',
      region,
      () => import('@aws-sdk/client-identitystore'),
      (sdk, config) => new sdk.IdentitystoreClient(config),
    )
  }

  organizations(region: string): Promise<ClientAndSdk<OrganizationsClient, OrganizationsSdk>> {
    return this.client(
      'organizations',
      region,
      () => import('@aws-sdk/client-organizations'),
      (sdk, config) => new sdk.OrganizationsClient(config),
    )
  }

  /**
   * Resolves the credentials once, up front, so that a missing profile, missing keys or an expired SSO login is
   * reported as such (exit 3/4) before any service call.
   */
  async resolveCredentials(): Promise<AwsCredentialIdentity> {
    try {
      const identity = await (await this.credentials())()
      // Last line of defence: the base command scrubs these from anything it prints.
      rememberSecret(identity.secretAccessKey)
      rememberSecret(identity.sessionToken)
      return identity
    } catch (error) {
      // The JS SDK's chain says only "Could not load credentials from any providers" for a missing profile.
      const {profile} = this.options
      if (profile && !(await profileExists(profile))) throw profileNotFoundError(profile, error)
      throw credentialsError(error, profile)
    }
  }

  ssoAdmin(region: string): Promise<ClientAndSdk<SSOAdminClient, SsoAdminSdk>> {
    return this.client(
      'sso-admin',
      region,
      () => import('@aws-sdk/client-sso-admin'),
      (sdk, config) => new sdk.SSOAdminClient(config),
    )
  }

  sts(region: string): Promise<ClientAndSdk<STSClient, StsSdk>> {
    return this.client(
      'sts',
      region,
      () => import('@aws-sdk/client-sts'),
      (sdk, config) => new sdk.STSClient(config),
    )
  }

  /** AWS_CA_BUNDLE, as the AWS CLI reads it: the only CAs trusted for TLS to AWS. */
  private async agent(): Promise<Agent | undefined> {
    const path = process.env.AWS_CA_BUNDLE
    if (!path) return undefined
    this.caBundle ??= readFile(path).then(
      (ca) => new Agent({ca, keepAlive: true}),
      (error) => {
        throw new BadInputError(`AWS_CA_BUNDLE=${path} cannot be read: ${messageOf(error)}`, 'CA_BUNDLE_UNREADABLE')
      },
    )
    return this.caBundle
  }

  /**
   * Every HTTP attempt: wait for its budget's limiter, count it (in all and per service), count throttles, pause
   * the budget when the service says how long to wait (Retry-After), and note where the request went.
   */
  private attemptMiddleware(service: BudgetService, region: string): FinalizeRequestMiddleware<object, object> {
    this.stats.byService[service] ??= {requests: 0, throttled: 0}
    const count = this.stats.byService[service]
    return (next, context) => async (args) => {
      const operation = operationOf(context.commandName)
      const limiter = this.budgets.limiter(service, region, operation)
      await limiter.acquire(operationPriority(operation))
      this.stats.requests++
      count.requests++
      try {
        return await next(args)
      } catch (error) {
        if (isThrottlingError(error)) {
          this.stats.throttled++
          count.throttled++
          limiter.onThrottled()
          const wait = retryAfterMs(error)
          if (wait !== undefined) limiter.pause(Math.min(wait, this.maxRetryAfterMs))
        }

        if (error && typeof error === 'object') (error as AwsErrorLike).ssokitEndpoint ??= endpointOf(args.request)
        throw error
      }
    }
  }

  private client<C extends {middlewareStack: unknown}, M>(
    service: BudgetService,
    region: string,
    load: () => Promise<M>,
    make: (sdk: M, config: ClientConfig) => C,
  ): Promise<ClientAndSdk<C, M>> {
    const key = `${service}@${region}`
    let entry = this.clients.get(key) as Promise<ClientAndSdk<C, M>> | undefined
    if (!entry) {
      entry = (async () => {
        const [sdk, credentials, httpsAgent] = await Promise.all([load(), this.credentials(), this.agent()])
        const policy = this.options.retryPolicy ?? retryPolicyFromEnv()
        const client = make(sdk, {
          credentials,
          maxAttempts: policy.throttlingAttempts,
          region,
          requestHandler: {
            connectionTimeout: this.options.connectionTimeoutMs ?? 5000,
            ...(httpsAgent ? {httpsAgent} : {}),
            requestTimeout: this.options.requestTimeoutMs ?? 30_000,
          },
          retryStrategy: this.retryStrategy,
        })
        // After the retry middleware (priority high in the same step), so it sees every attempt.
        ;(client.middlewareStack as AttemptMiddlewareStack).add(this.attemptMiddleware(service, region), {
          name: 'ssokitAttempt',
          priority: 'low',
          step: 'finalizeRequest',
        })
        return {client, sdk}
      })()
      this.clients.set(key, entry)
    }

    return entry
  }

  /** One memoised provider for every client: an SSO profile's GetRoleCredentials runs once per run. */
  private async credentials(): Promise<AwsCredentialIdentityProvider> {
    if (!this.credentialProvider) {
      const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers')
      const chain = fromNodeProviderChain(this.options.profile ? {profile: this.options.profile} : {})
      let pending: Promise<AwsCredentialIdentity> | undefined
      let resolved: AwsCredentialIdentity | undefined
      this.credentialProvider = async () => {
        // Refresh temporary credentials a minute before they expire.
        if (resolved && (!resolved.expiration || resolved.expiration.getTime() - Date.now() > 60_000)) return resolved
        pending ??= chain().then(
          (identity) => {
            resolved = identity
            pending = undefined
            return identity
          },
          (error) => {
            pending = undefined
            throw error
          },
        )
        return pending
      }
    }

    return this.credentialProvider
  }
}

async function profileExists(name: string): Promise<boolean> {
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  return name in configFile || name in credentialsFile
}

function endpointOf(request: unknown): string | undefined {
  const r = request as undefined | {hostname?: string; path?: string; port?: number; protocol?: string}
  if (!r?.hostname) return undefined
  return `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path ?? '/'}`
}
