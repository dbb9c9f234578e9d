import type {GenerateOutput} from '../generate/run.js'

/** The human summary of a generate run (stderr, so that --dry-run's diff alone is on stdout). */
export function formatGenerateReport(out: GenerateOutput): string {
  const lines: string[] = []
  lines.push(
    `Source: ${out.source}.`,
    `Profile region: ${out.region.value} (${out.region.source === 'region-flag' ? '--profile-region' : 'the sso region; set another with --profile-region'}).`,
  )
  if (!out.sessionInBlock) lines.push(`Reusing [sso-session ${out.ssoSession}] from the config.`)
  for (const [label, names] of [
    ['Added', out.added],
    ['Updated', out.updated],
    ['Removed', out.removed],
  ] as const)
    if (names.length > 0) lines.push(`${label} ${names.length}: ${list(names)}`)
  if (out.unchanged.length > 0) lines.push(`Unchanged: ${out.unchanged.length}`)
  // A source of thousands of names with spaces renames every one: a few examples, the count, --json for all.
  for (const r of out.renamed.slice(0, LISTED)) lines.push(`Renamed: "${r.from}" -> ${r.name} (${r.reason})`)
  if (out.renamed.length > LISTED) lines.push(`Renamed ${out.renamed.length - LISTED} more (--json lists every one).`)
  for (const s of out.skipped) lines.push(`Skipped ${s.name}: ${s.reason}`)
  if (out.stale.length > 0)
    lines.push(`Stale (no longer in the source; kept, remove them with --prune): ${list(out.stale)}`)
  lines.push(
    out.written
      ? `Wrote ${out.file}${out.backup ? ` (previous version in ${out.backup})` : ''}.`
      : out.dryRun
        ? 'Dry run: nothing written.'
        : 'Nothing written.',
  )
  return lines.join('\n') + '\n'
}

/** How many names a list shows before it says how many more there are. */
const LISTED = 6

function list(names: string[]): string {
  return names.length > LISTED
    ? `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more`
    : names.join(', ')
}
