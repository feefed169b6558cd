// Lint config: typescript-eslint's recommended rules plus the few house rules sf plugins care about.
import tseslint from 'typescript-eslint';
import { fixupPluginRules } from '@eslint/compat';
import sfPlugin from 'eslint-plugin-sf-plugin';

const ADAPTERS = {
  group: ['**/salesforce/*', '**/render/*', '**/commands/**'],
  allowTypeImports: true,
  message: 'src/doctor and src/knowledge are pure: I/O comes through the adapters (doctor/context.ts).',
};
const NO_IO = {
  group: [
    'node:fs',
    'node:fs/*',
    'node:http',
    'node:https',
    'node:dns',
    'node:dns/*',
    'node:child_process',
    'undici',
    '@jsforce/*',
  ],
  allowTypeImports: true,
  message: 'No I/O in the pure layers.',
};
// From core, the pure layers take its pure URL rules only (SfdcUrl's domain checks: sf's own, not a copy).
const CORE_PURE = {
  name: '@salesforce/core',
  allowImportNames: ['SfdcUrl'],
  allowTypeImports: true,
  message: 'Only SfdcUrl from core in the pure layers: I/O goes through the adapters.',
};

export default tseslint.config(
  { ignores: ['lib/**', 'lib-sim/**', 'node_modules/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  // eslint-config-salesforce-typescript 4 is an ESLint 8 (eslintrc) config on typescript-eslint 6 and does not load in
  // ESLint 9: its TypeScript rules, set by hand on src (type-checked). Left out: its formatting rules (prettier owns
  // formatting), header/license, jsdoc and unicorn (plugins not kept here).
  {
    files: ['src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      '@typescript-eslint/consistent-type-assertions': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      // sf's setting is plain 'error'; an arrow passed where its type is known (a callback, a typed property) may leave
      // its return type to inference here.
      '@typescript-eslint/explicit-function-return-type': [
        'error',
        { allowExpressions: true, allowTypedFunctionExpressions: true },
      ],
      '@typescript-eslint/explicit-member-accessibility': ['error', { accessibility: 'explicit' }],
      '@typescript-eslint/member-ordering': 'error',
      '@typescript-eslint/no-shadow': 'error',
      '@typescript-eslint/return-await': 'error',
      '@typescript-eslint/prefer-for-of': 'error',
      '@typescript-eslint/prefer-function-type': 'error',
      '@typescript-eslint/prefer-includes': 'error',
      // Salesforce's answers and sf's inputs give '' for "none": `||` on a string says so on purpose.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      '@typescript-eslint/prefer-optional-chain': 'error',
      '@typescript-eslint/prefer-reduce-type-parameter': 'error',
      '@typescript-eslint/prefer-string-starts-ends-with': 'error',
      // As with typescript-eslint 6, which sf's config was written for: a default case covers the rest.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/unified-signatures': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNullish: true, allowBoolean: true, allowNumber: true },
      ],
    },
  },
  // sf's own plugin rules (eslint-plugin-sf-plugin, its recommended set) on the command: flags, messages, help.
  {
    files: ['src/commands/**'],
    // The plugin is written for ESLint 8 (context.getAncestors …): @eslint/compat adapts it to ESLint 9.
    plugins: { 'sf-plugin': fixupPluginRules(sfPlugin) },
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: sfPlugin.configs.recommended.rules,
  },
  // As in eslint-config-salesforce: in the plugin, a sequential await must say why it is sequential.
  { files: ['src/**'], rules: { 'no-await-in-loop': 'error' } },
  // The direction of the layers (README, Layout): knowledge (pure Salesforce facts) ← doctor (the pure engine) ←
  // salesforce (I/O adapters) and render ← commands. Types may cross; values and I/O modules may not.
  {
    files: ['src/doctor/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [CORE_PURE], patterns: [ADAPTERS, NO_IO] }],
    },
  },
  {
    files: ['src/knowledge/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [CORE_PURE],
          patterns: [{ ...ADAPTERS, group: [...ADAPTERS.group, '**/doctor/*', '**/doctor/**'] }, NO_IO],
        },
      ],
    },
  },
  // The one place words come from: core's Messages reads messages/*.md.
  {
    files: ['src/doctor/text.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ADAPTERS] }] },
  },
  {
    files: ['test/**', 'simulator/**', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
