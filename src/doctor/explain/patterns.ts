/**
 * The one table of error texts `ssokit doctor explain` knows: each pattern with its category, its cause, whether a
 * new login fixes it, and the kind of fix. Order is priority: the first pattern that matches any line wins, so the
 * specific texts come before the generic ones (a TLS failure during a token refresh surfaces as "Token has expired
 * and refresh failed" in botocore's last line; the TLS line in the same log is the real cause).
 *
 * Sources of the texts: botocore `exceptions.py`, `tokens.py`, `utils.py`, `credentials.py`, `configloader.py`;
 * AWS CLI v2 `errorhandler.py`; `@aws-sdk/credential-provider-sso`, `@aws-sdk/token-providers`; Node's TLS error
 * codes; the IAM User Guide "Troubleshooting access denied error messages"; the Go SDK v2 error format; and the
 * texts users posted, kept with their sources in test/fixtures/explain/.
 */
import type {Category} from './types.js'

/** How the fix is built (src/doctor/explain/fixes.ts turns it into one command or config edit). */
export type FixKind =
  | 'ca-bundle'
  | 'ca-bundle-missing'
  | 'credential-process'
  | 'doctor'
  | 'doctor-access'
  | 'env-credentials'
  | 'lint'
  | 'login'
  | 'login-device-code'
  | 'no-access'
  | 'profiles'
  | 'region'
  | 'retry'
  | 'sso-session'

export interface PatternDef {
  /** Only when the text is about AWS: for wording that other programs print too. */
  awsOnly?: boolean
  category: Category
  /** One sentence; `{1}` is the first capture group of the match. */
  cause: string
  fix: FixKind
  /** Stable id, printed as `pattern` and used by the tests. */
  id: string
  loginFixes: boolean
  match: RegExp
}

const TLS_FIX_NOTE = 'typically a corporate proxy that inspects TLS with a CA of its own'

