/**
 * `ssokit doctor explain`: a classification made specific with what the config files and the token cache say.
 * Reads local files only, never the network.
 */
import {existsSync} from 'node:fs'

import type {LintResult} from '../../lint/run.js'
import type {Finding} from '../../lint/types.js'
import type {AccessDeniedDetails, Explanation, TokenFinding} from './types.js'

import {type ConfigPaths, loadConfig, type LoadedConfig} from '../../config/load.js'
import {settingValue} from '../../config/model.js'
import {ssoCacheDir} from '../../config/paths.js'
import {closest} from '../../config/settings.js'
import {type SsoConfig, ssoConfigOf} from '../../config/sso-config.js'
import {samePortal} from '../../config/values.js'
import {messageOf} from '../../errors.js'
import {shellWord} from '../../shell.js'
import {sessionReports} from '../../sso/status.js'
import {allTargets, type SsoTarget} from '../../sso/target.js'
import {describeRelative, parseAwsTime} from '../../sso/time.js'
import {accessDeniedMeaning, doctorAccessCommand} from './access-denied.js'
import {type Classification, classifyText, firstCapture} from './classify.js'
import {type FixKind} from './patterns.js'
import {displayLine, maskSecrets} from './text.js'

export interface ExplainOptions {
  /** The token cache (default `~/.aws/sso/cache`). */
  cacheDir?: string
  env?: NodeJS.ProcessEnv
  now?: Date
  /** The config files to read; without them explain says only what the text says. */
  paths?: ConfigPaths
  /** The profile the failing command used, when the text does not name it. */
  profile?: string
  /** The sso-session the failing command used, when the text does not name it. */
  ssoSession?: string
}

/** What the text alone says (no files read): the classification with generic fixes. */
export function explainText(text: string): Explanation {
  return finish(baseExplanation(classifyText(text), text))
}

/** The classification made specific with the config and the token cache (local files only). */
export async function explainError(text: string, options: ExplainOptions = {}): Promise<Explanation> {
  let classification = classifyText(text)
  // `credential_process` failures carry the inner tool's error: explain that one when it is known.
  let wrapped = false
  if (classification.pattern?.id === 'credential-process-failed') {
    const inner = firstCapture(classification.match)
    const innerClassification = inner ? classifyText(inner) : undefined
    if (innerClassification?.pattern) {
      classification = {...innerClassification, facts: {...classification.facts, ...innerClassification.facts}}
      wrapped = true
    }
  }

  const explanation = baseExplanation(classification, text)
  if (wrapped)
    explanation.notes = [
      'The error came from the `credential_process` command of the profile.',
      ...(explanation.notes ?? []),
    ]
  if (!classification.pattern || !options.paths) return finish(explanation)
  const context = await contextFor(classification, explanation, options)
  await refine(context)
  return finish(context.explanation, context)
}

function baseExplanation(classification: Classification, raw: string): Explanation {
  const {accessDenied, facts, line, match, pattern} = classification
  if (!pattern) {
    return {
      category: 'unknown',
      cause:
        raw.trim() === ''
          ? 'There is no text to explain: pass the error as an argument or on stdin.'
          : 'ssokit does not recognise this text as an AWS sign-in, credential, config, network or access error.',
      loginFixes: false,
      fix: 'ssokit doctor',
      pattern: 'unknown',
      ...(facts.code && {code: facts.code}),
      ...(facts.operation && {operation: facts.operation}),
    }
  }

  const capture = firstCapture(match)
  const explanation: Explanation = {
    category: pattern.category,
    cause: pattern.cause.replace('{1}', capture ? maskSecrets(capture.trim()) : 'see the text'),
    loginFixes: pattern.loginFixes,
    fix: genericFix(pattern.fix, classification),
    pattern: pattern.id,
  }
  if (facts.profile) explanation.profile = facts.profile
  if (facts.ssoSession) explanation.ssoSession = facts.ssoSession
  if (facts.code) explanation.code = facts.code
  if (facts.operation) explanation.operation = facts.operation
  if (facts.account) explanation.account = facts.account
  if (facts.role) explanation.role = facts.role
  if (facts.startUrl) explanation.startUrl = facts.startUrl
  if (accessDenied && (pattern.category === 'access-denied' || pattern.category === 'sso-no-access'))
    applyAccessDenied(explanation, accessDenied)
  if (line) explanation.matched = displayLine(line)
  return explanation
}

