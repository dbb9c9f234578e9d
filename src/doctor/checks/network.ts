/**
 * Network checks: the CA bundle, the proxy variables (both local), and one request to each sso-oidc endpoint
 * the sessions use, for reachability, TLS and the clock (online).
 */
import {X509Certificate} from 'node:crypto'
import {open} from 'node:fs/promises'

import type {SsoTarget} from '../../sso/target.js'

import {expandHome} from '../../config/paths.js'
import {escapeLine} from '../../render/terminal.js'
import {describeDuration} from '../../sso/time.js'
import {adviceFor} from './advice.js'
import {probe, type ProbeResult} from './probe.js'
import {selectedTargets} from './tokens.js'
import {type CheckDefinition, type CheckResult, type DoctorContext, result, withId} from './types.js'

const MAX_BUNDLE_BYTES = 16 * 1024 * 1024
const SOON_MS = 30 * 24 * 3600 * 1000
/** SigV4 refuses requests whose time is more than 5 minutes off (RequestTimeTooSkewed, "Signature expired"). */
const SKEW_FAIL_MS = 5 * 60 * 1000
const SKEW_WARN_MS = 60 * 1000

// ---------------------------------------------------------------------------------------------------------------
// CA bundle

interface BundleSource {
  path: string
  /** Where the setting came from, for messages. */
  setting: string
}

/** AWS_CA_BUNDLE, else `ca_bundle` of the profile in use: botocore's order (environment before config file). */
async function bundleSource(context: DoctorContext): Promise<BundleSource | undefined> {
  if (context.env.AWS_CA_BUNDLE)
    return {path: expandHome(context.env.AWS_CA_BUNDLE, context.env), setting: 'AWS_CA_BUNDLE'}
  const profile = context.profile ?? context.env.AWS_PROFILE ?? 'default'
  const value = (await context.config()).model.profiles.get(profile)?.settings.get('ca_bundle')
  return value ? {path: expandHome(value, context.env), setting: `ca_bundle in profile ${profile}`} : undefined
}

