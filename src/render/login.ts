/** What `ssokit login` tells the person: the target, the URL and code to open, and the JSON of the authorize event. */
import type {AuthorizeEvent} from '../sso/login.js'
import type {AuthorizeJson} from '../sso/pending-login.js'
import type {CompleteSsoTarget} from '../sso/target.js'

import {describeRelative, formatAwsTime} from '../sso/time.js'

export function describeTarget(target: CompleteSsoTarget): string {
  return target.kind === 'sso-session' ? `sso-session ${target.name}` : target.name
}

export function authorizeJson(event: AuthorizeEvent): AuthorizeJson {
  return {
    event: 'authorize',
    flow: event.flow,
    url: event.url,
    userCode: event.userCode,
    expiresAt: formatAwsTime(event.expiresAt),
  }
}

export function authorizeEventOf(json: AuthorizeJson): AuthorizeEvent {
  return {expiresAt: new Date(json.expiresAt), flow: json.flow, url: json.url, userCode: json.userCode}
}

export function describeAuthorize(
  event: AuthorizeEvent,
  noBrowser: boolean,
  say: (text: string) => void,
  options: {until?: string} = {},
): void {
  const until =
    options.until ??
    `Waiting until ${formatAwsTime(event.expiresAt)} (${describeRelative(event.expiresAt, new Date())}); Ctrl-C cancels.`
  const intro = noBrowser
    ? 'Open this URL in a browser to sign in:'
    : 'Opening the browser. If it does not open, or to sign in on another device, open:'
  if (event.flow === 'device-code') {
    const verification = event.verificationUri ? `\n(or open ${event.verificationUri} and enter it)` : ''
    say(
      `${intro}\n\n  ${event.url}\n\nand check that the page shows the code: ${event.userCode}${verification}.\n${until}`,
    )
  } else {
    say(
      `${intro}\n\n  ${event.url}\n\nThe browser must run on this machine: it returns to 127.0.0.1. Elsewhere, use --flow device-code.\n${until}`,
    )
  }
}
