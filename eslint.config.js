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

// SQL only in repositories (as in the hub's feature folders): services, routes and loops call a
// repository and never build a query. These files may import drizzle's query builders and
// operators and call db.select/insert/update/delete/execute; tests and their support may too.
const sqlFiles = [
  '**/*.repository.ts',
  '**/*.table.ts',
  '**/schema.ts',
  'platform/db/**',
  '**/*.test.ts',
  '**/test-support/**',
  '**/*test-support.ts',
  '**/testing.ts',
  // keyholder/ predates the *.repository.ts naming.
  'keyholder/key-repository.ts',
  'keyholder/quota-repository.ts',
];
const SQL_MESSAGE =
  'SQL only in repositories: build queries in a *.repository.ts (node/store/, hub/<feature>/) and call it.';
const sqlBuilderPatterns = [
  { group: ['drizzle-orm', 'drizzle-orm/*'], allowTypeImports: true, message: SQL_MESSAGE },
];
/** `db.select(…)`, `tx.update(…)`, `deps.db.execute(…)`: a query built on a database handle. */
const sqlCallSelector =
  'CallExpression[callee.type="MemberExpression"][callee.property.name=/^(select|selectDistinct|selectDistinctOn|insert|update|delete|execute)$/]:matches([callee.object.name=/^(db|tx)$/], [callee.object.property.name=/^(db|tx)$/])';

const layer = (forbiddenFolders, allowIo, allowSql = true) => ({
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
        ...(allowSql ? [] : sqlBuilderPatterns),
      ],
    },
  ],
  // Only for the service folders' restricted files: crypto/ and protocol/ use this rule for the
  // clock and randomness.
  ...(allowSql
    ? {}
    : { 'no-restricted-syntax': ['error', { selector: sqlCallSelector, message: SQL_MESSAGE }] }),
});

/** A service folder: its layering everywhere, and SQL only in the files that may hold it. */
const service = (folder, forbiddenFolders) => [
  { files: [`${folder}/**/*.{ts,tsx}`], rules: layer(forbiddenFolders, true, false) },
  {
    files: sqlFiles
      .filter((f) => f.startsWith('**') || f.startsWith(`${folder}/`))
      .map((f) => (f.startsWith('**') ? `${folder}/${f}` : f)),
    rules: { ...layer(forbiddenFolders, true, true), 'no-restricted-syntax': 'off' },
  },
];

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
    rules: layer(['protocol', 'platform', 'node', 'hub', 'keyholder', 'body', 'bin'], false),
  },
  {
    files: ['protocol/**/*.ts'],
    rules: layer(['platform', 'node', 'hub', 'keyholder', 'body', 'bin'], false),
  },
  ...service('platform', ['node', 'hub', 'keyholder', 'body', 'bin']),
  ...service('node', ['hub', 'keyholder', 'body', 'bin']),
  ...service('hub', ['node', 'keyholder', 'body', 'bin']),
  ...service('keyholder', ['hub', 'node', 'body', 'bin']),
  // A credentialing body's tools (`spx body`): a party of its own, with no database.
  ...service('body', ['hub', 'node', 'keyholder', 'bin']),
);
