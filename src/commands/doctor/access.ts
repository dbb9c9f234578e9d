import {Flags} from '@oclif/core'

import type {AccessReport} from '../../doctor/access/types.js'

import {BaseCommand} from '../../base-command.js'
import {writableValue} from '../../config/values.js'
import {adminFlags} from '../../flags.js'

export default class DoctorAccess extends BaseCommand {
  static override description = `From the admin side: can USER reach ACCOUNT with PERMISSION SET, and if not, exactly why and what to run.

The user is a user name, email, display name or id; the account an id or name; the permission set a name or ARN. Without --permission-set: everything the user reaches in the account. Without --account: every account and permission set the user reaches, and through which group.

Verdicts: granted (with each path: direct, or via group G), not-assigned, not-provisioned, assignment-failed, user-not-found, account-not-found, permission-set-not-found. Each comes with its reasons, and the fix as a ready command with who can run it.

--action (and --resource) checks the permission set's inline, AWS managed and customer-managed policies, its permissions boundary, and the SCPs and RCPs on the account's path to the root, and shows the statements that match. It is a statement matcher, not a full IAM evaluator: conditions are shown as written, not evaluated.

--from-error takes an AccessDenied or ForbiddenException text (or - for stdin) and asks the same question, saying which parts it guessed. --from FILE answers from a \`ssokit discover --all --out FILE\` snapshot with no request at all.

Exit status: 0 granted (and allowed, with --action), 1 not, 5 when an API the caller may not use was needed (the rest of the answer is still given).`
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> --user alice --account Production --permission-set ReadOnly',
      description: 'Can alice use ReadOnly in Production?',
    },
    {command: '<%= config.bin %> <%= command.id %> --user alice@example.com', description: 'Everything alice reaches'},
    {
      command:
        '<%= config.bin %> <%= command.id %> --user alice --account 111122223333 --permission-set ReadOnly --action s3:PutObject --resource arn:aws:s3:::reports/q3.csv',
      description: 'Why is the action denied?',
    },
    {
      command: `<%= config.bin %> <%= command.id %> --from-error "User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/alice is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::reports/q3.csv because no identity-based policy allows the s3:PutObject action"`,
      description: 'From the error text',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --user alice --from snapshot.json',
      description: 'Offline, from a snapshot',
    },
  ]
  static override flags = {
    ...adminFlags(),
    account: Flags.string({description: 'Account id or name.'}),
    action: Flags.string({
      description:
        'IAM action to check against the policies, e.g. s3:GetObject (needs --account and --permission-set).',
    }),
    from: Flags.string({
      description: 'Answer offline from a `ssokit discover --all --out FILE` snapshot (no requests).',
    }),
    'from-error': Flags.string({
      description:
        'An AccessDenied / ForbiddenException error text to take the user, account, permission set and action from; - reads stdin.',
    }),
    'permission-set': Flags.string({description: 'Permission set name or ARN.'}),
    resource: Flags.string({
      description: 'Resource ARN for --action (default: unknown; narrower statements then count as maybe).',
    }),
    user: Flags.string({description: 'User name, email, display name or identity-store user id.'}),
  }
  static override summary = 'Why is this person denied: assignments, provisioning and policies, from the admin side'

  async run(): Promise<AccessReport> {
    const {flags} = await this.parse(DoctorAccess)
    const regions = flags['sso-region']?.map((region) => writableValue('region', region, '--sso-region'))
    const fromError = flags['from-error'] === '-' ? await readStdin() : flags['from-error']
    const [{exitCodeOf, runAccess}, {renderAccess}] = await Promise.all([
      import('../../doctor/access/run.js'),
      import('../../render/access.js'),
    ])
    const report = await runAccess({
      account: flags.account,
      action: flags.action,
      from: flags.from,
      fromError,
      maxRps: flags['max-rps'],
      permissionSet: flags['permission-set'],
      profile: flags['admin-profile'] || process.env.AWS_PROFILE || undefined,
      regions,
      resource: flags.resource,
      user: flags.user,
    })
    this.output(renderAccess(report))
    process.exitCode = exitCodeOf(report)
    return report
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