function applyAccessDenied(explanation: Explanation, details: AccessDeniedDetails): void {
  for (const key of [
    'account',
    'permissionSet',
    'role',
    'user',
    'action',
    'resource',
    'deniedBy',
    'policyArn',
  ] as const) {
    if (details[key] !== undefined) (explanation as unknown as Record<string, unknown>)[key] = details[key]
  }

  if (details.principal) {
    explanation.cause = `IAM denied ${details.principal} ${details.action ?? 'the action'}${details.resource ? ` on ${details.resource}` : ''}${deniedByText(details)}.`
    explanation.notes = [accessDeniedMeaning(details)]
  }

  if (details.guessed.length > 0) explanation.guessed = [...details.guessed]
  explanation.fix = accessFix(details) ?? explanation.fix
}

function deniedByText(details: AccessDeniedDetails): string {
  const names: Record<string, string> = {
    'identity-based-policy': 'identity-based policy',
    'permissions-boundary': 'permissions boundary',
    'resource-based-policy': 'resource-based policy',
    'resource-control-policy': 'resource control policy (RCP)',
    'service-control-policy': 'service control policy (SCP)',
    'session-policy': 'session policy',
    'vpc-endpoint-policy': 'VPC endpoint policy',
  }
  if (!details.deniedBy) return ''
  const name = names[details.deniedBy]
  return details.denial === 'explicit' ? `: an explicit deny in a ${name}` : `: no ${name} allows it`
}

/** The evidence command: `ssokit doctor access` for Identity Center roles, the IAM policy simulator otherwise. */
function accessFix(details: AccessDeniedDetails): string | undefined {
  if (details.permissionSet) return doctorAccessCommand(details)
  if (details.principalType === 'assumed-role' && details.account && details.role) {
    return simulateCommand(`arn:aws:iam::${details.account}:role/${details.role}`, details)
  }

  if (details.principalType === 'user' && details.principal) return simulateCommand(details.principal, details)
  return undefined
}

function simulateCommand(arn: string, details: AccessDeniedDetails): string {
  const words = ['aws', 'iam', 'simulate-principal-policy', '--policy-source-arn', shellWord(arn)]
  if (details.action) words.push('--action-names', shellWord(details.action))
  if (details.resource?.startsWith('arn:')) words.push('--resource-arns', shellWord(details.resource))
  return words.join(' ')
}

/** The fix from the text alone (no config read). */
function genericFix(kind: FixKind, classification: Classification): string {
  const {facts} = classification
  const profileFlag = facts.profile ? ` --profile ${shellWord(facts.profile)}` : ''
  switch (kind) {
    case 'ca-bundle': {
      return caBundleFix(facts.runtime)
    }

    case 'ca-bundle-missing': {
      return 'unset AWS_CA_BUNDLE'
    }

    case 'credential-process': {
      return 'ssokit lint --fix'
    }

    case 'doctor': {
      return `ssokit doctor${profileFlag}`
    }

    case 'doctor-access': {
      return (
        doctorAccessCommand({account: facts.account, permissionSet: facts.role}) ??
        'ssokit doctor access --user <user> --account <account> --permission-set <permission set>'
      )
    }

    case 'env-credentials': {
      return 'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN'
    }

    case 'lint': {
      return 'ssokit lint'
    }

    case 'login': {
      return loginCommandFromText(classification)
    }

    case 'login-device-code': {
      return `${loginCommandFromText(classification)} --flow device-code`
    }

    case 'no-access': {
      return (
        doctorAccessCommand({account: facts.account, permissionSet: facts.role}) ??
        'ssokit doctor access --user <user> --account <account> --permission-set <permission set>'
      )
    }

    case 'profiles': {
      return 'ssokit profiles'
    }

    case 'region': {
      return facts.profile ? `In [profile ${facts.profile}], add: region = us-east-1` : 'export AWS_REGION=us-east-1'
    }

    case 'retry': {
      return 'export AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=10'
    }

    case 'sso-session': {
      return 'ssokit lint'
    }
  }
}

