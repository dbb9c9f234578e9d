import {describe, expect, it} from 'vitest'

import {defaultStartUrl, validateStartUrl} from '../../src/discovery/start-url.js'

describe('defaultStartUrl', () => {
  it('uses the documented default form of each partition', () => {
    expect(defaultStartUrl('d-1234567890', 'eu-west-1')).toBe('https://d-1234567890.awsapps.com/start')
    expect(defaultStartUrl('d-1234567890', 'cn-north-1')).toBe('https://start.home.awsapps.cn/directory/d-1234567890')
    expect(defaultStartUrl('d-1234567890', 'us-gov-west-1')).toBe(
      'https://start.us-gov-home.awsapps.com/directory/d-1234567890',
    )
  })
})

describe('validateStartUrl', () => {
  it('accepts https portal URLs, custom aliases included', () => {
    expect(validateStartUrl('https://my-org.awsapps.com/start')).toBe('https://my-org.awsapps.com/start')
    expect(validateStartUrl('https://ssoins-1111111111111111.eu-west-1.portal.amazonaws.com')).toBe(
      'https://ssoins-1111111111111111.eu-west-1.portal.amazonaws.com',
    )
  })

  it('refuses what the AWS CLI would refuse or cache under another key', () => {
    expect(() => validateStartUrl('http://my-org.awsapps.com/start')).toThrow(/https/)
    expect(() => validateStartUrl('https://my-org.awsapps.com/start#/')).toThrow(/fragment/)
    expect(() => validateStartUrl('my-org.awsapps.com/start')).toThrow(/not a URL/)
  })
})
