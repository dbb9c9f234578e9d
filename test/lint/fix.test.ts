import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {parseDocument, printDocument} from '../../src/config/ini/document.js'
import {applyFixes} from '../../src/lint/fix.js'
import {contextOf} from '../../src/lint/run.js'
import {configFileArbitrary} from '../config/arbitraries.js'
import {botocoreFullConfig, botocoreReadFile} from '../support/readings.js'
import {CONFIG, CREDENTIALS, lintText} from './helpers.js'

function contextFor(config: string, credentials?: string) {
  const file = (text: string | undefined, kind: 'config' | 'credentials', path: string) => ({
    document: text === undefined ? undefined : parseDocument(Buffer.from(text), kind),
    kind,
    path,
  })
  return contextOf(file(config, 'config', CONFIG), file(credentials, 'credentials', CREDENTIALS))
}

async function fixed(config: string): Promise<string> {
  const outcome = await applyFixes(contextFor(config))
  return printDocument(outcome.context.config.document!).toString('utf8')
}

describe('lint --fix', () => {
  it('composes fixes on one line: case and delimiter', async () => {
    expect(await fixed('[default]\r\nRegion: us-east-1\r\n# keep me\r\n')).toBe(
      '[default]\r\nregion = us-east-1\r\n# keep me\r\n',
    )
  })

  it('removes a BOM and nothing else', async () => {
    expect(await fixed('\uFEFF[default]\nregion = us-east-1')).toBe('[default]\nregion = us-east-1')
  })

  it('replaces `aws sso get-credentials` with export-credentials for the named profile', async () => {
    expect(await fixed('[profile agent]\n  credential_process = aws sso get-credentials --profile dev\n')).toBe(
      '[profile agent]\n  credential_process = aws configure export-credentials --profile dev --format process\n',
    )
  })

  it('moves legacy SSO profiles into one shared sso-session that botocore resolves', async () => {
    const legacy = (name: string, role: string) =>
      `[profile ${name}]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ${role}\n`
    const text = await fixed(`# my profiles\n${legacy('a', 'Admin')}\n${legacy('b', 'ReadOnly')}`)
    expect(text).toBe(
      '# my profiles\n[profile a]\nsso_session = mycorp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n[profile b]\nsso_session = mycorp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n[sso-session mycorp]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n',
    )
    const reading = botocoreFullConfig(botocoreReadFile(text), undefined)
    expect(reading.config?.sso_sessions.mycorp).toEqual({
      sso_region: 'eu-west-1',
      sso_registration_scopes: 'sso:account:access',
      sso_start_url: 'https://mycorp.awsapps.com/start',
    })
    expect((await lintText(text)).map((f) => f.rule)).toEqual([])
  })

  it('reuses an existing sso-session with the same URL and region, and picks a free name otherwise', async () => {
    const session =
      '[sso-session mycorp]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n'
    const text = await fixed(
      `${session}[profile p]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\n`,
    )
    expect(text).toContain('sso_session = mycorp-2\n')
    expect(text).toContain('[sso-session mycorp-2]\nsso_start_url = https://mycorp.awsapps.com/start\n')
  })

  it('treats …/start and …/start/ as one portal: one sso-session, one login, that botocore reads', async () => {
    const legacy = (name: string, url: string, region = 'eu-west-1') =>
      `[profile ${name}]\nsso_start_url = ${url}\nsso_region = ${region}\nsso_account_id = 111122223333\nsso_role_name = R\n`
    const text = await fixed(
      legacy('a', 'https://mycorp.awsapps.com/start') +
        legacy('b', 'https://mycorp.awsapps.com/start/') +
        legacy('c', 'https://mycorp.awsapps.com/start', 'us-east-1'),
    )
    expect(text.match(/^\[sso-session .*\]$/gm)).toEqual(['[sso-session mycorp]', '[sso-session mycorp-2]'])
    const reading = botocoreFullConfig(botocoreReadFile(text), undefined)
    expect(reading.error).toBeUndefined()
    expect(Object.values(reading.config!.profiles).map((p) => p.sso_session)).toEqual(['mycorp', 'mycorp', 'mycorp-2'])
    expect(reading.config!.sso_sessions).toEqual({
      mycorp: {
        sso_region: 'eu-west-1',
        sso_registration_scopes: 'sso:account:access',
        sso_start_url: 'https://mycorp.awsapps.com/start',
      },
      'mycorp-2': {
        sso_region: 'us-east-1',
        sso_registration_scopes: 'sso:account:access',
        sso_start_url: 'https://mycorp.awsapps.com/start',
      },
    })
    expect((await lintText(text)).map((f) => f.rule)).toEqual([])
  })

  it('reuses an existing sso-session whose start URL differs only in a trailing /', async () => {
    const text = await fixed(
      '[sso-session corp]\nsso_start_url = https://mycorp.awsapps.com/start/\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n' +
        '[profile p]\nsso_start_url = https://mycorp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = R\n',
    )
    expect(text).toContain('[profile p]\nsso_session = corp\nsso_account_id')
    expect(text.match(/\[sso-session/g)).toHaveLength(1)
  })

  it('never copies a start URL or region lint calls invalid into a new sso-session: the profile keeps its finding', async () => {
    for (const [url, region, what] of [
      ['http://mycorp.awsapps.com/start', 'eu-west-1', 'start URL'],
      ['https://mycorp.awsapps.com/start#/', 'eu-west-1', 'start URL'],
      ['https://mycorp.awsapps.com/start', 'Europe', 'region'],
    ]) {
      const config = `[profile p]\nsso_start_url = ${url}\nsso_region = ${region}\nsso_account_id = 111122223333\nsso_role_name = R\n`
      expect(await fixed(config)).toBe(config)
      const legacy = (await lintText(config)).find((f) => f.rule === 'legacy-sso-profile')!
      expect(legacy.fixable).toBe(false)
      expect(legacy.message).toContain(`once the ${what} is fixed`)
    }
  })

  it('never changes a line no fix touches, and a second run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(configFileArbitrary(), async (text) => {
        const context = contextFor(text)
        const once = await applyFixes(context)
        const before = context.config.document!
        const after = once.context.config.document!
        const edited = new Set(once.applied.flatMap((f) => (f.fix!.edits ?? []).map((e) => e.line)))
        const untouched = before.lines.filter((l) => !edited.has(l.number)).map((l) => l.text)
        // Untouched lines appear in the output in the same order (a subsequence), with their exact text.
        let i = 0
        for (const line of after.lines) if (i < untouched.length && line.text === untouched[i]) i++
        expect(i, text).toBe(untouched.length)
        const twice = await applyFixes(once.context)
        expect(twice.applied, text).toEqual([])
        expect(printDocument(twice.context.config.document!).equals(printDocument(after))).toBe(true)
      }),
      {numRuns: 400, seed: 11},
    )
  })
})
