/**
 * An HTTP proxy on 127.0.0.1 for tests: CONNECT tunnels (https) and absolute-form GETs (http), to loopback
 * targets only. It records what it was asked, and can demand Basic credentials (407 otherwise).
 */
import {createServer, request} from 'node:http'
import {type AddressInfo, connect, type Socket} from 'node:net'

export interface ConnectProxy {
  close(): Promise<void>
  /** `CONNECT host:port` and `GET http://…` targets, in order. */
  readonly requests: string[]
  url: string
}

export async function startConnectProxy(options: {credentials?: string} = {}): Promise<ConnectProxy> {
  const requests: string[] = []
  const sockets = new Set<Socket>()
  const authorized = (header: string | undefined) =>
    !options.credentials || header === `Basic ${Buffer.from(options.credentials).toString('base64')}`
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    const target = new URL(req.url ?? '')
    if (!authorized(req.headers['proxy-authorization'])) {
      res.writeHead(407, {'Proxy-Authenticate': 'Basic realm="test"'}).end()
      return
    }

    if (target.hostname !== '127.0.0.1') {
      res.writeHead(403).end()
      return
    }

    const upstream = request(target, {headers: req.headers, method: req.method}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  server.on('connect', (req, client: Socket, head) => {
    requests.push(`CONNECT ${req.url}`)
    sockets.add(client)
    client.on('error', () => {})
    if (!authorized(req.headers['proxy-authorization'])) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n')
      return
    }

    const [host, port] = (req.url ?? '').split(':')
    if (host !== '127.0.0.1') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }

    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    async close() {
      for (const s of sockets) s.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
    requests,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}
