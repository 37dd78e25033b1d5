import { describe, expect, it } from 'vitest';
import { main } from './spx.js';
import { DEPRECATED_SETTING_NAMES } from './deprecated-names.js';
import { deprecationWarnings, SERVICE_SETTINGS } from './settings.js';

describe('deprecated setting names', () => {
  it('are named once each, with every service’s replacement', () => {
    expect(
      deprecationWarnings({
        SPX_HUB_URL: 'http://hub',
        SPX_STATS_MIN_CELL: '5',
        SPX_NODE_HUB_URL: 'http://hub',
        SPX_KEYHOLDER_KEYSET: '',
      }),
    ).toEqual([
      'SPX_STATS_MIN_CELL is deprecated and will be removed: use SPX_HUB_STATS_MIN_CELL (hub)',
      'SPX_HUB_URL is deprecated and will be removed: use SPX_KEYHOLDER_HUB_URL (keyholder) or SPX_NODE_HUB_URL (node)',
    ]);
    expect(deprecationWarnings({ SPX_HUB_STATS_MIN_CELL: '5', SPX_NODE_HUB_URL: 'x' })).toEqual([]);
  });

  it('are listed, exactly, where spx decides whether to load the tables to warn', () => {
    const inTables = SERVICE_SETTINGS.flatMap((s) =>
      Object.values(s.settings).flatMap((v) => v.deprecatedNames ?? []),
    );
    expect([...DEPRECATED_SETTING_NAMES].sort()).toEqual([...new Set(inTables)].sort());
  });

  it('are warned about on stderr by every spx run, before the command', async () => {
    const err: string[] = [];
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => void err.push(t),
      now: () => new Date('2026-11-27T12:00:00Z'),
    };
    const code = await main(['keys', '--help'], io, { SPX_HUB_ANALYZE_INTERVAL: '60' });
    expect(code).toBe(0);
    expect(err[0]).toBe(
      'spx: warning: SPX_HUB_ANALYZE_INTERVAL is deprecated and will be removed: use SPX_HUB_ANALYZE_INTERVAL_SECONDS (hub)\n',
    );
  });
});
