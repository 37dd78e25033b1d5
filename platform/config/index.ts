/** Service configuration from environment variables, parsed once in the composition root. */
export {
  ConfigError,
  envBoolean,
  envInteger,
  envList,
  envPort,
  envUrl,
  isConfigError,
  type ConfigIssue,
  type Env,
} from './config.js';
export {
  databaseConfigFromEnv,
  databaseSettings,
  MEMORY_DATA_DIR,
  refineDatabaseEnv,
} from './database-env.js';
export {
  refineServerLimits,
  serverLimitSettings,
  serverLimitsFromEnv,
  type ServerLimitSettings,
} from './server-limits-env.js';
export {
  defineSettings,
  deprecatedNamesIn,
  parseSettings,
  UNIT_SUFFIX,
  type DeprecatedNameUse,
  type Setting,
  type Settings,
  type SettingsRefinement,
  type SettingsValues,
  type SettingUnit,
} from './settings.js';
export { renderSettingsTable } from './settings-docs.js';
