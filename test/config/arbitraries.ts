import fc from 'fast-check'

/** Lines that real configs contain, plus the odd ones the two parsers disagree on. */
const names = fc.constantFrom(
  'a',
  'dev',
  'prod.Admin',
  'default',
  'my-sso',
  'x@y+z%w:v/u',
  'café',
  'a b',
  '"q x"',
  "'s'",
  'a#b',
  'two  spaces',
  '__proto__',
)
const keys = fc.constantFrom(
  'region',
  'Region',
  'output',
  'sso_session',
  'sso_start_url',
  'sso_region',
  'sso_account_id',
  'credential_process',
  's3',
  'S3',
  'addressing_style',
  'max_concurrent_requests',
  'key with space',
  '__proto__',
)
const values = fc.constantFrom(
  'us-east-1',
  'json',
  'https://d-123.awsapps.com/start/#/',
  'a=b=c',
  'v # c',
  'v ; c',
  'abc#def',
  '"quoted"',
  '',
  'aws configure export-credentials --profile p --format process',
  '111122223333',
)
const indent = fc.constantFrom('', '', '', '  ', '\t', '    ')

const header = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'profile ',
          'profile ',
          'profile ',
          'sso-session ',
          'services ',
          'profile  ',
          'profiles ',
          '',
          ' profile ',
        ),
        names,
        fc.constantFrom('', '', '', ' # c', ' ; c', ' '),
      )
      .map(([p, n, c]) => `[${p}${n}]${c}`),
    weight: 4,
  },
  {
    arbitrary: fc.constantFrom(
      '[default]',
      '[DEFAULT]',
      '[profile default]',
      '[plugins]',
      '[profile]',
      '[sso-session]',
      '  [profile indented]',
    ),
    weight: 1,
  },
)

const body = fc.oneof(
  {
    arbitrary: fc
      .tuple(indent, keys, fc.constantFrom(' = ', '=', ': ', ' =', '  =  '), values)
      .map(([i, k, d, v]) => `${i}${k}${d}${v}`),
    weight: 12,
  },
  {
    arbitrary: fc.tuple(indent, fc.constantFrom('# comment', '; comment', '#', '# a = b')).map(([i, c]) => i + c),
    weight: 2,
  },
  {arbitrary: fc.constantFrom('', ' ', '\t'), weight: 2},
  {arbitrary: fc.tuple(indent, fc.constantFrom('bare_line', '= orphan', ':', 'x')).map(([i, t]) => i + t), weight: 1},
)

const section = fc.tuple(header, fc.array(body, {maxLength: 6})).map(([h, b]) => [h, ...b])

/** A whole file: sections (sometimes after stray lines) joined with LF or CRLF, sometimes a BOM or no final newline. */
export function configFileArbitrary(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof({arbitrary: fc.constant([]), weight: 6}, {arbitrary: fc.array(body, {maxLength: 2}), weight: 1}),
      fc.array(section, {maxLength: 5}),
      fc.constantFrom('\n', '\n', '\r\n'),
      fc.boolean(),
      fc.nat(12),
    )
    .map(([preamble, sections, eol, finalNewline, bomDie]) => {
      const lines = [...preamble, ...sections.flat()]
      return (bomDie === 0 ? '\uFEFF' : '') + lines.join(eol) + (finalNewline ? eol : '')
    })
}
