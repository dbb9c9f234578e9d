/**
 * GetRoleCredentials without the AWS SDK, for the fast path of `credential-process` when the role cache is cold
 * but the token is good. Loading the SDK costs about as much as starting Node itself, and the call is one GET
 * (`/federation/credentials?account_id=…&role_name=…` with the token in `x-amz-sso_bearer_token`, answer
 * `{"roleCredentials": {…, "expiration": <epoch ms>}}`: the `sso` service model in botocore's
 * `data/sso/2019-06-10/service-2.json`).
 *
 * It runs only where its endpoint is certainly the one the SDK would use: the `aws` partition's default endpoint
 * (`https://portal.sso.<region>.amazonaws.com`) or an `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL` override, with no
 * FIPS, dual-stack, endpoint or proxy setting anywhere; `AWS_CA_BUNDLE` is honoured as ssokit's SDK clients honour
 * it (its certificates are the only ones trusted). Anything else — another setting, an unreadable bundle, a non-200
 * answer, a network error — returns undefined, and the full command (the SDK, its retries, the exact error
 * messages) answers instead.
 */
import type {ConfigModel} from '../config/model.js'
import type {RoleCredentialSet} from './role-cache.js'

import {rememberSecret} from '../secrets.js'
import {formatAwsTime} from './time.js'

/** The `aws` partition's region pattern (`partitions.json` of the SDKs' endpoint rules). */
const AWS_PARTITION_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/

/** Variables that change the endpoint, the TLS trust or the route of an SDK request. */
const SETTING_VARIABLES = [
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
]

/** Config keys with the same effect, in any profile (the SDK reads the active profile's). */
const SETTING_KEYS = new Set(['ca_bundle', 'endpoint_url', 'services', 'use_dualstack_endpoint', 'use_fips_endpoint'])

const REQUEST_TIMEOUT_MS = 10_000

/** The portal's base URL when the direct call certainly reaches what the SDK would; undefined otherwise. */
export function directPortalEndpoint(region: string, model: ConfigModel, env: NodeJS.ProcessEnv): string | undefined {
  return configAllowsDirect(model) ? directPortalEndpointFor(region, env) : undefined
}

/** Whether the config has none of the settings that change an SDK request's endpoint or route. */
export function configAllowsDirect(model: ConfigModel): boolean {
  if (model.services.size > 0) return false
  return [...model.config, ...model.credentials].every(
    (section) => !section.settings.some((setting) => SETTING_KEYS.has(setting.name)),
  )
}

/** {@link directPortalEndpoint} for a config that {@link configAllowsDirect}. */
export function directPortalEndpointFor(region: string, env: NodeJS.ProcessEnv): string | undefined {
  if (SETTING_VARIABLES.some((name) => env[name])) return undefined
  const override = env.AWS_ENDPOINT_URL_SSO || env.AWS_ENDPOINT_URL
  if (override) return /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(override) ? override : undefined
  return AWS_PARTITION_REGION.test(region) ? `https://portal.sso.${region}.amazonaws.com` : undefined
}

/** One GetRoleCredentials request; undefined for anything but a well-formed 200 answer. */
export async function getRoleCredentialsDirect(
  endpoint: string,
  input: {accessToken: string; accountId: string; roleName: string},
  env: NodeJS.ProcessEnv = process.env,
): Promise<RoleCredentialSet | undefined> {
  let ca: Buffer | undefined
  if (env.AWS_CA_BUNDLE) {
    const {readFile} = await import('node:fs/promises')
    ca = await readFile(env.AWS_CA_BUNDLE).catch(() => undefined)
    if (!ca) return undefined
  }

  const url = new URL(endpoint)
  url.pathname = `${url.pathname.replace(/\/$/, '')}/federation/credentials`
  url.search = `account_id=${encodeURIComponent(input.accountId)}&role_name=${encodeURIComponent(input.roleName)}`
  const {request} = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const body = await new Promise<string | undefined>((resolve) => {
    const req = request(
      url,
      {
        // A fresh connection closed after the answer: a kept-alive socket would hold the process open.
        agent: false,
        ...(ca ? {ca} : {}),
        headers: {accept: 'application/json', 'user-agent': 'ssokit', 'x-amz-sso_bearer_token': input.accessToken},
        method: 'GET',
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume()
          resolve(undefined)
          return
        }

        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve(text))
        res.on('error', () => resolve(undefined))
      },
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(undefined))
    req.end()
  })
  return body === undefined ? undefined : parseAnswer(body)
}

function parseAnswer(body: string): RoleCredentialSet | undefined {
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch {
    return undefined
  }

  const creds = (data as null | {roleCredentials?: Record<string, unknown>})?.roleCredentials
  if (!creds || typeof creds !== 'object') return undefined
  const {accessKeyId, expiration, secretAccessKey, sessionToken} = creds
  const strings = [accessKeyId, secretAccessKey, sessionToken]
  if (!strings.every((s): s is string => typeof s === 'string' && s !== '' && s.trim() === s)) return undefined
  if (typeof expiration !== 'number' || !Number.isFinite(expiration)) return undefined
  for (const secret of strings) rememberSecret(secret)
  return {
    accessKeyId: strings[0],
    expiration: formatAwsTime(new Date(expiration)),
    secretAccessKey: strings[1],
    sessionToken: strings[2],
  }
}
