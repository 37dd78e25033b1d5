/**
 * The baseline the hub is compared with: what a central index holding raw identities does
 * (the national decertification index model the design brief sets SPX against). Same
 * database driver and database, same HTTP stack (Hono on @hono/node-server), same data: the
 * N records with their normalized identifiers in the clear — the very match-key strings the
 * hub only ever sees as hub indexes — in a table with an index on the identifier, laid out as
 * the hub's `attestation_keys` / `attestations`.
 *
 * Its lookup is one indexed join returning the matching records as JSON. No authentication,
 * no signature on the answer, no audit row, no schema validation beyond the shape: the least
 * a lookup service can do, which is the point of a baseline.
 */
import { eq, inArray } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { Hono } from 'hono';
import type { Database } from '../../../platform/db/database.js';
import type { Corpus } from './hub-corpus.js';

export const rawRecords = pgTable('bench_raw_records', {
  id: text('id').primaryKey(),
  agencyOri: text('agency_ori').notNull(),
  category: text('category').notNull(),
  useOfForce: boolean('use_of_force').notNull(),
  eventDate: text('event_date').notNull(),
  outcomeDate: text('outcome_date').notNull(),
  status: text('status').notNull(),
  statusDate: text('status_date').notNull(),
});

export const rawIdentifiers = pgTable(
  'bench_raw_identifiers',
  {
    recordId: text('record_id')
      .notNull()
      .references(() => rawRecords.id),
    kind: text('kind').notNull(),
    /** The normalized identifier in the clear, e.g. `SPX1|ssn|123456789`. */
    identifier: text('identifier').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recordId, t.identifier] }),
    index('bench_raw_identifiers_identifier_idx').on(t.identifier),
  ],
);

export type BaselineDb = Database<Record<string, unknown>>;

/** Creates the two tables (in the bench's own schema or PGlite directory). */
export async function createBaselineTables(db: BaselineDb): Promise<void> {
  await db.execute(sql`create table bench_raw_records (
    id text primary key, agency_ori text not null, category text not null,
    use_of_force boolean not null, event_date text not null, outcome_date text not null,
    status text not null, status_date text not null)`);
  await db.execute(sql`create table bench_raw_identifiers (
    record_id text not null references bench_raw_records(id), kind text not null,
    identifier text not null, primary key (record_id, identifier))`);
  await db.execute(
    sql`create index bench_raw_identifiers_identifier_idx on bench_raw_identifiers (identifier)`,
  );
}

/** Loads the corpus's records and raw identifiers, `batch` records per transaction. */
export async function loadBaseline(db: BaselineDb, corpus: Corpus, batch: number): Promise<void> {
  for (let start = 0; start < corpus.statements.length; start += batch) {
    const slice = corpus.statements.slice(start, start + batch);
    await db.transaction(async (tx) => {
      await tx.insert(rawRecords).values(
        slice.map(({ payload: p }) => ({
          id: p.id,
          agencyOri: p.issuer,
          category: p.category,
          useOfForce: p.useOfForce,
          eventDate: p.eventDate,
          outcomeDate: p.outcomeDate,
          status: p.status,
          statusDate: p.statusDate,
        })),
      );
      await tx.insert(rawIdentifiers).values(
        slice.flatMap((s) =>
          corpus.officers[s.officer]!.map((k) => ({
            recordId: s.payload.id,
            kind: k.kind,
            identifier: k.keyString,
          })),
        ),
      );
    });
  }
  await db.execute(sql`analyze bench_raw_records`);
  await db.execute(sql`analyze bench_raw_identifiers`);
}

export function lookup(db: BaselineDb, identifiers: readonly string[]) {
  return db
    .select({
      id: rawRecords.id,
      agencyOri: rawRecords.agencyOri,
      category: rawRecords.category,
      useOfForce: rawRecords.useOfForce,
      eventDate: rawRecords.eventDate,
      outcomeDate: rawRecords.outcomeDate,
      status: rawRecords.status,
      statusDate: rawRecords.statusDate,
      kind: rawIdentifiers.kind,
    })
    .from(rawIdentifiers)
    .innerJoin(rawRecords, eq(rawRecords.id, rawIdentifiers.recordId))
    .where(inArray(rawIdentifiers.identifier, [...identifiers]));
}

/** POST /v1/lookup { identifiers: string[] } → { matches: [...] }. */
export function createBaselineApp(db: BaselineDb): Hono {
  const app = new Hono();
  app.post('/v1/lookup', async (c) => {
    const body = (await c.req.json()) as { identifiers?: unknown };
    const ids = body.identifiers;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 64) {
      return c.json({ error: 'identifiers: 1 to 64 strings' }, 400);
    }
    if (!ids.every((i): i is string => typeof i === 'string' && i.length <= 256)) {
      return c.json({ error: 'identifiers: 1 to 64 strings' }, 400);
    }
    return c.json({ matches: await lookup(db, ids) });
  });
  return app;
}
