/**
 * Where the files ssokit reads and writes live, as the AWS CLI finds them. One module, so that the config
 * engine, the SSO library and the lint rules agree (and none of them needs the command layer for it).
 */
import {homedir} from 'node:os'
import {join} from 'node:path'

export interface ConfigPaths {
  configFile: string
  credentialsFile: string
}

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || homedir()
}

/** `~` and `~/…` expanded as botocore's `os.path.expanduser` does. */
export function expandHome(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return path === '~' || path.startsWith('~/') ? join(homeDir(env), path.slice(1)) : path
}

/** `~/.aws/config` as botocore finds it: AWS_CONFIG_FILE (with `~` expanded), else the home folder's. */
export function defaultConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  return expandHome(env.AWS_CONFIG_FILE || join(homeDir(env), '.aws', 'config'), env)
}

export function defaultCredentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(homeDir(env), '.aws', 'credentials'), env)
}

/** The two files, from `--config-file`/`--credentials-file` when given, else the defaults above. */
export function configPaths(
  given: {configFile?: string; credentialsFile?: string} = {},
  env: NodeJS.ProcessEnv = process.env,
): ConfigPaths {
  return {
    configFile: given.configFile ? expandHome(given.configFile, env) : defaultConfigFile(env),
    credentialsFile: given.credentialsFile ? expandHome(given.credentialsFile, env) : defaultCredentialsFile(env),
  }
}

/** The AWS CLI's SSO token cache, `~/.aws/sso/cache` (botocore's `SSOTokenProvider._SSO_TOKEN_CACHE_DIR`). */
export function ssoCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(homeDir(env), '.aws', 'sso', 'cache')
}

/** The AWS CLI's role-credential cache (`~/.aws/cli/cache`), which `aws sso logout` also clears. */
export function cliCredentialCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(homeDir(env), '.aws', 'cli', 'cache')
}

/**
 * ssokit's own state, beside the AWS CLI's token cache (`~/.aws/sso/ssokit`): what ssokit learned about a
 * session, pending detached logins, cached role credentials. Never inside the AWS CLI's own files.
 */
export function ssokitStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(homeDir(env), '.aws', 'sso', 'ssokit')
}
