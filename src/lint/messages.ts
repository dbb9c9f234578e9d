/**
 * The words of every lint rule, in one table keyed by rule id: its one-line documentation (SARIF, `--help`) and
 * each message it reports, as a function of what the rule found. The rules in ./rules/ hold the logic and call
 * these, so that the texts can be read and reviewed together. What a message claims botocore or the JS SDK do is
 * checked against the real readers by test/lint/claims.test.ts.
 */
import type {FileKind} from '../config/ini/document.js'
import type {SectionRef} from './headers.js'
import type {RuleId} from './types.js'

const WHOLE_FILE = 'the AWS CLI then rejects the whole file ("Unable to parse config file")'

type Texts = Record<string, ((...args: never[]) => string) | Record<string, string> | string> & {doc: string}

export const RULE_TEXTS = {
  bom: {
    doc: 'UTF-8 byte-order mark: the AWS CLI rejects the file',
    startsWithBom: () =>
      `The file starts with a UTF-8 byte-order mark: botocore reads it as text before the first section, so ${WHOLE_FILE}; the JS SDK ignores it. Save the file without a BOM.`,
  },

  'colon-delimiter': {
    doc: '`key: value`: the AWS CLI reads it, the JS SDK ignores it',
    colon: (key: string) =>
      `\`${key}: …\` uses \`:\` as the delimiter: botocore reads it, the JS SDK ignores the line. Write \`${key} = …\`.`,
    nestedColon: (key: string) =>
      `Nested \`${key}: …\` uses \`:\`: botocore requires \`=\` in nested blocks, the JS SDK ignores the line. Write \`${key} = …\`.`,
  },

  'conflicting-credential-sources': {
    doc: 'a profile mixes SSO settings, static keys, role_arn or credential_process',
    mixed: (profile: string, sources: string[], outcome: 'precedence' | 'role' | 'sso-and-static') =>
      `Profile "${profile}" mixes ${sources.join(' and ')}: ${
        outcome === 'role'
          ? 'both SDKs assume the role and ignore the rest'
          : outcome === 'sso-and-static'
            ? 'the AWS CLI uses SSO, the JS SDK the static keys'
            : 'each tool picks one by its own precedence'
      }. Keep one credential source per profile (use source_profile to chain).`,
  },

  'continuation-line': {
    doc: 'indented line not under a `key =` parent: the AWS CLI appends it to the previous value',
    continuation: (key: string, value: string, text: string, looksLikeSection: boolean) =>
      `This indented line follows \`${key} = ${value}\`: botocore appends it to that value (a continuation line, "${value}\\n${text}"); the JS SDK reads it as ${looksLikeSection ? 'a new section' : 'a separate key'}. Remove the indentation, or put it under a \`${key} =\` line with no value to make a nested block.`,
  },

  'default-profile-conflict': {
    doc: 'both [default] and [profile default]: the AWS CLI and the JS SDK pick different ones',
    both: (firstLine: number, laterHeader: string) =>
      `Both [default] and [profile default] exist (line ${firstLine}): the AWS CLI uses whichever comes later ([${laterHeader}] here), the JS SDK always uses [profile default]. Keep only [default].`,
  },

  'default-section': {
    doc: '[DEFAULT] injects its keys into every profile in the AWS CLI',
    defaults: (file: FileKind) =>
      `[DEFAULT] is special to botocore: its keys are injected into every profile and sso-session of this file; ${file === 'config' ? 'the JS SDK ignores it' : 'the JS SDK reads it as a profile named DEFAULT'}. Move its settings into the profiles that need them.`,
  },

  'duplicate-key': {
    doc: 'same key twice in a section: the AWS CLI rejects the whole file',
    inDefaults: (key: string, firstLine: number) =>
      `\`${key}\` is already set in [DEFAULT] on line ${firstLine}: botocore raises DuplicateOptionError, so ${WHOLE_FILE}. Keep one.`,
    inSection: (key: string, firstLine: number, lowerCased: boolean) =>
      `\`${key}\` is already set in this section on line ${firstLine}${lowerCased ? ' (botocore lower-cases keys)' : ''}: botocore raises DuplicateOptionError, so ${WHOLE_FILE}; the JS SDK keeps the last value. Keep one.`,
  },

  'duplicate-section': {
    doc: 'same section twice in one file: the AWS CLI rejects the whole file',
    sameHeader: (header: string, firstLine: number) =>
      `[${header}] already appears on line ${firstLine}: botocore raises DuplicateSectionError, so ${WHOLE_FILE}; the JS SDK merges the two. Merge them into one section.`,
    sameName: (header: string, first: {header: string; line: number}, kind: string, name: string) =>
      `[${header}] and [${first.header}] (line ${first.line}) are both ${kind} "${name}" to botocore, which keeps only the later one. Keep one section.`,
  },

  'empty-value': {
    doc: '`key =` with nothing after it and no nested block',
    empty: (key: string) =>
      `\`${key} =\` has no value: botocore reads an empty string, the JS SDK does not store the key at all. Give it a value or delete the line.`,
  },

  'incomplete-sso-profile': {
    doc: 'some SSO settings but not a complete set',
    profileLacks: (profile: string, missing: string[], orSession: boolean) =>
      `Profile "${profile}" has SSO settings but lacks ${missing.join(', ')}${orSession ? ' (or sso_session pointing at an [sso-session])' : ''}: the AWS CLI fails with 'The profile "${profile}" is configured to use SSO but is missing required configuration: ${missing.join(', ')}', the JS SDK with "Profile is configured with invalid SSO credentials". Add the missing keys.`,
    sessionLacks: (session: string, missing: string[]) =>
      `[sso-session ${session}] lacks ${missing.join(' and ')}: \`aws sso login\` fails ("Missing the following required SSO configuration values: ${missing.join(', ')}"), and so does every profile that uses it. Add ${missing.map((k) => `\`${k} = …\``).join(' and ')}.`,
  },

  'inline-comment': {
    doc: '`value # note`: the AWS CLI keeps the comment in the value, the JS SDK strips it',
    bracketInHeaderComment: (botocoreHeader: string, jsHeader: string) =>
      `The comment after this header contains \`]\`: botocore reads the header as [${botocoreHeader}], the JS SDK as [${jsHeader}]. Put the comment on its own line.`,
    /** `trailing`: what follows the header's `]` on its line (`;`, `# x`, `extra`). */
    textHidesHeader: (header: string, trailing: string, jsTarget: SectionRef | undefined) =>
      `\`${trailing}\` right after \`]\` hides this header from the JS SDK${/^[#;]/.test(trailing) ? ' (a comment needs a space before `#` or `;`)' : ''}: botocore reads [${header}], the JS SDK ${jsTarget ? `files the keys that follow under the section before, ${describe(jsTarget)}` : 'ignores the keys that follow'}. ${/^[#;]/.test(trailing) ? 'Put the comment on its own line.' : 'Delete the text after `]`.'}`,
    inValue: (key: string, botocoreValue: string, jsValue: string) =>
      `Inline comment: botocore keeps it in the value of \`${key}\` ("${botocoreValue}"), the JS SDK strips it ("${jsValue}"). Put the comment on its own line.`,
  },

  'insecure-permissions': {
    doc: 'credentials file or token cache readable by group or others',
    credentialsFile: (byWhom: 'group' | 'others', mode: string, path: string) =>
      `The credentials file is readable by ${byWhom === 'group' ? 'its group' : 'other users'} (mode ${mode}). Run: chmod 600 ${path}`,
    tokenCache: (dir: string, files: string[], pattern: string) =>
      `SSO token cache files in ${dir} are readable by other users: ${files.join(', ')}. They hold access and refresh tokens. Run: chmod 600 ${pattern}`,
  },

  'invalid-account-id': {
    doc: 'sso_account_id is not 12 digits',
    notTwelveDigits: (key: string, value: string, leadingZerosDropped: boolean) =>
      `${key} "${value}" is not a 12-digit AWS account id${leadingZerosDropped ? ' (leading zeros dropped by a spreadsheet?)' : ''}; GetRoleCredentials fails with it.`,
  },

  'invalid-profile-name': {
    doc: 'a name the JS SDK drops or the AWS CLI reads differently',
    blocked: (header: string, file: FileKind) =>
      `The JS SDK refuses the name "${header}" and then reads the whole ${file} file as empty. Rename the section.`,
    readsDifferently: (
      botocore: SectionRef,
      js: SectionRef | undefined,
      suggestion: {header: string; renamed: boolean},
    ) =>
      `The AWS CLI reads ${describe(botocore)} here, but ${js === undefined ? 'the JS SDK ignores the whole section' : `the JS SDK reads ${describe(js)}`}. ${suggestion.renamed ? `Use a name of letters, digits and . _ - only, with one space after the prefix: ${suggestion.header}` : `Write ${suggestion.header}, with one space after the prefix and no quotes`}.`,
    unnamed: (header: string, kind: SectionRef['kind'], suggestion: string) =>
      `[${header}] names no ${kind === 'services' ? 'services section' : kind} that either tool can read: botocore needs exactly one name after the prefix, the JS SDK one name of [A-Za-z0-9_.@+%:/-]. Write ${suggestion}.`,
  },

  'invalid-region': {
    doc: 'region or sso_region is not a region name',
    notARegion: (key: string, value: string, hasWhitespace: boolean) =>
      `${key} "${value}" is not an AWS region name (like us-east-1)${hasWhitespace ? '; the AWS CLI fails with "Provided region_name … doesn\'t match a supported format."' : ''}.`,
  },

  'invalid-start-url': {
    doc: 'sso_start_url is not https, not an access-portal URL, or ends in #…',
    /** The problem as src/config/values.ts words it (generate and login refuse the same URLs with the same words). */
    problem: (problem: string) => problem,
  },

  'invalid-value': {
    doc: 'a known setting with an impossible value',
    notInSet: (name: string, value: string, allowed: string[]) =>
      `${name} = "${value}" is not one of ${allowed.join(', ')}.`,
    notNested: (key: string) =>
      `\`${key}\` takes a plain value, not a nested block: the lines under it are not read as settings.`,
    outOfRange: (name: string, value: string, [min, max]: [number, number]) =>
      `${name} = "${value}" must be a whole number from ${min} to ${max}.`,
    scopesLackAccountAccess: (value: string) =>
      `sso_registration_scopes "${value}" lacks sso:account:access: the token cannot list or use accounts and roles. Add it.`,
  },

  'legacy-sso-profile': {
    doc: 'start URL and region inline instead of an sso-session: no token refresh',
    /** `blocked`: the value lint calls invalid, which --fix will not copy into a new sso-session. */
    legacy: (profile: string, blocked?: 'region' | 'start URL') =>
      `Profile "${profile}" keeps sso_start_url and sso_region inline (the legacy SSO form): its token is never refreshed, so the AWS CLI and the SDKs stop working when it expires (usually within 8 hours) and \`aws sso login\` uses the older device-code flow. ${blocked ? `Move them into an [sso-session] once the ${blocked} is fixed (ssokit lint --fix does then, but never copies an invalid ${blocked}; log in again afterwards, since the token cache is keyed by the session name).` : 'Move them into an [sso-session] (ssokit lint --fix does; log in again afterwards, since the token cache is keyed by the session name).'}`,
  },

  'missing-profile-prefix': {
    doc: '[name] in the config file is not a profile for any tool',
    notAKind: (header: string, kindWord: string, suggestion: string) =>
      `[${header}] in the config file is no section either tool reads: \`${kindWord}\` is not a section kind (profile, sso-session, services). Write ${suggestion}.`,
    notAProfile: (header: string, hint: {caseOnly: boolean; renamed: boolean; suggestion: string}) =>
      `[${header}] in the config file is not a profile for any tool: the AWS CLI and the JS SDK read profiles only from [default] and [profile NAME] here.${hint.caseOnly ? ` Section names are case-sensitive: write ${hint.suggestion}.` : ` Write ${hint.suggestion}${hint.renamed ? ' (a name both read as written has only letters, digits and . _ -)' : ''}.`}`,
  },

  'missing-registration-scopes': {
    doc: 'sso-session without sso_registration_scopes',
    noScopes: (session: string) =>
      `[sso-session ${session}] has no sso_registration_scopes: \`aws sso login\` with the device-code flow then registers without scopes and gets a token that cannot be refreshed. Add \`sso_registration_scopes = sso:account:access\`.`,
  },

  'missing-services-section': {
    doc: '`services = X` without [services X]',
    noSection: (name: string) =>
      `services = ${name} names no [services ${name}] section: the AWS CLI fails ('The profile is configured to use the services section but the "${name}" services configuration does not exist.'), and so does the JS SDK. Add the section or delete the line.`,
  },

  'missing-source-profile': {
    doc: 'source_profile names a profile that does not exist',
    noProfile: (name: string) =>
      `source_profile "${name}" names no profile in the config or credentials file: both SDKs fail to assume the role. Fix the name or add the profile.`,
  },

  'missing-sso-session': {
    doc: 'sso_session names a section that does not exist',
    noSession: (name: string, guess: string | undefined) =>
      `sso_session "${name}" names no [sso-session ${name}] section: the AWS CLI fails with 'The specified sso-session does not exist: "${name}"', the JS SDK with a TypeError. ${guess ? `Did you mean "${guess}"?` : `Add [sso-session ${name}] with sso_start_url and sso_region.`}`,
  },

  'nonexistent-command': {
    doc: 'credential_process runs a command that does not exist',
    /** `command` is the export-credentials command to use instead (for another profile when `recursive`). */
    awsSso: (subcommand: string, command: string, recursive: boolean) =>
      `${
        subcommand === 'get-role-credentials'
          ? '`aws sso get-role-credentials` prints {"roleCredentials": …}, not the credential_process format (Version 1), so both SDKs reject its output'
          : `\`aws sso ${subcommand}\` does not exist (the AWS CLI answers "Found invalid choice '${subcommand}'")`
      }. ${
        recursive
          ? `Point credential_process at \`${command}\`, or use the SSO profile directly.`
          : `Use \`${command}\` (AWS CLI 2.9+).`
      }`,
    notFound: (program: string, profile: string) =>
      `credential_process runs \`${program}\`, which is not ${program.includes('/') ? 'an executable file' : 'on the PATH'}: both SDKs fail to get credentials for "${profile}". Install it or fix the path${program.startsWith('~') ? ' (botocore runs the command without a shell, so `~` is not expanded: write the full path)' : ''}.`,
  },

  'parse-error': {
    doc: 'a line the AWS CLI cannot parse: it rejects the whole file',
    invalidUtf8: () =>
      `This line is not valid UTF-8: botocore fails to decode the file, so ${WHOLE_FILE}; the JS SDK replaces the bad bytes. Re-save the file as UTF-8.`,
    keyBeforeSection: (key: string) =>
      `\`${key}\` comes before any [section]: botocore raises MissingSectionHeaderError, so ${WHOLE_FILE}; the JS SDK ignores the line. Move it into a section.`,
    nestedWithoutEquals: (parent: string) =>
      `Nested line under \`${parent} =\` without \`=\`: botocore raises an error, so ${WHOLE_FILE}; the JS SDK ignores the line. Write \`name = value\`.`,
    textBeforeSection: () =>
      `Text before any [section]: botocore raises MissingSectionHeaderError, so ${WHOLE_FILE}; the JS SDK ignores the line. Delete it or move it into a section.`,
    unparsable: (what: 'no-equals' | 'no-key') =>
      `${what === 'no-key' ? 'A value with no key' : 'A line with no `=`'}: botocore cannot parse it, so ${WHOLE_FILE}; the JS SDK ignores the line. Delete it, or write \`key = value\`.`,
  },

  'profile-prefix-in-credentials': {
    doc: '[profile name], [sso-session name] or [services name] in the credentials file',
    notInCredentials: (header: string, kind: SectionRef['kind'], jsName: string | undefined, configHeader?: string) =>
      `[${header}] in the credentials file is no ${kind === 'services' ? 'services section' : kind} for either tool: both read ${kind === 'services' ? 'services sections' : 'sso-sessions'} only from the config file (here botocore reads a profile named "${header}", ${jsName === undefined ? 'the JS SDK ignores the section' : `the JS SDK a profile named "${jsName}"`}). Move it to the config file${configHeader ? ` as ${configHeader}` : ''}.`,
    prefixed: (header: string, jsName: string | undefined, meant: string, suggestion: string) =>
      `[${header}] in the credentials file is a profile named "${header}" for botocore ${jsName === undefined ? 'and no profile for the JS SDK' : `and "${jsName}" for the JS SDK`}, not "${meant}". The credentials file takes bare names: write ${suggestion}.`,
  },

  'source-profile-cycle': {
    doc: 'source_profile chain loops',
    loop: (chain: string[]) =>
      `source_profile chain loops: ${chain.join(' → ')}. The AWS CLI fails with "Infinite loop in credential configuration detected". Break the loop.`,
  },

  'sso-session-conflict': {
    doc: 'a profile’s sso_start_url or sso_region differ from its sso-session’s',
    differs: (key: string, value: string, session: string, sessionValue: string) =>
      `${key} here ("${value}") differs from [sso-session ${session}] ("${sessionValue}"): the AWS CLI fails with "The value for ${key} is inconsistent between profile (${value}) and sso-session (${sessionValue}).", the JS SDK silently uses the session's value. Delete ${key} from the profile.`,
  },

  'static-credentials': {
    doc: 'long-lived access keys (in the config file: also the wrong file)',
    inConfig: (temporary: boolean) =>
      `Access keys in the config file: both SDKs read them, but this file is usually shared more freely than the credentials file (mode 0600) and tools that edit it do not expect secrets. ${temporary ? 'Move them to the credentials file.' : 'Use IAM Identity Center (an sso-session profile) instead of long-lived keys, or at least move them to the credentials file.'}`,
    longLived: (profile: string) =>
      `Long-lived access keys for "${profile}": they never expire and leak easily. Prefer an sso-session profile (\`ssokit generate\`), or rotate them regularly.`,
  },

  'unknown-key': {
    doc: 'not a setting any tool reads in that section',
    /** Names people write that no tool reads, with what to do instead. */
    notASetting: {
      account_id: 'No tool reads `account_id`; the setting is `aws_account_id` (or `sso_account_id` for SSO profiles).',
      ignore_configure_endpoint_urls: 'Misspelled: the setting is `ignore_configured_endpoint_urls`.',
      sso_auto_refresh:
        '`sso_auto_refresh` does not exist in botocore, the AWS CLI or the JS SDK. Profiles that use an [sso-session] refresh their token automatically (when under 15 minutes remain, while the Identity Center session lasts); remove the line.',
      sso_refresh_window:
        '`sso_refresh_window` does not exist in botocore, the AWS CLI or the JS SDK; the refresh window is fixed (15 minutes in the CLI, 5 in the JS SDK). Remove the line.',
    },
    notInNested: (key: string, parent: string, guess: string | undefined) =>
      `\`${key}\` is not a setting of \`${parent} =\`; it is ignored.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
    notInProfile: (key: string, guess: string | undefined, hasEndpointUrl: boolean) =>
      `\`${key}\` is not a setting botocore, the AWS CLI or the JS SDK reads in a profile; it is ignored.${hasEndpointUrl ? ` A service's endpoint_url goes in a [services NAME] section that the profile names with \`services = NAME\`.` : guess ? ` Did you mean \`${guess}\`?` : ''}`,
    notInServiceBlock: (key: string, service: string) =>
      `\`${key}\` under \`${service} =\` is not read: in a profile, botocore reads only signature_version from a service's block${key === 'endpoint_url' ? '; endpoint_url goes in a [services NAME] section that the profile names with `services = NAME`' : ''}.`,
    notInServices: (key: string, service: string) =>
      `\`${key}\` under \`${service}\` is not read: a [services] block takes only endpoint_url.`,
    notInSession: (key: string, guess: string | undefined) =>
      `\`${key}\` is not an sso-session setting (only sso_start_url, sso_region and sso_registration_scopes are); botocore copies it into every profile that uses this session and fails if a profile sets it differently.${guess ? ` Did you mean \`${guess}\`?` : ' Move it into the profiles.'}`,
    serviceWithoutBlock: (header: string, key: string) =>
      `In [${header}], each service needs a nested block (\`${key} =\` then an indented \`endpoint_url = …\`); this line is ignored.`,
  },

  'unused-sso-session': {
    doc: 'an sso-session no profile uses',
    unused: (session: string) =>
      `[sso-session ${session}] is used by no profile. Delete it, or point profiles at it with \`sso_session = ${session}\`.`,
  },

  'uppercase-key': {
    doc: '`Region =`: the AWS CLI lower-cases keys, the JS SDK does not',
    uppercase: (key: string, lower: string) =>
      `\`${key}\`: botocore lower-cases keys and reads \`${lower}\`; the JS SDK keeps the case, so it does not see \`${lower}\`. Write \`${lower}\`.`,
  },
} as const satisfies Record<RuleId, Texts>

function describe(ref: SectionRef): string {
  return ref.kind === 'profile' ? `profile "${ref.name}"` : `[${ref.kind} ${ref.name}]`
}
