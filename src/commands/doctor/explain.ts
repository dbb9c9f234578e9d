import {Args, Flags} from '@oclif/core'

import type {Explanation} from '../../doctor/explain/types.js'

import {BaseCommand} from '../../base-command.js'
import {explainError} from '../../doctor/explain/explain.js'
import {MAX_INPUT_CHARS} from '../../doctor/explain/text.js'
import {usageError} from '../../errors.js'
import {ExitCode} from '../../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../../flags.js'
import {renderExplanation} from '../../render/explain.js'

export default class DoctorExplain extends BaseCommand {
  static override args = {
    text: Args.string({description: 'The error text (read from stdin when omitted and stdin is not a terminal)'}),
  }
  static override description = `Classifies what an AWS tool printed (the AWS CLI v1 or v2, boto3/botocore tracebacks, the JS and Go SDKs, Node TLS errors, granted, aws-sso-util, aws-sso-cli) and says the cause in one sentence, whether a new login fixes it, and the one command or config line that does.

Where the text names a profile or sso-session (or --profile / AWS_PROFILE says which), it reads the config and the token cache to make the answer specific: which session, when its token expired, which line of the config breaks parsing. It never calls the network. Exit 0 when the text is recognised, 1 when it is not.`
  static override examples = [
    {
      command: `<%= config.bin %> <%= command.id %> "Error when retrieving token from sso: Token has expired and refresh failed"`,
      description: 'An error text as an argument',
    },
    {
      command: 'aws s3 ls 2>&1 | <%= config.bin %> <%= command.id %> --profile dev',
      description: 'What a failing command printed, on stdin',
    },
    {command: '<%= config.bin %> <%= command.id %> --json < error.txt', description: 'As JSON, for an agent'},
  ]
  static override flags = {
    ...configFileFlags,
    profile: Flags.string({
      description: 'The profile the failing command used, when the text does not name it [default: $AWS_PROFILE]',
    }),
    'sso-session': Flags.string({description: 'The sso-session the failing command used'}),
  }
  static override summary = 'Explain an AWS error text: cause, whether a login helps, and the fix'

  async run(): Promise<Explanation> {
    const {args, flags} = await this.parse(DoctorExplain)
    const text = args.text ?? (await readStdin())
    const explanation = await explainError(text, {
      paths: configPathsFrom(flags),
      profile: flags.profile,
      ssoSession: flags['sso-session'],
    })
    if (explanation.category === 'unknown') process.exitCode = ExitCode.FINDINGS
    this.output(renderExplanation(explanation))
    return explanation
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw usageError('Give the error text as an argument, or pipe it on stdin: aws s3 ls 2>&1 | ssokit doctor explain')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    // Keep only the tail of huge inputs: the error is at the end.
    while (size > MAX_INPUT_CHARS * 4 && chunks.length > 1) size -= chunks.shift()!.length
  }

  return Buffer.concat(chunks).toString('utf8')
}
