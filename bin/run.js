#!/usr/bin/env node
// Three entries answer without loading oclif: `ssokit --version`, which scripts and agents call to check for
// ssokit; `ssokit credential-process`, which every AWS command of a credential_process profile runs (it answers here
// only from ssokit's role cache or with one direct request, see src/fast/credential-process.ts, and otherwise falls
// through to the full command); and the hidden `--detached-login` that `ssokit login --detach` starts, whose URL an
// agent is waiting for (src/sso/detached-worker.ts).
const args = process.argv.slice(2)

async function answeredFast() {
  if (args[0] !== 'credential-process') return false
  const {answerCredentialProcess} = await import('../dist/fast/credential-process.js')
  return answerCredentialProcess(args.slice(1), {write: (text) => process.stdout.write(text)})
}

if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const {readFileSync} = await import('node:fs')
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`ssokit/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (args[0] === '--detached-login' && args.length === 2) {
  const {runDetachedWorker} = await import('../dist/sso/detached-worker.js')
  await runDetachedWorker(args[1], (line) => process.stderr.write(line))
} else if (!(await answeredFast())) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
