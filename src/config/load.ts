import {readFile} from 'node:fs/promises'

import type {ConfigPaths} from './paths.js'

import {BadInputError} from '../errors.js'
import {type FileKind, type IniDocument, parseDocument} from './ini/document.js'
import {buildModel, type ConfigModel} from './model.js'

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
  try {
    const bytes = await readFile(path)
    return {bytes, document: parseDocument(bytes, kind), kind, path}
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return {kind, path}
    const why =
      code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message
    throw new BadInputError(`Cannot read ${kind} file ${path}: ${why}.`, 'FILE_UNREADABLE')
  }
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
