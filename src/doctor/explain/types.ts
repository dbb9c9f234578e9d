/**
 * The vocabulary of `ssokit doctor explain`: the categories of the README's doctor explain section, the kinds of
 * policy an AccessDenied text can name, and the explanation it prints under `--json`.
 */
import type {TokenStateName} from '../../sso/state.js'

export const CATEGORIES = [
  'sso-login-required',
  'invalid-grant',
  'sso-no-access',
  'access-denied',
  'config-parse-error',
  'profile-not-found',
  'sso-config-missing',
  'sso-session-conflict',
  'tls-verification',
  'no-credentials',
  'expired-credentials',
  'clock-skew',
  'throttled',
  'region-missing',
  'network',
  'unknown',
] as const

export type Category = (typeof CATEGORIES)[number]

/** The kind of policy an AccessDenied text says decided (IAM "Troubleshooting access denied error messages"). */
export type DeniedBy =
  | 'identity-based-policy'
  | 'permissions-boundary'
  | 'resource-based-policy'
  | 'resource-control-policy'
  | 'service-control-policy'
  | 'session-policy'
  | 'vpc-endpoint-policy'

/** What an AccessDenied / "is not authorized to perform" text says, and what had to be guessed. */
export interface AccessDeniedDetails {
  /** The account of the principal that was denied (12 digits), when the text has it. */
  account?: string
  action?: string
  /** `explicit`: a Deny statement matched; `implicit`: no statement allowed it; undefined: the text does not say. */
  denial?: 'explicit' | 'implicit'
  deniedBy?: DeniedBy
  /** Fields inferred rather than read: e.g. `user` (the role session name is usually the Identity Center user name). */
  guessed: string[]
  /** The permission set, from an `AWSReservedSSO_<name>_<hash>` role (never from the resource). */
  permissionSet?: string
  /** The ARN of the policy that denied, when the text names it (newer AWS messages do). */
  policyArn?: string
  /** The denied principal as written (`arn:aws:sts::…:assumed-role/…/…`, or `anonymous`). */
  principal?: string
  /** `assumed-role`, `user` (IAM user), `root`, `federated-user`, `anonymous`. */
  principalType?: string
  resource?: string
  /** The IAM role of an assumed-role principal. */
  role?: string
  /** The role session name: for an Identity Center role, the user's sign-in name (usually). */
  user?: string
}

/** The state of the cached token explain looked at, when the text or flags point at an SSO session. */
export interface TokenFinding {
  expiresAt: null | string
  state: TokenStateName
}

/**
 * The answer (the `--json` shape the README shows). `fix` is one command or one config edit;
 * `notes` add what the config and token cache showed. Fields that were inferred, not read from the text, are
 * listed in `guessed`.
 */
export interface Explanation {
  account?: string
  action?: string
  category: Category
  cause: string
  code?: string
  deniedBy?: DeniedBy
  fix: string
  guessed?: string[]
  loginFixes: boolean
  /** The line of the input the classification rests on (control characters escaped, secrets masked). */
  matched?: string
  notes?: string[]
  operation?: string
  /** The id of the pattern that matched (stable; `unknown` when none did). */
  pattern: string
  permissionSet?: string
  policyArn?: string
  profile?: string
  resource?: string
  role?: string
  ssoSession?: string
  startUrl?: string
  token?: TokenFinding
  user?: string
}
