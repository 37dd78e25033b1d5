import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from './bulk-insert.js';
import type { DatabaseHandle } from './database.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import * as tables from './fixtures/schema.js';
import { openTestDatabase } from './test-db.js';

let handle: DatabaseHandle<typeof tables>;
beforeAll(async () => {
  handle = await openTestDatabase(FIXTURE_MIGRATIONS, { tables });
});
afterAll(() => handle?.close());

describe('inserting many rows as one JSON parameter', () => {
  it('stores exactly what the query builder would, leaving absent columns to their defaults', async () => {
    const { db } = handle;
    const names = ['Ada', 'Grace "Amazing" Hopper', 'Ö\\ß€ 🚓', ''];
    await insertRows(
      db,
      tables.authors,
      names.map((name) => ({ name })),
    );
    const authors = await db.select().from(tables.authors).orderBy(asc(tables.authors.id));
    expect(authors.map((a) => a.name)).toEqual(names);
    const at = new Date('2026-05-01T12:34:56.789Z');
    await insertRows(db, tables.notes, [
      { authorId: authors[0]!.id, body: 'first', pinned: true, createdAt: at },
      { authorId: authors[1]!.id, body: 'second', pinned: false, createdAt: new Date(0) },
    ]);
    const notes = await db.select().from(tables.notes).orderBy(asc(tables.notes.id));
    expect(notes.map(({ id: _id, ...n }) => n)).toEqual([
      { authorId: authors[0]!.id, body: 'first', status: 'draft', pinned: true, createdAt: at },
      {
        authorId: authors[1]!.id,
        body: 'second',
        status: 'draft',
        pinned: false,
        createdAt: new Date(0),
      },
    ]);
  });

  it('keeps the table’s constraints: a bad row fails the whole insert', async () => {
    const { db } = handle;
    const before = await db.$count(tables.notes);
    await expect(
      insertRows(db, tables.notes, [
        { authorId: 999_999, body: 'orphan', pinned: false, createdAt: new Date(0) },
      ]),
    ).rejects.toThrow();
    expect(await db.$count(tables.notes)).toBe(before);
  });

  it('refuses a column whose type JSON does not carry exactly, before sending anything', async () => {
    await expect(
      insertRows(handle.db, tables.notes, [
        { authorId: 1, body: 'x', status: 'published', pinned: false, createdAt: new Date(0) },
      ]),
    ).rejects.toThrow(/status/);
  });

  it('does nothing for no rows', async () => {
    await expect(insertRows(handle.db, tables.authors, [])).resolves.toBeUndefined();
  });
});
