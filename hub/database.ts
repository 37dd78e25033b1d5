/** The hub's database handle type (like node/store/database.ts): every repository takes it. */
import type { Database } from '../platform/db/database.js';
import type * as schema from './schema.js';

/** The hub's database, or a transaction on it. */
export type HubDatabase = Database<typeof schema>;

/** Work to do inside a change's transaction, after the change (e.g. appending it to the log). */
export type InTransaction = (tx: HubDatabase) => Promise<void>;