/** The bundle's bytes, or why they cannot be had; memoised, since the endpoint probe trusts the same file. */
async function readBundle(context: DoctorContext): Promise<{bytes?: Buffer; problem?: string; source?: BundleSource}> {
  return context.memo('ca-bundle', async () => {
    const source = await bundleSource(context)
    if (!source) return {}
    let handle
    try {
      handle = await open(source.path, 'r')
      const info = await handle.stat()
      if (!info.isFile()) return {problem: 'it is not a regular file', source}
      if (info.size > MAX_BUNDLE_BYTES)
        return {problem: `it is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MB`, source}
      return {bytes: await handle.readFile(), source}
    } catch (error) {
      const {code} = error as NodeJS.ErrnoException
      return {problem: code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${code ?? 'error'})`, source}
    } finally {
      await handle?.close()
    }
  })
}

export const caBundleCheck: CheckDefinition = {
  category: 'network',
  id: 'ca-bundle',
  online: false,
  async run(context) {
    const {bytes, problem, source} = await readBundle(context)
    if (!source) {
      return result(
        this,
        'pass',
        `No AWS_CA_BUNDLE or ca_bundle: TLS to AWS trusts the system's CAs${context.env.NODE_EXTRA_CA_CERTS ? ' (Node adds NODE_EXTRA_CA_CERTS)' : ''}.`,
      )
    }

    const where = `${source.setting} = ${escapeLine(source.path)}`
    if (problem)
      return result(
        this,
        'fail',
        `${where}: ${problem}; every TLS connection of the AWS CLI fails.`,
        `Point ${source.setting.startsWith('AWS_') ? 'AWS_CA_BUNDLE' : 'ca_bundle'} at a PEM file of CA certificates, or unset it.`,
      )
    const blocks =
      bytes!.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
    const certificates: X509Certificate[] = []
    let unreadable = 0
    for (const block of blocks) {
      try {
        certificates.push(new X509Certificate(block))
      } catch {
        unreadable++
      }
    }

    if (certificates.length === 0) {
      const why =
        blocks.length === 0
          ? 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); a DER file must be converted'
          : `holds ${blocks.length} PEM block(s), none of which parses`
      return result(
        this,
        'fail',
        `${where} ${why}.`,
        `openssl x509 -inform der -in CERT.cer -out ${source.path}   (or point ${source.setting.split(' ')[0]} at your PEM bundle)`,
      )
    }

    const now = context.now.getTime()
    const name = (c: X509Certificate) => escapeLine(c.subject.replaceAll('\n', ', '))
    const expired = certificates.filter((c) => Date.parse(c.validTo) <= now)
    const early = certificates.filter((c) => Date.parse(c.validFrom) > now)
    const soon = certificates.filter((c) => Date.parse(c.validTo) > now && Date.parse(c.validTo) - now < SOON_MS)
    const usable = certificates.length - expired.length - early.length
    const summary = `${where}: ${certificates.length} certificate(s)${unreadable ? `, ${unreadable} unreadable block(s)` : ''}`
    if (usable === 0) {
      return result(
        this,
        'fail',
        `${summary}, none valid now (expired: ${expired.map(name).join('; ') || 'none'}; not yet valid: ${early.map(name).join('; ') || 'none'}).`,
        'Replace the bundle with current CA certificates (ask whoever runs the TLS-inspecting proxy).',
      )
    }

    if (unreadable > 0) {
      return result(
        this,
        'warn',
        `${summary}: Python's ssl (the AWS CLI) refuses a bundle with a broken block.`,
        'Remove the blocks that do not parse (openssl x509 -noout -in FILE shows the first problem).',
      )
    }

    // Expired roots in a system bundle are normal (TLS ignores them); a bundle whose every valid CA is about to
    // expire is the one that breaks next month.
    if (soon.length === usable) {
      return result(
        this,
        'warn',
        `${summary}; every valid one expires within 30 days: ${soon.map((c) => `${name(c)} (${c.validTo})`).join('; ')}.`,
        'Get the new CA certificate before these expire.',
      )
    }

    const ignored = [
      expired.length > 0 ? `${expired.length} expired` : '',
      early.length > 0 ? `${early.length} not yet valid` : '',
    ].filter(Boolean)
    const js = context.env.NODE_EXTRA_CA_CERTS
      ? ''
      : ' The AWS SDK for JavaScript does not read it: other Node tools need NODE_EXTRA_CA_CERTS.'
    const valid = ignored.length > 0 ? `${usable} valid now (${ignored.join(', ')}, which TLS ignores)` : 'all valid'
    return result(this, 'pass', `${summary}, ${valid}; the AWS CLI and ssokit trust only these.${js}`)
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Proxies

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY']

/** A proxy URL with any password hidden. */
function shownProxy(url: URL): string {
  const copy = new URL(url.toString())
  if (copy.password) copy.password = '***'
  return escapeLine(copy.toString().replace(/\/$/, ''))
}

/** botocore's reading of a proxy value (`_fix_proxy_url`): no scheme means `http://`. */
function parseProxy(value: string): undefined | URL {
  const text = /^https?:/i.test(value) ? value : value.startsWith('//') ? `http:${value}` : `http://${value}`
  try {
    const url = new URL(text)
    return url.hostname && (url.protocol === 'http:' || url.protocol === 'https:') ? url : undefined
  } catch {
    return undefined
  }
}

/** The variable a lower-case-first reader (Python, curl) uses for `scheme`, then `all`. */
function proxyVariable(env: NodeJS.ProcessEnv, scheme: 'http' | 'https'): string | undefined {
  return [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'].find((n) => env[n])
}

/**
 * Whether NO_PROXY exempts `host` the way Python's `proxy_bypass_environment` (and so botocore) matches: `*`
 * exempts everything; an entry matches the host or any subdomain, leading dots ignored, case-insensitive.
 */
export function bypassesProxy(host: string, port: string, env: NodeJS.ProcessEnv): boolean {
  const list = env.no_proxy ?? env.NO_PROXY ?? ''
  if (list.trim() === '*') return true
  const hostPort = `${host}:${port}`.toLowerCase()
  return list
    .split(',')
    .map((e) => e.trim().replace(/^\.+/, '').toLowerCase())
    .filter(Boolean)
    .some((entry) => [host.toLowerCase(), hostPort].some((h) => h === entry || h.endsWith(`.${entry}`)))
}

/** The proxy the AWS CLI would use for `url`, if any. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): undefined | URL {
  const variable = proxyVariable(env, url.protocol === 'https:' ? 'https' : 'http')
  if (!variable) return undefined
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  if (bypassesProxy(url.hostname.replaceAll(/^\[|\]$/g, ''), port, env)) return undefined
  return parseProxy(env[variable]!)
}

/** What is wrong (problems) or risky (notes) in the proxy variables that are set. */
function proxyFindings(
  env: NodeJS.ProcessEnv,
  set: string[],
  noProxy: string | undefined,
): {notes: string[]; problems: string[]} {
  const problems: string[] = []
  const notes: string[] = []
  for (const name of set) {
    const value = env[name]!
    const url = parseProxy(value)
    if (!url) problems.push(`${name} is not a proxy URL (${escapeLine(value.replace(/\/\/[^@/]*@/, '//***@'))})`)
    else if (!/^https?:/i.test(value))
      notes.push(`${name} has no scheme: the AWS CLI reads it as ${shownProxy(url)}, some tools do not`)
    if (url && url.pathname !== '/' && url.pathname !== '')
      notes.push(`${name} has a path (${escapeLine(url.pathname)}), which proxies ignore`)
  }

  for (const [lower, upper] of [
    ['https_proxy', 'HTTPS_PROXY'],
    ['http_proxy', 'HTTP_PROXY'],
    ['no_proxy', 'NO_PROXY'],
  ]) {
    if (env[lower] && env[upper] && env[lower] !== env[upper])
      notes.push(`${lower} and ${upper} differ: tools disagree on which one wins`)
  }

  for (const entry of (noProxy ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    if (entry.includes('://') || entry.includes('/'))
      problems.push(
        `NO_PROXY entry "${escapeLine(entry)}" is a URL or CIDR range; the AWS CLI matches host names only (write the host, e.g. .example.com)`,
      )
    else if (entry.startsWith('*.'))
      notes.push(
        `NO_PROXY entry "${escapeLine(entry)}": the AWS CLI does not expand *.; write ${escapeLine(entry.slice(1))}`,
      )
  }

  return {notes, problems}
}

export const proxyCheck: CheckDefinition = {
  category: 'network',
  id: 'proxy',
  online: false,
  async run(context) {
    const {env} = context
    const set = PROXY_VARIABLES.filter((n) => env[n])
    const noProxy = env.no_proxy ?? env.NO_PROXY
    if (set.length === 0)
      return result(
        this,
        'pass',
        `No proxy variables: connections go direct${noProxy ? ' (NO_PROXY is set but unused)' : ''}.`,
      )
    const {notes, problems} = proxyFindings(env, set, noProxy)
    // Where the sessions' sso-oidc endpoints go, as the AWS CLI would connect.
    const endpoints = await endpointsOf(context)
    const routes = endpoints.map(({url}) => {
      const proxy = proxyFor(url, env)
      const why = proxyVariable(env, url.protocol === 'https:' ? 'https' : 'http') ? 'direct (NO_PROXY)' : 'direct'
      return `${escapeLine(url.host)} ${proxy ? `through ${shownProxy(proxy)}` : why}`
    })
    const route = routes.length > 0 ? ` The AWS CLI reaches ${routes.join(', ')}.` : ''
    const js = endpoints.some(({url}) => proxyFor(url, env))
      ? ' ssokit and the AWS SDK for JavaScript ignore proxy variables and connect directly: where only the proxy reaches AWS, they cannot.'
      : ''
    if (problems.length > 0)
      return result(
        this,
        'fail',
        `${problems.join('; ')}.${route}`,
        'Set HTTPS_PROXY=http://HOST:PORT and NO_PROXY to host names separated by commas.',
      )
    if (notes.length > 0 || js)
      return result(
        this,
        'warn',
        `${[...notes, `${set.join(', ')} set`].join('; ')}.${route}${js}`,
        notes.length > 0 ? 'Use one spelling per variable, with a scheme: HTTPS_PROXY=http://HOST:PORT' : null,
      )
    return result(this, 'pass', `${set.join(', ')} well-formed.${route}`)
  },
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints and the clock

interface Endpoint {
  region: string
  url: URL
}

/**
 * The sso-oidc endpoint of each region the selected sessions use: AWS_ENDPOINT_URL_SSO_OIDC, else
 * AWS_ENDPOINT_URL, else the public one (`oidc.<region>.amazonaws.com`, `.com.cn` in China, as botocore's endpoint rules resolve it).
 */
async function endpointsOf(context: DoctorContext): Promise<Endpoint[]> {
  return context.memo('endpoints', async () => {
    const {targets} = await selectedTargets(context).catch(() => ({targets: [] as SsoTarget[]}))
    const regions = [...new Set(targets.flatMap((t) => (t.region ? [t.region] : [])))]
    const custom = context.env.AWS_ENDPOINT_URL_SSO_OIDC || context.env.AWS_ENDPOINT_URL
    const endpoints: Endpoint[] = []
    for (const region of regions) {
      let url: URL
      try {
        url = new URL(custom ?? `https://oidc.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`)
      } catch {
        continue
      }

      if (!endpoints.some((e) => e.url.href === url.href)) endpoints.push({region, url})
    }

    return endpoints
  })
}

function probeOf(context: DoctorContext, endpoint: Endpoint): Promise<ProbeResult> {
  return context.memo(`probe:${endpoint.url.href}`, async () => {
    const {bytes} = await readBundle(context)
    return probe(endpoint.url, {ca: bytes, proxy: proxyFor(endpoint.url, context.env), timeoutMs: context.timeoutMs})
  })
}

export const endpointCheck: CheckDefinition = {
  category: 'network',
  id: 'endpoint',
  online: true,
  async run(context) {
    const endpoints = await endpointsOf(context)
    if (endpoints.length === 0) return result(this, 'skip', 'No sso-session region to reach.')
    return Promise.all(
      endpoints.map(async (endpoint): Promise<CheckResult> => {
        const id = `endpoint:${endpoint.region}`
        const outcome = await probeOf(context, endpoint)
        const proxy = proxyFor(endpoint.url, context.env)
        const via = proxy ? ` through ${shownProxy(proxy)}` : ''
        const {source} = await readBundle(context)
        const trust =
          endpoint.url.protocol === 'https:'
            ? `; trusting ${source ? escapeLine(source.setting) : "the system's CAs"}`
            : '; plain http, no TLS'
        const where = `sso-oidc ${escapeLine(endpoint.url.origin)}${via}`
        if (outcome.error) {
          const {code, message, stage} = outcome.error
          if (stage === 'proxy' || (proxy && stage === 'connect'))
            return withId(
              result(
                this,
                'fail',
                `${where}: the proxy failed (${escapeLine(code)}: ${escapeLine(message)}).`,
                'Check HTTPS_PROXY (host, port, credentials) and NO_PROXY.',
              ),
              id,
            )
          const advice = adviceFor(Object.assign(new Error(message), {code}), {
            operation: `a request to ${endpoint.url.host}`,
          })
          return withId(
            result(
              this,
              'fail',
              `${where}: ${stage === 'tls' ? 'TLS verification failed' : 'no connection'} (${escapeLine(code)}: ${escapeLine(message)})${trust}.`,
              advice.fix,
            ),
            id,
          )
        }

        return withId(
          result(
            this,
            'pass',
            `${where} answered (HTTP ${outcome.status}) in ${outcome.rttMs} ms${outcome.tls ? ', TLS verified' : ''}${trust}.`,
            null,
          ),
          id,
        )
      }),
    )
  },
}

export const clockSkewCheck: CheckDefinition = {
  category: 'network',
  id: 'clock-skew',
  online: true,
  async run(context) {
    const endpoints = await endpointsOf(context)
    if (endpoints.length === 0) return result(this, 'skip', 'No sso-session region to compare the clock with.')
    const outcomes = await Promise.all(endpoints.map(async (e) => ({endpoint: e, outcome: await probeOf(context, e)})))
    const answered = outcomes.find((o) => o.outcome.dateMs !== undefined)
    if (!answered) {
      const reached = outcomes.some((o) => !o.outcome.error)
      return result(
        this,
        reached ? 'warn' : 'skip',
        reached
          ? 'The endpoint sent no Date header to compare with.'
          : 'No endpoint answered (see the endpoint check).',
      )
    }

    const {dateMs, midpointMs, rttMs} = answered.outcome
    // The Date header has whole seconds; the answer was made somewhere within the round trip.
    const skew = Math.round((midpointMs! - dateMs! - 500) / 1000) * 1000
    const margin = 500 + rttMs! / 2
    const size = Math.abs(skew) <= margin ? 0 : Math.abs(skew) - margin
    const direction = skew > 0 ? 'ahead of' : 'behind'
    const text = `This clock is ${describeDuration(Math.abs(skew))} ${direction} ${escapeLine(answered.endpoint.url.host)} (Date header)`
    if (size >= SKEW_FAIL_MS)
      return result(
        this,
        'fail',
        `${text}: AWS refuses signed requests more than 5 minutes off, and token expiry times are misjudged.`,
        'Synchronise the clock (e.g. timedatectl set-ntp true, or your OS time settings).',
      )
    if (size >= SKEW_WARN_MS)
      return result(
        this,
        'warn',
        `${text}: token expiry times are misjudged by as much.`,
        'Synchronise the clock (e.g. timedatectl set-ntp true).',
      )
    return result(
      this,
      'pass',
      size === 0
        ? `This clock agrees with ${escapeLine(answered.endpoint.url.host)} to within ${Math.round(margin)} ms.`
        : `${text}.`,
    )
  },
}
