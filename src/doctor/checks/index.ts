/** Every check of `ssokit doctor`, in the order they print within their category. */
import type {CheckDefinition} from './types.js'

import {lintCheck} from './config.js'
import {credentialsCheck} from './credentials.js'
import {awsCliCheck, environmentKeysCheck, profileVariablesCheck} from './environment.js'
import {caBundleCheck, clockSkewCheck, endpointCheck, proxyCheck} from './network.js'
import {tokenCacheFilesCheck, tokenStateCheck} from './tokens.js'

export const CHECKS: CheckDefinition[] = [
  awsCliCheck,
  profileVariablesCheck,
  environmentKeysCheck,
  lintCheck,
  tokenStateCheck,
  tokenCacheFilesCheck,
  caBundleCheck,
  proxyCheck,
  endpointCheck,
  clockSkewCheck,
  credentialsCheck,
]

export {type DoctorReport, runChecks} from './runner.js'
export type {CheckCategory, CheckDefinition, CheckResult, CheckStatus, DoctorOptions} from './types.js'
