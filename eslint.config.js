// Type-aware lint. Layer rules: src/state is pure, src/runtime never imports the UI, src/ui sees
// the runtime only through Controls (runtime/types.ts), src/config imports no runtime/UI/CLI.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.laneboard', 'bench/results', 'bench/.peers'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Rules of Hooks and exhaustive effect dependencies for the Ink UI.
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'test/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    // The launcher is CommonJS (bin/package.json).
    files: ['**/*.cjs', 'bin/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/state/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'child_process',
            'chokidar',
            'execa',
            'ink',
            'react',
            '../ui/*',
            '../runtime/*',
            '../config/*',
          ],
        },
      ],
    },
  },
  {
    // The UI sees the runtime only through the Controls interface (src/runtime/types.ts).
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../runtime/*', '../runtime/**', '!../runtime/types.js'],
              message: 'src/ui sees the runtime only through Controls (src/runtime/types.ts)',
            },
            { group: ['../cli/*', '../config/*'], message: 'src/ui does not import cli or config' },
            { group: ['node:child_process', 'node:fs', 'node:fs/*', 'execa', 'chokidar'] },
          ],
        },
      ],
    },
  },
  {
    // lanes.yaml → BoardConfig: no runtime, UI or CLI.
    files: ['src/config/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['ink', 'ink-*', 'react', '../runtime/*', '../ui/*', '../cli/*'] },
      ],
    },
  },
  {
    files: ['src/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['ink', 'ink-*', 'react', '../ui/*', '../../ui/*'] },
      ],
    },
  },
);
