import {ENGINEER, REGION, SSO_SESSION, WORKLOADS_SCP} from './organization.js'

/** Who runs a step: the administrator (moto's test keys, management account) or the engineer (their SSO login). */
export type Actor = 'admin' | 'engineer'

export interface TourContext {
  /** A profile generate writes: the engineer's PowerUserAccess in Development. */
  developmentProfile: string
  /** The login flow the demo was asked for; none: what login picks. */
  flow?: string
  stagingAccountId: string
  startUrl: string
}

export interface Step {
  /** The command line after `ssokit`. */
  argv: string[]
  as: Actor
  /** Something the demo does before the command (in moto), told in `say`. */
  before?: 'change-organization'
  /** The exit codes this step may end with (default: 0). */
  exits?: number[]
  /** Show the command as `… > /dev/null` and drop its stdout (a second run whose tables were shown already). */
  quiet?: boolean
  /** What the reader should look at, printed before the command. */
  say: string
  /** The step opens a sign-in: the demo plays the browser and approves it. */
  signIn?: boolean
}

const SNAPSHOT = 'northwind-monday.json'
const LATER = 'northwind-friday.json'
const REPORT = 'northwind-access.html'
const BUCKET_ARN = 'arn:aws:s3:::northwind-staging-scratch'

/** What the AWS CLI prints when the service control policy denies the engineer a bucket deletion in Staging. */
function deniedText(stagingAccountId: string): string {
  return (
    'An error occurred (AccessDenied) when calling the DeleteBucket operation: User: ' +
    `arn:aws:sts::${stagingAccountId}:assumed-role/AWSReservedSSO_PowerUserAccess_5f2c8e1a9b3d4c7e/${ENGINEER} ` +
    `is not authorized to perform: s3:DeleteBucket on resource: "${BUCKET_ARN}" with an explicit deny in a service ` +
    'control policy'
  )
}

/**
 * The hand-written part of the engineer's ~/.aws/config before the tour: a default profile, and two profiles
 * copied from an old how-to, with the mistakes such guides spread (a setting that does not exist, a command that
 * does not exist, a start URL and region written into the profile instead of an sso-session).
 */
export function startingConfig(context: {developmentAccountId: string; startUrl: string}): string {
  return [
    '# ~/.aws/config of Alex, a developer at Northwind',
    '[default]',
    `region = ${REGION}`,
    'output = json',
    '',
    '# copied from an old how-to',
    '[profile dev-legacy]',
    `sso_start_url = ${context.startUrl}`,
    `sso_region = ${REGION}`,
    `sso_account_id = ${context.developmentAccountId}`,
    'sso_role_name = PowerUserAccess',
    'sso_auto_refresh = true',
    'region = eu-west-1',
    '',
    '[profile dev-tools]',
    'credential_process = aws sso get-credentials --profile dev-legacy',
    '',
  ].join('\n')
}

/** The walk-through, in the order a newcomer meets the commands. */
export function tourSteps(context: TourContext): Step[] {
  return [
    {
      argv: ['discover', '--all', '--out', SNAPSHOT],
      as: 'admin',
      say:
        'An administrator of Northwind, with credentials of the management account, asks what IAM Identity Center ' +
        'holds: the instance and its access-portal URL, the accounts, permission sets, people, groups, and who is ' +
        'assigned what. The snapshot is saved for later. (The demo gives moto’s test keys to the administrator’s commands.)',
    },
    {
      argv: [
        'login',
        '--sso-session',
        SSO_SESSION,
        '--start-url',
        context.startUrl,
        '--sso-region',
        REGION,
        '--no-browser',
        ...(context.flow ? ['--flow', context.flow] : []),
      ],
      as: 'engineer',
      say:
        `Alex Rivera (user name ${ENGINEER}), a developer, signs in to the portal discover found. --start-url and --sso-region add the ` +
        '[sso-session] to ~/.aws/config; --no-browser prints the URL instead of opening a browser. ' +
        'The demo then plays the browser and approves the sign-in as Alex.',
      signIn: true,
    },
    {
      argv: ['generate', '--sso-session', SSO_SESSION, '--dry-run'],
      as: 'engineer',
      say: 'Every account and role Alex may use, read from the access portal, as profiles: first what would change.',
    },
    {
      argv: ['generate', '--sso-session', SSO_SESSION, '--yes'],
      as: 'engineer',
      say: 'Then write them, in one managed block; the hand-written part of the file keeps every byte.',
    },
    {
      argv: ['profiles'],
      as: 'engineer',
      say: 'Every profile in the files: what kind of credentials it gives, and whether ssokit manages it.',
    },
    {
      argv: ['lint'],
      as: 'engineer',
      exits: [1],
      say: 'The hand-written profiles, judged by how the AWS CLI and the JS SDK really read them.',
    },
    {
      argv: ['lint', '--fix'],
      as: 'engineer',
      say: 'Fix what can be fixed (one atomic write, with a backup); the made-up setting stays for a person to delete.',
    },
    {
      argv: ['status'],
      as: 'engineer',
      say: 'The state of each cached token, read from the files alone.',
    },
    {
      argv: ['doctor', '--profile', context.developmentProfile],
      as: 'engineer',
      say:
        'Everything between Alex and working credentials, checked at once: environment, config, tokens, the network, ' +
        'and the profile end to end (role credentials, then sts:GetCallerIdentity).',
    },
    {
      argv: ['doctor', 'explain', deniedText(context.stagingAccountId), '--profile', 'Staging.PowerUserAccess'],
      as: 'engineer',
      say:
        'Alex tries `aws s3 rb s3://northwind-staging-scratch --profile Staging.PowerUserAccess` and gets an ' +
        'AccessDenied. What does the text mean, and what is there to run?',
    },
    {
      argv: [
        'doctor',
        'access',
        '--user',
        ENGINEER,
        '--account',
        context.stagingAccountId,
        '--permission-set',
        'PowerUserAccess',
        '--action',
        's3:DeleteBucket',
        '--resource',
        BUCKET_ARN,
      ],
      as: 'admin',
      exits: [1],
      say:
        'The administrator runs the command explain suggested: the assignment is there, and the statement that ' +
        `denies is in the ${WORKLOADS_SCP.name} service control policy. (moto lacks two of the APIs it asks; it says ` +
        'what it could not read.)',
    },
    {
      argv: ['doctor', 'access', '--user', ENGINEER, '--account', 'Production', '--permission-set', 'PowerUserAccess'],
      as: 'admin',
      exits: [1],
      say: 'Alex also asks for PowerUserAccess in Production: why it is not there, and the command that would grant it.',
    },
    {
      argv: ['report', '--from', SNAPSHOT, '--out', REPORT],
      as: 'admin',
      say: 'Who can reach what, as one self-contained HTML page (matrix, per-person view, filter), from the snapshot.',
    },
    {
      argv: ['discover', '--all', '--out', LATER],
      as: 'admin',
      before: 'change-organization',
      quiet: true,
      say:
        'Days later: Noah joins the Developers group, and the Data group is given ReadOnlyAccess in Production ' +
        '(the demo makes both changes in moto). A second snapshot…',
    },
    {
      argv: ['diff', SNAPSHOT, LATER],
      as: 'admin',
      exits: [1],
      say: '…and what changed between the two (exit 1: something did).',
    },
    {
      argv: ['diff', SNAPSHOT, LATER, '--effective'],
      as: 'admin',
      exits: [1],
      say: 'The same, as who gained or lost access once groups are expanded.',
    },
  ]
}

export const TOUR_FILES = {later: LATER, report: REPORT, snapshot: SNAPSHOT}
