import {type Hook, toConfiguredId} from '@oclif/core'

import {closest} from '../config/settings.js'
import {COMMAND_NOT_FOUND_EXIT} from '../exit-codes.js'

/**
 * An unknown command, such as the typo `disover`: in a terminal, @oclif/plugin-not-found asks "Did you mean
 * discover?" and runs it on yes. Elsewhere (scripts, agents, CI) that plugin would not name any command, so the
 * nearest one is named here; the exit code is 127 either way, as for a shell's unknown command.
 */
const hook: Hook.CommandNotFound = async function (options) {
  if (process.stdin.isTTY) {
    const {default: notFound} = await import('@oclif/plugin-not-found')
    return notFound.call(this, options)
  }

  const {config, id} = options
  const hidden = new Set(config.commands.filter((c) => c.hidden).map((c) => c.id))
  const ids = [...config.commandIDs, ...config.commands.flatMap((c) => c.aliases)].filter((c) => !hidden.has(c))
  const byPrefix = ids.filter((c) => c.startsWith(id))
  // A unique prefix first: `gen` means generate, although env is fewer edits away.
  const nearest = (byPrefix.length === 1 ? byPrefix[0] : undefined) ?? closest(id, ids)
  const help = `Run ${config.bin} help for a list of available commands.`
  this.warn(`${toConfiguredId(id, config)} is not a ${config.bin} command.`)
  this.error(nearest ? `Did you mean ${config.bin} ${toConfiguredId(nearest, config)}? ${help}` : help, {
    exit: COMMAND_NOT_FOUND_EXIT,
  })
}

export default hook
