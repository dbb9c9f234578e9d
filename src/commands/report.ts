import {Flags} from '@oclif/core'

import type {DiscoverSnapshot} from '../discovery/snapshot.js'
import type {AccessReport} from '../report/access.js'

import {BaseCommand} from '../base-command.js'
import {writableValue} from '../config/values.js'
import {messageOf, SsokitError, usageError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {adminFlags} from '../flags.js'

export default class Report extends BaseCommand {
  static override description = `Who can reach what: from a discover snapshot (--from FILE, offline, also last month's) or from live discovery with admin credentials (as \`ssokit discover --all\`).

--format html (the default) writes one self-contained page: a matrix of accounts (grouped by OU when known) × permission sets, coloured by how powerful each permission set is, with the users and groups in each cell and group members a click away; a view per person after group expansion; a filter; printable; no network at view time. --format csv writes one row per user × account × permission set × path (direct or via a group); --format json (or --json) the same data as one document.

When the snapshot lacks parts (users because the identity store was denied, accounts because Organizations was denied), the report says so instead of showing a wrong picture.`
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> --from snapshot.json --out access.html',
      description: 'The page, from a saved snapshot',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --profile mgmt --out access.html',
      description: 'The page, from live discovery',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --from snapshot.json --format csv > access.csv',
      description: 'One row per user × account × permission set × path, for a spreadsheet',
    },
  ]
  static override flags = {
    ...adminFlags('Live discovery: '),
    format: Flags.option({
      default: 'html',
      description: 'html: one self-contained page; csv: one row per user, account, permission set and path; json.',
      options: ['html', 'csv', 'json'] as const,
    })(),
    from: Flags.string({
      description: 'A snapshot saved by `ssokit discover --all --out FILE` (without it: live discovery).',
      exclusive: ['admin-profile', 'sso-region'],
    }),
    out: Flags.string({
      description: 'Write the report to this file (atomic write, mode 0600 for a new file) instead of stdout.',
    }),
  }
  static override summary = 'Access report: accounts × permission sets matrix, per-person view, as HTML, CSV or JSON'

  async run(): Promise<AccessReport> {
    const {flags} = await this.parse(Report)
    if (flags.format === 'html' && !flags.out && process.stdout.isTTY && !this.jsonEnabled())
      throw usageError('The HTML report is a file: add --out report.html (or redirect stdout).')
    const snapshot = flags.from ? await this.readFrom(flags.from) : await this.discoverLive(flags)
    const {buildAccessReport} = await import('../report/access.js')
    const report = buildAccessReport(snapshot)
    const document = await this.render(report, flags.format, flags.from ?? 'live discovery')
    if (flags.out) await this.save(flags.out, document)
    else if (flags.format === 'json') this.output(document)
    else this.outputDocument(document)

    // What the reader must know: missing parts, then what discover recorded about the parts it has.
    for (const missing of report.missing.filter((m) => m.severity === 'warning')) this.warning(missing.message)
    for (const w of report.warnings.filter((x) => !report.missing.some((m) => m.part === x.scope)))
      this.warning(`${w.scope}: ${w.message}`)
    if (flags.out) {
      const s = report.summary
      this.message(
        `Wrote ${flags.out} (${(Buffer.byteLength(document) / 1e6).toFixed(2)} MB): ${s.accounts} accounts, ${s.permissionSets} permission sets, ${s.users} people, ${s.assignments} assignments.`,
      )
    }

    return report
  }

  private async discoverLive(flags: {
    'admin-profile'?: string
    'max-rps'?: number
    'sso-region'?: string[]
  }): Promise<DiscoverSnapshot> {
    const regions = flags['sso-region']?.map((region) => writableValue('region', region, '--sso-region'))
    const [{runDiscover}, render] = await Promise.all([import('../discovery/run.js'), import('../render/discover.js')])
    const progress = render.createProgressBar()
    try {
      const {snapshot} = await runDiscover({
        accounts: true,
        assignments: true,
        maxRps: flags['max-rps'],
        names: false,
        organizationalUnits: true,
        permissionSets: true,
        policies: true,
        principals: true,
        profile: flags['admin-profile'] || process.env.AWS_PROFILE || undefined,
        progress,
        regions,
      })
      if (snapshot.warnings.some((w) => w.code === 'ACCESS_DENIED')) process.exitCode = ExitCode.PERMISSION_DENIED
      return snapshot
    } finally {
      progress.stop()
    }
  }

  private async readFrom(path: string): Promise<DiscoverSnapshot> {
    const {readSnapshot} = await import('../discovery/snapshot.js')
    return readSnapshot(path)
  }

  private async render(report: AccessReport, format: 'csv' | 'html' | 'json', source: string): Promise<string> {
    if (format === 'json') return JSON.stringify(report, null, 2) + '\n'
    if (format === 'csv') return (await import('../render/report-csv.js')).renderAccessCsv(report)
    const {renderReportHtml} = await import('../render/report-html.js')
    return renderReportHtml(report, {source, version: this.config.version})
  }

  private async save(path: string, document: string): Promise<void> {
    const {writeFileSafely} = await import('../config/write.js')
    try {
      await writeFileSafely(path, document)
    } catch (error) {
      throw new SsokitError(`Cannot write the report to ${path}: ${messageOf(error)}`, 'FILE_UNWRITABLE', {
        cause: error,
      })
    }
  }
}
