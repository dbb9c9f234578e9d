/** The config's lint summary: what the AWS CLI and the JS SDK would trip over (src/lint). */
import {escapeLine} from '../../render/terminal.js'
import {type CheckDefinition, result} from './types.js'

export const lintCheck: CheckDefinition = {
  category: 'config',
  id: 'config-lint',
  online: false,
  async run(context) {
    const [{contextOf, runRules, summarise}, loaded] = await Promise.all([
      import('../../lint/run.js'),
      context.config(),
    ])
    const lint = contextOf(loaded.config, loaded.credentials, context.cacheDir)
    const findings = await runRules(lint)
    const {summary} = summarise(lint, findings)
    const files = [loaded.config, loaded.credentials].filter((f) => f.document).map((f) => escapeLine(f.path))
    if (files.length === 0)
      return result(
        this,
        'warn',
        `Neither ${escapeLine(context.paths.configFile)} nor the credentials file exists.`,
        'ssokit login --sso-session NAME --start-url URL --sso-region REGION',
      )
    const fixable = findings.some((f) => f.fixable)
    const fix = `ssokit lint${fixable ? '   (then: ssokit lint --fix)' : ''}`
    const counts = `${summary.error} error(s), ${summary.warning} warning(s), ${summary.info} note(s)`
    if (summary.error > 0) {
      const errors = findings.filter((f) => f.severity === 'error')
      const named = errors
        .slice(0, 3)
        .map((f) => `${escapeLine(f.file)}:${f.line} ${f.rule}`)
        .join('; ')
      return result(
        this,
        'fail',
        `${counts} in ${files.join(' and ')}: ${named}${errors.length > 3 ? '; …' : ''}.`,
        fix,
      )
    }

    if (summary.warning > 0) {
      const rules = [...new Set(findings.filter((f) => f.severity === 'warning').map((f) => f.rule))].join(', ')
      return result(this, 'warn', `${counts} in ${files.join(' and ')} (${rules}).`, fix)
    }

    return result(this, 'pass', `${counts} in ${files.join(' and ')}.`)
  },
}
