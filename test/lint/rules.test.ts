import {describe, expect, it} from 'vitest'

import {RULES} from '../../src/lint/types.js'
import {brief, CONFIG, CREDENTIALS, lintText} from './helpers.js'

const SESSION =
  '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n'
const SSO_PROFILE =
  '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n'

interface RuleCase {
  config?: string
  credentials?: string
  /** [file, line] of the expected finding. */
  expect: Array<['config' | 'credentials', number]>
  fixable?: boolean
  /** Text the message must contain. */
  says?: RegExp
}

/** At least one case per rule, on each file where the rule applies. */
const CASES: Record<keyof typeof RULES, RuleCase[]> = {
  bom: [
    {config: '\uFEFF[default]\nregion = us-east-1\n', expect: [['config', 1]], fixable: true, says: /byte-order mark/},
    {
      credentials: '\uFEFF[default]\naws_access_key_id = ASIAX\naws_session_token = t\n',
      expect: [['credentials', 1]],
      fixable: true,
    },
  ],
  'colon-delimiter': [
    {config: '[default]\nregion: us-east-1\n', expect: [['config', 2]], fixable: true, says: /JS SDK ignores/},
    {
      credentials: '[default]\naws_session_token: x\naws_access_key_id = ASIAX\n',
      expect: [['credentials', 2]],
      fixable: true,
    },
  ],
  'conflicting-credential-sources': [
    {
      config: `${SESSION}${SSO_PROFILE}aws_access_key_id = AKIAX\naws_secret_access_key = s\n`,
      expect: [['config', 5]],
      says: /AWS CLI uses SSO, the JS SDK the static keys/,
    },
    {
      config: `${SESSION}${SSO_PROFILE}`,
      credentials: '[dev]\naws_access_key_id = ASIAX\naws_secret_access_key = s\naws_session_token = t\n',
      expect: [['config', 5]],
    },
  ],
  'continuation-line': [
    {config: '[default]\nregion = us-east-1\n  output = json\n', expect: [['config', 3]], says: /appends it/},
    {
      credentials: '[default]\naws_session_token = t\n  [other]\naws_access_key_id = ASIAX\n',
      expect: [['credentials', 3]],
      says: /new section/,
    },
  ],
  'default-profile-conflict': [
    {
      config: '[profile default]\nregion = us-west-2\n[default]\nregion = us-east-1\n',
      expect: [['config', 3]],
      says: /\[default\] here/,
    },
  ],
  'default-section': [
    {
      config: '[DEFAULT]\nregion = us-west-2\n[default]\noutput = json\n',
      expect: [['config', 1]],
      says: /injected into every profile/,
    },
    {credentials: '[DEFAULT]\naws_session_token = t\n', expect: [['credentials', 1]], says: /profile named DEFAULT/},
  ],
  'duplicate-key': [
    {config: '[default]\nregion = us-east-1\nRegion = us-west-2\n', expect: [['config', 3]], says: /lower-cases keys/},
    {credentials: '[default]\naws_session_token = a\naws_session_token = b\n', expect: [['credentials', 3]]},
  ],
  'duplicate-section': [
    {
      config: '[profile a]\nregion = us-east-1\n[profile a]\noutput = json\n',
      expect: [['config', 3]],
      says: /DuplicateSectionError/,
    },
    {
      config: '[profile a]\nregion = us-east-1\n[profile  a]\noutput = json\n',
      expect: [['config', 3]],
      says: /keeps only the later/,
    },
    {credentials: '[a]\naws_session_token = t\n[a]\naws_session_token = u\n', expect: [['credentials', 3]]},
  ],
  'empty-value': [
    {config: '[default]\nregion =\noutput = json\n', expect: [['config', 2]], says: /does not store the key/},
    {credentials: '[default]\naws_session_token =\n', expect: [['credentials', 2]]},
  ],
  'incomplete-sso-profile': [
    {
      config: `${SESSION}[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n`,
      expect: [['config', 5]],
      says: /lacks sso_role_name/,
    },
    {
      config:
        '[profile dev]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_account_id = 111122223333\nsso_role_name = R\n',
      expect: [['config', 1]],
      says: /lacks sso_region/,
    },
    {
      config:
        '[sso-session corp]\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n[profile dev]\nsso_session = corp\n',
      expect: [['config', 1]],
      says: /lacks sso_start_url/,
    },
    {config: SESSION, credentials: '[dev]\nsso_account_id = 111122223333\n', expect: [['credentials', 1]]},
  ],
  'inline-comment': [
    {
      config: '[default]\nregion = us-east-1 # my region\n',
      expect: [['config', 2]],
      says: /"us-east-1 # my region".*"us-east-1"/,
    },
    {
      config: '[profile a] # see [docs]\nregion = us-east-1\n',
      expect: [['config', 1]],
      says: /reads the header as \[profile a\] # see \[docs\]/,
    },
    {credentials: '[default]\naws_session_token = t ; comment\n', expect: [['credentials', 2]]},
    {
      config: '[profile a]\nregion = us-east-1\n[profile foo];\noutput = json\n',
      expect: [['config', 3]],
      says: /hides this header from the JS SDK .* files the keys that follow under the section before, profile "a"/,
    },
    {credentials: '[a] extra\naws_session_token = t\n', expect: [['credentials', 1]], says: /Delete the text after/},
  ],
  'insecure-permissions': [], // needs real files: test/lint/permissions.test.ts
  'invalid-account-id': [
    {
      config: `${SESSION}${SSO_PROFILE.replace('111122223333', '11122223333')}`,
      expect: [['config', 7]],
      says: /leading zeros/,
    },
    {credentials: '[dev]\naws_account_id = 12345\n', expect: [['credentials', 2]]},
  ],
  'invalid-profile-name': [
    {config: '[profile my profile]\nregion = us-east-1\n', expect: [['config', 1]], says: /names no profile/},
    {
      config: '[profile  two]\nregion = us-east-1\n',
      expect: [['config', 1]],
      says: /AWS CLI reads profile "two" here, but the JS SDK ignores the whole section/,
    },
    {config: '[profile "q x"]\nregion = us-east-1\n', expect: [['config', 1]]},
    {config: '[profiles x]\nregion = us-east-1\n', expect: [['config', 1]]},
    {config: '[profile café]\nregion = us-east-1\n', expect: [['config', 1]]},
    {config: '[profile __proto__]\nregion = us-east-1\n', expect: [['config', 1]], says: /whole config file as empty/},
    {
      credentials: '[my profile]\naws_session_token = t\n',
      expect: [['credentials', 1]],
      says: /JS SDK ignores the whole section/,
    },
  ],
  'invalid-region': [
    {config: '[default]\nregion = us-east\n', expect: [['config', 2]]},
    {credentials: '[default]\nregion = US East\n', expect: [['credentials', 2]]},
  ],
  'invalid-start-url': [
    {
      config:
        '[sso-session corp]\nsso_start_url = http://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
      expect: [['config', 2]],
      says: /not https/,
    },
    {
      config:
        '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start/#/\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
      expect: [['config', 2]],
      says: /ends in "#…"/,
    },
    {
      config:
        '[sso-session corp]\nsso_start_url = https://example.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
      expect: [['config', 2]],
      says: /not an AWS access-portal host/,
    },
    {
      config:
        '[sso-session corp]\nsso_start_url = https://mycorp.awsapps.com/\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n',
      expect: [['config', 2]],
      says: /should end in \/start/,
    },
    {
      credentials:
        '[dev]\nsso_start_url = https://d-1.awsapps.com/start#x\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\n',
      expect: [['credentials', 2]],
    },
  ],
  'invalid-value': [
    {config: '[default]\noutput = jsn\n', expect: [['config', 2]], says: /json, text/},
    {config: '[default]\nduration_seconds = 60\n', expect: [['config', 2]], says: /900 to 43200/},
    {config: '[default]\nuse_fips_endpoint = yes\n', expect: [['config', 2]]},
    {config: '[default]\ns3 =\n  addressing_style = sideways\n', expect: [['config', 3]]},
    {config: '[default]\nemr =\n  enable_debugging = maybe\n', expect: [['config', 3]]},
    {credentials: '[default]\nretry_mode = fast\n', expect: [['credentials', 2]]},
  ],
  'legacy-sso-profile': [
    {
      config:
        '[profile dev]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\n',
      expect: [['config', 2]],
      fixable: true,
      says: /never refreshed/,
    },
    {
      credentials:
        '[dev]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\n',
      expect: [['credentials', 2]],
      fixable: false,
    },
  ],
  'missing-profile-prefix': [
    {config: '[dev]\nregion = us-east-1\n', expect: [['config', 1]], says: /Write \[profile dev\]/},
    {config: '[Profile Dev]\nregion = us-east-1\n', expect: [['config', 1]], says: /case-sensitive/},
    {config: '[sso-sesion foo]\nsso_region = us-east-1\n', expect: [['config', 1]], says: /Write \[sso-session foo\]/},
    {
      config: '[other "section"]\nregion = us-east-1\n',
      expect: [['config', 1]],
      says: /Write \[profile other-section\]/,
    },
  ],
  'missing-registration-scopes': [
    {
      config:
        '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n[profile d]\nsso_session = corp\n',
      expect: [['config', 1]],
    },
  ],
  'missing-services-section': [
    {config: '[default]\nservices = local\n', expect: [['config', 2]]},
    {credentials: '[default]\nservices = local\n', expect: [['credentials', 2]]},
  ],
  'missing-source-profile': [
    {
      config: '[profile a]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = nope\n',
      expect: [['config', 3]],
    },
    {
      credentials: '[a]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = nope\n',
      expect: [['credentials', 3]],
    },
  ],
  'missing-sso-session': [
    {
      config: `${SESSION}${SSO_PROFILE.replace('sso_session = corp', 'sso_session = crop')}`,
      expect: [['config', 6]],
      says: /Did you mean "corp"/,
    },
    {config: SESSION, credentials: '[dev]\nsso_session = nope\n', expect: [['credentials', 2]]},
  ],
  'nonexistent-command': [
    {
      config: '[profile cp]\ncredential_process = aws sso get-credentials --profile dev\n',
      expect: [['config', 2]],
      fixable: true,
      says: /export-credentials --profile dev/,
    },
    {config: '[profile cp]\ncredential_process = aws sso get-credentials\n', expect: [['config', 2]], fixable: false},
    {
      config: '[profile cp]\ncredential_process = /no/such/helper --x\n',
      expect: [['config', 2]],
      fixable: false,
      says: /not an executable file/,
    },
    {
      credentials: '[cp]\ncredential_process = no-such-ssokit-helper-xyz\n',
      expect: [['credentials', 2]],
      says: /not on the PATH/,
    },
  ],
  'parse-error': [
    {config: 'region = us-east-1\n[default]\n', expect: [['config', 1]], says: /before any \[section\]/},
    {config: '[default]\nthis_is_a_bare_line\n', expect: [['config', 2]]},
    {config: '[default]\ns3 =\n  max_concurrent_requests\n', expect: [['config', 3]], says: /without `=`/},
    {config: '[default]\n= value\n', expect: [['config', 2]], says: /no key/},
    {credentials: 'garbage\n[default]\n', expect: [['credentials', 1]]},
  ],
  'profile-prefix-in-credentials': [
    {credentials: '[profile dev]\naws_session_token = t\n', expect: [['credentials', 1]], says: /write \[dev\]/},
    {
      credentials: '[sso-session corp]\nsso_region = us-east-1\n',
      expect: [['credentials', 1]],
      says: /Move it to the config file as \[sso-session corp\]/,
    },
  ],
  'source-profile-cycle': [
    {
      config:
        '[profile a]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = a\n',
      expect: [['config', 3]],
      says: /a → b → a/,
    },
    {
      credentials: '[a]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = a\n',
      expect: [['credentials', 3]],
    },
  ],
  'sso-session-conflict': [
    {
      config: `${SESSION}${SSO_PROFILE}sso_region = eu-west-1\n`,
      expect: [['config', 10]],
      says: /inconsistent between profile \(eu-west-1\) and sso-session \(us-east-1\)/,
    },
    {
      config: `${SESSION}${SSO_PROFILE}`,
      credentials: '[dev]\nsso_start_url = https://d-1234567890.awsapps.com/start/\n',
      expect: [['credentials', 2]],
    },
  ],
  'static-credentials': [
    {
      config: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n',
      expect: [['config', 2]],
      says: /config file/,
    },
    {
      credentials: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n',
      expect: [['credentials', 2]],
      says: /Long-lived/,
    },
  ],
  'unknown-key': [
    {config: `${SESSION}${SSO_PROFILE}sso_auto_refresh = true\n`, expect: [['config', 10]], says: /does not exist/},
    {config: `${SESSION}${SSO_PROFILE}sso_refresh_window = 43200\n`, expect: [['config', 10]], says: /fixed/},
    {config: '[default]\nregoin = us-east-1\n', expect: [['config', 2]], says: /Did you mean `region`/},
    {
      config:
        '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\nregion = eu-west-1\n[profile p]\nsso_session = corp\n',
      expect: [['config', 5]],
      says: /not an sso-session setting/,
    },
    {
      config: '[default]\ns3 =\n  max_concurent_requests = 10\n',
      expect: [['config', 3]],
      says: /max_concurrent_requests/,
    },
    {credentials: '[default]\naws_secret_key = x\n', expect: [['credentials', 2]]},
    {
      config: '[default]\nsts =\n  signature_version = v4\n  endpoint_url = http://localhost:4566\n',
      expect: [['config', 4]],
      says: /botocore reads only signature_version .* \[services NAME\]/,
    },
  ],
  'unused-sso-session': [{config: SESSION, expect: [['config', 1]]}],
  'uppercase-key': [
    {config: '[default]\nRegion = us-east-1\n', expect: [['config', 2]], fixable: true, says: /JS SDK keeps the case/},
    {credentials: '[default]\nAWS_SESSION_TOKEN = t\n', expect: [['credentials', 2]], fixable: true},
  ],
}

