import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeTogether, insertRows, insertRowsQuery } from './bulk-insert.js';
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

describe('several statements sent as one', () => {
  it('writes rows of two tables and an update in one statement, all or nothing', async () => {
    const { db } = handle;
    const [author] = await db.insert(tables.authors).values({ name: 'Together' }).returning();
    const before = await db.$count(tables.notes);
    await executeTogether(db, [
      insertRowsQuery(tables.authors, [{ name: 'Also together' }]),
      insertRowsQuery(tables.notes, [
        { authorId: author!.id, body: 'one round trip', pinned: false, createdAt: new Date(0) },
      ]),
      db
        .update(tables.authors)
        .set({ name: 'Renamed' })
        .where(eq(tables.authors.id, author!.id))
        .getSQL(),
      undefined,
    ]);
    expect(await db.$count(tables.notes)).toBe(before + 1);
    const names = (await db.select().from(tables.authors)).map((a) => a.name);
    expect(names).toContain('Also together');
    expect(names).toContain('Renamed');
    // A constraint broken by one part fails every part.
    const authors = await db.$count(tables.authors);
    await expect(
      executeTogether(db, [
        insertRowsQuery(tables.authors, [{ name: 'Never stored' }]),
        insertRowsQuery(tables.notes, [
          { authorId: 999_999, body: 'orphan', pinned: false, createdAt: new Date(0) },
        ]),
      ]),
    ).rejects.toThrow();
    expect(await db.$count(tables.authors)).toBe(authors);
    expect(await db.$count(tables.notes)).toBe(before + 1);
    await executeTogether(db, []);
  });
});
