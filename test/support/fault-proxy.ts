import type {AddressInfo} from 'node:net'

/**
 * A fault-injecting HTTP proxy for tests and the benchmark, in front of moto. It answers a share of requests
 * with throttling errors (400 ThrottlingException and 429 TooManyRequestsException) or server errors
 * (500/503), enforces request rates as AWS does (in all, per service, per API), tells the client when to come
 * back (Retry-After, RetryAfterSeconds), and answers chosen operations or regions with chosen
 * errors (AccessDeniedException, UnrecognizedClientException, ...), in the wire format the SDK parses: JSON
 * protocol (`x-amzn-errortype` + `{"__type", "message"}`) for sso-admin, identitystore and organizations,
 * query/XML for STS. Everything else is forwarded unchanged.
 */
import {randomUUID} from 'node:crypto'
import {createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

export interface FaultRules {
  /**
   * Requests to `service` (credential-scope name, e.g. `sso`) signed for a region outside `enabled` get `error`,
   * as AWS answers in a region the account has not enabled (UnrecognizedClientException).
   */
  disabledRegions?: {enabled: string[]; error: string; service: string}
  /** Operation (`ListAccounts`) or `service:Operation` (`organizations:ListAccounts`) → error code answered, e.g. AccessDeniedException. */
  errors?: Record<string, string>
  /** At most this many requests pass per second (sliding one-second window); the rest get a throttling error. */
  maxRps?: number
  /**
   * Rates per quota, each its own sliding one-second window: `sso` (all of a service's operations share it),
   * `identitystore:*` (each operation of the service has its own), `organizations:ListAccounts` (that one
   * operation). The most specific key that exists applies; {@link AWS_QUOTA_RATES} is Identity Center's.
   */
  rates?: Record<string, number>
  /**
   * Throttling answers say when to come back: in the `Retry-After` header (seconds, as HTTP does), or in the
   * JSON body's `RetryAfterSeconds` (the identity store's ThrottlingException member).
   */
  retryAfter?: {in: 'body' | 'header'; seconds: number}
  /** Seed of the pseudo-random choices, so a failing run can be replayed. */
  seed?: number
  /** Share (0-1) of requests answered with a 500 or 503. */
  serverErrorRate?: number
  /** Share (0-1) of requests answered with a throttling error. */
  throttleRate?: number
}

/**
 * The published IAM Identity Center quotas (user guide, "IAM Identity Center quotas"): the sso-admin APIs share
 * 20 requests/s, the identity store allows 20/s per API. Organizations publishes none; 10/s models a cautious one.
 */
export const AWS_QUOTA_RATES: Readonly<Record<string, number>> = {
  'identitystore:*': 20,
  organizations: 10,
  sso: 20,
}

export interface FaultProxyStats {
  /** Every request as it arrived: when (ms, Date.now()), `service:Operation`, and whether it was throttled. */
  arrivals: Array<{at: number; key: string; throttled: boolean}>
  /** Requests received, by `service:Operation`. */
  byOperation: Map<string, number>
  /** Requests received and throttled, by service (`sso`, `identitystore`, `organizations`, `sts`). */
  byService: Map<string, {received: number; throttled: number}>
  errors: number
  forwarded: number
  received: number
  serverErrors: number
  throttled: number
}

export interface FaultProxy {
  close(): Promise<void>
  resetStats(): void
  rules: FaultRules
  stats: FaultProxyStats
  url: string
}

const SERVICE_BY_TARGET_PREFIX: Record<string, string> = {
  AWSIdentityStore: 'identitystore',
  AWSOrganizationsV20161128: 'organizations',
  SWBExternalService: 'sso',
}

const STATUS_BY_CODE: Record<string, number> = {
  AccessDenied: 403,
  AccessDeniedException: 400,
  ExpiredToken: 403,
  ExpiredTokenException: 400,
  InvalidClientTokenId: 403,
  UnrecognizedClientException: 400,
}

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d_2b_79_f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

interface RequestInfo {
  operation: string
  protocol: 'json' | 'query'
  region: string
  /** Short service name used in rule keys: sso, identitystore, organizations, sts. */
  service: string
  /** The SigV4 credential-scope service. */
  signingService: string
}

function describeRequest(req: IncomingMessage, body: Buffer): RequestInfo {
  const credential = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))
  const region = credential?.[1] ?? ''
  const signingService = credential?.[2] ?? ''
  const target = req.headers['x-amz-target']
  if (typeof target === 'string') {
    const [prefix, operation] = target.split('.')
    return {
      operation,
      protocol: 'json',
      region,
      service: SERVICE_BY_TARGET_PREFIX[prefix] ?? signingService,
      signingService,
    }
  }

  const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? ''
  return {operation: action, protocol: 'query', region, service: signingService, signingService}
}

interface ErrorAnswer {
  /** Members added to a JSON error body (`RetryAfterSeconds`). */
  body?: Record<string, unknown>
  code: string
  headers?: Record<string, string>
  message: string
  status: number
}

