/** Service configuration from environment variables, parsed once in main.ts. */
export {
  ConfigError,
  envBoolean,
  envInteger,
  envList,
  envPort,
  envUrl,
  isConfigError,
  parseConfig,
  type ConfigIssue,
  type Env,
} from './config.js';
export {
  databaseConfigFromEnv,
  databaseEnvShape,
  MEMORY_DATA_DIR,
  refineDatabaseEnv,
} from './database-env.js';
