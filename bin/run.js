#!/usr/bin/env node
// Two commands answer without loading oclif: `ssokit --version`, which scripts and agents call to check for ssokit,
// and `ssokit credential-process`, which every AWS command of a credential_process profile runs. The latter
// answers here only from ssokit's role cache (or with one direct request, see src/fast/credential-process.ts);
// anything else falls through to the full command.
const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`ssokit/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (
  !(
    args[0] === 'credential-process' &&
    (await (await import('../dist/fast/credential-process.js')).answerCredentialProcess(args.slice(1)))
  )
) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
