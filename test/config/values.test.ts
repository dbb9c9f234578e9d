import {describe, expect, it} from 'vitest'

import {profileSetting, samePortal, startUrlProblem, valueProblem, writableValue} from '../../src/config/values.js'
import {botocoreFullConfig, botocoreReadFile, jsSharedConfig} from '../support/readings.js'

/** Values an attacker (a hostile snapshot, a compromised answer, a pasted flag) would try to smuggle into a line. */
const INJECTIONS = [
  'Admin\n[profile evil]\ncredential_process = /tmp/x',
  'Admin\r[profile evil]',
  'Admin\r\ncredential_process = sh -c id',
  'Admin\u0085credential_process = x',
  'Admin\u2028x = y',
  'Admin\u0000',
  'Admin\u001B]0;pwned\u0007',
]

describe('valueProblem', () => {
  it('refuses every control character, in every kind of value', () => {
    for (const kind of ['account id', 'region', 'role name', 'setting value', 'start URL', 'profile name'] as const) {
      for (const value of INJECTIONS)
        expect(valueProblem(kind, value), `${kind} ${JSON.stringify(value)}`).toMatch(/control character/)
    }
  })

  it('knows account ids, regions, role names and names both SDKs read', () => {
    expect(valueProblem('account id', '012345678901')).toBeUndefined()
    expect(valueProblem('account id', '12345678901')).toMatch(/12 digits/)
    for (const region of ['us-east-1', 'us-gov-west-1', 'cn-north-1', 'eusc-de-east-1', 'us-isob-east-1']) {
      expect(valueProblem('region', region), region).toBeUndefined()
    }

    expect(valueProblem('region', 'us-east-1 # mine')).toBeDefined()
    expect(valueProblem('role name', 'AWSAdministratorAccess')).toBeUndefined()
    expect(valueProblem('role name', 'Billing+Read=Only,x.y@z-1_2')).toBeUndefined()
    expect(valueProblem('role name', 'Has space')).toBeDefined()
    expect(valueProblem('role name', 'x'.repeat(65))).toBeDefined()
    expect(valueProblem('profile name', 'prod.Admin@team+1%/a:b')).toBeUndefined()
    expect(valueProblem('profile name', 'two words')).toBeDefined()
    expect(valueProblem('profile name', '__proto__')).toMatch(/JS SDK/)
    expect(valueProblem('sso-session name', 'corp.prod-1')).toBeUndefined()
    expect(valueProblem('sso-session name', 'corp:prod')).toBeDefined()
  })

  it('accepts the access-portal URL forms and refuses what the AWS CLI refuses or caches under another key', () => {
    for (const url of [
      'https://d-1234567890.awsapps.com/start',
      'https://my-alias.awsapps.com/start/',
      'https://ssoins-1111111111111111.eu-west-1.portal.amazonaws.com',
      'https://ssoins-abc123.portal.us-west-2.app.aws',
      'https://start.home.awsapps.cn/directory/d-1234567890',
      'https://start.us-gov-home.awsapps.com/directory/d-1234567890',
    ]) {
      expect(startUrlProblem(url), url).toBeUndefined()
    }

    expect(startUrlProblem('http://d-1234567890.awsapps.com/start')).toMatch(/https/)
    expect(startUrlProblem('https://d-1234567890.awsapps.com/start#/')).toMatch(/#/)
    expect(startUrlProblem('d-1234567890.awsapps.com/start')).toMatch(/not a URL/)
    expect(startUrlProblem('https://sso.example.com/start')).toMatch(/not an AWS access-portal host/)
    expect(startUrlProblem('https://d-1234567890.awsapps.com/login')).toMatch(/should end in \/start/)
    expect(startUrlProblem('https://user:pw@d-1234567890.awsapps.com/start')).toMatch(/user name or password/)
  })

  it('sees …/start and …/start/ as one portal', () => {
    expect(samePortal('https://a.awsapps.com/start', 'https://a.awsapps.com/start/')).toBe(true)
    expect(samePortal('https://a.awsapps.com/start', 'https://b.awsapps.com/start')).toBe(false)
  })
})

describe('writableValue', () => {
  it('returns a good value and throws exit 3 naming where a bad one came from', () => {
    expect(writableValue('region', 'eu-west-1', '--region')).toBe('eu-west-1')
    expect(() => writableValue('role name', INJECTIONS[0], 'org.json $.permissionSets[2].name')).toThrow(
      expect.objectContaining({
        code: 'INVALID_VALUE',
        exit: 3,
        message: expect.stringMatching(
          /^org\.json \$\.permissionSets\[2\]\.name: "Admin\\n\[profile evil\].*Nothing was written\.$/,
        ),
      }),
    )
  })
})

describe('profileSetting', () => {
  it('takes a known lower-case key and a value both readers read the same', () => {
    expect(profileSetting('output=json')).toEqual(['output', 'json'])
    expect(profileSetting(' cli_pager = less -R ')).toEqual(['cli_pager', 'less -R'])
  })

  it('refuses the keys generate writes itself, other credential sources, unknown keys and unsafe values', () => {
    for (const text of [
      'region=eu-west-1',
      'sso_session=x',
      'sso_role_name=x',
      'credential_process=/bin/sh',
      'role_arn=x',
    ]) {
      expect(() => profileSetting(text), text).toThrow(expect.objectContaining({code: 'INVALID_VALUE', exit: 3}))
    }

    expect(() => profileSetting('outptu=json')).toThrow(/Did you mean `output`/)
    expect(() => profileSetting('Output=json')).toThrow(/lower-case/)
    expect(() => profileSetting('output=json # mine')).toThrow(/inline comment/)
    expect(() => profileSetting('output=')).toThrow(/empty/)
    expect(() => profileSetting('output')).toThrow(/KEY=VALUE/)
    expect(() => profileSetting('output=json\n[profile evil]')).toThrow(/control character/)
  })

  it('every value it accepts reads the same in botocore and the JS SDK, as one setting', () => {
    for (const text of [
      'output=json',
      'cli_pager=less -R',
      'ca_bundle=/etc/ssl/a#b.pem',
      'endpoint_url=https://x.test/a;b',
    ]) {
      const [key, value] = profileSetting(text)
      const file = `[profile p]\n${key} = ${value}\n`
      expect(botocoreFullConfig(botocoreReadFile(file), undefined).config!.profiles.p, text).toEqual({[key]: value})
      expect(jsSharedConfig(file, undefined).configFile.p, text).toEqual({[key]: value})
    }
  })
})
