/**
 * The settings botocore, the AWS CLI or the JS SDK read from the shared config files (the AWS CLI's
 * `topics/config-vars.rst` and the SDKs and Tools Reference Guide's settings list), and the values they accept.
 */

export const PROFILE_KEYS = new Set([
  'account_id_endpoint_mode',
  'api_versions',
  'auth_scheme_preference',
  'aws_access_key_id',
  'aws_account_id',
  'aws_credential_scope',
  'aws_secret_access_key',
  'aws_security_token',
  'aws_session_token',
  'ca_bundle',
  'cli_auto_prompt',
  'cli_binary_format',
  'cli_error_format',
  'cli_follow_urlparam',
  'cli_help_output',
  'cli_history',
  'cli_pager',
  'cli_timestamp_format',
  'credential_process',
  'credential_source',
  'csm_client_id',
  'csm_enabled',
  'csm_host',
  'csm_port',
  'data_path',
  'defaults_mode',
  'disable_clock_skew_correction',
  'disable_host_prefix_injection',
  'disable_request_compression',
  'duration_seconds',
  'ec2_metadata_service_endpoint',
  'ec2_metadata_service_endpoint_mode',
  'ec2_metadata_v1_disabled',
  'emr',
  'endpoint_discovery_enabled',
  'endpoint_url',
  'external_id',
  'ignore_configured_endpoint_urls',
  'imds_use_ipv6',
  'login_session',
  'max_attempts',
  'metadata_service_num_attempts',
  'metadata_service_timeout',
  'mfa_serial',
  'output',
  'parameter_validation',
  'proxies_config',
  'proxy_ca_bundle',
  'proxy_client_cert',
  'proxy_use_forwarding_for_https',
  'region',
  'request_checksum_calculation',
  'request_min_compression_size_bytes',
  'response_checksum_validation',
  'retry_mode',
  'role_arn',
  'role_session_name',
  's3',
  's3_disable_express_session_auth',
  's3_us_east_1_regional_endpoint',
  's3_use_arn_region',
  'sdk_ua_app_id',
  'services',
  'sigv4a_signing_region_set',
  'source_profile',
  'sso_account_id',
  'sso_region',
  'sso_registration_scopes',
  'sso_role_name',
  'sso_session',
  'sso_start_url',
  'sts_regional_endpoints',
  'tcp_keepalive',
  'use_dualstack_endpoint',
  'use_fips_endpoint',
  'web_identity_token_file',
])

export const SSO_SESSION_KEYS = new Set(['sso_region', 'sso_registration_scopes', 'sso_start_url'])

/**
 * Profile keys that take a nested block, and the keys botocore or the AWS CLI read in it (undefined: any key).
 * - `s3`: botocore's `DEFAULT_S3_CONFIG_VARS` (`botocore/configprovider.py`), `signature_version` (read for every
 *   service, `botocore/client.py` `_get_configured_signature_version`), and the `aws s3` transfer settings
 *   (`awscli/topics/s3-config.rst`, `awscli/customizations/s3/transferconfig.py`).
 * - `emr`: the `aws emr` defaults (`awscli/customizations/emr/config.py` `SUPPORTED_CONFIG_LIST`).
 * - `proxies_config`: `DEFAULT_PROXIES_CONFIG_VARS`; `api_versions`: a service name per line (`config-vars.rst`).
 * Any other service's block is read for `signature_version` only: see {@link SERVICE_BLOCK_KEYS}.
 */
export const NESTED_KEYS: Record<string, Set<string> | undefined> = {
  api_versions: undefined, // any service name
  emr: new Set(['enable_debugging', 'instance_profile', 'key_name', 'key_pair_file', 'log_uri', 'service_role']),
  proxies_config: new Set(['proxy_ca_bundle', 'proxy_client_cert', 'proxy_use_forwarding_for_https']),
  s3: new Set([
    'addressing_style',
    'direct_io',
    'disk_throughput',
    'io_chunksize',
    'max_bandwidth',
    'max_concurrent_requests',
    'max_queue_size',
    'multipart_chunksize',
    'multipart_threshold',
    'payload_signing_enabled',
    'preferred_transfer_client',
    's3_disable_multiregion_access_points',
    'should_stream',
    'signature_version',
    'target_bandwidth',
    'us_east_1_regional_endpoint',
    'use_accelerate_endpoint',
    'use_arn_region',
    'use_dualstack_endpoint',
  ]),
}

