/**
 * Which modules a CLI process loaded: `NODE_OPTIONS=--import <hook>` with a resolve hook that only observes and
 * appends each resolved URL to a file (module.register, Node 20.6+). Lets a test prove that a command never
 * loaded a package (the AWS SDK, oclif).
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

const HOOKS = `import {appendFileSync} from 'node:fs'
let log
export function initialize(data) { log = data?.log }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  if (log) appendFileSync(log, resolved.url + '\\n')
  return resolved
}
`
const REGISTER = `import {register} from 'node:module'
register('./hooks.mjs', import.meta.url, {data: {log: process.env.SSOKIT_TEST_MODULE_LOG}})
`

export interface ModuleLog {
  /** Environment variables that make a child process log its modules. */
  env: Record<string, string>
  /** The modules logged so far, as URLs. */
  modules(): string[]
}

export function moduleLog(): ModuleLog {
  const dir = mkdtempSync(join(tmpdir(), 'ssokit-modules-'))
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS)
  writeFileSync(join(dir, 'register.mjs'), REGISTER)
  const log = join(dir, 'modules.log')
  writeFileSync(log, '')
  return {
    env: {NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}`, SSOKIT_TEST_MODULE_LOG: log},
    modules: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  }
}

/** The packages among logged modules (`@aws-sdk/client-sso`, `@oclif/core`, …). */
export function packagesOf(modules: string[]): Set<string> {
  const packages = new Set<string>()
  for (const url of modules) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
    if (match) packages.add(match[1])
  }

  return packages
}
