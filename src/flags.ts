import {Flags} from '@oclif/core'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** `~/.aws/config` as botocore finds it: AWS_CONFIG_FILE (with `~` expanded), else the home folder's. */
export function defaultConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return expandHome(env.AWS_CONFIG_FILE || join(homeDir(env), '.aws', 'config'), env)
}

export function defaultCredentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(homeDir(env), '.aws', 'credentials'), env)
}

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || homedir()
}

export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return path === '~' || path.startsWith('~/') ? join(homeDir(env), path.slice(1)) : path
}

/** Flags of every command that reads or writes the AWS config files (design.md §1). */
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

export function configPathsFrom(flags: {'config-file'?: string; 'credentials-file'?: string}): {
  configFile: string
  credentialsFile: string
} {
  return {
    configFile: flags['config-file'] ? expandHome(flags['config-file']) : defaultConfigFile(),
    credentialsFile: flags['credentials-file'] ? expandHome(flags['credentials-file']) : defaultCredentialsFile(),
  }
}
