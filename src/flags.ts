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
