/**
 * Test support for suites on the node's database: one migrated database per test file
 * (PGlite instances cost seconds), emptied between tests with `clearNodeStore`.
 */
import { openTestDatabase } from '../../platform/db/test-db.js';
import type { DatabaseHandle } from '../../platform/db/index.js';
import { attestations } from './attestations.table.js';
import { checks } from './checks.table.js';
import {
  NODE_MIGRATIONS_FOLDER,
  nodeTables,
  type NodeDatabase,
  type NodeTables,
} from './database.js';
import { officers } from './officers.table.js';
import { outbox } from './outbox.table.js';
import { outcomes } from './outcomes.table.js';
import { retiredOutcomes } from './retention.table.js';
import { nodeSettings } from './settings.table.js';
import { attestationLog, logAlerts, logCheckpoints } from './tlog.table.js';

export function openNodeTestDatabase(): Promise<DatabaseHandle<NodeTables>> {
  return openTestDatabase(NODE_MIGRATIONS_FOLDER, { tables: nodeTables });
}

/** Deletes every row, in foreign-key order (aliases go with their officers). */
export async function clearNodeStore(db: NodeDatabase): Promise<void> {
  await db.delete(attestationLog);
  await db.delete(attestations);
  await db.delete(outcomes);
  await db.delete(officers);
  await db.delete(checks);
  await db.delete(outbox);
  await db.delete(nodeSettings);
  await db.delete(logCheckpoints);
  await db.delete(logAlerts);
  await db.delete(retiredOutcomes);
}
