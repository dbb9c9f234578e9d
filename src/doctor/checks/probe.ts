/**
 * One HTTP(S) request to an AWS endpoint, the way the AWS CLI would make it: through the proxy the
 * environment names for it (HTTP CONNECT for https), trusting AWS_CA_BUNDLE when set (as botocore's `verify`
 * does, instead of the system CAs), with one deadline for everything. It reads only the status line and the
 * headers (the `Date` header feeds the clock-skew check). Plain `net`/`tls`, so that no SDK is loaded and
 * the four paths (direct or proxied, http or https) share one reader.
 */
import {isIP, connect as netConnect, type Socket} from 'node:net'
import {connect as tlsConnect} from 'node:tls'

export interface ProbeOptions {
  /** PEM certificates trusted instead of Node's CAs (AWS_CA_BUNDLE / ca_bundle). */
  ca?: Buffer
  proxy?: URL
  timeoutMs: number
}

export interface ProbeResult {
  /** The server's `Date` header, in ms. */
  dateMs?: number
  error?: {code: string; message: string; stage: 'connect' | 'proxy' | 'request' | 'tls'}
  /** Local time half-way between sending the request and reading the answer (ms). */
  midpointMs?: number
  rttMs?: number
  status?: number
  /** Whether TLS was negotiated and verified. */
  tls: boolean
}

export async function probe(url: URL, options: ProbeOptions): Promise<ProbeResult> {
  const https = url.protocol === 'https:'
  const host = url.hostname.replaceAll(/^\[|\]$/g, '')
  const port = Number(url.port || (https ? 443 : 80))
  const sockets: Socket[] = []
  const track = <S extends Socket>(s: S): S => {
    sockets.push(s)
    return s
  }

  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          error: {code: 'ETIMEDOUT', message: `no answer within ${options.timeoutMs} ms`, stage: 'connect'},
          tls: false,
        }),
      options.timeoutMs,
    )
  })
  const attempt = (async (): Promise<ProbeResult> => {
    let socket: Socket
    let stage: NonNullable<ProbeResult['error']>['stage'] = 'connect'
    try {
      if (options.proxy) {
        socket = track(
          await open(
            options.proxy.hostname,
            Number(options.proxy.port || (options.proxy.protocol === 'https:' ? 443 : 80)),
            options.proxy.protocol === 'https:',
          ),
        )
        if (https) {
          stage = 'proxy'
          const auth = proxyAuthorization(options.proxy)
          socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n${auth}\r\n`)
          const head = await readHead(socket)
          if (head.status !== 200) {
            return {
              error: {
                code: `PROXY_HTTP_${head.status}`,
                message: `the proxy answered CONNECT with HTTP ${head.status}`,
                stage,
              },
              tls: false,
            }
          }
        }
      } else {
        socket = track(await open(host, port, false))
      }

      if (https) {
        stage = 'tls'
        socket = track(
          await new Promise<Socket>((resolve, reject) => {
            const secure = tlsConnect({
              ...(options.ca ? {ca: options.ca} : {}),
              // The name the certificate must match (an IP address is matched against its IP SANs).
              host,
              rejectUnauthorized: true,
              servername: isIP(host) ? undefined : host,
              socket,
            })
            secure.once('secureConnect', () => resolve(secure))
            secure.once('error', reject)
          }),
        )
      }

      stage = 'request'
      const target = options.proxy && !https ? `http://${url.host}/` : '/'
      const auth = options.proxy && !https ? proxyAuthorization(options.proxy) : ''
      const sent = Date.now()
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: ssokit-doctor\r\nAccept: */*\r\n${auth}Connection: close\r\n\r\n`,
      )
      const head = await readHead(socket)
      const received = Date.now()
      const date = head.headers.get('date')
      const dateMs = date ? Date.parse(date) : Number.NaN
      return {
        dateMs: Number.isNaN(dateMs) ? undefined : dateMs,
        midpointMs: (sent + received) / 2,
        rttMs: received - sent,
        status: head.status,
        tls: https,
      }
    } catch (error) {
      const e = error as NodeJS.ErrnoException
      return {error: {code: e.code ?? 'ERROR', message: e.message, stage}, tls: false}
    }
  })()
  try {
    return await Promise.race([attempt, deadline])
  } finally {
    clearTimeout(timer)
    for (const s of sockets) s.destroy()
  }
}

function open(host: string, port: number, secure: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tlsConnect({host, port, servername: isIP(host) ? undefined : host}, () => resolve(socket))
      : netConnect({host, port}, () => resolve(socket))
    socket.once('error', reject)
  })
}

function proxyAuthorization(proxy: URL): string {
  if (!proxy.username) return ''
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return `Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n`
}

/** Reads up to the blank line after the headers (at most 64 KiB) and parses the status line and headers. */
function readHead(socket: Socket): Promise<{headers: Map<string, string>; status: number}> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0)
    const done = () => {
      socket.off('data', onData)
      socket.off('error', reject)
      socket.off('end', onEnd)
    }

    const onEnd = () => {
      done()
      reject(Object.assign(new Error('the connection closed before an HTTP answer'), {code: 'ECONNRESET'}))
    }

    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      const end = buffer.indexOf('\r\n\r\n')
      if (end === -1 && buffer.length < 65_536) return
      done()
      const lines = buffer
        .subarray(0, end === -1 ? buffer.length : end)
        .toString('latin1')
        .split('\r\n')
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[0])?.[1])
      if (!status) {
        reject(Object.assign(new Error('the answer is not HTTP'), {code: 'EPROTO'}))
        return
      }

      const headers = new Map<string, string>()
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
      }

      resolve({headers, status})
    }

    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('end', onEnd)
  })
}
