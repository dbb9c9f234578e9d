import {decodeConfigBytes} from '../ini/document.js'
import {type BotocoreFileReading, botocoreFullConfig, botocoreReadFile} from './botocore.js'
import {jsSharedConfig} from './js-sdk.js'

/** botocore's view of one file's bytes: Python decodes them as UTF-8 (a BOM is kept as a character). */
export function botocoreReadBytes(bytes: Uint8Array): BotocoreFileReading {
  const {bom, encoding, text} = decodeConfigBytes(bytes)
  return botocoreReadFile((bom ? '\uFEFF' : '') + text, {decodeError: encoding !== 'utf8'})
}

/** The JS SDK's view: Node's utf8 decoding, invalid bytes replaced, a BOM kept as a character. */
export function jsTextOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8')
}

/** Both tools' readings of a config file and a credentials file (undefined = file absent). */
export function readBoth(configBytes: Uint8Array | undefined, credentialsBytes: Uint8Array | undefined) {
  return {
    botocore: botocoreFullConfig(
      configBytes && botocoreReadBytes(configBytes),
      credentialsBytes && botocoreReadBytes(credentialsBytes),
    ),
    js: jsSharedConfig(configBytes && jsTextOf(configBytes), credentialsBytes && jsTextOf(credentialsBytes)),
  }
}
