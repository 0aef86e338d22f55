// Lint carries the architecture (docs/ARCHITECTURE.md): calls go routes → services → repositories,
// a module is used only through its index.ts, the web app and shared code never reach into the
// server, and promises are never left floating. Formatting is Prettier's job, not ESLint's.
import fs from 'node:fs';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** server/modules/<name>: each is a module whose public face is its index.ts. */
const modules = fs
  .readdirSync('server/modules', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * One zone per module: from inside it, another module may be imported only through its index.ts.
 * Tests of a module sit beside it and may use its insides; tests elsewhere go through index.ts too.
 */
const moduleZones = modules.map((name) => ({
  target: [
    `./server/modules/${name}/**`,
    './server/app.ts',
    './server/main.ts',
    './server/run.ts',
    './server/maintenance-jobs.ts',
    './server/demo/**',
    './server/platform/**',
    './test/**',
    './bench/**',
    './e2e/**',
    './scripts/**',
  ].filter((target) => target.startsWith(`./server/modules/${name}`) || !target.startsWith('./server/modules')),
  from: `./server/modules/!(${name})/**`,
  except: ['**/index.ts'],
  message: 'Use the module through its index.ts (its public face), not its insides.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'e2e/screenshots/**', 'data/**', 'shared/api/openapi.d.ts', 'web/waiting-room/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { noWarnOnMultipleProjects: true }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...moduleZones,
            { target: ['./web/**', './shared/**'], from: './server', message: 'The web app and shared code never import the server.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'Routes never touch the database: call a service.' }],
          patterns: [{ regex: '\\.repository\\.js$|/db/', message: 'Routes never touch the database: call a service.' }],
        },
      ],
    },
  },
  {
    // Use cases, SQL and pure rules know nothing of HTTP; adapters (routes, gates, pages) do.
    files: ['**/*.service.ts', '**/*.repository.ts', '**/*-rules.ts', '**/*.store.ts', '**/*.view.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^fastify$|^@fastify/', message: 'Only routes (and a module’s index.ts wiring them) know HTTP.' }],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