function loginCommandFromText({facts}: Classification): string {
  if (facts.ssoSession) return `ssokit login --sso-session ${shellWord(facts.ssoSession)}`
  if (facts.profile) return `ssokit login --profile ${shellWord(facts.profile)}`
  return 'ssokit login'
}

/** Certificates: each runtime reads its own setting (the JS SDK ignores AWS_CA_BUNDLE; Node reads NODE_EXTRA_CA_CERTS). */
function caBundleFix(runtime: string | undefined): string {
  if (runtime === 'node') return 'export NODE_EXTRA_CA_CERTS=/path/to/corporate-ca.pem'
  if (runtime === 'java') return 'keytool -importcert -cacerts -alias corporate-ca -file /path/to/corporate-ca.pem'
  return 'export AWS_CA_BUNDLE=/path/to/corporate-ca.pem'
}

// ---------------------------------------------------------------------------------------------------------------
// The config-aware part.

interface Context {
  classification: Classification
  config?: LoadedConfig
  explanation: Explanation
  guessed: Set<string>
  notes: string[]
  now: Date
  options: ExplainOptions & {cacheDir: string; env: NodeJS.ProcessEnv}
  /** The profile the failing command used: from the text, the flag, or AWS_PROFILE (guessed). */
  profile?: string
  sso?: SsoConfig
}

async function contextFor(
  classification: Classification,
  explanation: Explanation,
  options: ExplainOptions,
): Promise<Context> {
  const env = options.env ?? process.env
  const context: Context = {
    classification,
    explanation,
    guessed: new Set(explanation.guessed),
    notes: [...(explanation.notes ?? [])],
    now: options.now ?? new Date(),
    options: {...options, cacheDir: options.cacheDir ?? ssoCacheDir(env), env},
  }
  try {
    context.config = await loadConfig(options.paths!)
    context.sso = ssoConfigOf(context.config.model)
  } catch (error) {
    context.notes.push(`The config could not be read: ${messageOf(error)}`)
  }

  context.profile = explanation.profile ?? options.profile
  if (!context.profile && env.AWS_PROFILE) {
    context.profile = env.AWS_PROFILE
    context.guessed.add('profile')
  }

  if (context.profile && !explanation.profile) explanation.profile = context.profile
  if (!explanation.ssoSession && options.ssoSession) explanation.ssoSession = options.ssoSession
  return context
}

async function refine(context: Context): Promise<void> {
  const {explanation} = context
  switch (context.classification.pattern!.fix) {
    case 'ca-bundle':
    case 'ca-bundle-missing': {
      refineCaBundle(context)
      break
    }

    case 'credential-process': {
      await refineLint(context, ['nonexistent-command'])
      break
    }

    case 'doctor':
    case 'retry': {
      break
    }

    case 'doctor-access':
    case 'no-access': {
      refineAccess(context)
      break
    }

    case 'env-credentials': {
      await refineRoleCredentials(context)
      break
    }

    case 'lint': {
      await refineLint(context, lintRulesFor(explanation.pattern))
      break
    }

    case 'login':
    case 'login-device-code': {
      await refineLogin(context)
      break
    }

    case 'profiles': {
      await refineProfiles(context)
      break
    }

    case 'region': {
      await refineRegion(context)
      break
    }

    case 'sso-session': {
      await refineSsoSession(context)
      break
    }
  }
}

