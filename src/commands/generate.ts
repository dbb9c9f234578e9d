import {Flags} from '@oclif/core'

import type {GenerateOutput} from '../generate/run.js'

import {BaseCommand} from '../base-command.js'
import {configFileFlags, configPathsFrom, maxRpsFlag} from '../flags.js'
import {DEFAULT_TEMPLATE} from '../generate/naming.js'
import {formatGenerateReport} from '../render/generate.js'

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
      description: 'Discover accounts and roles live with admin credentials (--admin-profile).',
      exclusive: ['from', 'from-portal'],
    }),
    'from-portal': Flags.boolean({
      description:
        'Your own accounts and roles through the access portal, with the sso-session’s cached login (the default).',
      exclusive: ['from', 'from-org'],
    }),
    interactive: Flags.boolean({description: 'Pick the accounts and roles to write, and confirm.', exclusive: ['yes']}),
    lowercase: Flags.boolean({description: 'Lower-case profile names.'}),
    'max-rps': maxRpsFlag('With --from-org: '),
    'name-template': Flags.string({
      default: DEFAULT_TEMPLATE,
      description: 'Profile names: {account_name} {account_id} {role_name} {sso_session} {region}.',
    }),
    'admin-profile': Flags.string({
      aliases: ['profile'],
      description: 'With --from-org: the AWS profile with admin credentials (default: the SDK chain).',
    }),
    'profile-setting': Flags.string({
      description: 'key=value added to every generated profile (repeatable), e.g. output=json.',
      multiple: true,
    }),
    prune: Flags.boolean({
      description: 'Remove managed profiles the source no longer has (without it they are kept and reported as stale).',
    }),
    'profile-region': Flags.string({
      aliases: ['region'],
      description: 'The `region` written into every generated profile [default: the sso region].',
    }),
    'sso-region': Flags.string({description: 'The Identity Center region, when the sso-session does not exist yet.'}),
    'sso-session': Flags.string({description: 'The sso-session to generate profiles for.', required: true}),
    'start-url': Flags.string({description: 'The access-portal URL, when the sso-session does not exist yet.'}),
    yes: Flags.boolean({char: 'y', description: 'Write without asking (needed when there is no terminal).'}),
  }

  async run(): Promise<GenerateOutput> {
    const {flags} = await this.parse(Generate)
    const {runGenerate} = await import('../generate/run.js')
    const terminal = Boolean(process.stdin.isTTY && process.stderr.isTTY)
    const output = await runGenerate(
      {
        dryRun: flags['dry-run'],
        forUser: flags['for-user'],
        force: flags.force,
        lowercase: flags.lowercase,
        nameTemplate: flags['name-template'],
        paths: configPathsFrom(flags),
        profileSettings: flags['profile-setting'] ?? [],
        prune: flags.prune,
        region: flags['profile-region'],
        source: flags.from
          ? {file: flags.from, kind: 'snapshot'}
          : flags['from-org']
            ? {kind: 'org', maxRps: flags['max-rps'], profile: flags['admin-profile']}
            : {kind: 'portal'},
        ssoRegion: flags['sso-region'],
        ssoSession: flags['sso-session'],
        startUrl: flags['start-url'],
      },
      {
        confirm: async (diff, report) => {
          if (flags.yes) return 'yes'
          if (!terminal && !flags.interactive) return 'no-terminal'
          this.message((await diff()).trimEnd())
          const {confirmWrite} = await import('../generate/interactive.js')
          const question = `Write ${report.added.length} new, ${report.updated.length} updated and remove ${report.removed.length} profiles in ${configPathsFrom(flags).configFile}?`
          return (await confirmWrite(question)) ? 'yes' : 'no'
        },
        pick: flags.interactive
          ? async (entitlements) => (await import('../generate/interactive.js')).pickEntitlements(entitlements)
          : undefined,
        warn: (text) => this.warning(text),
      },
    )
    if (flags['dry-run']) this.output(output.diff || 'No changes.\n')
    if (!this.jsonEnabled()) this.message(formatGenerateReport(output).trimEnd())
    return output
  }
}
