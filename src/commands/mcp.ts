import {BaseCommand} from '../base-command.js'
import {configFileFlags, configPathsFrom} from '../flags.js'

export default class Mcp extends BaseCommand {
  static override description = `A Model Context Protocol server on stdio, for agents without a shell (Claude Desktop, Cursor, any MCP client).
Tools: status (sessions, states, expiry, needsLogin), login_start (returns the URL and code at once; the sign-in continues in a detached ssokit process), login_wait (a bounded wait), explain_error (doctor explain), list_profiles, doctor (offline checks by default).
No tool returns a token or credentials. Errors come back as MCP tool errors carrying the CLI's error JSON (code, message, suggestions, reason).
Configure it in a client as the command "ssokit" with the argument "mcp".`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'claude mcp add ssokit -- ssokit mcp',
    '{"mcpServers": {"ssokit": {"command": "ssokit", "args": ["mcp"]}}}',
  ]
  static override flags = {...configFileFlags}
  static override summary = 'Serve the Model Context Protocol on stdio (for agents)'

  async run(): Promise<void> {
    const {flags} = await this.parse(Mcp)
    // The MCP SDK loads only here: no other command pays for it.
    const {serveStdio} = await import('../mcp/server.js')
    this.message(`ssokit ${this.config.version}: MCP server on stdio (config ${configPathsFrom(flags).configFile}).`)
    await serveStdio({env: process.env, paths: configPathsFrom(flags)}, this.config.version)
  }
}
