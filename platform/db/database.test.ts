/**
 * The example repository and the test-database helper, on the driver this vitest project
 * selects: PGlite, or PostgreSQL when SPX_TEST_DATABASE_URL is set (vitest.config.ts runs
 * this file once per driver). The same code, unchanged, on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './database.js';
import { NotesError, notesRepository } from './fixtures/notes-repository.js';
import { FIXTURE_MIGRATIONS } from './fixtures/paths.js';
import * as tables from './fixtures/schema.js';
import { openTestDatabase } from './test-db.js';

const driver = process.env['SPX_TEST_DATABASE_URL'] ? 'postgres' : 'pglite';
const at = new Date('2025-03-04T05:06:07.891Z');

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  throw new Error('expected a rejection');
}

describe(`one repository on ${driver}`, () => {
  let handle: DatabaseHandle<typeof tables>;
  beforeAll(async () => {
    handle = await openTestDatabase(FIXTURE_MIGRATIONS, { tables });
  });
  afterAll(() => handle?.close());

  it('opens the driver the environment selects, with every fixture migration applied', async () => {
    expect(handle.kind).toBe(driver);
    const repo = notesRepository(handle.db);
    const note = await repo.addNote(await repo.addAuthor('migrated'), 'x', at);
    expect(note.pinned).toBe(false); // column added by the second migration
  });

  it('stores rows and reads them back with their types intact', async () => {
    const repo = notesRepository(handle.db);
    const ada = await repo.addAuthor('ada');
    await repo.addNote(ada, 'first', at);
    await repo.addNote(ada, 'second', new Date(at.getTime() + 1000));
    const notes = await repo.notesOf('ada');
    expect(notes.map((n) => n.body)).toEqual(['first', 'second']);
    expect(notes[0]!.createdAt).toBeInstanceOf(Date);
    expect(notes[0]!.createdAt.toISOString()).toBe(at.toISOString());
    expect(notes[0]!.status).toBe('draft');
    expect(notes[0]!.authorId).toBe(ada);
  });

  it("answers drizzle's relational queries (db.query) when given the tables", async () => {
    await notesRepository(handle.db).addAuthor('alan');
    const found = await handle.db.query.authors.findFirst({
      where: (a, { eq }) => eq(a.name, 'alan'),
    });
    expect(found?.name).toBe('alan');
  });

  it('turns a unique violation into the domain code AUTHOR_EXISTS', async () => {
    const repo = notesRepository(handle.db);
    await repo.addAuthor('grace');
    expect(await codeOf(repo.addAuthor('grace'))).toBe('AUTHOR_EXISTS');
  });

  it('turns a foreign-key violation into the domain code AUTHOR_UNKNOWN', async () => {
    const repo = notesRepository(handle.db);
    const err = await repo.addNote(999_999, 'orphan', at).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotesError);
    expect((err as NotesError).code).toBe('AUTHOR_UNKNOWN');
  });

  it('publishes all drafts in one transaction and counts by status', async () => {
    const repo = notesRepository(handle.db);
    const id = await repo.addAuthor('barbara');
    const before = await repo.countByStatus('published');
    await repo.addNote(id, 'a', at);
    await repo.addNote(id, 'b', at);
    expect(await repo.publishAll(id)).toBe(2);
    expect(await repo.countByStatus('published')).toBe(before + 2);
    expect(await repo.publishAll(id)).toBe(0);
  });

  it('runs the repository inside a transaction and rolls it back when the callback throws', async () => {
    const rolledBack = handle.db.transaction(async (tx) => {
      const repo = notesRepository(tx);
      await repo.addNote(await repo.addAuthor('edsger'), 'never stored', at);
      throw new Error('abort');
    });
    await expect(rolledBack).rejects.toThrow('abort');
    expect(await notesRepository(handle.db).notesOf('edsger')).toEqual([]);
    // The name is free again: the author row went with the rollback.
    await expect(notesRepository(handle.db).addAuthor('edsger')).resolves.toBeTypeOf('number');
  });
});

describe(`test databases on ${driver}`, () => {
  it('gives every open its own empty, migrated database', async () => {
    const [a, b] = await Promise.all([
      openTestDatabase(FIXTURE_MIGRATIONS, { tables }),
      openTestDatabase(FIXTURE_MIGRATIONS, { tables }),
    ]);
    try {
      const repoA = notesRepository(a.db);
      await repoA.addNote(await repoA.addAuthor('only-in-a'), 'x', at);
      expect(await notesRepository(b.db).countByStatus('draft')).toBe(0);
      expect(await notesRepository(b.db).notesOf('only-in-a')).toEqual([]);
      expect(await repoA.countByStatus('draft')).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('closes idempotently, and a closed database refuses queries', async () => {
    const h = await openTestDatabase(FIXTURE_MIGRATIONS, { tables });
    await Promise.all([h.close(), h.close()]);
    await h.close();
    await expect(notesRepository(h.db).countByStatus('draft')).rejects.toBeDefined();
  });
});
