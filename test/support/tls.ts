/**
 * Certificates for TLS tests, made with the `openssl` binary in a temp folder: a self-signed one for
 * 127.0.0.1, and a CA with a leaf it signed (so that trusting the CA alone must be enough). EC keys keep it fast.
 * With CI set, a missing openssl is a failure; elsewhere the suites that need it skip and say so.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import {type AddressInfo, createServer as createNetServer, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface Certificates {
  /** The CA that signed `leaf`. */
  ca: {cert: string; path: string}
  dir: string
  leaf: {cert: string; key: string}
  selfSigned: {cert: string; key: string; path: string}
}

export function opensslMissing(): string | undefined {
  const probe = spawnSync('openssl', ['version'], {encoding: 'utf8'})
  const missing = probe.status === 0 ? undefined : `openssl is not available (${probe.error?.message ?? probe.stderr})`
  if (missing && process.env.CI) throw new Error(`CI is set and ${missing}`)
  return missing
}

function openssl(dir: string, args: string[]): void {
  const run = spawnSync('openssl', args, {cwd: dir, encoding: 'utf8'})
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`)
}

export function makeCertificates(days = 365): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-tls-'))
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const san = ['-addext', 'subjectAltName=IP:127.0.0.1']
  openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    String(days),
    '-subj',
    '/CN=127.0.0.1',
    ...san,
  ])
  openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    String(days),
    '-subj',
    '/CN=ssokit test CA',
  ])
  openssl(dir, ['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1'])
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1\n')
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    String(days),
    '-extfile',
    'leaf.ext',
  ])
  const read = (name: string) => readFileSync(join(dir, name), 'utf8')
  return {
    ca: {cert: read('ca.pem'), path: join(dir, 'ca.pem')},
    dir,
    leaf: {cert: read('leaf.pem'), key: read('leaf.key')},
    selfSigned: {cert: read('self.pem'), key: read('self.key'), path: join(dir, 'self.pem')},
  }
}

export interface LocalServer {
  close(): Promise<void>
  url: string
}

/** An https server on 127.0.0.1 that answers every request with 404 and, if given, a Date header. */
export async function startTlsServer(credentials: {cert: string; key: string}): Promise<LocalServer> {
  const server: Server = createServer(credentials, (_req, res) => {
    res.writeHead(404, {'Content-Type': 'text/plain'})
    res.end('no route')
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}

/** A server that accepts connections and never answers: a network that drops packets, on loopback. */
export async function startBlackhole(): Promise<LocalServer> {
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }
}
