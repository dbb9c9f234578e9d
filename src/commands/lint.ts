import {Flags} from '@oclif/core'

import type {Finding} from '../lint/types.js'

import {BaseCommand} from '../base-command.js'
import {ExitCode} from '../exit-codes.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {type LintResult, loadLintContext, runRules, summarise} from '../lint/run.js'
import {formatLintText, toSarif} from '../render/lint.js'

export type LintOutput = LintResult & {fixed?: {count: number; files: string[]}}

export default class Lint extends BaseCommand {
  static override description = `Check the AWS config and credentials files against how the AWS CLI (botocore) and the JS SDK really read them.

Each finding says what each tool does with the line and how to fix it. --fix applies the fixable rules in one atomic write per file, with a backup (<file>.ssokit.bak); lines no fix touches keep every byte. Never touches the network. Exit 0 with no error findings, 1 with any, 3 when a file cannot be read.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --fix',
    '<%= config.bin %> <%= command.id %> --format sarif > ssokit.sarif',
    '<%= config.bin %> <%= command.id %> --config-file ./ci/aws-config --json',
  ]
  static override flags = {
    ...configFileFlags,
    fix: Flags.boolean({
      description: 'Apply the fixes of fixable findings (atomic write, backup kept as <file>.ssokit.bak).',
    }),
    format: Flags.option({
      default: 'text',
      description: 'Output format.',
      options: ['text', 'json', 'sarif'] as const,
    })(),
  }

  async run(): Promise<LintOutput> {
    const {flags} = await this.parse(Lint)
    let context = await loadLintContext(configPathsFrom(flags))
    let fixed: LintOutput['fixed']
    let findings: Finding[] | undefined
    if (flags.fix) {
      // Only --fix pays for the writer (lock, atomic write).
      const [{applyFixes}, {writeFixes}] = await Promise.all([
        import('../lint/fix.js'),
        import('../lint/write-fixes.js'),
      ])
      const outcome = await applyFixes(context)
      const files = await writeFixes(context, outcome)
      fixed = {count: outcome.applied.length, files}
      context = outcome.context
      findings = outcome.findings
    }

    const result = summarise(context, findings ?? (await runRules(context)))
    const output: LintOutput = {
      ...result,
      findings: result.findings.map(({fix: _fix, ...finding}) => finding),
      ...(fixed && {fixed}),
    }
    if (result.summary.error > 0) process.exitCode = ExitCode.FINDINGS
    if (this.jsonEnabled()) return output
    if (flags.format === 'json') this.logJson(output)
    else if (flags.format === 'sarif') this.logJson(toSarif(output, this.config.version))
    else this.output(formatLintText(output, fixed?.count))
    return output
  }
}
