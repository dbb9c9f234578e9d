/** Rules about keys and values: unknown settings, impossible values, account ids and regions. */
import type {ConfigSection, ConfigSetting} from '../../config/model.js'
import type {Check, Reporter} from '../types.js'

import {
  closest,
  ENUM_VALUES,
  INTEGER_RANGES,
  NESTED_ENUM_VALUES,
  NESTED_KEYS,
  own,
  PROFILE_KEYS,
  SERVICE_BLOCK_KEYS,
  SSO_SESSION_KEYS,
} from '../../config/settings.js'
import {valueProblem} from '../../config/values.js'
import {RULE_TEXTS} from '../messages.js'

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
  const notASetting = own(RULE_TEXTS['unknown-key'].notASetting, name)
  if (notASetting) {
    report({...at(section, setting), message: notASetting, rule: 'unknown-key'})
    return
  }

  if (!PROFILE_KEYS.has(name) && !OTHER_TOOLS_KEYS.test(name)) {
    if (isServiceBlock(setting)) {
      checkServiceBlock(section, setting, report)
      return
    }

    const guess = closest(name, PROFILE_KEYS)
    const endpoint = setting.nested?.some((child) => child.key === 'endpoint_url') ?? false
    report({
      ...at(section, setting),
      message: RULE_TEXTS['unknown-key'].notInProfile(setting.key, guess, endpoint),
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
  const notASetting = own(RULE_TEXTS['unknown-key'].notASetting, name)
  if (notASetting) {
    report({...at(section, setting), message: notASetting, rule: 'unknown-key'})
    return
  }

  if (!SSO_SESSION_KEYS.has(name)) {
    const guess = closest(name, SSO_SESSION_KEYS)
    report({
      ...at(section, setting),
      message: RULE_TEXTS['unknown-key'].notInSession(setting.key, guess),
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
      message: RULE_TEXTS['unknown-key'].serviceWithoutBlock(section.header, setting.key),
      rule: 'unknown-key',
    })
    return
  }

  for (const child of setting.nested) {
    if (child.key.toLowerCase() !== 'endpoint_url') {
      report({
        ...at(section, setting, child.line),
        message: RULE_TEXTS['unknown-key'].notInServices(child.key, setting.key),
        rule: 'unknown-key',
      })
    }
  }
}

/** `sts =` with an indented `signature_version = …`: botocore's per-service signature version (any endpoint prefix). */
function isServiceBlock(setting: ConfigSetting): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]*$/.test(setting.name) &&
    (setting.nested?.some((child) => SERVICE_BLOCK_KEYS.has(child.key)) ?? false)
  )
}

function checkServiceBlock(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  for (const child of setting.nested!) {
    if (SERVICE_BLOCK_KEYS.has(child.key)) continue
    report({
      ...at(section, setting, child.line),
      message: RULE_TEXTS['unknown-key'].notInServiceBlock(child.key, setting.key),
      rule: 'unknown-key',
    })
  }
}

function checkNested(section: ConfigSection, setting: ConfigSetting, report: Reporter): void {
  const known = own(NESTED_KEYS, setting.name)
  if (!Object.hasOwn(NESTED_KEYS, setting.name)) {
    report({
      ...at(section, setting),
      message: RULE_TEXTS['invalid-value'].notNested(setting.key),
      rule: 'invalid-value',
    })
    return
  }

  for (const child of setting.nested ?? []) {
    if (known && !known.has(child.key)) {
      const guess = closest(child.key, known)
      report({
        ...at(section, setting, child.line),
        message: RULE_TEXTS['unknown-key'].notInNested(child.key, setting.name, guess),
        rule: 'unknown-key',
      })
      continue
    }

    const allowed = own(NESTED_ENUM_VALUES, child.key)
    if (allowed && !inSet(child.value, allowed)) {
      report({
        ...at(section, setting, child.line),
        message: RULE_TEXTS['invalid-value'].notInSet(`${setting.name}.${child.key}`, child.value, allowed.values),
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
        message: RULE_TEXTS['invalid-account-id'].notTwelveDigits(
          name,
          value,
          /^\d+$/.test(value) && value.length < 12,
        ),
        rule: 'invalid-account-id',
      })
    return
  }

  if (name === 'region' || name === 'sso_region') {
    if (valueProblem('region', value))
      report({
        ...at(section, setting),
        message: RULE_TEXTS['invalid-region'].notARegion(name, value, /\s/.test(value)),
        rule: 'invalid-region',
      })
    return
  }

  const allowed = own(ENUM_VALUES, name)
  if (allowed && !inSet(value, allowed)) {
    report({
      ...at(section, setting),
      message: RULE_TEXTS['invalid-value'].notInSet(name, value, allowed.values),
      rule: 'invalid-value',
    })
    return
  }

  const range = own(INTEGER_RANGES, name)
  if (range && !(/^\d+$/.test(value) && Number(value) >= range[0] && Number(value) <= range[1])) {
    report({
      ...at(section, setting),
      message: RULE_TEXTS['invalid-value'].outOfRange(name, value, range),
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
      message: RULE_TEXTS['invalid-value'].scopesLackAccountAccess(value),
      rule: 'invalid-value',
    })
  }
}

function inSet(value: string, allowed: {caseInsensitive?: boolean; values: string[]}): boolean {
  return allowed.caseInsensitive ? allowed.values.includes(value.toLowerCase()) : allowed.values.includes(value)
}
