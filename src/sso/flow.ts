import type {LoginFlow} from './registration.js'

export type RequestedFlow = 'auto' | LoginFlow

/** What `--flow auto` looks at; the command fills it from the process, tests pass their own. */
export interface FlowEnvironment {
  /** ci-info's verdict and the CI's name when known. */
  ci: {isCI: boolean; name: null | string}
  env: NodeJS.ProcessEnv
  insideContainer: boolean
  platform: NodeJS.Platform
}

export interface FlowChoice {
  flow: LoginFlow
  reason: string
}

/**
 * The login flow: what was asked for, else PKCE (a loopback redirect) when a browser on this machine can reach
 * 127.0.0.1, and device code when it cannot: an SSH session, a container, CI, or a Linux machine with no display.
 * Legacy profiles use device code, as in the AWS CLI (PKCE registrations are per sso-session).
 */
export function chooseFlow(
  requested: RequestedFlow,
  kind: 'legacy' | 'sso-session',
  environment: FlowEnvironment,
  /** How the user asked for a flow, for the reason text (`--use-device-code` is the AWS CLI's spelling). */
  askedWith = `--flow ${requested}`,
): FlowChoice {
  if (kind === 'legacy') {
    return {
      flow: 'device-code',
      reason:
        'a legacy profile (start URL in the profile, no sso-session) uses the device-code flow, as in the AWS CLI',
    }
  }

  if (requested !== 'auto') return {flow: requested, reason: `${askedWith} was given`}
  const {env} = environment
  const sshVariable = ['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY'].find((name) => env[name])
  const deviceCode = (why: string): FlowChoice => ({
    flow: 'device-code',
    reason: `${why}, so a browser may not reach this machine's 127.0.0.1 (use --flow pkce to override)`,
  })
  if (sshVariable) return deviceCode(`this is an SSH session (${sshVariable} is set)`)
  if (environment.insideContainer) return deviceCode('this runs inside a container')
  if (environment.ci.isCI) return deviceCode(`this runs in CI${environment.ci.name ? ` (${environment.ci.name})` : ''}`)
  if (environment.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return deviceCode('there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)')
  }

  return {
    flow: 'pkce',
    reason: 'a browser on this machine can reach the loopback redirect (use --flow device-code to override)',
  }
}

/** The environment of this process, read lazily (ci-info and is-inside-container look at files and variables). */
export async function currentFlowEnvironment(): Promise<FlowEnvironment> {
  const [ci, {default: isInsideContainer}] = await Promise.all([import('ci-info'), import('is-inside-container')])
  return {
    ci: {isCI: ci.isCI, name: ci.name},
    env: process.env,
    insideContainer: isInsideContainer(),
    platform: process.platform,
  }
}
