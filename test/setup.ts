// Hermetic environment for every test file: a temp HOME, config paths inside it, no AWS_* from the developer.
import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

for (const name of Object.keys(process.env)) {
  if (name.startsWith('AWS_') || name.startsWith('SSOKIT_')) delete process.env[name]
}

const home = mkdtempSync(join(tmpdir(), 'ssokit-home-'))
mkdirSync(join(home, '.aws'), {mode: 0o700})
process.env.HOME = home
process.env.USERPROFILE = home
process.env.AWS_CONFIG_FILE = join(home, '.aws', 'config')
process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, '.aws', 'credentials')
process.env.AWS_EC2_METADATA_DISABLED = 'true'
process.env.NO_COLOR = '1'
process.env.COLUMNS = '160'
