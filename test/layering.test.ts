/**
 * The layering (crypto ← protocol ← {node, hub}; crypto and protocol without I/O, clock or
 * randomness) is enforced by the lint configuration; these tests prove the rules bite.
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layering rules', () => {
  it.each([
    ['crypto/x.ts', "import { a } from '../protocol/index.js';\nexport const b = a;\n"],
    ['crypto/x.ts', "import { a } from '../hub/index.js';\nexport const b = a;\n"],
    ['protocol/x.ts', "import { a } from '../node/index.js';\nexport const b = a;\n"],
    ['node/x.ts', "import { a } from '../hub/index.js';\nexport const b = a;\n"],
    ['hub/x.ts', "import { a } from '../node/store/index.js';\nexport const b = a;\n"],
    ['platform/x.ts', "import { a } from '../hub/index.js';\nexport const b = a;\n"],
    ['platform/x.ts', "import { a } from '../keyholder/index.js';\nexport const b = a;\n"],
    ['hub/x.ts', "import { a } from '../keyholder/index.js';\nexport const b = a;\n"],
    ['hub/tlog/x.ts', "import { a } from '../../keyholder/app.js';\nexport const b = a;\n"],
    ['node/x.ts', "import { a } from '../keyholder/index.js';\nexport const b = a;\n"],
    ['keyholder/x.ts', "import { a } from '../hub/index.js';\nexport const b = a;\n"],
    ['keyholder/x.ts', "import { a } from '../node/tokenize/index.js';\nexport const b = a;\n"],
    ['keyholder/x.ts', "import { a } from '../bin/spx.js';\nexport const b = a;\n"],
    ['crypto/x.ts', "import { a } from '../platform/index.js';\nexport const b = a;\n"],
  ])('forbids an upward or sideways import in %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ["import postgres from 'postgres';\nexport const p = postgres;\n"],
    ["import { Hono } from 'hono';\nexport const h = Hono;\n"],
  ])('forbids I/O modules in protocol/: %s', async (code) => {
    expect(await ruleIds('protocol/x.ts', code)).toContain('no-restricted-imports');
  });

  it('forbids reading the clock and randomness in crypto/', async () => {
    const ids = await ruleIds(
      'crypto/x.ts',
      'export const a = Date.now();\nexport const b = Math.random();\nexport const c = new Date();\n',
    );
    expect(ids.filter((id) => id.startsWith('no-restricted'))).toHaveLength(3);
  });

  it.each([
    ['node/outbox/x.ts', "import { eq } from 'drizzle-orm';\nexport const f = eq;\n"],
    ['hub/tlog/x.service.ts', "import { sql } from 'drizzle-orm';\nexport const f = sql;\n"],
    ['platform/http/x.ts', "import { inArray } from 'drizzle-orm';\nexport const f = inArray;\n"],
    [
      'node/publish/x.ts',
      'export const f = (deps: { db: { select(): unknown } }) => deps.db.select();\n',
    ],
    ['hub/tlog/x.ts', 'export const f = (tx: { delete(t: string): unknown }) => tx.delete("t");\n'],
  ])('forbids SQL outside repositories: %s', async (file, code) => {
    const ids = await ruleIds(file, code);
    expect(ids.filter((id) => id.startsWith('no-restricted'))).toHaveLength(1);
  });

  it('allows SQL in repositories, tables, platform/db and tests, and drizzle types anywhere', async () => {
    const query =
      "import { eq } from 'drizzle-orm';\nexport const f = (db: { delete(t: unknown): unknown }) => db.delete(eq);\n";
    for (const file of [
      'node/store/x.repository.ts',
      'hub/tlog/x.repository.ts',
      'hub/x/x.table.ts',
      'platform/db/x.ts',
      'node/outbox/x.test.ts',
    ]) {
      expect(await ruleIds(file, query)).toEqual([]);
    }
    const typeOnly = "import type { SQL } from 'drizzle-orm';\nexport type S = SQL;\n";
    expect(await ruleIds('node/outbox/x.ts', typeOnly)).toEqual([]);
    // Not every .delete() is SQL.
    const map = 'export const f = (m: Map<string, number>) => m.delete("a");\n';
    expect(await ruleIds('node/outbox/x.ts', map)).toEqual([]);
  });

  it('keeps the clock and randomness rules of crypto/ beside the SQL rule', async () => {
    expect(await ruleIds('protocol/x.ts', 'export const a = Date.now();\n')).toContain(
      'no-restricted-properties',
    );
    expect(await ruleIds('crypto/x.ts', 'export const c = new Date();\n')).toContain(
      'no-restricted-syntax',
    );
  });

  it('allows the downward imports the design intends', async () => {
    expect(
      await ruleIds('hub/x.ts', "import { a } from '../protocol/index.js';\nexport const b = a;\n"),
    ).not.toContain('no-restricted-imports');
    expect(
      await ruleIds('node/x.ts', "import { a } from '../crypto/index.js';\nexport const b = a;\n"),
    ).not.toContain('no-restricted-imports');
    expect(
      await ruleIds(
        'keyholder/x.ts',
        "import { a } from '../platform/index.js';\nimport { c } from '../protocol/index.js';\nexport const b = [a, c];\n",
      ),
    ).not.toContain('no-restricted-imports');
  });
});
