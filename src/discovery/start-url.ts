import {partitionOf} from '../aws/regions.js'

/**
 * The access-portal (start) URL of an instance. No AWS API returns it: this is the documented default form for
 * the instance's partition (IAM Identity Center User Guide, "Signing in to the AWS access portal"; the China and GovCloud pages for theirs). An organization that set a custom alias
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
