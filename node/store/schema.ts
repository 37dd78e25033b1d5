/**
 * The agency node's database schema: one drizzle schema for the node's own database
 * (docs/storage.md), its tables in one file per feature. drizzle-kit reads this module
 * (node/drizzle.config.ts) to generate node/migrations/.
 */
export * from './enums.table.js';
export * from './officers.table.js';
export * from './outcomes.table.js';
export * from './attestations.table.js';
export * from './checks.table.js';
export * from './outbox.table.js';
export * from './settings.table.js';
export * from './tlog.table.js';
export * from './inbox.table.js';
export * from './retention.table.js';
export * from './monitoring.table.js';
export * from './console.table.js';
