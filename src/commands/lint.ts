import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {ExitCode} from '../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {lintFiles, type LintOutput} from '../lint/run.js'
import {formatLintText, toSarif} from '../render/lint.js'

export default class Lint extends BaseCommand {
  static override description = `Check the AWS config and credentials files against how the AWS CLI (botocore) and the JS SDK really read them.

Each finding says what each tool does with the line and how to fix it. --fix applies the fixable rules in one atomic write per file, with a backup (<file>.ssokit.bak); lines no fix touches keep every byte. Never touches the network. Exit 0 with no error findings, 1 with any, 3 when a file cannot be read.`
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Check ~/.aws/config and ~/.aws/credentials'},
    {command: '<%= config.bin %> <%= command.id %> --fix', description: 'Apply the fixable rules (backup kept)'},
    {
      command: '<%= config.bin %> <%= command.id %> --format sarif > ssokit.sarif',
      description: 'SARIF 2.1.0, for code scanning',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --config-file ./ci/aws-config --json',
      description: 'Another file, as JSON for a CI job',
    },
  ]
  static override flags = {
    ...configFileFlags,
    fix: Flags.boolean({
      description: 'Apply the fixes of fixable findings (atomic write, backup kept as <file>.ssokit.bak).',
    }),
    force: Flags.boolean({
      dependsOn: ['fix'],
      description: 'With --fix: also replace a read-only file, or rewrite a hard-linked one in place.',
    }),
    format: Flags.option({
      default: 'text',
      description: 'Output format.',
      options: ['text', 'json', 'sarif'] as const,
    })(),
  }
  static override summary = 'Check the AWS config files as the AWS CLI and the JS SDK read them'

  /** `--format json` is JSON output too: errors then come as the JSON error document. */
  override jsonEnabled(): boolean {
    return (
      super.jsonEnabled() ||
      this.argv.some((arg, i, all) => arg === '--format=json' || (arg === '--format' && all[i + 1] === 'json'))
    )
  }

  async run(): Promise<LintOutput> {
    const {flags} = await this.parse(Lint)
    const output = await lintFiles(configPathsFrom(flags), {fix: flags.fix, force: flags.force})
    if (output.summary.error > 0) process.exitCode = ExitCode.FINDINGS
    if (flags.format === 'sarif') this.logJson(toSarif(output, this.config.version))
    else this.output(formatLintText(output))
    return output
  }
}
