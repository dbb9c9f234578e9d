// `node --import ./test/support/log-modules.mjs …`: appends every module URL the process resolves to the file
// named by SSOKIT_MODULE_LOG, so that a test can prove a command never loaded a package (e.g. the AWS SDK).
// Test-only: a resolve hook that only observes (module.register, Node 20.6+).
// eslint-disable-next-line n/no-unsupported-features/node-builtins
import {register} from 'node:module'

register('./log-modules-hooks.mjs', import.meta.url, {data: {log: process.env.SSOKIT_MODULE_LOG}})
