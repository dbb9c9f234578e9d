/** Checks of the shell environment: the AWS CLI on PATH, profile variables, static keys. */
import {execFile} from 'node:child_process'
import {constants} from 'node:fs'
import {access, realpath, stat} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

import {escapeLine} from '../../render/terminal.js'
import {type CheckDefinition, type CheckResult, result} from './types.js'

/** The first AWS CLI v2 release with PKCE (`aws sso login` defaults to it since 2.22.0, CHANGELOG 2.22.0). */
const PKCE_SINCE = [2, 22, 0] as const

interface AwsCli {
  path: string
  /** `aws-cli/X.Y.Z`, or undefined when `aws --version` said nothing readable. */
  version?: [number, number, number]
  versionText?: string
}

/** Every executable `aws` on PATH, in PATH order (the first is the one a shell runs). */
export async function awsExecutables(env: NodeJS.ProcessEnv): Promise<string[]> {
  const names = process.platform === 'win32' ? ['aws.exe', 'aws.cmd'] : ['aws']
  const found: string[] = []
  const real = new Set<string>()
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const path = join(dir, name)
      // eslint-disable-next-line no-await-in-loop
      if (!(await isExecutable(path))) continue
      // /bin/aws and /usr/bin/aws are one program where /bin links to /usr/bin.
      // eslint-disable-next-line no-await-in-loop
      const target = await realpath(path).catch(() => path)
      if (real.has(target)) continue
      real.add(target)
      found.push(path)
    }
  }

  return found
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** `aws --version` within the deadline (stdout and stderr both read: releases differ in which they use). */
function awsVersion(path: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<AwsCli> {
  return new Promise((resolve) => {
    // Resolve at the deadline even if a grandchild keeps the pipes open after the kill.
    const timer = setTimeout(() => resolve({path}), timeoutMs + 200)
    const child = execFile(
      path,
      ['--version'],
      {env: {...env, AWS_PAGER: ''}, killSignal: 'SIGKILL', timeout: timeoutMs, windowsHide: true},
      (_error, stdout, stderr) => {
        clearTimeout(timer)
        const match = /aws-cli\/(\d+)\.(\d+)\.(\d+)/.exec(`${stdout}\n${stderr}`)
        resolve(
          match
            ? {path, version: [Number(match[1]), Number(match[2]), Number(match[3])], versionText: match[0].slice(8)}
            : {path},
        )
      },
    )
    child.unref()
  })
}

function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (const [i, element] of minimum.entries()) {
    if (version[i] !== element) return version[i] > element
  }

  return true
}

export const awsCliCheck: CheckDefinition = {
  category: 'environment',
  id: 'aws-cli',
  online: false,
  async run(context) {
    const paths = await awsExecutables(context.env)
    if (paths.length === 0)
      return result(this, 'skip', 'No `aws` on PATH: nothing to check (ssokit and the AWS SDKs do not need it).')
    // The first one is what runs; a few more tell whether a better one is installed but shadowed.
    const clis = await Promise.all(paths.slice(0, 4).map((p) => awsVersion(p, context.env, context.timeoutMs)))
    const [first] = clis
    const pkce = clis.find((c) => c.version?.[0] === 2 && atLeast(c.version, PKCE_SINCE))
    const v2 = pkce ?? clis.find((c) => c.version?.[0] === 2)
    const others = clis
      .slice(1)
      .map((c) => `${escapeLine(c.path)} (${c.versionText ?? 'version unknown'})`)
      .join(', ')
    const also = others ? ` Also on PATH: ${others}.` : ''
    const where = escapeLine(first.path)
    if (!first.version) {
      return result(
        this,
        'warn',
        `\`${where} --version\` did not print an AWS CLI version within ${context.timeoutMs} ms.${also}`,
        'Check that `aws --version` works in this shell.',
      )
    }

    if (first.version[0] === 1) {
      return result(
        this,
        'warn',
        `\`aws\` is AWS CLI v1 ${first.versionText} (${where}, first on PATH). v1 has no \`aws sso login\` (its \`aws sso\` commands are get-role-credentials, list-account-roles, list-accounts, logout), so it cannot sign in to an sso-session; it does use tokens that ssokit login or AWS CLI v2 cached.${also}`,
        v2
          ? `Put ${escapeLine(v2.path)} (AWS CLI ${v2.versionText}) first on PATH, or sign in with: ssokit login`
          : 'Install AWS CLI v2 (2.22 or later), or sign in with: ssokit login',
      )
    }

    if (!atLeast(first.version, PKCE_SINCE)) {
      return result(
        this,
        'warn',
        `\`aws\` is AWS CLI ${first.versionText} (${where}): \`aws sso login\` uses the device-code flow only; the PKCE flow (the default since 2.22.0) needs 2.22 or later.${also}`,
        pkce
          ? `Put ${escapeLine(pkce.path)} (AWS CLI ${pkce.versionText}) first on PATH, or sign in with: ssokit login`
          : 'Update AWS CLI v2 to 2.22 or later, or sign in with: ssokit login',
      )
    }

    return result(this, 'pass', `AWS CLI ${first.versionText} (${where}): signs in to sso-sessions with PKCE.${also}`)
  },
}

