/**
 * Regions and partitions: where Identity Center may live, and what follows from a region's partition.
 * No SDK import here: the command's flag parsing and the snapshot reader use it too.
 */
import {valueProblem} from '../config/values.js'

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov'

/**
 * Commercial regions where IAM Identity Center can be enabled: the scan's search space when no region is given.
 * Opt-in regions that an account has not enabled answer UnrecognizedClientException/InvalidClientTokenId; the
 * scan ignores those. China and GovCloud need their own credentials, so they are only searched when named.
 */
export const COMMERCIAL_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]

export function isRegionName(value: string): boolean {
  return valueProblem('region', value) === undefined
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/** Where STS and Organizations calls go when nothing says otherwise: the partition's main region. */
export function defaultRegionOf(partition: Partition): string {
  switch (partition) {
    case 'aws-cn': {
      return 'cn-northwest-1'
    }

    case 'aws-us-gov': {
      return 'us-gov-west-1'
    }

    default: {
      return 'us-east-1'
    }
  }
}
