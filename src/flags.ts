import {Flags} from '@oclif/core'

import {type ConfigPaths, configPaths} from './config/paths.js'

/** Flags of every command that reads or writes the AWS config files. */
export const configFileFlags = {
  'config-file': Flags.string({
    description: 'AWS config file [default: $AWS_CONFIG_FILE, else ~/.aws/config]',
    helpGroup: 'FILES',
  }),
  'credentials-file': Flags.string({
    description: 'AWS credentials file [default: $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials]',
    helpGroup: 'FILES',
  }),
}

export function configPathsFrom(flags: {'config-file'?: string; 'credentials-file'?: string}): ConfigPaths {
  return configPaths({configFile: flags['config-file'], credentialsFile: flags['credentials-file']})
}

/**
 * `--max-rps` of every command that calls the admin APIs (discover, generate --from-org, report, doctor access):
 * the cap of each request budget (src/aws/budgets.ts). Without it, each budget runs at its quota.
 */
export function maxRpsFlag(lead = '') {
  return Flags.integer({
    description: `${lead}Cap of each request budget, in requests per second. Each quota has its own budget and they run side by side; by default each runs at its quota: sso-admin 20/s for all its APIs together, the identity store 20/s per API, Organizations 10/s, IAM 10/s, STS 20/s. Lower it when other tools call Identity Center at the same time.`,
    min: 1,
  })
}

/**
 * The admin credentials, the Identity Center region and the request budgets' cap of the commands that call the
 * admin APIs (discover, report, doctor access; generate --from-org has its own spellings and takes `maxRpsFlag`). Named apart from login's `--profile` (the SSO profile to sign in to) and
 * generate's `--profile-region` (the region written into profiles); `--profile` and `--region` still work as
 * hidden spellings.
 */
export function adminFlags(prefix = '') {
  return {
    'admin-profile': Flags.string({
      aliases: ['profile'],
      description: `${prefix}AWS profile with management-account or delegated-admin credentials [default: $AWS_PROFILE, else the SDK chain].`,
      helpGroup: 'ADMIN CREDENTIALS',
    }),
    'max-rps': maxRpsFlag(prefix),
    'sso-region': Flags.string({
      aliases: ['region'],
      description: `${prefix}Region of the Identity Center instance; repeat for several [default: the configured region, then a scan of the commercial regions].`,
      helpGroup: 'ADMIN CREDENTIALS',
      multiple: true,
    }),
  }
}
