import type {OidcApi, RegisterClientInput} from './clients.js'
import type {CompleteSsoTarget} from './target.js'

import {
  type CachedRegistration,
  readRegistrationFile,
  registrationCachePath,
  registrationExpiryFromEpochSeconds,
  writeRegistrationFile,
} from './cache.js'
import {parseAwsTime, REFRESH_WINDOW_MS} from './time.js'

export type LoginFlow = 'device-code' | 'pkce'

/** The scope PKCE registers when the session sets none (`_AUTH_GRANT_DEFAULT_SCOPE`). */
export const DEFAULT_PKCE_SCOPE = 'sso:account:access'
export const PKCE_GRANT_TYPES = ['authorization_code', 'refresh_token']
/** The redirect URI PKCE registers: no port (RFC 8252 loopback rule); the authorize request adds the real one. */
export const REGISTERED_REDIRECT_URI = 'http://127.0.0.1/oauth/callback'

export interface RegistrationOptions {
  cacheDir: string
  flow: LoginFlow
  now: () => Date
  oidc: OidcApi
  signal?: AbortSignal
  target: CompleteSsoTarget
}

export interface RegistrationResult {
  path: string
  registration: CachedRegistration
  reused: boolean
}

/** A PKCE registration lists `authorization_code` in its grant types; anything else is a device-code one. */
export function isAuthCodeRegistration(registration: CachedRegistration): boolean {
  return registration.grantTypes?.includes('authorization_code') ?? false
}

/**
 * The client registration for a login, as `aws sso login` keeps it: reuse the cached one unless it is within
 * 15 minutes of expiry or was made for the other flow (both flows share one cache key), else RegisterClient and
 * cache the result.
 */
export async function obtainRegistration(options: RegistrationOptions): Promise<RegistrationResult> {
  const {cacheDir, flow, now, oidc, signal, target} = options
  const path = registrationCachePath(
    {
      region: target.region,
      scopes: target.registrationScopes,
      sessionName: target.sessionName,
      startUrl: target.startUrl,
    },
    cacheDir,
  )
  const cached = await readRegistrationFile(path)
  if (cached) {
    const expiry = parseAwsTime(cached.expiresAt)!
    const fresh = expiry.getTime() - now().getTime() >= REFRESH_WINDOW_MS
    if (fresh && isAuthCodeRegistration(cached) === (flow === 'pkce')) return {path, registration: cached, reused: true}
  }

  const clientName = `botocore-client-${target.sessionName ?? Math.floor(now().getTime() / 1000)}`
  const scopes = target.registrationScopes
  const input: RegisterClientInput =
    flow === 'pkce'
      ? {
          clientName,
          clientType: 'public',
          grantTypes: PKCE_GRANT_TYPES,
          issuerUrl: target.startUrl,
          redirectUris: [REGISTERED_REDIRECT_URI],
          scopes: scopes ?? [DEFAULT_PKCE_SCOPE],
        }
      : {clientName, clientType: 'public', ...(scopes ? {scopes} : {})}
  const out = await oidc.registerClient(input, signal)
  const registration: CachedRegistration = {
    clientId: out.clientId,
    clientSecret: out.clientSecret,
    expiresAt: registrationExpiryFromEpochSeconds(out.clientSecretExpiresAt),
  }
  if (input.scopes) registration.scopes = input.scopes
  if (flow === 'pkce') registration.grantTypes = PKCE_GRANT_TYPES
  await writeRegistrationFile(path, registration)
  return {path, registration, reused: false}
}
