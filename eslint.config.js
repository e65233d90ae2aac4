// A small, explicit lint config: the recommended rules of ESLint and typescript-eslint (no type
// information, so it stays fast), plus the few rules this code base relies on.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // TypeScript checks names; ESLint's no-undef does not know its types and globals.
      'no-undef': 'off',
      // Unused names are mistakes, except the `_`-prefixed ones kept for a signature's shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Control characters are what the scrubber and the parsers look for.
      'no-control-regex': 'off',
      // Only processes may be spawned with argument arrays: forbid the shell forms of child_process.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'No shell: use argument arrays (execa or execFile).' }] },
      ],
    },
  },
  {
    // The bundle's loader is plain CommonJS that runs before anything is bundled in.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
