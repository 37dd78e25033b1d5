import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envInteger, type Env } from './config.js';
import { renderSettingsTable } from './settings-docs.js';
import { defineSettings, deprecatedNamesIn, parseSettings } from './settings.js';

const SETTINGS = defineSettings({
  SPX_X_INTERVAL_MS: {
    schema: envInteger({ min: 10, max: 1000 }),
    default: '100',
    unit: 'ms',
    doc: 'how often',
    deprecatedNames: ['SPX_X_INTERVAL', 'SPX_OLD_INTERVAL'],
  },
  SPX_X_TOKEN: { schema: z.string().min(8), required: true, secret: true, doc: 'the token' },
  SPX_X_NOTE: { schema: z.string(), doc: 'a note | with a bar', whenUnset: 'no note' },
});

const TOKEN = 'token-for-tests';

function issues(env: Env): [string, string, string][] {
  try {
    parseSettings(SETTINGS, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => [i.variable, i.code, i.message]);
    throw e;
  }
  return [];
}

describe('settings tables', () => {
  it('parses the default text when a variable is unset, and leaves an optional one undefined', () => {
    expect(parseSettings(SETTINGS, { SPX_X_TOKEN: TOKEN })).toEqual({
      SPX_X_INTERVAL_MS: 100,
      SPX_X_TOKEN: TOKEN,
      SPX_X_NOTE: undefined,
    });
  });

  it('refuses a table whose default breaks its own bounds, naming the variable', () => {
    const broken = defineSettings({
      SPX_Y_MS: { schema: envInteger({ min: 10 }), default: '5', unit: 'ms', doc: 'y' },
    });
    expect(() => parseSettings(broken, {})).toThrow(/SPX_Y_MS/);
  });

  it('reads a deprecated name when the current one is unset', () => {
    expect(parseSettings(SETTINGS, { SPX_X_TOKEN: TOKEN, SPX_X_INTERVAL: '250' })).toMatchObject({
      SPX_X_INTERVAL_MS: 250,
    });
    expect(parseSettings(SETTINGS, { SPX_X_TOKEN: TOKEN, SPX_OLD_INTERVAL: '300' })).toMatchObject({
      SPX_X_INTERVAL_MS: 300,
    });
  });

  it('accepts the old and the new name set to the same value', () => {
    const env = { SPX_X_TOKEN: TOKEN, SPX_X_INTERVAL_MS: '250', SPX_X_INTERVAL: '250' };
    expect(parseSettings(SETTINGS, env).SPX_X_INTERVAL_MS).toBe(250);
  });

  it('refuses the old and the new name set to different values, naming both and neither value', () => {
    const found = issues({ SPX_X_TOKEN: TOKEN, SPX_X_INTERVAL_MS: '250', SPX_X_INTERVAL: '371' });
    expect(found).toEqual([
      [
        'SPX_X_INTERVAL_MS',
        'conflict',
        'set as SPX_X_INTERVAL_MS and as SPX_X_INTERVAL (deprecated) with different values: keep SPX_X_INTERVAL_MS only',
      ],
    ]);
    expect(JSON.stringify(found)).not.toMatch(/250|371/);
  });

  it('names the deprecated variable when its value is bad, since that is the one to fix', () => {
    expect(issues({ SPX_X_TOKEN: TOKEN, SPX_X_INTERVAL: '5' }).map(([v]) => v)).toEqual([
      'SPX_X_INTERVAL',
    ]);
  });

  it('reports a conflict and the other bad variables together', () => {
    const found = issues({ SPX_X_INTERVAL_MS: '250', SPX_X_INTERVAL: '300' });
    expect(found.map(([v, code]) => [v, code])).toEqual([
      ['SPX_X_INTERVAL_MS', 'conflict'],
      ['SPX_X_TOKEN', 'required'],
    ]);
  });

  it('lists the deprecated names in use, each with its replacement, ignoring empty ones', () => {
    expect(
      deprecatedNamesIn(SETTINGS, { SPX_X_INTERVAL: '1', SPX_OLD_INTERVAL: '', OTHER: 'x' }),
    ).toEqual([{ name: 'SPX_X_INTERVAL', replacement: 'SPX_X_INTERVAL_MS' }]);
    expect(deprecatedNamesIn(SETTINGS, { SPX_X_INTERVAL_MS: '1' })).toEqual([]);
  });

  it('renders one table row per variable with its default, unit, secrecy and former names', () => {
    expect(renderSettingsTable(SETTINGS).split('\n')).toEqual([
      '| variable | default | unit | secret | meaning |',
      '| --- | --- | --- | --- | --- |',
      '| `SPX_X_INTERVAL_MS` | `100` | ms |  | how often; formerly `SPX_X_INTERVAL`, `SPX_OLD_INTERVAL` |',
      '| `SPX_X_TOKEN` | required |  | yes | the token |',
      '| `SPX_X_NOTE` | no note |  |  | a note \\| with a bar |',
    ]);
  });
});
