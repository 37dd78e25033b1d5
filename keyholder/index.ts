/** The keyholder service (docs/keyholder.md): app, process, CLI, and its storage. */
export {
  createKeyholderApp,
  EVALUATE_ROLES,
  MAX_EVALUATE_BODY_BYTES,
  publishKeys,
  type KeyholderAppDeps,
  type PublishedKeys,
} from './app.js';
export { startKeyholder, type RunningKeyholder, type StartKeyholderDeps } from './start.js';
export { registerKeyholderCommands, type KeyholderCliDeps } from './cli.js';
export {
  DEFAULT_DAILY_QUOTA,
  LEGACY_KEYHOLDER_AUDIENCE,
  DEFAULT_KEYHOLDER_HOST,
  DEFAULT_KEYHOLDER_PORT,
  KEYHOLDER_SETTINGS,
  parseKeyholderConfig,
  type KeyholderConfig,
} from './config.js';
export {
  HubAgencyDirectory,
  REGISTRY_PATH,
  type HubDirectoryOptions,
  type KeyholderDirectory,
} from './directory.js';
export { KeyholderError, isKeyholderError, type KeyholderErrorCode } from './errors.js';
export { kekFromBytes, loadKekFile, writeKekFile, type KeyEncryptionKey } from './kek.js';
export {
  keyRepository,
  type KeyholderDatabase,
  type KeyRepository,
  type NewKeyRecord,
  type PublicKeyRecord,
} from './key-repository.js';
export {
  parseSeed,
  parseShareFile,
  readShareFile,
  shareFileOf,
  writeShareFile,
} from './key-files.js';
export { KEYHOLDER_MIGRATIONS } from './paths.js';
export {
  quotaRepository,
  secondsUntilNextUtcDay,
  utcDay,
  type QuotaDecision,
  type QuotaRepository,
} from './quota-repository.js';
export * as keyholderTables from './schema.js';
