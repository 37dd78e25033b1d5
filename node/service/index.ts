/** The agency node as a running service: its local API, key file, start-up (docs/node.md). */
export { createNodeApp, type NodeApp, type NodeAppDeps } from './app.js';
export {
  enrollmentJwk,
  readAgencyKeyFile,
  signingKeyFromKeyFileText,
  writeNewAgencyKeyFile,
  type EnrollmentJwk,
} from './key-file.js';
export { loadHubKeys, loadPinnedKeySet, loadPolicy } from './node-files.js';
export { startNode, type RunningNode, type StartNodeDeps } from './start.js';
