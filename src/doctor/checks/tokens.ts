/** Each session's token as `status` sees it (with what ssokit learned), and the token cache's files. */
import {constants} from 'node:fs'
import {access, readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {SsoTarget} from '../../sso/target.js'

import {escapeLine} from '../../render/terminal.js'
import {type SessionReport, sessionReports} from '../../sso/status.js'
import {describeRelative, parseAwsTime} from '../../sso/time.js'
import {type CheckDefinition, type CheckResult, type DoctorContext, result, withId} from './types.js'

/** The sessions doctor looks at: the one of --sso-session or --profile, else every one in the config. */
export async function selectedTargets(context: DoctorContext): Promise<{selected: boolean; targets: SsoTarget[]}> {
  const {allTargets, selectTarget} = await import('../../sso/target.js')
  const config = await context.ssoConfig()
  if (context.ssoSession !== undefined || context.profile !== undefined) {
    if (context.ssoSession === undefined && !config.profiles.some((p) => p.profile === context.profile))
      return {selected: true, targets: []} // not an SSO profile: the credentials checks say what it is
    return {selected: true, targets: [selectTarget(config, {profile: context.profile, ssoSession: context.ssoSession})]}
  }

  const targets = allTargets(config)
  return {selected: targets.length === 1, targets}
}

export const tokenStateCheck: CheckDefinition = {
  category: 'tokens',
  id: 'token',
  online: false,
  async run(context) {
    const {selected, targets} = await selectedTargets(context)
    if (targets.length === 0) return result(this, 'skip', 'No sso-session and no legacy SSO profile to check.')
    const reports = await sessionReports(targets, {
      cacheDir: context.cacheDir,
      now: context.now,
      stateDir: context.stateDir,
    })
    // A session nobody asked about only warns, unless no session is usable at all (as `status` exits 4).
    const strict = selected || reports.every((r) => r.status.needsLogin)
    return reports.map((report) => tokenResult(this, report, context.now, strict))
  },
}

function tokenResult(definition: CheckDefinition, report: SessionReport, now: Date, strict: boolean): CheckResult {
  const {status} = report
  const what = `${status.kind === 'sso-session' ? 'sso-session' : 'legacy start URL'} ${escapeLine(status.name)}`
  const id = `token:${status.name}`
  const expiry = parseAwsTime(status.expiresAt)
  const when = expiry ? describeRelative(expiry, now) : ''
  const learned = report.notes.length > 0 ? ` ssokit learned: ${report.notes.join(' ')}` : ''
  const login = status.loginCommand
  switch (status.state) {
    case 'expired': {
      const why = report.learned
        ? learned
        : status.kind === 'legacy'
          ? ' Legacy profiles cannot refresh (an sso-session can).'
          : status.hasRefreshToken
            ? ' Its client registration has expired.'
            : ' It has no refresh token.'
      return withId(
        result(definition, strict ? 'fail' : 'warn', `${what}: expired ${when} and cannot be refreshed.${why}`, login),
        id,
      )
    }

    case 'expiring': {
      return report.learned || !status.hasRefreshToken || status.kind === 'legacy'
        ? withId(result(definition, 'warn', `${what}: expires ${when} and will not be refreshed.${learned}`, login), id)
        : withId(result(definition, 'pass', `${what}: expires ${when}; the next AWS call refreshes it.`, null), id)
    }

    case 'refreshable': {
      return withId(result(definition, 'pass', `${what}: expired ${when}; the next AWS call refreshes it.`, null), id)
    }

    case 'revoked': {
      return withId(result(definition, strict ? 'fail' : 'warn', `${what}: revoked.${learned}`, login), id)
    }

    case 'valid': {
      return withId(result(definition, 'pass', `${what}: valid, expires ${when}.`, null), id)
    }

    default: {
      const why = report.problem ? `the cache file is unusable (${escapeLine(report.problem)})` : 'no cached token'
      return withId(result(definition, strict ? 'fail' : 'warn', `${what}: ${why}.`, login), id)
    }
  }
}

/** The token cache folder and files: private, and owned and writable by the user (or refreshes cannot be saved). */
export const tokenCacheFilesCheck: CheckDefinition = {
  category: 'tokens',
  id: 'token-cache-files',
  online: false,
  async run(context) {
    const dir = context.cacheDir
    const info = await stat(dir).catch(() => undefined)
    if (!info) return result(this, 'skip', `No token cache folder yet (${escapeLine(dir)}): nobody has logged in here.`)
    if (!info.isDirectory())
      return result(this, 'fail', `${escapeLine(dir)} is not a folder.`, `rm ${dir} && ssokit login`)
    if (process.platform === 'win32') return result(this, 'skip', 'File modes are not checked on Windows.')
    const uid = process.getuid?.()
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort()
    const files = await Promise.all(
      names.map(async (name) => ({name, stat: await stat(join(dir, name)).catch(() => undefined)})),
    )
    const foreign = files.filter((f) => f.stat && uid !== undefined && f.stat.uid !== uid).map((f) => f.name)
    if ((uid !== undefined && info.uid !== uid) || foreign.length > 0) {
      const whose = info.uid === uid ? `${foreign.length} file(s) in it (${foreign.slice(0, 3).join(', ')})` : 'it'
      return result(
        this,
        'fail',
        `${escapeLine(dir)}: ${whose} belong to another user (often after \`sudo aws sso login\`): refreshed tokens cannot be saved.`,
        `sudo chown -R ${uid} ${dir}`,
      )
    }

    const writable = await access(dir, constants.W_OK).then(
      () => true,
      () => false,
    )
    if (!writable)
      return result(
        this,
        'fail',
        `${escapeLine(dir)} is not writable: logins and refreshes cannot be saved.`,
        `chmod 700 ${dir}`,
      )
    const loose = files.filter((f) => f.stat && (f.stat.mode & 0o077) !== 0)
    // The AWS CLI makes the folder 0755 (its file names are hashes); only a folder others can write is a risk.
    const dirLoose = (info.mode & 0o022) !== 0
    if (dirLoose || loose.length > 0) {
      const parts = [
        dirLoose ? `the folder is mode ${octal(info.mode)}` : '',
        loose.length > 0
          ? `${loose.length} file(s) readable by others (${loose
              .slice(0, 3)
              .map((f) => `${f.name} ${octal(f.stat!.mode)}`)
              .join(', ')})`
          : '',
      ].filter(Boolean)
      return result(
        this,
        'warn',
        `${escapeLine(dir)}: ${parts.join('; ')}. The files hold access and refresh tokens and client secrets.`,
        `chmod 700 ${dir} && chmod 600 ${join(dir, '*.json')}`,
      )
    }

    return result(this, 'pass', `${escapeLine(dir)}: ${files.length} file(s), readable only by you, and yours.`)
  },
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0')
}
