/** The readiness probe's one query, here so that no service module builds SQL for it. */
import { sql } from 'drizzle-orm';
import type { Database } from './database.js';

/** Resolves when the database answers a trivial query; rejects with the driver's error. */
export async function pingDatabase(db: Database<Record<string, unknown>>): Promise<void> {
  await db.execute(sql`select 1`);
}
