/** Access-portal (start) URL checks shared by lint and generate. */

const AWS_OWNED_SUFFIXES = [
  '.app.aws',
  '.portal.amazonaws.com',
  '.portal.amazonaws.com.cn',
  '.app.amazonwebservices.com.cn',
  '.portal.amazonaws.eu',
  '.api.amazonwebservices.eu',
  '.awsapps.com',
  '.awsapps.cn',
]
const AWS_OWNED_HOSTS = new Set([
  'identitycenter.amazonaws.com',
  'identitycenter.amazonaws.com.cn',
  'identitycenter.amazonaws.eu',
  'identitycenter.us-gov.amazonaws.com',
])

/** What is wrong with a start URL, or undefined when it has an access-portal form. */
export function startUrlProblem(value: string): string | undefined {
  if (/\s/.test(value)) return `"${value}" contains whitespace (an inline comment?): it is not a URL.`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `"${value}" is not a URL. Access-portal URLs look like https://d-xxxxxxxxxx.awsapps.com/start.`
  }

  if (url.protocol !== 'https:')
    return `"${value}" is not https: the AWS CLI refuses it ("The sso_start_url must use the https scheme."). Use https://.`
  if (value.includes('#')) {
    return `"${value}" ends in "#…": the token cache file is named after the start URL exactly as written, so this URL and the same URL without "#…" keep separate logins, and the portal ignores the fragment. Remove "${value.slice(value.indexOf('#'))}".`
  }

  const host = url.hostname.toLowerCase()
  if (!AWS_OWNED_HOSTS.has(host) && !AWS_OWNED_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return `"${value}" is not an AWS access-portal host (*.awsapps.com, *.portal.<region>.amazonaws.com, *.portal.<region>.app.aws, …): only AWS CLI 2.35.13 and later resolve custom domains; botocore and the JS SDK use the URL as written. Use the portal URL from the IAM Identity Center console.`
  }

  if (/^(start\.us-gov-home\.awsapps\.com|start\.home\.awsapps\.cn)$/.test(host)) {
    if (!/^\/directory\/[^/]+\/?$/.test(url.pathname))
      return `"${value}" should have the form https://${host}/directory/<IdentityStoreId or alias>.`
  } else if ((host.endsWith('.awsapps.com') || host.endsWith('.awsapps.cn')) && !/^\/start\/?$/.test(url.pathname)) {
    return `"${value}" should end in /start (https://${host}/start).`
  }

  return undefined
}
