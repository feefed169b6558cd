// Lint config: typescript-eslint's recommended rules plus the few house rules sf plugins care about.
import tseslint from 'typescript-eslint';

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
  // As in eslint-config-salesforce: in the plugin, a sequential await must say why it is sequential.
  { files: ['src/**'], rules: { 'no-await-in-loop': 'error' } },
  { files: ['test/**', 'simulator/**', 'scripts/**'], rules: { 'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off' } }
);
