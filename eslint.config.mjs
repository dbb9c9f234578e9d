import {includeIgnoreFile} from '@eslint/compat'
import oclif from 'eslint-config-oclif'
import prettier from 'eslint-config-prettier'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const gitignorePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '.gitignore')

export default [
  includeIgnoreFile(gitignorePath),
  {ignores: ['test/fixtures/**']},
  ...oclif,
  prettier,
  {
    rules: {
      // AWS setting names (sso_start_url, ...) are object keys throughout: they are data, not identifiers.
      camelcase: ['error', {properties: 'never'}],
      // File modes (mode & 0o077) are bit masks.
      'no-bitwise': 'off',
      // Key order is output order: JSON documents, token files in the AWS CLI's key order, status in the README's order.
      'perfectionist/sort-objects': 'off',
      // `_`-prefixed names are deliberately unused (rest destructuring that drops a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', ignoreRestSiblings: true, varsIgnorePattern: '^_'},
      ],
      // `undefined` is often what a typed promise or callback must return; TypeScript, not this rule, decides.
      'unicorn/no-useless-undefined': 'off',
      // Indexed loops over tens of thousands of lines stay indexed: `for…of entries()` allocates an array per item,
      // which a short-lived CLI process pays for before the JIT optimises it away.
      'unicorn/no-for-loop': 'off',
      // It rewrites comparisons of Dates and of strings into Math.min/max, which changes their meaning.
      'unicorn/prefer-math-min-max': 'off',
      // The config engine works on UTF-16 code units on purpose (Python's whitespace and JSON escapes are per unit).
      'unicorn/prefer-code-point': 'off',
      // Passing a named one-argument function to map/filter is clearer than a wrapper arrow.
      'unicorn/no-array-callback-reference': 'off',
      // TypeScript already checks every imported name (tsc in the build). These rules parse each dependency again
      // (the AWS SDK among them): over half of the lint run. typescript-eslint's performance guide turns them off.
      'import/default': 'off',
      'import/named': 'off',
      'import/namespace': 'off',
      'import/no-named-as-default': 'off',
      'import/no-named-as-default-member': 'off',
      // "files": ["/bin"] publishes bin/; the plugin misreads the leading slash.
      'n/no-unpublished-bin': 'off',
    },
  },
  {
    files: ['bench/**/*.js'],
    rules: {
      // Benchmarks run one measurement after another on purpose, and exit like the scripts they are.
      'n/no-process-exit': 'off',
      'no-await-in-loop': 'off',
      'unicorn/consistent-function-scoping': 'off',
      'unicorn/no-process-exit': 'off',
    },
  },
  {
    files: ['demo/**/*.ts'],
    rules: {
      // The demo runs its steps one after another on purpose, and exits like the script it is (also from a signal).
      'n/no-process-exit': 'off',
      'no-await-in-loop': 'off',
      'unicorn/no-process-exit': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Test steps run one after another on purpose; small helpers sit beside the test that uses them.
      'no-await-in-loop': 'off',
      'unicorn/consistent-function-scoping': 'off',
      // vitest, not mocha: the mocha plugin's rules about suites and hooks do not apply.
      'mocha/max-top-level-suites': 'off',
      'mocha/no-setup-in-describe': 'off',
      'mocha/no-sibling-hooks': 'off',
      'mocha/no-skipped-tests': 'off',
      'mocha/no-top-level-hooks': 'off',
      // fast-check's documented style is `fc.property(...)`.
      'import/no-named-as-default-member': 'off',
      // Node 20 has fetch (stable from 21; the tests run on both).
      'n/no-unsupported-features/node-builtins': 'off',
    },
  },
]