function lintRulesFor(pattern: string): string[] {
  if (pattern === 'sso-session-inconsistent') return ['sso-session-conflict']
  if (pattern === 'source-profile-loop')
    return ['source-profile-cycle', 'missing-source-profile', 'nonexistent-command']
  if (pattern === 'config-reference-missing') return ['missing-services-section', 'invalid-profile-name']
  // The findings that make botocore reject a whole file.
  return ['parse-error', 'duplicate-section', 'duplicate-key', 'bom']
}

/** The target (sso-session or legacy start URL) the error is about, and how sure that is. */
function findTarget(context: Context): SsoTarget | undefined {
  const {explanation, sso} = context
  if (!sso) return undefined
  const targets = allTargets(sso)
  if (explanation.ssoSession) {
    const named = targets.find((t) => t.kind === 'sso-session' && t.name === explanation.ssoSession)
    if (named) return named
  }

  if (context.profile) {
    const profile = sso.profiles.find((p) => p.profile === context.profile)
    if (profile?.kind === 'sso-session') return targets.find((t) => t.sessionName === profile.ssoSession)
    if (profile?.kind === 'legacy') return targets.find((t) => t.kind === 'legacy' && t.startUrl === profile.startUrl)
  }

  if (explanation.startUrl) {
    const byUrl = targets.find((t) => t.startUrl && samePortal(t.startUrl, explanation.startUrl!))
    if (byUrl) {
      context.guessed.add('ssoSession')
      return byUrl
    }
  }

  if (targets.length === 1) {
    context.guessed.add('ssoSession')
    return targets[0]
  }

  return undefined
}

async function tokenOf(context: Context, target: SsoTarget): Promise<TokenFinding & {hasRefreshToken: boolean}> {
  const [report] = await sessionReports([target], {cacheDir: context.options.cacheDir, now: context.now})
  return {
    expiresAt: report.status.expiresAt,
    hasRefreshToken: report.status.hasRefreshToken,
    state: report.status.state,
  }
}

async function refineLogin(context: Context): Promise<void> {
  const {explanation, sso} = context
  if (!sso) return
  // A profile whose sso-session is missing needs config, not a login.
  const profile = context.profile ? sso.profiles.find((p) => p.profile === context.profile) : undefined
  if (profile?.kind === 'sso-session' && !sso.sessions.some((s) => s.name === profile.ssoSession)) {
    explanation.category = 'sso-config-missing'
    explanation.loginFixes = false
    explanation.ssoSession = profile.ssoSession
    explanation.cause = `Profile ${profile.profile} uses sso-session ${profile.ssoSession}, which the config does not have.`
    await refineSsoSession(context)
    return
  }

  const target = findTarget(context)
  if (!target) {
    if (context.profile && explanation.fix === 'ssokit login')
      explanation.fix = `ssokit login --profile ${shellWord(context.profile)}`
    const targets = allTargets(sso)
    if (targets.length > 1) {
      const names = targets.map((t) => t.name).join(', ')
      context.notes.push(
        `The text names no profile or sso-session, and the config has several (${names}): pass --profile or --sso-session to explain, or run \`ssokit status\`.`,
      )
      explanation.fix = explanation.fix === 'ssokit login' ? 'ssokit status' : explanation.fix
    }

    return
  }

  if (target.kind === 'sso-session') explanation.ssoSession = target.name
  else explanation.startUrl = target.startUrl
  explanation.fix =
    context.classification.pattern!.fix === 'login-device-code'
      ? `${target.loginCommand} --flow device-code`
      : target.loginCommand
  const token = await tokenOf(context, target)
  explanation.token = {expiresAt: token.expiresAt, state: token.state}
  explanation.cause = tokenCause(context, target, token, Boolean(profile))
}

