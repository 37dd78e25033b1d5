/**
 * The setting names that were renamed and are still read (each service's settings table lists
 * them as `deprecatedNames`). Kept here as plain strings so that `spx` can tell at start-up
 * whether to warn at all without loading every service's configuration module — which would
 * undo loading only the role a command names. bin/settings.test.ts keeps the list equal to the
 * tables'.
 */
export const DEPRECATED_SETTING_NAMES: ReadonlySet<string> = new Set([
  'SPX_HUB_ANALYZE_INTERVAL',
  'SPX_HUB_URL',
  'SPX_KEYHOLDER_AUDIENCE',
  'SPX_KEYHOLDER_KEYSET',
  'SPX_KEYHOLDER_URLS',
  'SPX_NODE_POLICY',
  'SPX_STATS_MIN_CELL',
  'SPX_STATS_PERIOD',
]);
