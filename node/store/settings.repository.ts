/** node_settings: a small key → JSON value store for node-wide state kept with the data. */
import { desc, eq, like } from 'drizzle-orm';
import type { NodeDatabase } from './database.js';
import { nodeSettings } from './settings.table.js';

export function settingsRepository(db: NodeDatabase) {
  return {
    /** The value, or undefined when the key was never set. */
    async get(key: string): Promise<unknown> {
      const [row] = await db.select().from(nodeSettings).where(eq(nodeSettings.key, key));
      return row?.value;
    },

    async set(key: string, value: unknown, now: Date): Promise<void> {
      if (value === undefined) throw new TypeError('settings: value must not be undefined');
      await db
        .insert(nodeSettings)
        .values({ key, value, updatedAt: now })
        .onConflictDoUpdate({ target: nodeSettings.key, set: { value, updatedAt: now } });
    },

    /** The entry with the greatest key starting with `prefix` (keys sort as text), if any. */
    async lastWithPrefix(prefix: string): Promise<{ key: string; value: unknown } | undefined> {
      const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
      const [row] = await db
        .select({ key: nodeSettings.key, value: nodeSettings.value })
        .from(nodeSettings)
        .where(like(nodeSettings.key, `${escaped}%`))
        .orderBy(desc(nodeSettings.key))
        .limit(1);
      return row;
    },

    /** Removes the key; returns whether it existed. */
    async delete(key: string): Promise<boolean> {
      const rows = await db
        .delete(nodeSettings)
        .where(eq(nodeSettings.key, key))
        .returning({ key: nodeSettings.key });
      return rows.length > 0;
    },
  };
}

export type SettingsRepository = ReturnType<typeof settingsRepository>;
