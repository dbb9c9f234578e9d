import type {ConfigPaths} from './paths.js'

import {type FileKind, type IniDocument, parseDocument} from './ini/document.js'
import {buildModel, type ConfigModel} from './model.js'
import {readRegularFile} from './write.js'

export type {ConfigPaths} from './paths.js'

export interface LoadedFile {
  /** The raw bytes (undefined when the file does not exist). */
  bytes?: Buffer
  document?: IniDocument
  kind: FileKind
  path: string
}

/** Reads one file. A missing file is fine (undefined document); one that cannot be read is bad input (exit 3). */
export async function loadFile(path: string, kind: FileKind): Promise<LoadedFile> {
  const bytes = await readRegularFile(path, `${kind} file`)
  return bytes === undefined ? {kind, path} : {bytes, document: parseDocument(bytes, kind), kind, path}
}

export interface LoadedConfig {
  config: LoadedFile
  credentials: LoadedFile
  model: ConfigModel
}

export async function loadConfig(paths: ConfigPaths): Promise<LoadedConfig> {
  const [config, credentials] = await Promise.all([
    loadFile(paths.configFile, 'config'),
    loadFile(paths.credentialsFile, 'credentials'),
  ])
  return {config, credentials, model: buildModel(config.document, credentials.document)}
}
