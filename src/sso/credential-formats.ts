/**
 * Role credentials in the shapes other tools read: the `credential_process` document (Version 1), the
 * `aws sts` answer some tools expect (`{"Credentials": {...}}`), and environment variables. Light on purpose:
 * the fast path of `credential-process` prints through it.
 */
import type {RoleCredentialSet} from './role-cache.js'

/** What botocore's and the JS SDK's process providers read (keys in the order ssokit has always printed them). */
export interface ProcessCredentials {
  AccessKeyId: string
  Expiration: string
  SecretAccessKey: string
  SessionToken: string
  Version: 1
}

/** The `Credentials` of an `aws sts assume-role` / `get-session-token` answer. */
export interface StsCredentials {
  Credentials: {AccessKeyId: string; Expiration: string; SecretAccessKey: string; SessionToken: string}
}

export type CredentialDocumentFormat = 'process' | 'sts'

export function processDocument(credentials: RoleCredentialSet): ProcessCredentials {
  return {
    AccessKeyId: credentials.accessKeyId,
    Expiration: credentials.expiration,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Version: 1,
  }
}

export function stsDocument(credentials: RoleCredentialSet): StsCredentials {
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration,
    },
  }
}

export function credentialDocument(
  credentials: RoleCredentialSet,
  format: CredentialDocumentFormat,
): ProcessCredentials | StsCredentials {
  return format === 'sts' ? stsDocument(credentials) : processDocument(credentials)
}

/** The document as credential-process prints it (also under --json): indented JSON and a newline. */
export function printedDocument(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n'
}

export function fromProcessDocument(document: ProcessCredentials): RoleCredentialSet {
  return {
    accessKeyId: document.AccessKeyId,
    expiration: document.Expiration,
    secretAccessKey: document.SecretAccessKey,
    sessionToken: document.SessionToken,
  }
}
