import {describe, expect, it} from 'vitest'

import {parseDocument} from '../../src/config/ini/document.js'
import {buildModel} from '../../src/config/model.js'
import {ssoConfigOf} from '../../src/config/sso-config.js'

const read = (text: string, credentials?: string) =>
  ssoConfigOf(
    buildModel(
      parseDocument(Buffer.from(text), 'config'),
      credentials === undefined ? undefined : parseDocument(Buffer.from(credentials), 'credentials'),
    ),
  )

describe('the SSO view of the config', () => {
  it('gives sessions with their scopes (absent and empty differ, as in botocore) and SSO profiles of both kinds', () => {
    const config = read(
      '[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access, codewhisperer:completions\n' +
        '[sso-session bare]\nsso_start_url = https://d-2.awsapps.com/start\nsso_region = us-east-1\n' +
        '[sso-session empty]\nsso_registration_scopes =\n' +
        '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-west-2\n' +
        '[profile old]\nsso_start_url = https://d-3.awsapps.com/start\nsso_region = us-east-2\nsso_account_id = 444455556666\nsso_role_name = Admin\n' +
        '[profile plain]\nregion = us-east-1\n',
      '[dev]\nsso_role_name = Admin\n',
    )
    expect(config.sessions).toEqual([
      {
        name: 'corp',
        region: 'eu-west-1',
        registrationScopes: ['sso:account:access', 'codewhisperer:completions'],
        startUrl: 'https://d-1.awsapps.com/start',
      },
      {name: 'bare', region: 'us-east-1', registrationScopes: undefined, startUrl: 'https://d-2.awsapps.com/start'},
      {name: 'empty', region: undefined, registrationScopes: [], startUrl: undefined},
    ])
    expect(config.profiles).toEqual([
      // The credentials file's key wins over the config file's, as in both SDKs.
      {
        accountId: '111122223333',
        kind: 'sso-session',
        profile: 'dev',
        region: 'eu-west-1',
        roleName: 'Admin',
        ssoSession: 'corp',
        startUrl: 'https://d-1.awsapps.com/start',
      },
      {
        accountId: '444455556666',
        kind: 'legacy',
        profile: 'old',
        region: 'us-east-2',
        roleName: 'Admin',
        ssoSession: undefined,
        startUrl: 'https://d-3.awsapps.com/start',
      },
    ])
  })
})
