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
  group: ['node:fs', 'node:fs/*', 'node:http', 'node:https', 'node:dns', 'node:dns/*', 'node:child_process', 'undici', '@jsforce/*'],
  allowTypeImports: true,
  message: 'No I/O in the pure layers.',
};
// From core, the pure layers take its pure URL rules only (SfdcUrl's domain checks: sf's own, not a copy).
const CORE_PURE = { name: '@salesforce/core', allowImportNames: ['SfdcUrl'], allowTypeImports: true, message: 'Only SfdcUrl from core in the pure layers: I/O goes through the adapters.' };

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
  { files: ['src/doctor/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [CORE_PURE], patterns: [ADAPTERS, NO_IO] }] } },
  { files: ['src/knowledge/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [CORE_PURE], patterns: [{ ...ADAPTERS, group: [...ADAPTERS.group, '**/doctor/*', '**/doctor/**'] }, NO_IO] }] } },
  // The one place words come from: core's Messages reads messages/*.md.
  { files: ['src/doctor/text.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ADAPTERS] }] } },
  { files: ['test/**', 'simulator/**', 'scripts/**'], rules: { 'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off' } }
);
