/** `--interactive`: pick accounts and roles (filter, then a checkbox list), and confirm the write. */
import type {Entitlement} from './naming.js'

export async function pickEntitlements(entitlements: Entitlement[]): Promise<Entitlement[]> {
  const {checkbox, input} = await import('@inquirer/prompts')
  const sorted = [...entitlements].sort(
    (a, b) => a.accountName.localeCompare(b.accountName) || a.roleName.localeCompare(b.roleName),
  )
  const filter = (
    await input({message: `Filter ${sorted.length} account/role pairs (text or /regex/; empty for all):`})
  ).trim()
  const matches = sorted.filter(matcher(filter))
  if (matches.length === 0) return []
  return checkbox({
    choices: matches.map((e) => ({checked: true, name: `${e.accountName} (${e.accountId})  ${e.roleName}`, value: e})),
    loop: false,
    message: `Profiles to generate (${matches.length} shown; space toggles, a toggles all, enter confirms):`,
    pageSize: 20,
  })
}

export async function confirmWrite(message: string): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts')
  return confirm({default: true, message})
}

function matcher(filter: string): (e: Entitlement) => boolean {
  if (filter === '') return () => true
  const regex = /^\/(.+)\/$/.exec(filter)
  const test = regex
    ? (s: string) => new RegExp(regex[1], 'i').test(s)
    : (s: string) => s.toLowerCase().includes(filter.toLowerCase())
  return (e) => test(`${e.accountName} ${e.accountId} ${e.roleName}`)
}
