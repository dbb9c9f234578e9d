/**
 * Secrets ssokit has handled in this process (access and refresh tokens, client secrets, role credentials).
 * Anything printed through the base command's error path is scrubbed of them, as a last line of defence:
 * the code paths themselves never put secrets into messages.
 */
const known = new Set<string>()

export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= 8) known.add(value)
}

export function redactSecrets(text: string): string {
  let out = text
  for (const secret of known) out = out.split(secret).join('<redacted>')
  return out
}
