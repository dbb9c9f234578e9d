import {Flags} from '@oclif/core'

import type {GenerateReport} from '../generate/apply.js'
import type {SourceResult} from '../generate/sources.js'

import {BaseCommand} from '../base-command.js'
import {SsokitError} from '../errors.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {DEFAULT_TEMPLATE, unknownPlaceholders} from '../generate/naming.js'
import {formatGenerateReport} from '../render/generate.js'

export type GenerateOutput = Omit<GenerateReport, 'changed'> & {
  diff?: string
  dryRun: boolean
  file: string
  source: string
  ssoSession: string
  written: boolean
}

export default class Generate extends BaseCommand {
  static override description = `Write sso-session profiles for every account and role into ~/.aws/config.

Profiles go into one managed block per sso-session; every byte outside ssokit's blocks stays as it is. Sources: --from-portal (your own accounts and roles through the access portal, with your cached login; the default), --from FILE (a \`ssokit discover --out\` snapshot, offline), --from-org (live admin discovery). --for-user narrows an admin source to what one user can reach. Running the same generate twice changes nothing.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --sso-session corp --dry-run',
    '<%= config.bin %> <%= command.id %> --sso-session corp --start-url https://d-1234567890.awsapps.com/start --sso-region us-east-1 --yes',
    '<%= config.bin %> <%= command.id %> --sso-session corp --from snapshot.json --for-user alice --region eu-west-1 --yes',
    "<%= config.bin %> <%= command.id %> --sso-session corp --name-template '{account_name}-{role_name}' --lowercase --prune --yes",
  ]
  static override flags = {
    ...configFileFlags,
    'dry-run': Flags.boolean({description: 'Print a unified diff of the change and write nothing.'}),
    'for-user': Flags.string({
      description:
        'With --from or --from-org: only what this user (user name, email or id) can reach, directly or through groups.',
    }),
    force: Flags.boolean({description: 'Rewrite the managed block even if it was edited by hand.'}),
    from: Flags.string({
      description: 'Read accounts and roles from a `ssokit discover --all --out FILE` snapshot (offline).',
      exclusive: ['from-org', 'from-portal'],
    }),
    'from-org': Flags.boolean({
      description: 'Discover accounts and roles live with admin credentials (--profile).',
      exclusive: ['from', 'from-portal'],
    }),
    'from-portal': Flags.boolean({
      description:
        'Your own accounts and roles through the access portal, with the sso-session’s cached login (the default).',
      exclusive: ['from', 'from-org'],
    }),
    interactive: Flags.boolean({description: 'Pick the accounts and roles to write, and confirm.', exclusive: ['yes']}),
    lowercase: Flags.boolean({description: 'Lower-case profile names.'}),
    'max-rps': Flags.integer({default: 20, description: 'With --from-org: AWS requests per second at most.', min: 1}),
    'name-template': Flags.string({
      default: DEFAULT_TEMPLATE,
      description: 'Profile names: {account_name} {account_id} {role_name} {sso_session} {region}.',
    }),
    profile: Flags.string({
      description: 'With --from-org: the AWS profile with admin credentials (default: the SDK chain).',
    }),
    'profile-setting': Flags.string({
      description: 'key=value added to every generated profile (repeatable), e.g. output=json.',
      multiple: true,
    }),
    prune: Flags.boolean({
      description: 'Remove managed profiles the source no longer has (without it they are kept and reported as stale).',
    }),
    region: Flags.string({description: 'The `region` of every generated profile [default: the sso region].'}),
    'sso-region': Flags.string({description: 'The Identity Center region, when the sso-session does not exist yet.'}),
    'sso-session': Flags.string({description: 'The sso-session to generate profiles for.', required: true}),
    'start-url': Flags.string({description: 'The access-portal URL, when the sso-session does not exist yet.'}),
    yes: Flags.boolean({char: 'y', description: 'Write without asking (needed when there is no terminal).'}),
  }

  async run(): Promise<GenerateOutput> {
    const {flags} = await this.parse(Generate)
    const paths = configPathsFrom(flags)
    const ssoSession = flags['sso-session']
    const unknown = unknownPlaceholders(flags['name-template'])
    if (unknown.length > 0)
      throw usage(
        `Unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} in --name-template; use {account_name}, {account_id}, {role_name}, {sso_session}, {region}.`,
      )
    if (flags['for-user'] && !flags.from && !flags['from-org'])
      throw usage('--for-user needs an admin source: --from FILE or --from-org.')
    if (!/^[A-Za-z0-9_.-]+$/.test(ssoSession))
      throw usage(
        `--sso-session "${ssoSession}": use letters, digits and . _ - only, so that both the AWS CLI and the JS SDK read it.`,
      )
    const profileSettings = (flags['profile-setting'] ?? []).map((s) => {
      const eq = s.indexOf('=')
      const [key, value] = [s.slice(0, eq).trim(), s.slice(eq + 1).trim()]
      if (eq <= 0 || !/^[a-z0-9_]+$/.test(key) || value === '' || /[\r\n]/.test(value))
        throw usage(`--profile-setting "${s}": write key=value with a lower-case key.`)
      return [key, value] as [string, string]
    })

    const source = await this.readSource(flags, paths)
    let {entitlements} = source
    if (flags.interactive)
      entitlements = await (await import('../generate/interactive.js')).pickEntitlements(entitlements)

    const interactive = process.stdin.isTTY && process.stderr.isTTY
    const {generateIntoFile} = await import('../generate/write.js')
    let declined = false
    const outcome = await generateIntoFile({
      configFile: paths.configFile,
      confirm: async (diff, report) => {
        if (flags.yes) return true
        if (!interactive && !flags.interactive) {
          declined = true
          return false
        }

        this.message((await diff()).trimEnd())
        const ok = await (
          await import('../generate/interactive.js')
        ).confirmWrite(
          `Write ${report.added.length} new, ${report.updated.length} updated and remove ${report.removed.length} profiles in ${paths.configFile}?`,
        )
        declined = !ok
        return ok
      },
      credentialsFile: paths.credentialsFile,
      dryRun: flags['dry-run'],
      input: {
        entitlements,
        force: flags.force,
        lowercase: flags.lowercase,
        nameTemplate: flags['name-template'],
        profileSettings,
        prune: flags.prune,
        region: flags.region,
        session: {
          region: flags['sso-region'] ?? source.instance?.region,
          startUrl: flags['start-url'] ?? source.instance?.startUrl,
        },
        ssoSession,
      },
    })

    const {changed: _changed, ...report} = outcome.report
    const output: GenerateOutput = {
      ...report,
      dryRun: flags['dry-run'],
      file: paths.configFile,
      source: source.source,
      ssoSession,
      written: outcome.written,
      ...(flags['dry-run'] && {diff: await outcome.diff()}),
    }
    if (!this.jsonEnabled()) {
      if (flags['dry-run']) this.output(output.diff || 'No changes.\n')
      this.message(formatGenerateReport(output).trimEnd())
    }

    if (declined && !flags.interactive) {
      throw new SsokitError(
        `Nothing written to ${paths.configFile}: there is no terminal to confirm the change. Run again with --yes to write it (or --dry-run to see the diff).`,
        'CONFIRMATION_REQUIRED',
      )
    }

    return output
  }

  private async readSource(
    flags: {
      'for-user'?: string
      from?: string
      'from-org': boolean
      'max-rps': number
      profile?: string
      'sso-region'?: string
      'sso-session': string
      'start-url'?: string
    },
    paths: {configFile: string; credentialsFile: string},
  ): Promise<SourceResult> {
    const {entitlementsFromSnapshot} = await import('../generate/sources.js')
    if (flags.from) {
      const {readSnapshot} = await import('../discovery/snapshot.js')
      return entitlementsFromSnapshot(await readSnapshot(flags.from), {forUser: flags['for-user'], origin: flags.from})
    }

    if (flags['from-org']) {
      const {runDiscover} = await import('../discovery/run.js')
      const {snapshot} = await runDiscover({
        accounts: true,
        assignments: true,
        maxRps: flags['max-rps'],
        names: false,
        permissionSets: true,
        principals: Boolean(flags['for-user']),
        profile: flags.profile,
        startUrl: flags['start-url'],
      })
      return entitlementsFromSnapshot(snapshot, {forUser: flags['for-user'], origin: 'live discovery'})
    }

    const [{entitlementsFromPortal}, {loadSsoConfig}, {requireComplete, sessionTargetFor}] = await Promise.all([
      import('../generate/portal-source.js'),
      import('../config/sso-config.js'),
      import('../sso/target.js'),
    ])
    const existing = (await loadSsoConfig(paths)).sessions.find((s) => s.name === flags['sso-session'])
    const session = existing ?? {name: flags['sso-session'], region: flags['sso-region'], startUrl: flags['start-url']}
    if (!session.startUrl || !session.region)
      throw usage(
        `sso-session ${flags['sso-session']} does not exist yet: give --start-url and --sso-region (then run ssokit login --sso-session ${flags['sso-session']}), or use --from FILE / --from-org.`,
      )
    const result = await entitlementsFromPortal(requireComplete(sessionTargetFor(session)))
    for (const warning of result.warnings) this.warning(warning)
    return result
  }
}

function usage(message: string): SsokitError {
  return new SsokitError(message, 'USAGE')
}
