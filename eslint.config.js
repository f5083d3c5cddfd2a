import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.scratch/', 'node_modules/', 'dist/', 'coverage/', '.tap/', '.data/', 'drizzle/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
    },
  },
  {
    // Layers point one way (architecture.md): server -> app -> plugins -> modules -> db.
    files: ['src/modules/**/*.ts', 'src/db/**/*.ts', 'src/errors/**/*.ts', 'src/http/**/*.ts', 'src/graphql/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/plugins/*', '**/app.js', '**/server.js'], message: 'A module never imports a plugin or the app: layers point one way.' }] }],
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/*', '**/plugins/*'], message: 'The database layer imports no module.' }] }],
    },
  },
);
