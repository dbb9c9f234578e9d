import type {AddressInfo} from 'node:net'

import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'

import {LoginRequiredError} from '../errors.js'
import {rememberSecret} from '../secrets.js'
import {abortError} from './abort.js'

/** The path of the redirect URI, as the AWS CLI registers it. */
export const CALLBACK_PATH = '/oauth/callback'

export interface LoopbackServer {
  close(): Promise<void>
  readonly port: number
  /** `http://127.0.0.1:<port>/oauth/callback`: sent in the authorize URL and again in CreateToken. */
  readonly redirectUri: string
  /**
   * Resolves with the authorization code once the browser comes back with the expected `state`; rejects on an
   * `error=` callback, a `state` that does not match, the deadline, or the abort signal.
   */
  waitForCode(
    expectedState: string,
    options: {deadline: Date; loginCommand: string; signal?: AbortSignal},
  ): Promise<string>
}

const pageHtml = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>ssokit: ${title}</title></head>` +
  `<body style="font-family: sans-serif; margin: 3em"><h1>${title}</h1><p>${text}</p></body></html>\n`

/**
 * The OAuth callback server for PKCE: bound to 127.0.0.1 only (never all interfaces) on a random port. It answers
 * only loopback peers that address it as `127.0.0.1:<port>` (a DNS-rebinding page cannot), and only on
 * {@link CALLBACK_PATH}.
 */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  let onCallback: ((query: URLSearchParams, res: ServerResponse) => void) | undefined
  /** Settles a pending wait (clearing its timer) when the server closes first. */
  let cancelWait: (() => void) | undefined
  const server: Server = createServer((req, res) => handle(req, res))
  let port = 0

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('Connection', 'close')
    const remote = req.socket.remoteAddress ?? ''
    if (remote !== '127.0.0.1' && remote !== '::ffff:127.0.0.1') {
      reply(res, 403, 'Refused', 'This callback only answers this machine.')
      return
    }

    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      reply(res, 400, 'Refused', 'Unexpected Host header.')
      return
    }

    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      reply(res, 404, 'Not found', 'Nothing here.')
      return
    }

    if (!onCallback) {
      reply(res, 410, 'No sign-in in progress', 'This sign-in has already finished; return to the terminal.')
      return
    }

    onCallback(url.searchParams, res)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({host: '127.0.0.1', port: 0}, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    cancelWait?.()
    onCallback = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
    })
  }

  return {
    close,
    port,
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    waitForCode(expectedState, {deadline, loginCommand, signal}) {
      return new Promise<string>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortError())
          return
        }

        const finish = (settle: () => void) => {
          onCallback = undefined
          cancelWait = undefined
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          settle()
        }

        const onAbort = () => finish(() => reject(abortError()))
        signal?.addEventListener('abort', onAbort, {once: true})
        cancelWait = onAbort
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new LoginRequiredError(
                  'The browser did not come back to the sign-in callback before the timeout; nothing was written.',
                  loginCommand,
                  {reason: 'timeout'},
                ),
              ),
            ),
          Math.max(0, deadline.getTime() - Date.now()),
        )

        onCallback = (query, res) => {
          const error = query.get('error')
          const code = query.get('code')
          const state = query.get('state')
          if (code) rememberSecret(code)
          if (!state || (!code && !error)) {
            reply(res, 400, 'Incomplete callback', 'The callback had no code or state.')
            return
          }

          // A code, and an `error=` too, counts only with this sign-in's state: any other local page could send one.
          if (state !== expectedState) {
            reply(
              res,
              400,
              'Sign-in refused',
              'The state parameter did not match this sign-in. Start again from the terminal.',
            )
            finish(() =>
              reject(
                new LoginRequiredError(
                  'Error loading authorization code: State parameter does not match expected value.',
                  loginCommand,
                  {reason: 'state-mismatch'},
                ),
              ),
            )
            return
          }

          if (error || !code) {
            reply(res, 400, 'Sign-in not completed', 'The sign-in was not approved. Return to the terminal.')
            // Text from the redirect: bounded here, its control characters escaped where it is printed.
            const description = query.get('error_description')?.slice(0, 300)
            finish(() =>
              reject(
                new LoginRequiredError(
                  `Error loading authorization code: Failed to retrieve an authorization code (${error}${description ? `: ${description}` : ''}).`,
                  loginCommand,
                  {reason: 'authorization-denied'},
                ),
              ),
            )
            return
          }

          reply(
            res,
            200,
            'Signed in',
            'ssokit has the authorization. You can close this window and return to the terminal.',
          )
          finish(() => resolve(code))
        }
      })
    },
  }
}

function reply(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {'Content-Type': 'text/html; charset=utf-8'})
  res.end(pageHtml(title, text))
}
