// Lint rules, including the project's layering: crypto <- protocol <- {node, hub, keyholder}.
// The three parties (node, hub, keyholder) never import each other: each is a separate
// organisation and trust domain. crypto and protocol import nothing that does I/O.
// platform/ is the services' shared I/O plumbing (database, config, HTTP errors); it sits
// beside protocol and below node and hub.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Modules that perform I/O (network, files, processes, databases, HTTP servers). */
const ioModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
  'dgram',
  'node:dgram',
  'tls',
  'node:tls',
  'worker_threads',
  'node:worker_threads',
  'postgres',
  '@electric-sql/pglite',
  'hono',
  '@hono/node-server',
  'commander',
];
const ioPatterns = ['drizzle-orm', 'drizzle-orm/*', 'hono/*', '@electric-sql/*'];

const layer = (forbiddenFolders, allowIo) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: allowIo
        ? []
        : ioModules.map((name) => ({ name, message: 'crypto/ and protocol/ do no I/O.' })),
      patterns: [
        ...forbiddenFolders.map((f) => ({
          group: [`**/${f}`, `**/${f}/**`],
          message: `Layering: this folder must not import ${f}/ (crypto <- protocol <- platform <- {node, hub, keyholder}; the parties never import each other).`,
        })),
        ...(allowIo ? [] : [{ group: ioPatterns, message: 'crypto/ and protocol/ do no I/O.' }]),
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Pure layers: no clock or randomness except through parameters.
  {
    files: ['crypto/**/*.ts', 'protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'crypto/ and protocol/ take configuration as parameters.' },
        { name: 'fetch', message: 'crypto/ and protocol/ do no I/O; fetch is injected.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take the clock as a parameter.' },
        { object: 'Math', property: 'random', message: 'Take randomness as a parameter (rng).' },
        {
          object: 'crypto',
          property: 'getRandomValues',
          message: 'Take randomness as a parameter (rng).',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Take the clock as a parameter.',
        },
      ],
    },
  },
  {
    files: ['crypto/**/*.ts'],
    rules: layer(['protocol', 'platform', 'node', 'hub', 'keyholder', 'bin'], false),
  },
  {
    files: ['protocol/**/*.ts'],
    rules: layer(['platform', 'node', 'hub', 'keyholder', 'bin'], false),
  },
  { files: ['platform/**/*.ts'], rules: layer(['node', 'hub', 'keyholder', 'bin'], true) },
  { files: ['node/**/*.ts'], rules: layer(['hub', 'keyholder', 'bin'], true) },
  { files: ['hub/**/*.ts'], rules: layer(['node', 'keyholder', 'bin'], true) },
  { files: ['keyholder/**/*.ts'], rules: layer(['hub', 'node', 'bin'], true) },
);
