/** Rules about keys and values: unknown settings, impossible values, account ids and regions. */
import type {ConfigSection, ConfigSetting} from '../../config/model.js'
import type {Check, Reporter} from '../types.js'

import {
  closest,
  ENUM_VALUES,
  INTEGER_RANGES,
  NESTED_ENUM_VALUES,
  NESTED_KEYS,
  NOT_SETTINGS,
  own,
  PROFILE_KEYS,
  SSO_SESSION_KEYS,
} from '../../config/settings.js'
import {valueProblem} from '../../config/values.js'

/** Keys other SSO tools write into profiles; botocore and the SDKs ignore them, and so do we. */
const OTHER_TOOLS_KEYS =
  /^(granted_|common_fate_|sso_auto_populated$|sso_account_name$|sso_role_duration$|credential_process_)/

export const settingRules: Check = (context, report) => {
  for (const section of [...context.model.config, ...context.model.credentials]) {
    switch (section.kind) {
      case 'profile': {
        for (const setting of section.settings) checkProfileSetting(section, setting, report)
        break
      }

      case 'services': {
        for (const setting of section.settings) checkServicesSetting(section, setting, report)
        break
      }

      case 'sso-session': {
        for (const setting of section.settings) checkSessionSetting(section, setting, report)
        break
      }
    }
  }
}

function at(section: ConfigSection, setting: ConfigSetting, line = setting.line) {
  return {file: section.file, key: setting.key, line, section: section.header}
}

function checkProfileSetting(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  const {name} = setting
  const notASetting = own(NOT_SETTINGS, name)
  if (notASetting) {
    report({...at(section, setting), message: notASetting, rule: 'unknown-key'})
    return
  }

  if (!PROFILE_KEYS.has(name) && !OTHER_TOOLS_KEYS.test(name)) {
    const guess = closest(name, PROFILE_KEYS)
    report({
      ...at(section, setting),
      message: `\`${setting.key}\` is not a setting botocore, the AWS CLI or the JS SDK reads in a profile; it is ignored.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
      rule: 'unknown-key',
    })
    return
  }

  if (setting.nested) {
    checkNested(section, setting, report)
    return
  }

  checkValue(section, setting, report)
}

function checkSessionSetting(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  const {name} = setting
  const notASetting = own(NOT_SETTINGS, name)
  if (notASetting) {
    report({...at(section, setting), message: notASetting, rule: 'unknown-key'})
    return
  }

  if (!SSO_SESSION_KEYS.has(name)) {
    const guess = closest(name, SSO_SESSION_KEYS)
    report({
      ...at(section, setting),
      message: `\`${setting.key}\` is not an sso-session setting (only sso_start_url, sso_region and sso_registration_scopes are); botocore copies it into every profile that uses this session and fails if a profile sets it differently.${guess ? ` Did you mean \`${guess}\`?` : ' Move it into the profiles.'}`,
      rule: 'unknown-key',
    })
    return
  }

  checkValue(section, setting, report)
}

function checkServicesSetting(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  if (!setting.nested) {
    report({
      ...at(section, setting),
      message: `In [${section.header}], each service needs a nested block (\`${setting.key} =\` then an indented \`endpoint_url = …\`); this line is ignored.`,
      rule: 'unknown-key',
    })
    return
  }

  for (const child of setting.nested) {
    if (child.key.toLowerCase() !== 'endpoint_url') {
      report({
        ...at(section, setting, child.line),
        message: `\`${child.key}\` under \`${setting.key}\` is not read: a [services] block takes only endpoint_url.`,
        rule: 'unknown-key',
      })
    }
  }
}

function checkNested(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  const known = own(NESTED_KEYS, setting.name)
  if (!Object.hasOwn(NESTED_KEYS, setting.name)) {
    report({
      ...at(section, setting),
      message: `\`${setting.key}\` takes a plain value, not a nested block: the lines under it are not read as settings.`,
      rule: 'invalid-value',
    })
    return
  }

  for (const child of setting.nested ?? []) {
    if (known && !known.has(child.key)) {
      const guess = closest(child.key, known)
      report({
        ...at(section, setting, child.line),
        message: `\`${child.key}\` is not a ${setting.name} setting; it is ignored.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
        rule: 'unknown-key',
      })
      continue
    }

    const allowed = own(NESTED_ENUM_VALUES, child.key)
    if (allowed && !inSet(child.value, allowed)) {
      report({
        ...at(section, setting, child.line),
        message: `${setting.name}.${child.key} = "${child.value}" is not one of ${allowed.values.join(', ')}.`,
        rule: 'invalid-value',
      })
    }
  }
}

function checkValue(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  const {name, value} = setting
  if (value === '') return // empty-value reports it
  if (name === 'sso_account_id' || name === 'aws_account_id') {
    if (!/^\d{12}$/.test(value))
      report({
        ...at(section, setting),
        message: `${name} "${value}" is not a 12-digit AWS account id${/^\d+$/.test(value) && value.length < 12 ? ' (leading zeros dropped by a spreadsheet?)' : ''}; GetRoleCredentials fails with it.`,
        rule: 'invalid-account-id',
      })
    return
  }

  if (name === 'region' || name === 'sso_region') {
    if (valueProblem('region', value))
      report({
        ...at(section, setting),
        message: `${name} "${value}" is not an AWS region name (like us-east-1)${/\s/.test(value) ? '; the AWS CLI fails with "Provided region_name … doesn\'t match a supported format."' : ''}.`,
        rule: 'invalid-region',
      })
    return
  }

  const allowed = own(ENUM_VALUES, name)
  if (allowed && !inSet(value, allowed)) {
    report({
      ...at(section, setting),
      message: `${name} = "${value}" is not one of ${allowed.values.join(', ')}.`,
      rule: 'invalid-value',
    })
    return
  }

  const range = own(INTEGER_RANGES, name)
  if (range && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1])) {
    report({
      ...at(section, setting),
      message: `${name} = "${value}" must be a whole number from ${range[0]} to ${range[1]}.`,
      rule: 'invalid-value',
    })
    return
  }

  if (
    name === 'sso_registration_scopes' &&
    !value
      .split(',')
      .map((s) => s.trim())
      .includes('sso:account:access')
  ) {
    report({
      ...at(section, setting),
      message: `sso_registration_scopes "${value}" lacks sso:account:access: the token cannot list or use accounts and roles. Add it.`,
      rule: 'invalid-value',
    })
  }
}

function inSet(value: string, allowed: {caseInsensitive?: boolean; values: string[]}): boolean {
  return allowed.caseInsensitive ? allowed.values.includes(value.toLowerCase()) : allowed.values.includes(value)
}
