import type {FileKind} from '../config/ini/document.js'
import type {LintContext} from './types.js'

import {type ConfigSection, type ConfigSetting, findSetting, type ProfileView} from '../config/model.js'

export interface Located {
  section: ConfigSection
  setting: ConfigSetting
}

/** The section and line a profile's effective value comes from (credentials-file keys win, as in both SDKs). */
export function locate(profile: ProfileView, name: string): Located | undefined {
  for (let i = profile.sections.length - 1; i >= 0; i--) {
    const setting = findSetting(profile.sections[i], name)
    if (setting) return {section: profile.sections[i], setting}
  }

  return undefined
}

export function pathOf(context: LintContext, file: FileKind): string {
  return context[file].path
}

/** How a profile is named in a message: `[profile dev]` in the config file, `[dev]` in the credentials file. */
export function describeSection(section: ConfigSection): string {
  return `[${section.header}]`
}
