/** Small node-wide values that belong with the data (e.g. the last key epoch published to). */
import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const nodeSettings = pgTable('node_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
