import {WriteRefusedError} from '../errors.js'
/**
 * Adds an `[sso-session NAME]` to the config, as `ssokit login --sso-session NAME --start-url URL --sso-region R`
 * does for a new user (the AWS CLI has no non-interactive way to do it: aws/aws-cli#7835). Through the one write
 * cycle: locked, atomic, with a backup; never into a file the AWS CLI cannot read.
 */
import {refuseUnlessAwsCliReads} from './aws-readable.js'
import {parseDocument, printDocument} from './ini/document.js'
import {addSection} from './ini/edit.js'
import {sectionsOf, settingValue} from './model.js'
import {samePortal, writableValue} from './values.js'
import {readRegularFile, withFileLock, writeFileSafely} from './write.js'

export interface NewSsoSession {
  name: string
  region: string
  startUrl: string
}

/** `created` is false when the same session was there already; a different one is a refusal (exit 7). */
export async function ensureSsoSession(
  configFile: string,
  session: NewSsoSession,
  options: {force?: boolean} = {},
): Promise<{backupPath?: string; created: boolean}> {
  const name = writableValue('sso-session name', session.name, '--sso-session')
  const startUrl = writableValue('start URL', session.startUrl, '--start-url')
  const region = writableValue('region', session.region, '--sso-region')
  return withFileLock(configFile, async () => {
    const before = (await readRegularFile(configFile, 'config file')) ?? Buffer.alloc(0)
    const document = parseDocument(before, 'config')
    const existing = sectionsOf(document).findLast((s) => s.kind === 'sso-session' && s.name === name)
    if (existing) {
      const have = {region: settingValue(existing, 'sso_region'), startUrl: settingValue(existing, 'sso_start_url')}
      if (have.startUrl && samePortal(have.startUrl, startUrl) && have.region === region) return {created: false}
      throw new WriteRefusedError(
        `[sso-session ${name}] already exists in ${configFile} (line ${existing.line}) with sso_start_url = ${have.startUrl ?? '(none)'} and sso_region = ${have.region ?? '(none)'}; ssokit does not change it.`,
        'SSO_SESSION_CONFLICT',
        {suggestions: [`Use another --sso-session name, or edit [sso-session ${name}] yourself.`]},
      )
    }

    if (!options.force) refuseUnlessAwsCliReads(document)
    const after = addSection(document, `sso-session ${name}`, [
      ['sso_start_url', startUrl],
      ['sso_region', region],
      ['sso_registration_scopes', 'sso:account:access'],
    ])
    const written = await writeFileSafely(configFile, printDocument(after), {
      backupPath: `${configFile}.ssokit.bak`,
      force: options.force,
      newFileMode: 0o600,
    })
    return {backupPath: written.backupPath, created: true}
  })
}