/** "Profile dev uses sso-session corp, whose token expired 2 h ago and cannot be refreshed (…)." */
function tokenCause(
  context: Context,
  target: SsoTarget,
  token: TokenFinding & {hasRefreshToken: boolean},
  profileKnown: boolean,
): string {
  const who = target.kind === 'sso-session' ? `sso-session ${target.name}` : `the start URL ${target.startUrl}`
  const byProfile = context.profile && profileKnown ? `Profile ${context.profile} uses ${who}` : undefined
  const subject = byProfile ? `${byProfile}, whose token` : `The token of ${who}`
  const expiry = token.expiresAt ? parseAwsTime(token.expiresAt) : undefined
  const when = expiry ? describeRelative(expiry, context.now) : ''
  switch (token.state) {
    case 'expired': {
      const why = token.hasRefreshToken
        ? ' (its client registration has expired)'
        : target.kind === 'legacy'
          ? ' (a legacy profile: tools never refresh it)'
          : ' (there is no refresh token)'
      return `${subject} expired ${when} and cannot be refreshed${why}.`
    }

    case 'expiring':
    case 'valid': {
      return `${subject} is valid until ${token.expiresAt} (${when}) by its own clock, yet it was refused: it was revoked (signed out elsewhere, session ended by an administrator) or belongs to another session.`
    }

    case 'missing': {
      const what = 'never signed in on this machine, or signed out'
      return byProfile
        ? `${byProfile}, which has no cached token: ${what}.`
        : `There is no cached token for ${who}: ${what}.`
    }

    case 'refreshable': {
      return context.explanation.category === 'invalid-grant'
        ? `${subject} expired ${when}; its refresh token was refused because the Identity Center session ended.`
        : `${subject} expired ${when}; the refresh the tool tried failed (the Identity Center session ended, or the refresh was refused).`
    }

    case 'revoked': {
      return `${subject} is valid until ${token.expiresAt} (${when}) by its own clock, but the portal already rejected it (ssokit remembers): it was revoked, or the Identity Center session ended.`
    }
  }
}

async function refineLint(context: Context, rules: string[]): Promise<void> {
  const {explanation, classification} = context
  const base = context.options.paths!
  // Lint the file the text names (it may not be the default one).
  const named = classification.facts.configFile
  const paths: ConfigPaths = {...base}
  if (named && named !== base.configFile && named !== base.credentialsFile) {
    if (named.endsWith('credentials')) paths.credentialsFile = named
    else paths.configFile = named
  }

  let result: LintResult
  try {
    const {loadLintContext, runRules, summarise} = await import('../../lint/run.js')
    const lintContext = await loadLintContext(paths, context.options.cacheDir)
    result = summarise(lintContext, await runRules(lintContext))
  } catch (error) {
    context.notes.push(`ssokit lint could not read the files: ${messageOf(error)}`)
    return
  }

  let findings = result.findings.filter((f) => rules.includes(f.rule))
  if (named) {
    const inNamed = findings.filter((f) => f.file === named)
    if (inNamed.length > 0) findings = inNamed
  }

  if (classification.facts.configLine !== undefined) {
    const atLine = findings.filter((f) => f.line === classification.facts.configLine)
    if (atLine.length > 0) findings = [...atLine, ...findings.filter((f) => !atLine.includes(f))]
  }

  if (context.profile && explanation.category !== 'config-parse-error') {
    const ofProfile = findings.filter((f) => sectionIsProfile(f, context.profile!))
    if (ofProfile.length > 0) findings = ofProfile
  }

  const [finding] = findings
  if (!finding) {
    context.notes.push(
      `ssokit lint finds no ${rules.join(' / ')} problem in ${[paths.configFile, paths.credentialsFile].join(' or ')}: the failing tool may read other files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).`,
    )
    return
  }

  explanation.cause = `${finding.file} line ${finding.line}: ${finding.message}`
  if (findings.length > 1)
    context.notes.push(`ssokit lint finds ${findings.length} such problems; \`ssokit lint\` lists them all.`)
  explanation.fix = findings.every((f) => f.fixable)
    ? `ssokit lint --fix${fileFlags(paths, context)}`
    : `Edit ${finding.file} line ${finding.line}${finding.section ? ` ([${finding.section}])` : ''}, then check with: ssokit lint${fileFlags(paths, context)}`
}

