/**
 * The services' shared I/O plumbing (docs/storage.md): databases, configuration, HTTP errors
 * and bodies, process lifecycle. Imported by node/ and hub/; imports neither. Test helpers
 * (platform/db/test-db.ts) are imported from their own module, not from here.
 */
export * from './errors.js';
export * from './error-summary.js';
export * from './db/index.js';
export * from './fs/index.js';
export * from './config/index.js';
export * from './http/index.js';
export * from './lifecycle/index.js';
export * from './logging/index.js';
export * from './operator-socket/index.js';