export const PATTERNS: readonly PatternDef[] = [
  // --- TLS: before everything, because a TLS failure also makes token refreshes and credential loading fail.
  {
    category: 'tls-verification',
    cause:
      'The CA bundle that AWS_CA_BUNDLE or the `ca_bundle` setting names does not exist, so no certificate can be verified.',
    fix: 'ca-bundle-missing',
    id: 'tls-ca-bundle-missing',
    loginFixes: false,
    match: /SSL validation failed for \S+ \[Errno 2\] No such file or directory/,
  },
  {
    category: 'tls-verification',
    cause:
      "The server's certificate is for another host name: something between this machine and AWS (a proxy, a DNS override, a wrong endpoint URL) answers instead of AWS.",
    fix: 'doctor',
    id: 'tls-hostname-mismatch',
    loginFixes: false,
    match:
      /certificate is valid for \S+, not \S+|Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID|hostname '[^']+' doesn't match|doesn't match either of/,
  },
  {
    category: 'tls-verification',
    cause:
      'A certificate in the chain has expired or is not yet valid: the clock of this machine is wrong, or a proxy serves an outdated certificate.',
    fix: 'doctor',
    id: 'tls-certificate-expired',
    loginFixes: false,
    match: /certificate has expired|CERT_HAS_EXPIRED|certificate is not yet valid|CERT_NOT_YET_VALID/,
  },
  {
    category: 'tls-verification',
    cause: `TLS verification failed: the server's certificate chain is not signed by a CA this tool trusts, ${TLS_FIX_NOTE}.`,
    fix: 'ca-bundle',
    id: 'tls-untrusted-certificate',
    loginFixes: false,
    match:
      /CERTIFICATE_VERIFY_FAILED|certificate verify failed|self[- ]signed certificate|unable to get local issuer certificate|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|x509: certificate signed by unknown authority|PKIX path building failed|unable to find valid certification path|SSL certificate (?:verification|problem)|SSL validation failed|certificate verification failed/i,
  },
  // --- Authorization: the caller is signed in, but not allowed.
  {
    category: 'access-denied',
    cause: 'IAM denied the request: {1}.',
    fix: 'doctor-access',
    id: 'iam-not-authorized',
    loginFixes: false,
    match: /(?:User|Principal): \S+ (is not authorized to perform:?\s*[\w-]+:[\w*]+)/,
  },
  {
    category: 'sso-no-access',
    cause:
      'The signed-in Identity Center user is not assigned this account and permission set (or the assignment was removed, or `sso_role_name` / `sso_account_id` has a typo). The login worked; a new one does not help.',
    fix: 'no-access',
    id: 'portal-forbidden',
    loginFixes: false,
    match:
      /ForbiddenException\W+(?:.*\W)?No access|No access\W.*ForbiddenException|GetRoleCredentials.*(?:ForbiddenException|StatusCode: 403)|(?:ForbiddenException|StatusCode: 403).*GetRoleCredentials|^ForbiddenException: No access/,
  },
  {
    category: 'sso-no-access',
    cause: 'The signed-in Identity Center user has no account or role assigned that this command could use.',
    fix: 'no-access',
    id: 'portal-no-assignments',
    loginFixes: false,
    match: /No AWS accounts are available to you|No roles are available for the account (\d+)/,
  },
  // --- The config files.
  {
    category: 'config-parse-error',
    cause:
      'botocore cannot parse {1}, so the AWS CLI and boto3 reject the whole file (every profile) and do not say why.',
    fix: 'lint',
    id: 'botocore-config-parse',
    loginFixes: false,
    match: /Unable to parse config file: (.+)/,
  },
  {
    category: 'config-parse-error',
    cause: 'Python configparser cannot read the file ({1}), so botocore rejects the whole file.',
    fix: 'lint',
    id: 'configparser-error',
    loginFixes: false,
    match:
      /(DuplicateSectionError|DuplicateOptionError|MissingSectionHeaderError|ParsingError)\b|File contains no section headers|Source contains parsing errors/,
  },
  {
    category: 'config-parse-error',
    cause: 'The config refers to something it does not have ({1}).',
    fix: 'lint',
    id: 'config-reference-missing',
    loginFixes: false,
    match:
      /(services configuration does not exist|The services section "[^"]+" specified in the profile is not present|Found invalid profile name "[^"]+"|The specified config file \([^)]+\) could not be found)/,
  },
  {
    category: 'sso-session-conflict',
    cause:
      'The profile repeats `{1}` with a value that differs from its [sso-session], and botocore refuses the profile.',
    fix: 'lint',
    id: 'sso-session-inconsistent',
    loginFixes: false,
    match: /The value for (\w+) is inconsistent between profile \(.*?\) and sso-session/,
  },
  {
    category: 'profile-not-found',
    cause: 'The profile the command asked for does not exist in the config or credentials file.',
    fix: 'profiles',
    id: 'profile-not-found',
    loginFixes: false,
    match:
      /The config profile \(.+?\) could not be found|\bProfile \S+ was not found|\bProfile '.+?' could not be found in shared credentials file|\bProfile "[^"]+" not found|\bProfile \S+ does not exist in|failed to get shared config profile/,
  },
  {
    category: 'profile-not-found',
    cause:
      'The JS SDK found no profile of that name with usable credential settings (missing, misspelt, or without SSO, role or key settings).',
    fix: 'profiles',
    id: 'js-profile-unresolved',
    loginFixes: false,
    match: /Could not resolve credentials using profile: \[.+?\]/,
  },
  {
    category: 'sso-config-missing',
    cause: 'A profile names an [sso-session] the config does not have.',
    fix: 'sso-session',
    id: 'sso-session-missing',
    loginFixes: false,
    match:
      /The specified sso-session does not exist|\bSso session '.+?' could not be found|sso_session configuration does not exist|Cannot read propert(?:y|ies) of undefined \(reading 'sso_(?:region|start_url)'\)/,
  },
  {
    category: 'sso-config-missing',
    cause: 'The SSO profile or [sso-session] lacks settings a login needs: {1}.',
    fix: 'sso-session',
    id: 'sso-config-incomplete',
    loginFixes: false,
    match:
      /Missing the following required SSO configuration values: ([\w, ]+)|is configured to use SSO but is missing required configuration: ([\w, ]+)|Profile is configured with invalid SSO credentials|is missing required property '(\w+)'|Missing required configuration: (sso_region)|but is missing the following configuration|^(?:Error: )?Missing (sso_start_url, sso_region)/,
  },
  {
    category: 'sso-config-missing',
    cause: 'The `sso_start_url` is not a valid access-portal URL ({1}).',
    fix: 'sso-session',
    id: 'sso-start-url-invalid',
    loginFixes: false,
    match:
      /(The sso_start_url must use the https scheme|Invalid sso_start_url|Could not resolve start URL|Cannot determine region from start URL)/,
  },
  {
    category: 'no-credentials',
    cause:
      '`credential_process` runs `aws sso get-credentials`, a command that does not exist, so the profile yields no credentials.',
    fix: 'credential-process',
    id: 'credential-process-nonexistent',
    loginFixes: false,
    match: /Found invalid choice '(get-credentials)'|invalid choice: '(get-credentials)'|aws sso get-credentials/,
  },
  {
    category: 'no-credentials',
    cause: 'The `source_profile` chain of the profile loops, so no credentials can be resolved.',
    fix: 'lint',
    id: 'source-profile-loop',
    loginFixes: false,
    match:
      /Infinite loop in credential configuration detected|credential process resolution detected an infinite loop|Maximum recursive credential process resolution reached/i,
  },
  // --- The SSO session: a refresh token that no longer works, then everything a new login fixes.
  {
    category: 'invalid-grant',
    cause:
      'The refresh token was refused: the Identity Center session behind it ended (session duration reached, signed out, or revoked), so the token cannot be refreshed.',
    fix: 'login',
    id: 'oidc-invalid-grant',
    loginFixes: true,
    match: /InvalidGrantException|invalid_grant|Invalid grant provided|Invalid refresh token provided/,
  },
  {
    category: 'sso-login-required',
    cause:
      'The cached SSO token has expired and could not be refreshed (no refresh token, the client registration expired, or the Identity Center session ended).',
    fix: 'login',
    id: 'botocore-token-refresh-failed',
    loginFixes: true,
    match: /Token has expired and refresh failed/,
  },
  {
    category: 'sso-login-required',
    cause:
      'The SSO access token is expired, or the portal rejected it (revoked or signed out elsewhere); botocore says this for both.',
    fix: 'login',
    id: 'botocore-sso-session-invalid',
    loginFixes: true,
    match: /The SSO session associated with this profile has expired or is otherwise invalid/,
  },
  {
    category: 'sso-login-required',
    cause: 'There is no cached SSO token for {1}: never signed in, signed in under another name, or signed out.',
    fix: 'login',
    id: 'sso-token-missing',
    loginFixes: true,
    match: /Error loading SSO Token: Token for (\S+) does not exist/,
  },
  {
    category: 'sso-login-required',
    cause: 'The cached SSO token file for {1} lacks its access token or expiry.',
    fix: 'login',
    id: 'sso-token-invalid',
    loginFixes: true,
    match: /Error loading SSO Token: Token for (\S+) is invalid/,
  },
  {
    category: 'sso-login-required',
    cause: 'The JS SDK found no readable cached SSO token for profile {1}.',
    fix: 'login',
    id: 'js-sso-token-missing',
    loginFixes: true,
    match: /The SSO session token associated with profile=(\S+) was not found or is invalid/,
  },
  {
    category: 'sso-login-required',
    cause: 'The cached SSO token is expired and the JS SDK could not refresh it.',
    fix: 'login',
    id: 'js-sso-token-expired',
    loginFixes: true,
    match:
      /^(?:.*\b(?:Error|TokenProviderError|CredentialsProviderError): )?Token is expired\b|Value not present for '\w+' in SSO Token/,
  },
  {
    category: 'sso-login-required',
    cause: 'The SSO session (the cached access token) has expired or is not valid any more.',
    fix: 'login',
    id: 'sso-session-expired',
    loginFixes: true,
    match:
      /The SSO session associated with this profile (?:has expired|is invalid)|\bSSO (?:session|access token|token)(?: for \S+)? (?:has expired|is expired|expired)\b/i,
  },
  {
    category: 'sso-login-required',
    cause:
      'The SSO portal rejected the access token (401 UnauthorizedException): it expired, was revoked, or belongs to another region or session.',
    fix: 'login',
    id: 'portal-unauthorized',
    loginFixes: true,
    match:
      /Session token not found or invalid|UnauthorizedException.*(?:GetRoleCredentials|ListAccounts|ListAccountRoles|portal)|(?:GetRoleCredentials|ListAccountRoles|ListAccounts).*(?:UnauthorizedException|StatusCode: 401)/,
  },
  {
    category: 'sso-login-required',
    cause: 'The sign-in was not completed in time: the device code or browser authorization expired.',
    fix: 'login',
    id: 'login-authorization-expired',
    loginFixes: true,
    match:
      /pending authorization to retrieve an SSO token has expired|ExpiredTokenException.*CreateToken|CreateToken.*ExpiredTokenException|Device code has expired/,
  },
  {
    category: 'sso-login-required',
    cause: 'The sign-in was refused or interrupted in the browser ({1}).',
    fix: 'login',
    id: 'login-authorization-failed',
    loginFixes: true,
    match:
      /AccessDeniedException.*CreateToken|CreateToken.*AccessDeniedException|Error loading authorization code: (.+)|(State parameter does not match)/,
  },
  {
    category: 'sso-login-required',
    cause:
      'The login could not listen on 127.0.0.1 for the browser callback (PKCE); the device-code flow needs no local port.',
    fix: 'login-device-code',
    id: 'login-callback-failed',
    loginFixes: true,
    match: /Unable to initialize the OAuth 2\.0 authorization callback handler/,
  },
  {
    category: 'sso-login-required',
    cause: 'The tool found no valid SSO login for the profile.',
    fix: 'login',
    id: 'tool-login-required',
    loginFixes: true,
    match:
      /Login required\. Use `aws-sso-util login|Error when retrieving token from sso|An unspecified error happened when resolving AWS credentials or an access token from SSO|TokenRetrievalError/,
  },
  // --- Role credentials (not the SSO token).
  {
    category: 'expired-credentials',
    cause:
      'The temporary role credentials sent with the request have expired (e.g. exported into the environment and not refreshed).',
    fix: 'env-credentials',
    id: 'credentials-expired',
    loginFixes: false,
    match:
      /\bExpiredToken(?:Exception)?\b|The security token included in the request is expired|The provided token has expired|security token (?:has )?expired/i,
  },
  {
    category: 'expired-credentials',
    cause:
      'AWS does not accept the credentials: an unknown, deleted or rotated access key, a missing or stale session token, or a region that is not enabled for the account.',
    fix: 'env-credentials',
    id: 'credentials-invalid',
    loginFixes: false,
    match:
      /InvalidClientTokenId|UnrecognizedClientException|The security token included in the request is invalid|InvalidAccessKeyId|The AWS Access Key Id you provided does not exist|SignatureDoesNotMatch|The request signature we calculated does not match/i,
  },
  {
    category: 'clock-skew',
    cause:
      "The request's time is too far from AWS's (more than 5 minutes): this machine's clock is wrong, not the credentials.",
    fix: 'doctor',
    id: 'clock-skew',
    loginFixes: false,
    match:
      /Signature expired: \S+ is now earlier than|Signature not yet current|RequestTimeTooSkewed|difference between the request time and the current time is too large|\bRequestExpired\b|Request has expired/,
  },
  {
    category: 'throttled',
    cause: 'AWS throttled the requests and the retries ran out ({1}).',
    fix: 'retry',
    id: 'throttled',
    loginFixes: false,
    match:
      /(TooManyRequestsException|ThrottlingException|ThrottledException|RequestLimitExceeded|\bThrottling\b|Rate exceeded|SlowDown)/,
  },
  {
    awsOnly: true,
    category: 'throttled',
    cause: 'AWS answered 429 Too Many Requests and the retries ran out.',
    fix: 'retry',
    id: 'throttled-http',
    loginFixes: false,
    match: /Too Many Requests|Status ?Code: 429\b/i,
  },
  // --- Region.
  {
    category: 'region-missing',
    cause: 'The region `{1}` is not a region name (an inline comment or a typo in the config?).',
    fix: 'region',
    id: 'region-invalid',
    loginFixes: false,
    match: /Provided region_name '(.+?)' doesn't match a supported format|Invalid region: "?([^"\s]+)/,
  },
  {
    category: 'region-missing',
    cause:
      'No region is set for this profile or in the environment, so the SDK does not know where to send the request.',
    fix: 'region',
    id: 'region-missing',
    loginFixes: false,
    match:
      /You must specify a region|NoRegionError|\bRegion is missing\b|\bMissingRegion\b|could not find region configuration|Unable to load region|ConfigError: Missing region in config/,
  },
  // --- Network.
  {
    category: 'network',
    cause: 'The proxy refused or failed the connection ({1}).',
    fix: 'doctor',
    id: 'proxy-failed',
    loginFixes: false,
    match:
      /(Failed to connect to proxy URL: "[^"]+"|Tunnel connection failed: [^\n]+|ProxyConnectionError|407 Proxy Authentication Required)/,
  },
  {
    category: 'network',
    cause: 'The endpoint {1} cannot be reached: DNS, network, proxy or a wrong region.',
    fix: 'doctor',
    id: 'endpoint-unreachable',
    loginFixes: false,
    match:
      /Could not connect to the endpoint URL: "([^"]+)"|Connect timeout on endpoint URL: "([^"]+)"|Read timeout on endpoint URL: "([^"]+)"|EndpointConnectionError|UnknownEndpoint|Inaccessible host: `([^']+)'/,
  },
  {
    awsOnly: true,
    category: 'network',
    cause: 'The AWS endpoint cannot be reached ({1}).',
    fix: 'doctor',
    id: 'socket-error',
    loginFixes: false,
    match:
      /(getaddrinfo (?:ENOTFOUND|EAI_AGAIN) \S+|Name or service not known|nodename nor servname provided|no such host|Temporary failure in name resolution|connect ECONNREFUSED \S+|connect ETIMEDOUT \S+|ECONNRESET|socket hang up|EHOSTUNREACH|ENETUNREACH|i\/o timeout|Connection refused|ConnectTimeoutError|ReadTimeoutError)/,
  },
  // --- Credentials the SDK could not find at all.
  {
    category: 'no-credentials',
    cause: '`credential_process` failed: {1}.',
    fix: 'profiles',
    id: 'credential-process-failed',
    loginFixes: false,
    match:
      /Error when retrieving credentials from custom-process: ?(.*)|credential_process returned (?:invalid JSON|expired credentials|invalid credentials)|did not return Version 1|Unsupported version '.+?' for credential process provider/,
  },
  {
    category: 'no-credentials',
    cause:
      'No credential provider produced credentials: no profile selected, or the profile has no usable credential settings.',
    fix: 'profiles',
    id: 'no-credentials',
    loginFixes: false,
    match:
      /Unable to locate credentials|NoCredentialsError|Could not load credentials from any providers|NoCredentialProviders|no valid providers in chain|Unable to load AWS credentials from any provider in the chain|Unable to load credentials from any of the providers in the chain|Unable to retrieve credentials: no credentials found|Error when retrieving credentials\b/,
  },
  // --- Generic authorization codes (after every specific message: "ExpiredToken" bodies also say AccessDenied).
  {
    category: 'access-denied',
    cause: 'AWS denied the request ({1}); the text does not say which policy.',
    fix: 'doctor-access',
    id: 'access-denied-code',
    loginFixes: false,
    match: /\b(AccessDenied(?:Exception)?|UnauthorizedOperation|Access Denied|AuthorizationError)\b/,
  },
]
