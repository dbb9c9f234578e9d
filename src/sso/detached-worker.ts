/**
 * The detached half of `ssokit login --detach`: bin/run.js runs {@link runDetachedWorker} for its hidden first
 * argument, without oclif (the URL is on the caller's critical path: two oclif start-ups would double it). It
 * signs in as `login` does, records the authorize event and the outcome in the state (src/sso/pending-login.ts),
 * and writes its messages to stderr, which `--detach` points at ssokit's own log. (Its output goes through
 * bin/run.js, the one entry outside oclif, as the base command's does for commands.)
 */
import {ssoCacheDir} from '../config/paths.js'
import {messageOf, SsokitError} from '../errors.js'
import {escapeControl} from '../render/terminal.js'
import {redactSecrets} from '../secrets.js'
import {isAbortError} from './abort.js'
import {recordAuthorize, recordOutcome, type WorkerSpec} from './detached-login.js'
import {loadTargetConfig, requireComplete, selectTarget} from './target.js'
import {formatAwsTime} from './time.js'

/** After its sign-in can no longer succeed, the process ends even if something kept it running. */
const BACKSTOP_MS = 60_000

/** Runs the sign-in `specText` describes; `log` writes a line to stderr (bin/run.js passes it). */
export async function runDetachedWorker(specText: string | undefined, log: (line: string) => void): Promise<void> {
  const say = (text: string) => log(escapeControl(redactSecrets(text)) + '\n')
  let spec: WorkerSpec
  try {
    spec = parseSpec(specText)
  } catch (error) {
    say(`Error: ${messageOf(error)}`)
    process.exitCode = 2
    return
  }

  // eslint-disable-next-line n/no-process-exit, unicorn/no-process-exit
  setTimeout(() => process.exit(1), spec.timeoutMs + BACKSTOP_MS).unref()
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const attempt = {id: spec.id, tokenKey: spec.tokenKey}
  const controller = new AbortController()
  let signalName: string | undefined
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(name, () => {
      signalName = name
      controller.abort()
    })
  }

  let oidc: undefined | {close(): void}
  try {
    const config = await loadTargetConfig({configFile: spec.configFile, credentialsFile: spec.credentialsFile})
    const target = requireComplete(selectTarget(config, {profile: spec.profile, ssoSession: spec.ssoSession}))
    const [{login}, {createOidcApi}] = await Promise.all([import('./login.js'), import('./clients.js')])
    say(`${formatAwsTime(new Date())} signing in to ${target.name} (${target.startUrl}) with the ${spec.flow} flow.`)
    const client = await createOidcApi(target.region)
    oidc = client
    const result = await login({
      cacheDir: ssoCacheDir(),
      flow: spec.flow,
      oidc: client,
      async onAuthorize(event) {
        const authorize = {
          event: 'authorize' as const,
          flow: event.flow,
          url: event.url,
          userCode: event.userCode,
          expiresAt: formatAwsTime(event.expiresAt),
        }
        await recordAuthorize(attempt, authorize)
        say(`${formatAwsTime(new Date())} waiting for approval at ${event.url} until ${authorize.expiresAt}.`)
      },
      signal: controller.signal,
      target,
      timeoutMs: spec.timeoutMs,
    })
    await recordOutcome(attempt, {tokenExpiresAt: result.token.expiresAt})
    say(`${formatAwsTime(new Date())} logged in; the token expires at ${result.token.expiresAt}.`)
  } catch (error) {
    const recorded =
      isAbortError(error) && signalName
        ? new SsokitError(`The sign-in was cancelled (${signalName}); nothing was written.`, 'LOGIN_REQUIRED')
        : error
    await recordOutcome(attempt, {error: recorded}).catch(() => {})
    say(`${formatAwsTime(new Date())} Error: ${messageOf(recorded)}`)
    process.exitCode = error instanceof SsokitError ? error.exit : 1
  } finally {
    oidc?.close()
  }
}

function parseSpec(text: string | undefined): WorkerSpec {
  const spec = JSON.parse(text ?? '') as Partial<WorkerSpec>
  const strings = [spec.configFile, spec.credentialsFile, spec.id]
  if (!strings.every((s) => typeof s === 'string' && s !== '')) throw new Error('the worker needs its spec')
  if (spec.flow !== 'device-code' && spec.flow !== 'pkce') throw new Error('the worker needs a flow')
  if (typeof spec.timeoutMs !== 'number' || !(spec.timeoutMs > 0)) throw new Error('the worker needs a timeout')
  if ((spec.profile === undefined) === (spec.ssoSession === undefined))
    throw new Error('the worker needs a profile or an sso-session')
  const key = spec.tokenKey as Record<string, unknown> | undefined
  if (!key || (typeof key.sessionName !== 'string' && typeof key.startUrl !== 'string'))
    throw new Error('the worker needs the token key')
  return spec as WorkerSpec
}
