import {isRegionName} from './regions.js'

/**
 * The region the caller has configured, as the SDKs find it: AWS_REGION, then AWS_DEFAULT_REGION (the AWS
 * CLI's name), then `region` in the selected profile of the shared config file. Undefined when none is set,
 * or when the value is not a region name (an inline comment kept in the value, for instance).
 */
export async function configuredRegion(
  profile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION
  if (fromEnv) return isRegionName(fromEnv) ? fromEnv : undefined
  const {loadSharedConfigFiles} = await import('@smithy/shared-ini-file-loader')
  const {configFile, credentialsFile} = await loadSharedConfigFiles({ignoreCache: true})
  const name = profile || env.AWS_PROFILE || 'default'
  const region = configFile[name]?.region ?? credentialsFile[name]?.region
  return region && isRegionName(region) ? region : undefined
}