/**
 * What botocore reads from a profile's nested block named after any other service (its endpoint prefix, such as
 * `sts =` or `dynamodb =`): the signature version for that service's clients.
 */
export const SERVICE_BLOCK_KEYS = new Set(['signature_version'])

const BOOLEAN = ['true', 'false']

/** Known settings whose values are from a fixed set (compared case-insensitively where the tools do). */
export const ENUM_VALUES: Record<string, {caseInsensitive?: boolean; values: string[]}> = {
  account_id_endpoint_mode: {values: ['preferred', 'disabled', 'required']},
  cli_auto_prompt: {values: ['on', 'on-partial', 'off']},
  cli_binary_format: {values: ['base64', 'raw-in-base64-out']},
  cli_error_format: {values: ['enhanced', 'json', 'yaml', 'text', 'table', 'legacy']},
  cli_timestamp_format: {values: ['iso8601', 'wire', 'none']},
  credential_source: {values: ['Environment', 'Ec2InstanceMetadata', 'EcsContainer']},
  defaults_mode: {values: ['legacy', 'standard', 'in-region', 'cross-region', 'mobile', 'auto']},
  ec2_metadata_service_endpoint_mode: {caseInsensitive: true, values: ['ipv4', 'ipv6']},
  output: {values: ['json', 'text', 'table', 'yaml', 'yaml-stream', 'off']},
  request_checksum_calculation: {values: ['when_supported', 'when_required']},
  response_checksum_validation: {values: ['when_supported', 'when_required']},
  retry_mode: {values: ['legacy', 'standard', 'adaptive']},
  sts_regional_endpoints: {values: ['legacy', 'regional']},
  ...Object.fromEntries(
    [
      'parameter_validation',
      'tcp_keepalive',
      'use_dualstack_endpoint',
      'use_fips_endpoint',
      'ec2_metadata_v1_disabled',
      'imds_use_ipv6',
      'disable_request_compression',
      'ignore_configured_endpoint_urls',
      'disable_host_prefix_injection',
      's3_disable_express_session_auth',
      's3_use_arn_region',
      'csm_enabled',
      'disable_clock_skew_correction',
      'proxy_use_forwarding_for_https',
    ].map((key) => [key, {caseInsensitive: true, values: BOOLEAN}]),
  ),
}

export const NESTED_ENUM_VALUES: Record<string, {caseInsensitive?: boolean; values: string[]}> = {
  addressing_style: {values: ['auto', 'virtual', 'path']},
  enable_debugging: {caseInsensitive: true, values: BOOLEAN},
  payload_signing_enabled: {caseInsensitive: true, values: BOOLEAN},
  preferred_transfer_client: {values: ['auto', 'classic', 'crt']},
  use_accelerate_endpoint: {caseInsensitive: true, values: BOOLEAN},
  use_arn_region: {caseInsensitive: true, values: BOOLEAN},
  use_dualstack_endpoint: {caseInsensitive: true, values: BOOLEAN},
}

/** Integer settings and their allowed range. */
export const INTEGER_RANGES: Record<string, [number, number]> = {
  duration_seconds: [900, 43_200],
  max_attempts: [1, 1000],
  metadata_service_num_attempts: [1, 1000],
  metadata_service_timeout: [1, 3600],
  request_min_compression_size_bytes: [0, 10_485_760],
}

/** A record lookup that never finds inherited names (`__proto__`, `toString`, …): keys come from user files. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

export {closest} from '../fuzzy.js'