describe('every lint rule', () => {
  it('has test cases here (insecure-permissions has its own file)', () => {
    for (const rule of Object.keys(RULES)) {
      if (rule !== 'insecure-permissions') expect(CASES[rule as keyof typeof RULES].length, rule).toBeGreaterThan(0)
    }
  })

  for (const [rule, cases] of Object.entries(CASES)) {
    for (const [i, testCase] of cases.entries()) {
      it(`${rule} #${i + 1}`, async () => {
        const findings = (await lintText(testCase.config, testCase.credentials)).filter((f) => f.rule === rule)
        expect(brief(findings).map(([, file, line]) => [file, line])).toEqual(testCase.expect)
        for (const finding of findings) {
          expect(finding.severity).toBe(RULES[rule as keyof typeof RULES])
          expect(finding.file).toBe(testCase.expect[0][0] === 'config' ? CONFIG : CREDENTIALS)
          if (testCase.fixable !== undefined) expect(finding.fixable).toBe(testCase.fixable)
        }

        if (testCase.says) expect(findings[0].message).toMatch(testCase.says)
      })
    }
  }
})

describe('a clean config', () => {
  it('has no findings at all', async () => {
    const config = `# managed by hand\n[default]\nregion = us-east-1\noutput = json\n\n${SESSION}\n${SSO_PROFILE}s3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n  signature_version = s3v4\nemr =\n  service_role = EMR_DefaultRole\nsts =\n  signature_version = v4\n\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = dev\n\n[profile local]\nservices = local\n[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n`
    const credentials =
      '[temp]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\naws_session_token = t\n'
    expect(brief(await lintText(config, credentials))).toEqual([])
  })

  it('accepts a token-only profile (sso_session alone), used by aws sso login --profile', async () => {
    expect(brief(await lintText(`${SESSION}[profile login]\nsso_session = corp\n`))).toEqual([])
  })
})
