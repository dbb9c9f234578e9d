/**
 * What each tool of `ssokit mcp` does, apart from the MCP plumbing (src/mcp/server.ts): plain async functions
 * over ssokit's libraries, the same answers as the CLI's `--json`. None of them returns a token or credentials:
 * they handle session states, URLs and user codes (shown to people on purpose), explanations and check results.
 */
import type {ConfigPaths} from '../config/paths.js'
import type {Explanation} from '../doctor/explain/types.js'

import {loadConfig} from '../config/load.js'
import {cliCredentialCacheDir, ssoCacheDir, ssokitStateDir} from '../config/paths.js'
import {type ProfileSummary, summariseProfiles} from '../config/profiles.js'
import {type RequestedFlow} from '../sso/flow.js'
import {type SessionStatus} from '../sso/status.js'
import {allTargets, type CompleteSsoTarget, loadTargetConfig, requireComplete, selectTarget} from '../sso/target.js'
import {parseAwsTime} from '../sso/time.js'

export interface ToolContext {
  env: NodeJS.ProcessEnv
  paths: ConfigPaths
}

export interface Selection {
  profile?: string
  ssoSession?: string
}

/** The sign-in to act on: the sso-session, the profile's session, AWS_PROFILE's, or the config's only one. */
async function targetOf(context: ToolContext, selection: Selection): Promise<CompleteSsoTarget> {
  const config = await loadTargetConfig(context.paths)
  const profile =
    selection.profile ?? (selection.ssoSession === undefined ? context.env.AWS_PROFILE || undefined : undefined)
  return requireComplete(selectTarget(config, {profile, ssoSession: selection.ssoSession}))
}

export async function statusTool(
  context: ToolContext,
  input: Selection & {verify?: boolean},
): Promise<{sessions: Array<SessionStatus & {verified?: boolean}>}> {
  const config = await loadTargetConfig(context.paths)
  const selected = input.ssoSession !== undefined || input.profile !== undefined
  const targets = selected ? [selectTarget(config, input)] : allTargets(config)
  const {sessionReports} = await import('../sso/status.js')
  const options = {cacheDir: ssoCacheDir(context.env), now: new Date(), stateDir: ssokitStateDir(context.env)}
  let reports = await sessionReports(targets, options)
  if (input.verify) {
    const {verifyReports} = await import('../sso/verify.js')
    reports = await verifyReports(reports, options)
  }

  return {
    sessions: reports.map((r) => (r.verification ? {...r.status, verified: r.verification.checked} : r.status)),
  }
}

export interface LoginStartResult {
  expiresAt: null | string
  flow: null | string
  /** The session is already signed in (the sign-in needed no approval). */
  loggedIn: boolean
  /** A sign-in was already pending: this is its URL again. */
  reused: boolean
  ssoSession: null | string
  url: null | string
  userCode: null | string
}

export async function loginStartTool(
  context: ToolContext,
  input: Selection & {flow?: RequestedFlow; force?: boolean; timeoutSeconds?: number},
): Promise<LoginStartResult> {
  const target = await targetOf(context, input)
  const [{chooseFlow, currentFlowEnvironment}, detached] = await Promise.all([
    import('../sso/flow.js'),
    import('../sso/detached-login.js'),
  ])
  const choice = chooseFlow(input.flow ?? 'auto', target.kind, await currentFlowEnvironment())
  if (input.force) {
    const {createPortalApi} = await import('../sso/clients.js')
    await detached.signOutFirst(target, {
      cacheDir: ssoCacheDir(context.env),
      cliCacheDir: cliCredentialCacheDir(context.env),
      portal: createPortalApi,
    })
  }

  const selection = target.kind === 'sso-session' ? {ssoSession: target.name} : {profile: target.profiles[0]}
  const start = await detached.startDetachedLogin({
    startOver: input.force,
    target,
    worker: {...context.paths, ...selection, flow: choice.flow, timeoutMs: (input.timeoutSeconds ?? 600) * 1000},
  })
  return {
    expiresAt: start.authorize?.expiresAt ?? start.tokenExpiresAt ?? null,
    flow: start.authorize?.flow ?? null,
    loggedIn: !start.authorize,
    reused: start.reused,
    ssoSession: target.sessionName ?? null,
    url: start.authorize?.url ?? null,
    userCode: start.authorize?.userCode ?? null,
  }
}

export async function loginWaitTool(
  context: ToolContext,
  input: Selection & {timeoutSeconds?: number},
): Promise<{event: 'logged-in'; expiresAt: string; ssoSession: null | string}> {
  const target = await targetOf(context, input)
  const [{waitForLogin}, {obtainFreshToken}, {createOidcApi}] = await Promise.all([
    import('../sso/detached-login.js'),
    import('../sso/refresh.js'),
    import('../sso/clients.js'),
  ])
  const cacheDir = ssoCacheDir(context.env)
  const result = await waitForLogin({
    cacheDir,
    session: () => obtainFreshToken({cacheDir, oidc: () => createOidcApi(target.region), target}),
    target,
    timeoutMs: (input.timeoutSeconds ?? 50) * 1000,
  })
  return {event: 'logged-in', expiresAt: result.expiresAt, ssoSession: target.sessionName ?? null}
}

export async function explainErrorTool(context: ToolContext, input: Selection & {text: string}): Promise<Explanation> {
  const {explainError} = await import('../doctor/explain/explain.js')
  return explainError(input.text, {
    env: context.env,
    paths: context.paths,
    profile: input.profile ?? (context.env.AWS_PROFILE || undefined),
    ssoSession: input.ssoSession,
  })
}

export async function listProfilesTool(context: ToolContext): Promise<{profiles: ProfileSummary[]}> {
  const loaded = await loadConfig(context.paths)
  return {
    profiles: summariseProfiles(loaded.model, {
      config: loaded.config.document,
      configPath: context.paths.configFile,
      credentialsPath: context.paths.credentialsFile,
    }),
  }
}

export async function doctorTool(
  context: ToolContext,
  input: Selection & {offline?: boolean; timeoutSeconds?: number},
): Promise<import('../doctor/checks/index.js').DoctorReport> {
  const {CHECKS, runChecks} = await import('../doctor/checks/index.js')
  return runChecks(CHECKS, {
    cacheDir: ssoCacheDir(context.env),
    env: context.env,
    now: new Date(),
    offline: input.offline ?? true,
    paths: context.paths,
    profile: input.profile,
    ssoSession: input.ssoSession,
    stateDir: ssokitStateDir(context.env),
    timeoutMs: (input.timeoutSeconds ?? 3) * 1000,
  })
}

/** When a session's token expires, for people: used in the tools' one-line summaries. */
export function expiresIn(expiresAt: null | string, now = new Date()): string {
  const expiry = parseAwsTime(expiresAt)
  if (!expiry) return ''
  const minutes = Math.round((expiry.getTime() - now.getTime()) / 60_000)
  return minutes >= 0 ? `in ${minutes} min` : `${-minutes} min ago`
}
