import { describe, expect, it } from 'vitest';
import { parseKeyholderConfig } from './config.js';

describe('parseKeyholderConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseKeyholderConfig({})).toEqual({
      port: 7310,
      host: '127.0.0.1',
      hubUrl: 'http://127.0.0.1:7300',
      audience: 'spx-keyholder',
      dailyQuota: 10_000,
      registry: { ttlSeconds: 60, maxStalenessSeconds: 3600, minRefreshSeconds: 10 },
      kekFile: undefined,
      evaluation: { workers: undefined, queueElements: 4096, backend: 'auto' },
      database: { kind: 'pglite', dataDir: './data/keyholder' },
    });
  });

  it('reads every variable', () => {
    const config = parseKeyholderConfig({
      SPX_KEYHOLDER_PORT: '8310',
      SPX_KEYHOLDER_HOST: '0.0.0.0',
      SPX_KEYHOLDER_HUB_URL: 'https://hub.example/',
      SPX_KEYHOLDER_AUDIENCE: 'https://keyholder.example',
      SPX_KEYHOLDER_DAILY_QUOTA: '500',
      SPX_KEYHOLDER_REGISTRY_TTL_SECONDS: '30',
      SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS: '600',
      SPX_KEYHOLDER_REGISTRY_MIN_REFRESH_SECONDS: '5',
      SPX_KEYHOLDER_KEK_FILE: '/run/secrets/kek',
      SPX_KEYHOLDER_WORKERS: '0',
      SPX_KEYHOLDER_EVALUATION_QUEUE: '512',
      SPX_KEYHOLDER_OPRF_BACKEND: 'noble',
      SPX_DATABASE_URL: 'postgres://u:p@db:5432/spx',
      SPX_DATABASE_SCHEMA: 'keyholder',
    });
    expect(config).toMatchObject({
      port: 8310,
      host: '0.0.0.0',
      hubUrl: 'https://hub.example',
      audience: 'https://keyholder.example',
      dailyQuota: 500,
      registry: { ttlSeconds: 30, maxStalenessSeconds: 600, minRefreshSeconds: 5 },
      kekFile: '/run/secrets/kek',
      evaluation: { workers: 0, queueElements: 512, backend: 'noble' },
      database: { kind: 'postgres', url: 'postgres://u:p@db:5432/spx', schema: 'keyholder' },
    });
  });

  it('takes port 0, a free port the operating system picks (tests, the demo)', () => {
    expect(parseKeyholderConfig({ SPX_KEYHOLDER_PORT: '0' }).port).toBe(0);
  });

  it('names every bad variable at once, without echoing values', () => {
    let error: unknown;
    try {
      parseKeyholderConfig({
        SPX_KEYHOLDER_PORT: '99999',
        SPX_KEYHOLDER_HUB_URL: 'ftp://hub',
        SPX_KEYHOLDER_DAILY_QUOTA: '-1',
        SPX_KEYHOLDER_REGISTRY_TTL_SECONDS: '120',
        SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS: '60',
        SPX_KEYHOLDER_WORKERS: '257',
        SPX_KEYHOLDER_OPRF_BACKEND: 'openssl',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const variables = (error as { issues: { variable: string }[] }).issues.map((i) => i.variable);
    expect(variables).toEqual(
      expect.arrayContaining([
        'SPX_KEYHOLDER_PORT',
        'SPX_KEYHOLDER_HUB_URL',
        'SPX_KEYHOLDER_DAILY_QUOTA',
        'SPX_KEYHOLDER_WORKERS',
        'SPX_KEYHOLDER_OPRF_BACKEND',
      ]),
    );
    expect((error as Error).message).not.toContain('ftp://hub');
  });

  it('refuses a maximum staleness shorter than the TTL', () => {
    expect(() =>
      parseKeyholderConfig({
        SPX_KEYHOLDER_REGISTRY_TTL_SECONDS: '120',
        SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS: '60',
      }),
    ).toThrow(expect.objectContaining({ field: 'SPX_KEYHOLDER_REGISTRY_MAX_STALENESS_SECONDS' }));
  });

  it('still reads SPX_HUB_URL, naming it when its value is bad', () => {
    expect(parseKeyholderConfig({ SPX_HUB_URL: 'https://hub.example' }).hubUrl).toBe(
      'https://hub.example',
    );
    expect(() => parseKeyholderConfig({ SPX_HUB_URL: 'ftp://hub' })).toThrow(
      expect.objectContaining({ field: 'SPX_HUB_URL' }),
    );
  });

  it('selects in-memory PGlite with SPX_DATA_DIR=:memory:', () => {
    expect(parseKeyholderConfig({ SPX_DATA_DIR: ':memory:' }).database).toEqual({
      kind: 'pglite',
    });
  });
});