function sectionIsProfile(finding: Finding, profile: string): boolean {
  return finding.section === `profile ${profile}` || finding.section === profile
}

function fileFlags(paths: ConfigPaths, context: Context): string {
  const base = context.options.paths!
  const flags: string[] = []
  const defaults = {configFile: base.configFile, credentialsFile: base.credentialsFile}
  if (
    (paths.configFile !== defaults.configFile || context.options.env.AWS_CONFIG_FILE === undefined) &&
    paths.configFile !== defaults.configFile
  )
    flags.push(`--config-file ${shellWord(paths.configFile)}`)

  if (paths.credentialsFile !== defaults.credentialsFile)
    flags.push(`--credentials-file ${shellWord(paths.credentialsFile)}`)
  return flags.length > 0 ? ` ${flags.join(' ')}` : ''
}

async function refineProfiles(context: Context): Promise<void> {
  const {config, explanation} = context
  if (!config) return
  const name = explanation.profile
  const names = [...config.model.profiles.keys()]
  if (explanation.category === 'no-credentials') {
    refineNoCredentials(context, names)
    return
  }

  if (!name) return
  if (config.model.profiles.has(name)) {
    context.notes.push(
      `Profile ${name} exists in the files ssokit reads (${context.options.paths!.configFile}); the failing tool may read other files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) or a different profile name.`,
    )
    return
  }

  // `[dev]` in the config file, or `[profile dev]` in the credentials file: present, but no tool sees it.
  const misplaced = [...config.model.config, ...config.model.credentials].find(
    (section) => section.header === name || section.header === `profile ${name}`,
  )
  if (misplaced) {
    const file = misplaced.file === 'config' ? config.config.path : config.credentials.path
    const header = misplaced.file === 'config' ? `[profile ${name}]` : `[${name}]`
    explanation.cause = `Profile ${name} is written [${misplaced.header}] on line ${misplaced.line} of ${file}, which no tool reads as profile ${name}.`
    explanation.fix = `Edit ${file} line ${misplaced.line}: write the header as ${header}`
    return
  }

  const near = closest(name, names) ?? names.find((n) => n.toLowerCase() === name.toLowerCase())
  const list = names.slice(0, 12).join(', ') + (names.length > 12 ? `, … (${names.length} in all)` : '')
  if (near) {
    explanation.cause = `There is no profile ${name}; the closest is ${near}.`
    explanation.fix = `export AWS_PROFILE=${shellWord(near)}`
    context.guessed.add('fix')
  } else {
    explanation.cause = `There is no profile ${name} in ${config.config.path} or ${config.credentials.path}.`
  }

  if (names.length > 0) context.notes.push(`Profiles: ${list}.`)
  else
    context.notes.push(
      'The config has no profiles at all: `ssokit generate --from-portal --sso-session NAME` writes one per account and role.',
    )
}

function refineNoCredentials(context: Context, names: string[]): void {
  const {explanation, sso} = context
  const {env} = context.options
  if (!context.profile) {
    const ssoProfiles = sso?.profiles.map((p) => p.profile) ?? []
    if (names.length === 0) {
      explanation.cause = 'No profile is selected and the config has none.'
      explanation.fix = 'ssokit generate --from-portal --sso-session NAME'
      return
    }

    explanation.cause = `No profile is selected (AWS_PROFILE is not set${env.AWS_ACCESS_KEY_ID ? '' : ' and there are no keys in the environment'}) and [default] gives no credentials.`
    const pick = ssoProfiles.length === 1 ? ssoProfiles[0] : undefined
    explanation.fix = pick ? `export AWS_PROFILE=${shellWord(pick)}` : 'ssokit profiles'
    if (pick) context.guessed.add('fix')
    context.notes.push(`Profiles: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}.`)
    return
  }

  const profile = context.config?.model.profiles.get(context.profile)
  if (!profile) {
    explanation.category = 'profile-not-found'
    explanation.cause = `There is no profile ${context.profile}.`
    return
  }

  const has = (key: string) => profile.settings.has(key)
  if (has('sso_session') && !(has('sso_account_id') && has('sso_role_name'))) {
    explanation.cause = `Profile ${context.profile} has an sso_session but no ${has('sso_account_id') ? 'sso_role_name' : 'sso_account_id'}: it can sign in but yields no role credentials.`
    explanation.fix = `ssokit generate --from-portal --sso-session ${shellWord(profile.settings.get('sso_session')!)}`
  }
}

