import {describe, expect, it} from 'vitest'

import {defaultStartUrl} from '../../src/discovery/start-url.js'

describe('defaultStartUrl', () => {
  it('uses the documented default form of each partition', () => {
    expect(defaultStartUrl('d-1234567890', 'eu-west-1')).toBe('https://d-1234567890.awsapps.com/start')
    expect(defaultStartUrl('d-1234567890', 'cn-north-1')).toBe('https://start.home.awsapps.cn/directory/d-1234567890')
    expect(defaultStartUrl('d-1234567890', 'us-gov-west-1')).toBe(
      'https://start.us-gov-home.awsapps.com/directory/d-1234567890',
    )
  })
})
