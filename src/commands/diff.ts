import {Args, Flags} from '@oclif/core'

import type {SnapshotDiff} from '../report/diff.js'

import {BaseCommand} from '../base-command.js'
import {ExitCode} from '../exit-codes.js'

export default class Diff extends BaseCommand {
  static override args = {
    old: Args.string({description: 'The earlier snapshot (ssokit discover --all --out FILE).', required: true}),
    new: Args.string({description: 'The later snapshot.', required: true}),
  }
  static override description = `What changed between two discover snapshots: accounts added, removed or changed (name, status, OU); permission sets added, removed or changed (description, session duration, and policies when both snapshots have them); and either the raw assignments and group memberships (the default) or, with --effective, who reaches what once groups are expanded, so that a membership change shows as the access it grants or takes away.

Things are matched by id and shown by name. A part that only one snapshot has (say the identity store was denied on the second run) is not compared, and is listed as such: an absent part is not an empty one.

Exit 0 when nothing changed, 1 when anything did (so a nightly job can alert), 3 when a file is not a snapshot.`
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> last-week.json today.json',
      description: 'Assignments, memberships, permission sets and accounts that changed',
    },
    {
      command: '<%= config.bin %> <%= command.id %> last-week.json today.json --effective',
      description: 'Who gained or lost access, groups expanded',
    },
    {
      command: '<%= config.bin %> <%= command.id %> last-week.json today.json --json',
      description: 'The same for scripts',
    },
  ]
  static override flags = {
    effective: Flags.boolean({
      description: 'Compare who reaches what (users after group expansion) instead of raw assignments and memberships.',
    }),
  }
  static override summary = 'What changed between two discover snapshots; exit 1 when anything did'

  async run(): Promise<SnapshotDiff> {
    const {args, flags} = await this.parse(Diff)
    const [{readSnapshot}, {diffSnapshots}, {renderSnapshotDiff}] = await Promise.all([
      import('../discovery/snapshot.js'),
      import('../report/diff.js'),
      import('../render/snapshot-diff.js'),
    ])
    const [older, newer] = await Promise.all([readSnapshot(args.old), readSnapshot(args.new)])
    const diff = diffSnapshots({file: args.old, snapshot: older}, {file: args.new, snapshot: newer}, flags)
    this.output(renderSnapshotDiff(diff))
    process.exitCode = diff.changed ? ExitCode.FINDINGS : ExitCode.OK
    return diff
  }
}