/** AWS_PROFILE and AWS_DEFAULT_PROFILE name profiles that exist, and the same one. */
export const profileVariablesCheck: CheckDefinition = {
  category: 'environment',
  id: 'aws-profile',
  online: false,
  async run(context) {
    const {AWS_DEFAULT_PROFILE: fallback, AWS_PROFILE: profile} = context.env
    if (!profile && !fallback)
      return result(this, 'pass', 'AWS_PROFILE and AWS_DEFAULT_PROFILE are not set: tools use the default profile.')
    const {model} = await context.config()
    const known = [...model.profiles.keys()]
    const listed =
      known.length > 0
        ? `Profiles: ${known.slice(0, 8).map(escapeLine).join(', ')}${known.length > 8 ? ', …' : ''}.`
        : ''
    for (const [name, value] of [
      ['AWS_PROFILE', profile],
      ['AWS_DEFAULT_PROFILE', fallback],
    ] as const) {
      if (value && !model.profiles.has(value)) {
        return result(
          this,
          'fail',
          `${name}=${escapeLine(value)} names no profile in ${escapeLine(context.paths.configFile)} or the credentials file: every AWS command fails with "The config profile (${escapeLine(value)}) could not be found".`,
          `unset ${name}, or set it to an existing profile (ssokit profiles). ${listed}`.trim(),
        )
      }
    }

    if (profile && fallback && profile !== fallback) {
      // botocore configprovider.py: CLI v1 and boto3 read AWS_DEFAULT_PROFILE first; CLI v2 reads AWS_PROFILE
      // first; the JS SDK reads only AWS_PROFILE (getProfileName.js).
      return result(
        this,
        'warn',
        `AWS_PROFILE=${escapeLine(profile)} and AWS_DEFAULT_PROFILE=${escapeLine(fallback)} differ: AWS CLI v2 and the JS SDK use ${escapeLine(profile)}, AWS CLI v1 and boto3 use ${escapeLine(fallback)}.`,
        'unset AWS_DEFAULT_PROFILE',
      )
    }

    const name = profile ?? fallback!
    const which = profile ? 'AWS_PROFILE' : 'AWS_DEFAULT_PROFILE'
    const note = profile ? '' : ' (the JS SDK ignores AWS_DEFAULT_PROFILE: set AWS_PROFILE too)'
    return result(
      this,
      profile ? 'pass' : 'warn',
      `${which}=${escapeLine(name)} exists${note}.`,
      profile ? null : `export AWS_PROFILE=${name}`,
    )
  },
}

/** Static keys in the environment beside AWS_PROFILE: the AWS CLI and the JS SDK pick different credentials. */
export const environmentKeysCheck: CheckDefinition = {
  category: 'environment',
  id: 'env-credentials',
  online: false,
  async run(context): Promise<CheckResult> {
    const {
      AWS_ACCESS_KEY_ID: keyId,
      AWS_PROFILE: profile,
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_SESSION_TOKEN: session,
    } = context.env
    if (!keyId && !secret && !session) return result(this, 'pass', 'No AWS keys in the environment.')
    if (!keyId || !secret) {
      const set = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].filter((n) => context.env[n])
      return result(
        this,
        'warn',
        `Only ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set: without both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY no tool uses keys from the environment.`,
        `unset ${set.join(' ')}`,
      )
    }

    if (profile) {
      // botocore drops its env provider only for an explicit --profile, not for AWS_PROFILE (credentials.py
      // create_credential_resolver); the JS SDK's default chain skips fromEnv when AWS_PROFILE is set
      // (@aws-sdk/credential-provider-node defaultProvider, which warns "Multiple credential sources detected").
      return result(
        this,
        'warn',
        `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set beside AWS_PROFILE=${escapeLine(profile)}: the AWS CLI and boto3 use the keys, the JS SDK (and tools built on it) uses the profile.`,
        'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN (or unset AWS_PROFILE)',
      )
    }

    return result(
      this,
      'pass',
      `Keys in the environment (AWS_ACCESS_KEY_ID${session ? ', AWS_SESSION_TOKEN' : ''}) come before any profile for every tool.`,
    )
  },
}
