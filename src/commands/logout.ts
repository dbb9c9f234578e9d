import {Flags} from '@oclif/core'

import type {LogoutEntry} from '../sso/logout.js'

import {BaseCommand} from '../base-command.js'
import {cliCredentialCacheDir, ssoCacheDir} from '../config/paths.js'
import {configFileFlags, configPathsFrom} from '../flags.js'
import {allTargets, loadTargetConfig, selectTarget} from '../sso/target.js'

export interface LogoutResult {
  sessions: LogoutEntry[]
}

export default class Logout extends BaseCommand {
  static override description = `Revokes the cached token with the access portal's Logout, then removes the token cache file, the AWS CLI's cached role credentials of the session's profiles, and ssokit's own cached role credentials of the session.
Client registrations are kept (as aws sso logout keeps them), so the next login reuses them.
Without --sso-session, --profile or --all, the config's only sso-session (or legacy start URL) is meant; with several, choose one.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --sso-session corp',
    '<%= config.bin %> <%= command.id %> --all --json',
  ]
  static override flags = {
    ...configFileFlags,
    all: Flags.boolean({
      description: 'Every sso-session and legacy start URL in the config',
      exclusive: ['sso-session', 'profile'],
    }),
    profile: Flags.string({
      description: 'The sso-session of this profile (or its start URL for a legacy profile)',
      exclusive: ['all', 'sso-session'],
    }),
    'sso-session': Flags.string({
      description: 'The sso-session to sign out of',
      exclusive: ['all', 'profile'],
    }),
  }
  static override summary = 'Sign out: revoke and remove cached SSO tokens'

  async run(): Promise<LogoutResult> {
    const {flags} = await this.parse(Logout)
    const config = await loadTargetConfig(configPathsFrom(flags))
    const targets = flags.all
      ? allTargets(config)
      : [selectTarget(config, {profile: flags.profile, ssoSession: flags['sso-session']})]
    const [{logout}, {createPortalApi}] = await Promise.all([import('../sso/logout.js'), import('../sso/clients.js')])
    const sessions = await logout({
      cacheDir: ssoCacheDir(),
      cliCacheDir: cliCredentialCacheDir(),
      portal: createPortalApi,
      targets,
    })
    if (!this.jsonEnabled()) {
      if (sessions.length === 0) this.output('No sso-session and no legacy SSO profile in the config.\n')
      for (const entry of sessions) {
        const what = entry.kind === 'sso-session' ? `sso-session ${entry.name}` : entry.name
        const head = entry.revoked
          ? `Logged out of ${what}: the portal revoked the token.`
          : `${what}: ${entry.note ?? 'nothing to revoke'}.`
        this.output(head + '\n')
        if (entry.revoked && entry.note) this.output(`  (${entry.note})\n`)
        for (const path of entry.removed) this.output(`  removed ${path}\n`)
      }
    }

    return {sessions}
  }
}