function sendError(res: ServerResponse, info: RequestInfo, answer: ErrorAnswer): void {
  const {code, message, status} = answer
  const extra = answer
  const requestId = randomUUID()
  if (info.protocol === 'query') {
    const type = status >= 500 ? 'Receiver' : 'Sender'
    const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
    res.writeHead(status, {'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...extra.headers})
    res.end(xml)
    return
  }

  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': code,
    'x-amzn-requestid': requestId,
    ...extra.headers,
  })
  res.end(JSON.stringify({__type: code, message, ...extra.body}))
}

export async function startFaultProxy(target: string, rules: FaultRules = {}): Promise<FaultProxy> {
  const targetUrl = new URL(target)
  const random = prng(rules.seed ?? 1)
  /** Accepted request times per window: `*` for maxRps, then one per rate key (`identitystore:ListUsers`, `sso`). */
  const windows = new Map<string, number[]>()
  const stats: FaultProxyStats = {
    arrivals: [],
    byOperation: new Map(),
    byService: new Map(),
    errors: 0,
    forwarded: 0,
    received: 0,
    serverErrors: 0,
    throttled: 0,
  }
  const proxy: FaultProxy = {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
      }),
    resetStats() {
      stats.arrivals = []
      stats.byOperation.clear()
      stats.byService.clear()
      stats.errors = 0
      stats.forwarded = 0
      stats.received = 0
      stats.serverErrors = 0
      stats.throttled = 0
    },
    rules,
    stats,
    url: '',
  }

  /** The windows a request counts against, with their limits: the overall one and its quota's. */
  function windowsFor(info: RequestInfo): Array<{key: string; limit: number}> {
    const found: Array<{key: string; limit: number}> = []
    if (proxy.rules.maxRps) found.push({key: '*', limit: proxy.rules.maxRps})
    const rates = proxy.rules.rates ?? {}
    const exact = `${info.service}:${info.operation}`
    if (rates[exact] !== undefined) found.push({key: exact, limit: rates[exact]})
    else if (rates[`${info.service}:*`] !== undefined) found.push({key: exact, limit: rates[`${info.service}:*`]})
    else if (rates[info.service] !== undefined) found.push({key: info.service, limit: rates[info.service]})
    return found
  }

  function overRate(info: RequestInfo, now: number): boolean {
    return windowsFor(info).some(({key, limit}) => {
      const accepted = windows.get(key) ?? []
      while (accepted.length > 0 && now - accepted[0] >= 1000) accepted.shift()
      return accepted.length >= limit
    })
  }

  function accept(info: RequestInfo, now: number): void {
    for (const {key} of windowsFor(info)) {
      const accepted = windows.get(key) ?? []
      accepted.push(now)
      windows.set(key, accepted)
    }
  }

  function throttle(res: ServerResponse, info: RequestInfo): void {
    const after = proxy.rules.retryAfter
    const extra =
      after?.in === 'header'
        ? {headers: {'retry-after': String(after.seconds)}}
        : after?.in === 'body'
          ? {body: {RetryAfterSeconds: after.seconds}}
          : {}
    // Both wire forms AWS uses: 400 with a throttling code, and plain 429.
    if (random() < 0.5) {
      const code = info.protocol === 'query' ? 'Throttling' : 'ThrottlingException'
      sendError(res, info, {...extra, code, message: 'Rate exceeded', status: 400})
    } else sendError(res, info, {...extra, code: 'TooManyRequestsException', message: 'Too many requests', status: 429})
  }

  function regionError(info: RequestInfo): string | undefined {
    const rule = proxy.rules.disabledRegions
    if (!rule || rule.service !== info.signingService || rule.enabled.includes(info.region)) return undefined
    return rule.error
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const info = describeRequest(req, body)
    const key = `${info.service}:${info.operation}`
    const now = Date.now()
    stats.received++
    stats.byOperation.set(key, (stats.byOperation.get(key) ?? 0) + 1)
    const perService = stats.byService.get(info.service) ?? {received: 0, throttled: 0}
    perService.received++
    stats.byService.set(info.service, perService)
    const r = proxy.rules
    const chosen = r.errors?.[key] ?? r.errors?.[info.operation] ?? regionError(info)
    if (chosen) {
      stats.errors++
      sendError(res, info, {
        code: chosen,
        message: `${chosen} injected by the test proxy for ${key} in ${info.region}`,
        status: STATUS_BY_CODE[chosen] ?? 400,
      })
      return
    }

    const roll = random()
    const throttleRate = r.throttleRate ?? 0
    const throttled = roll < throttleRate || overRate(info, now)
    stats.arrivals.push({at: now, key, throttled})
    if (throttled) {
      stats.throttled++
      perService.throttled++
      throttle(res, info)
      return
    }

    if (roll < throttleRate + (r.serverErrorRate ?? 0)) {
      stats.serverErrors++
      if (random() < 0.5)
        sendError(res, info, {code: 'InternalServerException', message: 'Internal failure', status: 500})
      else sendError(res, info, {code: 'ServiceUnavailableException', message: 'Service unavailable', status: 503})
      return
    }

    accept(info, now)
    stats.forwarded++
    const upstream = httpRequest(
      {headers: req.headers, host: targetUrl.hostname, method: req.method, path: req.url, port: targetUrl.port},
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', (error) => {
      res.writeHead(502, {'content-type': 'text/plain'})
      res.end(`proxy: ${error.message}`)
    })
    upstream.end(body)
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks)))
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
