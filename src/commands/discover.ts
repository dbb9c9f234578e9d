import {Flags} from '@oclif/core'

import type {DiscoverSnapshot} from '../discovery/snapshot.js'

import {BaseCommand} from '../base-command.js'
import {writableValue} from '../config/values.js'
import {messageOf, SsokitError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {adminFlags} from '../flags.js'

export default class Discover extends BaseCommand {
  static override description = `Finds the IAM Identity Center instance(s) visible to management-account (or delegated-admin) credentials: instance ARN, identity store id, owner account, region, status and the access-portal start URL. With flags, also the organization's accounts (and organizational units), permission sets (and their policies), users and groups with memberships, and every account assignment.

Credentials come from the standard AWS chain (--admin-profile, AWS_PROFILE, environment keys); endpoints from the standard AWS_ENDPOINT_URL* variables. Without --sso-region, the configured region (AWS_REGION or the profile's) is asked first, then all commercial regions at once.

The start URL is the default form (https://<identity store id>.awsapps.com/start, or the China/GovCloud form): no AWS API returns a custom alias, so pass --start-url if your organization set one.

Each AWS quota has its own request budget (sso-admin 20/s for all its APIs, the identity store 20/s per API, Organizations 10/s, STS 20/s), the budgets run side by side, --max-rps caps each one, and throttling and 5xx answers are retried with backoff (after the wait a Retry-After asks for). If some parts could not be read (e.g. Organizations denied), the rest is still reported, the missing parts are listed under "warnings", and the exit code is 5.`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Find the instance and its access-portal URL'},
    {command: '<%= config.bin %> <%= command.id %> --admin-profile mgmt --all', description: 'Everything, as tables'},
    {
      command: '<%= config.bin %> <%= command.id %> --all --json --out snapshot.json',
      description: 'Save a snapshot for ssokit generate --from',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --sso-region eu-west-1 --accounts --permission-sets',
      description: 'Only one region; accounts and permission sets',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --start-url https://my-org.awsapps.com/start',
      description: 'The organization uses a custom portal alias',
    },
  ]
  static override flags = {
    ...adminFlags(),
    accounts: Flags.boolean({description: 'List the organization accounts (organizations:ListAccounts).'}),
    all: Flags.boolean({
      description:
        'Everything: --accounts --organizational-units --permission-sets --policies --principals --assignments.',
    }),
    assignments: Flags.boolean({
      description:
        'List every account assignment (account, permission set, user or group), by the cheaper of the per-account and per-principal audits.',
    }),
    'organizational-units': Flags.boolean({
      description:
        "With the accounts: the organization's roots and OUs and each account's place in them (walks the tree: ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent).",
    }),
    out: Flags.string({
      description: 'Also save the JSON snapshot to this file (atomic write, mode 0600 for a new file).',
    }),
    'permission-sets': Flags.boolean({description: 'List permission sets with descriptions and session durations.'}),
    policies: Flags.boolean({
      description:
        'With the permission sets: their AWS managed and customer managed policy names, and whether the inline policy allows everything (three calls per permission set).',
    }),
    principals: Flags.boolean({description: 'List identity-store users and groups, with group memberships.'}),
    'start-url': Flags.string({
      description: 'Access-portal URL to report, for an organization with a custom alias (cannot be discovered).',
    }),
  }
  static override summary =
    'Discover IAM Identity Center: instances, portal URL, accounts, permission sets, users, groups, assignments'

  async run(): Promise<DiscoverSnapshot> {
    const {flags} = await this.parse(Discover)
    const regions = flags['sso-region']?.map((region) => writableValue('region', region, '--sso-region'))
    const startUrl = flags['start-url'] && writableValue('start URL', flags['start-url'], '--start-url')
    const [{runDiscover}, render] = await Promise.all([import('../discovery/run.js'), import('../render/discover.js')])
    const progress = render.createProgressBar()
    let outcome
    try {
      outcome = await runDiscover({
        accounts: flags.all || flags.accounts,
        assignments: flags.all || flags.assignments,
        maxRps: flags['max-rps'],
        names: !this.jsonEnabled(),
        organizationalUnits: flags.all || flags['organizational-units'],
        permissionSets: flags.all || flags['permission-sets'],
        policies: flags.all || flags.policies,
        principals: flags.all || flags.principals,
        profile: flags['admin-profile'] || process.env.AWS_PROFILE || undefined,
        progress,
        regions,
        startUrl,
      })
    } finally {
      progress.stop()
    }

    const {names, snapshot} = outcome
    if (flags.out) await this.save(flags.out, snapshot)
    for (const line of render.warningLines(snapshot.warnings)) this.message(line)
    this.output(render.renderDiscover(snapshot, names) + '\n')
    if (snapshot.warnings.some((w) => w.code === 'ACCESS_DENIED')) process.exitCode = ExitCode.PERMISSION_DENIED
    return snapshot
  }

  private async save(path: string, snapshot: DiscoverSnapshot): Promise<void> {
    const [{writeFileSafely}, {serializeSnapshot}] = await Promise.all([
      import('../config/write.js'),
      import('../discovery/snapshot.js'),
    ])
    try {
      await writeFileSafely(path, serializeSnapshot(snapshot))
    } catch (error) {
      throw new SsokitError(`Cannot write the snapshot to ${path}: ${messageOf(error)}`, 'FILE_UNWRITABLE', {
        cause: error,
      })
    }

    this.message(`Saved the snapshot to ${path}`)
  }
}
