/**
 * How the AWS SDK for JavaScript v3 names a section (`@smithy/shared-ini-file-loader`'s `parseIni`): what lint
 * needs of it. The whole reading, checked against the real `loadSharedConfigFiles`, is the tests' oracle
 * (test/support/readings.ts).
 */
export const PREFIX_KEY = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/
export const SECTION_TYPES = new Set(['profile', 'services', 'sso-session'])
export const BLOCKED = new Set(['__proto__', 'profile __proto__'])

/**
 * What the JS SDK makes of one header line: the section key it stores keys under (`profile.dev`,
 * `sso-session.corp`, or the literal text), undefined when it drops the section, or 'blocked' for `__proto__`.
 */
export function jsSectionKey(lineText: string): string | undefined | {blocked: true} {
  const trimmed = lineText.split(/(^|\s)[;#]/)[0].trim()
  if (trimmed[0] !== '[' || trimmed.at(-1) !== ']') return undefined
  const sectionName = trimmed.slice(1, -1)
  if (BLOCKED.has(sectionName)) return {blocked: true}
  const matches = PREFIX_KEY.exec(sectionName)
  if (!matches) return sectionName
  return SECTION_TYPES.has(matches[1]) ? `${matches[1]}.${matches[3]}` : undefined
}
