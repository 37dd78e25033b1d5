/** The node's database handle type and where its migrations are (docs/storage.md). */
import { fileURLToPath } from 'node:url';
import type { Database } from '../../platform/db/index.js';
import * as schema from './schema.js';

/** drizzle's `tables` option for the node's database (`openDatabase(…, { tables })`). */
export const nodeTables = schema;
export type NodeTables = typeof schema;

/** The node's database, or a transaction on it: every repository takes this. */
export type NodeDatabase = Database<NodeTables>;

/** drizzle-kit's output for node/store/schema.ts, applied at start-up. */
export const NODE_MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));
