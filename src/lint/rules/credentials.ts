/** Rules about where credentials come from: credential_process commands, mixed sources, source_profile chains. */
import {accessSync, constants} from 'node:fs'
import {delimiter, isAbsolute, join} from 'node:path'

import type {ProfileView} from '../../config/model.js'
import type {Check, Fix, LintContext, Reporter} from '../types.js'

import {shlexSplit} from '../../config/shlex.js'
import {locate} from '../locate.js'
import {RULE_TEXTS} from '../messages.js'

const AWS_SSO_SUBCOMMANDS = new Set(['get-role-credentials', 'list-account-roles', 'list-accounts', 'login', 'logout'])

export const credentialRules: Check = (context, report) => {
  const reportedCycles = new Set<string>()
  for (const profile of context.model.profiles.values()) {
    checkCredentialProcess(profile, report)
    checkSources(profile, report)
    checkStaticKeys(profile, report)
    checkSourceProfile(context, profile, report, reportedCycles)
    const services = locate(profile, 'services')
    if (services && !context.model.services.has(services.setting.value)) {
      report({
        file: services.section.file,
        key: 'services',
        line: services.setting.line,
        message: RULE_TEXTS['missing-services-section'].noSection(services.setting.value),
        rule: 'missing-services-section',
        section: services.section.header,
      })
    }
  }
}

function checkCredentialProcess(profile: ProfileView, report: Reporter): void {
  const at = locate(profile, 'credential_process')
  if (!at || at.setting.value === '') return
  const argv = shlexSplit(at.setting.value)
  const where = {file: at.section.file, key: 'credential_process', line: at.setting.line, section: at.section.header}
  if (!argv || argv.length === 0) return
  const program = argv[0].split('/').at(-1)
  if (
    program === 'aws' &&
    argv[1] === 'sso' &&
    argv[2] &&
    !argv[2].startsWith('-') &&
    (argv[2] === 'get-role-credentials' || !AWS_SSO_SUBCOMMANDS.has(argv[2]))
  ) {
    const profileIndex = argv.indexOf('--profile')
    const target = profileIndex === -1 ? undefined : argv[profileIndex + 1]
    const recursive = target === undefined || target === profile.name
    const fix: Fix | undefined = recursive
      ? undefined
      : {
          edits: [
            {
              line: at.setting.line,
              lines: [
                `${at.setting.property.line.text.slice(0, at.setting.property.line.indent)}${at.setting.key} = ${exportCommand(target)}`,
              ],
            },
          ],
          file: at.section.file,
        }
    const command = exportCommand(recursive ? '<an SSO profile other than this one>' : target)
    report({
      ...where,
      fix,
      message: RULE_TEXTS['nonexistent-command'].awsSso(argv[2], command, recursive),
      rule: 'nonexistent-command',
    })
    return
  }

  if (!commandExists(argv[0])) {
    report({
      ...where,
      message: RULE_TEXTS['nonexistent-command'].notFound(argv[0], profile.name),
      rule: 'nonexistent-command',
    })
  }
}

function exportCommand(target: string): string {
  return `aws configure export-credentials --profile ${target} --format process`
}

export function commandExists(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (command.includes('/')) return isAbsolute(command) ? executable(command) : executable(join(process.cwd(), command))
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, command)))
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function checkSources(profile: ProfileView, report: Reporter): void {
  const s = profile.settings
  const sources: string[] = []
  if (s.has('sso_account_id') || s.has('sso_role_name')) sources.push('SSO (sso_*)')
  if (s.has('aws_access_key_id')) sources.push('static keys (aws_access_key_id)')
  if (s.has('role_arn')) sources.push('an assumed role (role_arn)')
  if (s.has('credential_process')) sources.push('credential_process')
  if (sources.length < 2) return
  const anchor = profile.sections[0]
  const ssoAndStatic = sources.includes('SSO (sso_*)') && sources.includes('static keys (aws_access_key_id)')
  const outcome = s.has('role_arn') ? 'role' : ssoAndStatic ? 'sso-and-static' : 'precedence'
  report({
    file: anchor.file,
    line: anchor.line,
    message: RULE_TEXTS['conflicting-credential-sources'].mixed(profile.name, sources, outcome),
    rule: 'conflicting-credential-sources',
    section: anchor.header,
  })
}

function checkStaticKeys(profile: ProfileView, report: Reporter): void {
  const at = locate(profile, 'aws_access_key_id')
  if (!at) return
  const temporary = at.setting.value.startsWith('ASIA') && profile.settings.has('aws_session_token')
  if (at.section.file === 'config') {
    report({
      file: 'config',
      key: at.setting.key,
      line: at.setting.line,
      message: RULE_TEXTS['static-credentials'].inConfig(temporary),
      rule: 'static-credentials',
      section: at.section.header,
    })
  } else if (!temporary) {
    report({
      file: 'credentials',
      key: at.setting.key,
      line: at.setting.line,
      message: RULE_TEXTS['static-credentials'].longLived(profile.name),
      rule: 'static-credentials',
      section: at.section.header,
    })
  }
}

function checkSourceProfile(context: LintContext, profile: ProfileView, report: Reporter, reported: Set<string>): void {
  const at = locate(profile, 'source_profile')
  if (!at) return
  const where = {file: at.section.file, key: 'source_profile', line: at.setting.line, section: at.section.header}
  const {profiles} = context.model
  if (!profiles.has(at.setting.value)) {
    report({
      ...where,
      message: RULE_TEXTS['missing-source-profile'].noProfile(at.setting.value),
      rule: 'missing-source-profile',
    })
    return
  }

  const chain = [profile.name]
  let current = profile
  for (;;) {
    const next = current.settings.get('source_profile')
    if (next === undefined) return
    // botocore lets a profile with its own static keys name itself as the source.
    if (next === current.name && current.settings.has('aws_access_key_id')) return
    const nextProfile = profiles.get(next)
    if (!nextProfile) return
    if (chain.includes(next)) {
      const cycle = chain.slice(chain.indexOf(next))
      const id = [...cycle].sort().join('\u0000')
      if (!reported.has(id) && cycle.includes(profile.name)) {
        reported.add(id)
        report({
          ...where,
          message: RULE_TEXTS['source-profile-cycle'].loop([...cycle, next]),
          rule: 'source-profile-cycle',
        })
      }

      return
    }

    chain.push(next)
    current = nextProfile
  }
}
