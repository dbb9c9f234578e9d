/** Opens a URL in the user's browser with `open` (xdg-open, `open`, `start`); failures are reported, never fatal. */
export async function openInBrowser(url: string): Promise<{error?: string; opened: boolean}> {
  try {
    const {default: open} = await import('open')
    const child = await open(url)
    child.on('error', () => {})
    return {opened: true}
  } catch (error) {
    return {error: (error as Error).message, opened: false}
  }
}
