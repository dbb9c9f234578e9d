import type {AddressInfo} from 'node:net'

/**
 * A fault-injecting HTTP proxy for tests and the benchmark, in front of moto. It answers a share of requests
 * with throttling errors (400 ThrottlingException and 429 TooManyRequestsException) or server errors
 * (500/503), enforces a request rate like AWS does, and answers chosen operations or regions with chosen
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
  /** Seed of the pseudo-random choices, so a failing run can be replayed. */
  seed?: number
  /** Share (0-1) of requests answered with a 500 or 503. */
  serverErrorRate?: number
  /** Share (0-1) of requests answered with a throttling error. */
  throttleRate?: number
}

export interface FaultProxyStats {
  /** Requests received, by `service:Operation`. */
  byOperation: Map<string, number>
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

function sendError(res: ServerResponse, info: RequestInfo, status: number, code: string, message: string): void {
  const requestId = randomUUID()
  if (info.protocol === 'query') {
    const type = status >= 500 ? 'Receiver' : 'Sender'
    const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
    res.writeHead(status, {'content-type': 'text/xml', 'x-amzn-requestid': requestId})
    res.end(xml)
    return
  }

  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': code,
    'x-amzn-requestid': requestId,
  })
  res.end(JSON.stringify({__type: code, message}))
}

export async function startFaultProxy(target: string, rules: FaultRules = {}): Promise<FaultProxy> {
  const targetUrl = new URL(target)
  const random = prng(rules.seed ?? 1)
  const acceptedAt: number[] = []
  const stats: FaultProxyStats = {
    byOperation: new Map(),
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
      stats.byOperation.clear()
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

  function overRate(now: number): boolean {
    const limit = proxy.rules.maxRps
    if (!limit) return false
    while (acceptedAt.length > 0 && now - acceptedAt[0] >= 1000) acceptedAt.shift()
    return acceptedAt.length >= limit
  }

  function regionError(info: RequestInfo): string | undefined {
    const rule = proxy.rules.disabledRegions
    if (!rule || rule.service !== info.signingService || rule.enabled.includes(info.region)) return undefined
    return rule.error
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const info = describeRequest(req, body)
    const key = `${info.service}:${info.operation}`
    stats.received++
    stats.byOperation.set(key, (stats.byOperation.get(key) ?? 0) + 1)
    const r = proxy.rules
    const chosen = r.errors?.[key] ?? r.errors?.[info.operation] ?? regionError(info)
    if (chosen) {
      stats.errors++
      sendError(
        res,
        info,
        STATUS_BY_CODE[chosen] ?? 400,
        chosen,
        `${chosen} injected by the test proxy for ${key} in ${info.region}`,
      )
      return
    }

    const roll = random()
    const throttleRate = r.throttleRate ?? 0
    if (roll < throttleRate || overRate(Date.now())) {
      stats.throttled++
      // Both wire forms AWS uses: 400 with a throttling code, and plain 429.
      if (random() < 0.5)
        sendError(res, info, 400, info.protocol === 'query' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded')
      else sendError(res, info, 429, 'TooManyRequestsException', 'Too many requests')
      return
    }

    if (roll < throttleRate + (r.serverErrorRate ?? 0)) {
      stats.serverErrors++
      if (random() < 0.5) sendError(res, info, 500, 'InternalServerException', 'Internal failure')
      else sendError(res, info, 503, 'ServiceUnavailableException', 'Service unavailable')
      return
    }

    if (r.maxRps) acceptedAt.push(Date.now())
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