async function refineSsoSession(context: Context): Promise<void> {
  const {explanation, sso} = context
  if (!sso) return
  if (explanation.pattern === 'sso-config-incomplete' || explanation.pattern === 'sso-start-url-invalid') {
    await refineLint(context, ['incomplete-sso-profile', 'missing-sso-session', 'invalid-start-url', 'invalid-region'])
    return
  }

  const profile = context.profile ? sso.profiles.find((p) => p.profile === context.profile) : undefined
  const missing = explanation.ssoSession ?? profile?.ssoSession
  if (!missing) {
    await refineLint(context, ['missing-sso-session'])
    return
  }

  explanation.ssoSession = missing
  const users = sso.profiles.filter((p) => p.ssoSession === missing).map((p) => p.profile)
  const sessions = sso.sessions.map((s) => s.name)
  const near = closest(missing, sessions)
  if (near) {
    explanation.cause = `There is no [sso-session ${missing}]${users.length > 0 ? ` (used by ${users.join(', ')})` : ''}; the config has [sso-session ${near}].`
    explanation.fix = `In [profile ${users[0] ?? '…'}] of ${context.config!.config.path}, write: sso_session = ${near}`
    context.guessed.add('fix')
    return
  }

  // The portal and region another session or a legacy profile uses are the likely ones.
  const known = [...sso.sessions, ...sso.profiles].find((s) => s.startUrl && s.region)
  const url = known?.startUrl ?? 'https://<your portal>.awsapps.com/start'
  const region = known?.region ?? '<sso region>'
  if (known) context.guessed.add('fix')
  explanation.cause = `There is no [sso-session ${missing}] in ${context.config!.config.path}${users.length > 0 ? ` (used by ${users.join(', ')})` : ''}.`
  explanation.fix = `Add to ${context.config!.config.path}: [sso-session ${missing}] sso_start_url = ${url} sso_region = ${region}`
}

function refineCaBundle(context: Context): void {
  const {explanation} = context
  const {env} = context.options
  const profile = context.profile ? context.config?.model.profiles.get(context.profile) : undefined
  const configured = env.AWS_CA_BUNDLE
    ? {from: 'AWS_CA_BUNDLE', path: env.AWS_CA_BUNDLE}
    : profile?.settings.get('ca_bundle')
      ? {from: `ca_bundle of profile ${context.profile}`, path: profile.settings.get('ca_bundle')!}
      : undefined
  if (!configured) {
    if (explanation.pattern === 'tls-ca-bundle-missing')
      context.notes.push(
        'Neither AWS_CA_BUNDLE (in this shell) nor the profile sets a CA bundle: check the environment of the failing tool.',
      )
    return
  }

  if (!existsSync(configured.path)) {
    explanation.cause = `${configured.from} names ${configured.path}, which does not exist, so no certificate can be verified.`
    explanation.fix =
      configured.from === 'AWS_CA_BUNDLE'
        ? 'unset AWS_CA_BUNDLE'
        : `Edit the ca_bundle line of [profile ${context.profile}] to name an existing PEM file`
    return
  }

  if (explanation.pattern === 'tls-untrusted-certificate') {
    context.notes.push(
      `${configured.from} is set (${configured.path}), but that bundle does not hold the CA that signed the certificate: add the proxy's CA to it (\`ssokit doctor\` checks the bundle).`,
    )
  }
}

