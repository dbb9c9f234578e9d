/**
 * `ssokit mcp`: a Model Context Protocol server on stdio (the official TypeScript SDK) for agents without a
 * shell. Each tool answers with the same JSON as the CLI's `--json`, as text and as structured content; a failure
 * is an MCP tool error whose text is the CLI's `{"error": {code, exit, message, suggestions, reason?}}`. No tool
 * returns a token or credentials, and every answer is scrubbed of the secrets this process has seen.
 */
// The SDK's exports map ends in a wildcard ("./*") that eslint-plugin-import cannot follow; Node and tsc do.
// eslint-disable-next-line import/no-unresolved
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
// eslint-disable-next-line import/no-unresolved
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js'
import {z} from 'zod'

import {LoginRequiredError, messageOf, SsokitError} from '../errors.js'
import {redactSecrets} from '../secrets.js'
import {
  doctorTool,
  explainErrorTool,
  listProfilesTool,
  loginStartTool,
  loginWaitTool,
  statusTool,
  type ToolContext,
} from './tools.js'

/** Tells the agent, once, how the tools fit together (MCP `instructions`). */
export const INSTRUCTIONS = `This server (ssokit) signs in to AWS IAM Identity Center (AWS SSO) and explains AWS sign-in errors. When an AWS command fails, call explain_error with its error text. If loginFixes is true: call login_start, show the person the url and userCode and ask them to approve it, then call login_wait (call it again while the error reason is login-pending), then retry the AWS command once. If loginFixes is false, do not log in: report the cause and the fix to the person. status tells ahead of time whether a session needs a login. No tool returns credentials.`

const selection = {
  profile: z.string().min(1).optional().describe('An AWS profile; its sso-session is meant (default: AWS_PROFILE)'),
  ssoSession: z.string().min(1).optional().describe('An sso-session name from ~/.aws/config'),
}

type ToolResult = {
  content: Array<{text: string; type: 'text'}>
  isError?: boolean
  structuredContent?: Record<string, unknown>
}

/** The CLI's `--json` error document for anything a tool threw. */
export function errorDocument(error: unknown): {error: Record<string, unknown>} {
  const known =
    error instanceof SsokitError
      ? error
      : new SsokitError(`Unexpected error (a bug in ssokit): ${messageOf(error)}`, 'UNEXPECTED', {
          suggestions: ['Please report it with the tool call and its answer (ssokit never returns secrets).'],
        })
  const body: Record<string, unknown> = {
    code: known.code,
    exit: known.exit,
    message: known.message,
    suggestions: known.suggestions,
  }
  if (known instanceof LoginRequiredError) body.reason = known.reason
  return {error: body}
}

async function answer(run: () => Promise<object>): Promise<ToolResult> {
  let document: object
  let isError = false
  try {
    document = await run()
  } catch (error) {
    document = errorDocument(error)
    isError = true
  }

  const text = redactSecrets(JSON.stringify(document, null, 2))
  const result: ToolResult = {content: [{text, type: 'text'}], structuredContent: JSON.parse(text)}
  if (isError) result.isError = true
  return result
}

export function createServer(context: ToolContext, version: string): McpServer {
  const server = new McpServer({name: 'ssokit', version}, {instructions: INSTRUCTIONS})
  const readOnly = {openWorldHint: false, readOnlyHint: true}
  server.registerTool(
    'status',
    {
      annotations: readOnly,
      description:
        'The state of each SSO session: valid, expiring, refreshable, expired, missing or revoked, its expiry, and needsLogin with the loginCommand.',
      inputSchema: {
        ...selection,
        verify: z.boolean().optional().describe('Also ask AWS that the token still works (one request per session)'),
      },
      title: 'SSO session status',
    },
    (input) => answer(() => statusTool(context, input)),
  )
  server.registerTool(
    'login_start',
    {
      annotations: {destructiveHint: false, idempotentHint: true, openWorldHint: true, readOnlyHint: false},
      description:
        'Starts a sign-in and returns at once with the url and userCode to show the person; the sign-in continues in the background until they approve (then call login_wait). A sign-in already pending returns its url again.',
      inputSchema: {
        ...selection,
        flow: z
          .enum(['auto', 'pkce', 'device-code'])
          .optional()
          .describe('auto (default): PKCE when a browser on this machine can reach it, else device code'),
        force: z
          .boolean()
          .optional()
          .describe('Sign out first, so a new IAM Identity Center session (with its full duration) starts'),
        timeoutSeconds: z.number().int().min(30).max(3600).optional().describe('How long the sign-in waits (600)'),
      },
      title: 'Start an SSO sign-in',
    },
    (input) => answer(() => loginStartTool(context, input)),
  )
  server.registerTool(
    'login_wait',
    {
      annotations: readOnly,
      description:
        'Waits (at most timeoutSeconds) for the pending sign-in to end: returns logged-in with the expiry, or an error with reason login-pending (still waiting: call again), authorization-denied, authorization-expired, timeout or login-failed.',
      inputSchema: {
        ...selection,
        timeoutSeconds: z.number().int().min(1).max(600).optional().describe('How long to wait (50)'),
      },
      title: 'Wait for the SSO sign-in',
    },
    (input) => answer(() => loginWaitTool(context, input)),
  )
  server.registerTool(
    'explain_error',
    {
      annotations: readOnly,
      description:
        'Explains an AWS error text (AWS CLI, SDKs, tools): its category, cause, whether a new login fixes it (loginFixes), and the one command or config line that does.',
      inputSchema: {...selection, text: z.string().min(1).max(100_000).describe('The error text as printed')},
      title: 'Explain an AWS error',
    },
    (input) => answer(() => explainErrorTool(context, input)),
  )
  server.registerTool(
    'list_profiles',
    {
      annotations: readOnly,
      description:
        'The profiles of the AWS config: name, kind (sso-session, legacy-sso, assume-role, process, static, other), sso-session, account, role, region, and whether ssokit manages it.',
      inputSchema: {},
      title: 'List AWS profiles',
    },
    () => answer(() => listProfilesTool(context)),
  )
  server.registerTool(
    'doctor',
    {
      annotations: readOnly,
      description:
        'Checks the environment, config, tokens, CA bundle and proxies (offline by default; offline: false adds the network and, with profile, the credentials end to end): pass, warn, fail or skip, each with its fix.',
      inputSchema: {
        ...selection,
        offline: z.boolean().optional().describe('Skip the checks that need the network (default true)'),
      },
      title: 'Check AWS sign-in problems',
    },
    (input) => answer(() => doctorTool(context, input)),
  )
  return server
}

/** Serves on stdin/stdout until the client closes stdin. */
export async function serveStdio(context: ToolContext, version: string): Promise<void> {
  const server = createServer(context, version)
  const transport = new StdioServerTransport()
  const closed = new Promise<void>((resolve) => {
    // The transport's own callback property (it is no EventTarget).
    // eslint-disable-next-line unicorn/prefer-add-event-listener
    transport.onclose = () => resolve()
    process.stdin.once('end', () => resolve())
  })
  await server.connect(transport)
  await closed
  await server.close()
}
