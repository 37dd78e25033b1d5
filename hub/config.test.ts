import { describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/config/config.js';
import { parseHubConfig } from './config.js';

describe('hub configuration', () => {
  it('has defaults for a local run: loopback, port 7300, epoch 1, PGlite in ./data/hub', () => {
    expect(parseHubConfig({})).toEqual({
      host: '127.0.0.1',
      port: 7300,
      keyFile: './data/hub-signing-key.json',
      database: { kind: 'pglite', dataDir: './data/hub' },
      app: {
        epochs: [1],
        statsMinCell: 10,
        maxIntakeBytes: 9 * 1024 * 1024,
        maxCheckBytes: 64 * 1024,
        maxBatch: 500,
      },
    });
  });

  it('reads every variable', () => {
    const config = parseHubConfig({
      SPX_HUB_HOST: '0.0.0.0',
      SPX_HUB_PORT: '8300',
      SPX_HUB_KEY_FILE: '/etc/spx/hub.json',
      SPX_HUB_EPOCHS: '2, 1,2',
      SPX_STATS_MIN_CELL: '5',
      SPX_HUB_MAX_INTAKE_BYTES: '2048',
      SPX_HUB_MAX_CHECK_BYTES: '4096',
      SPX_HUB_MAX_BATCH: '50',
      SPX_DATABASE_URL: 'postgres://hub:secret@db.example:5432/spx',
      SPX_DATABASE_SCHEMA: 'hub',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8300,
      keyFile: '/etc/spx/hub.json',
      database: {
        kind: 'postgres',
        url: 'postgres://hub:secret@db.example:5432/spx',
        schema: 'hub',
      },
      app: {
        epochs: [1, 2],
        statsMinCell: 5,
        maxIntakeBytes: 2048,
        maxCheckBytes: 4096,
        maxBatch: 50,
      },
    });
  });

  it('names every bad variable without echoing its value', () => {
    let error: unknown;
    try {
      parseHubConfig({
        SPX_HUB_PORT: '70000',
        SPX_HUB_EPOCHS: '1,zero',
        SPX_STATS_MIN_CELL: '1',
        SPX_HUB_MAX_BATCH: '501',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(issues).toEqual([
      'SPX_HUB_EPOCHS',
      'SPX_HUB_MAX_BATCH',
      'SPX_HUB_PORT',
      'SPX_STATS_MIN_CELL',
    ]);
    expect((error as Error).message).not.toContain('zero');
  });
});
