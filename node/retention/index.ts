/** Retention at the node (docs/node.md "Retention"). */
export { runRetention, type RetentionDeps, type RetentionPass } from './run-retention.js';
export { registeredJurisdiction } from './jurisdiction.js';
