import {partitionOf} from '../aws/regions.js'

/**
 * The access-portal (start) URL of an instance. No AWS API returns it: this is the documented default form for
 * the instance's partition (aws-config-spec.md §8.3). An organization that set a custom alias
 * (`https://<alias>.awsapps.com/start`) has a different URL that cannot be discovered, hence `--start-url`.
 */
export function defaultStartUrl(identityStoreId: string, region: string): string {
  switch (partitionOf(region)) {
    case 'aws-cn': {
      return `https://start.home.awsapps.cn/directory/${identityStoreId}`
    }

    case 'aws-us-gov': {
      return `https://start.us-gov-home.awsapps.com/directory/${identityStoreId}`
    }

    default: {
      return `https://${identityStoreId}.awsapps.com/start`
    }
  }
}

/** Checks a `--start-url` value: https, a host, no fragment (a `#...` changes the CLI's token cache key). */
export function validateStartUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`"${value}" is not a URL; expected e.g. https://my-alias.awsapps.com/start`)
  }

  if (url.protocol !== 'https:') throw new Error(`the start URL must use https: ${value}`)
  if (url.hash) throw new Error(`the start URL must not have a #fragment: ${value}`)
  return value
}
