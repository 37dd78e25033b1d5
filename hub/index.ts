/** The hub service (docs/hub.md, docs/api.md): app, process, configuration, operator CLI. */
export { createHubApp, HUB_AUDIENCE, type HubAppDeps } from './app.js';
export { startHub, HUB_MIGRATIONS, type RunningHub, type StartHubDeps } from './server.js';
export {
  parseHubConfig,
  HUB_SETTINGS,
  DEFAULT_HUB_PORT,
  DEFAULT_HUB_HOST,
  type HubConfig,
  type HubAppConfig,
} from './config.js';
export { registerHubCommands, type HubCliOptions } from './cli.js';
export { HubError, isHubError, type HubErrorCode } from './errors.js';
export { OPERATOR_SOCKET_NAME, operatorSocketPath, type HubOperations } from './operator/index.js';
export type { LogSink } from './http/request-log.js';
export type { HubDatabase } from './database.js';
export {
  readSigningKeyFile,
  writeNewSigningKeyFile,
  signingKeyFromFileJson,
  hubJwks,
} from './signing-key/signing-key.js';
export * as hubTables from './schema.js';