function refineAccess(context: Context): void {
  const {explanation, sso} = context
  if (explanation.permissionSet || !sso || !context.profile) return
  const profile = sso.profiles.find((p) => p.profile === context.profile)
  if (!profile?.accountId || !profile.roleName) return
  explanation.account ??= profile.accountId
  explanation.permissionSet = profile.roleName
  context.guessed.add('account')
  context.guessed.add('permissionSet')
  const reserved = /^AWSReservedSSO_(.+)_[\da-f]{16}$/.exec(profile.roleName)
  if (reserved && explanation.category === 'sso-no-access') {
    explanation.cause = `Profile ${profile.profile} has sso_role_name = ${profile.roleName}, the IAM role's name; the portal wants the permission set's name.`
    explanation.fix = `In [profile ${profile.profile}] of ${context.config!.config.path}, write: sso_role_name = ${reserved[1]}`
    return
  }

  explanation.fix = doctorAccessCommand({account: profile.accountId, permissionSet: profile.roleName})!
  if (explanation.category === 'sso-no-access') {
    explanation.cause = `Profile ${profile.profile} asks for permission set ${profile.roleName} in account ${profile.accountId}, and the portal says the signed-in user has no such assignment (removed, not yet provisioned, or a typo). A new login does not help.`
    if (profile.ssoSession)
      context.notes.push(
        `To see what you can reach: ssokit generate --from-portal --sso-session ${shellWord(profile.ssoSession)} --dry-run`,
      )
  }
}

async function refineRoleCredentials(context: Context): Promise<void> {
  const {explanation} = context
  const {env} = context.options
  if (env.AWS_ACCESS_KEY_ID) {
    context.notes.push(
      'AWS_ACCESS_KEY_ID is set in this environment: SDKs use those keys before any profile, and they do not refresh.',
    )
  }

  if (!context.profile) return
  const target = findTarget(context)
  if (!target) return
  const token = await tokenOf(context, target)
  explanation.token = {expiresAt: token.expiresAt, state: token.state}
  if (token.state === 'expired' || token.state === 'missing' || token.state === 'revoked') {
    explanation.loginFixes = true
    explanation.fix = target.loginCommand
    explanation.cause += ` The SSO token of ${target.kind === 'sso-session' ? `sso-session ${target.name}` : target.name} is ${token.state} too, so new role credentials need a login first.`
  } else {
    explanation.fix = `unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN; export AWS_PROFILE=${shellWord(context.profile)}`
  }
}

async function refineRegion(context: Context): Promise<void> {
  const {config, explanation} = context
  if (explanation.pattern === 'region-invalid') {
    await refineLint(context, ['inline-comment', 'invalid-region'])
    return
  }

  if (!config || !context.profile) return
  const profile = config.model.profiles.get(context.profile)
  if (!profile) return
  const section = profile.sections.find((s) => s.file === 'config')
  const ssoRegion =
    profile.settings.get('sso_region') ??
    (profile.settings.get('sso_session')
      ? settingValue(config.model.ssoSessions.get(profile.settings.get('sso_session')!)!, 'sso_region')
      : undefined)
  const region = ssoRegion ?? 'us-east-1'
  context.guessed.add('fix')
  explanation.cause = `Profile ${context.profile} has no \`region\` and none is set in the environment.`
  explanation.fix = `In [profile ${context.profile}] of ${config.config.path}${section ? ` (line ${section.line})` : ''}, add: region = ${region}`
  context.notes.push(
    `${region} is ${ssoRegion ? 'the region of its sso-session' : 'an example'}: use the region your resources are in.`,
  )
}

/** Notes and guesses gathered on the way, with the keys in the documented order. */
function finish(explanation: Explanation, context?: Context): Explanation {
  const notes = context ? context.notes : (explanation.notes ?? [])
  const guessed = context ? [...context.guessed] : (explanation.guessed ?? [])
  const {guessed: _g, matched, notes: _n, pattern, ...rest} = explanation
  return {
    ...rest,
    ...(notes.length > 0 && {notes}),
    ...(guessed.length > 0 && {guessed: guessed.sort()}),
    ...(matched !== undefined && {matched}),
    pattern,
  }
}
