import { describe, expect, it } from 'vitest';
import { keyholderAudiences, parseKeyholderConfig } from './config.js';

describe('parseKeyholderConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseKeyholderConfig({})).toEqual({
      port: 7310,
      host: '127.0.0.1',
      limits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 512,
      },
      hubUrl: 'http://127.0.0.1:7300',
      publicUrls: [],
      legacyAudienceUntil: undefined,
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
      SPX_KEYHOLDER_PUBLIC_URLS: 'https://KH1.example.org/, http://kh1.internal:7310',
      SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL: '2026-09-30T00:00:00Z',
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
      publicUrls: ['https://kh1.example.org', 'http://kh1.internal:7310'],
      legacyAudienceUntil: new Date('2026-09-30T00:00:00Z'),
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

  it('refuses the audience all keyholders once shared, naming the variable it was set as', () => {
    for (const name of ['SPX_KEYHOLDER_AUDIENCE', 'SPX_KEYHOLDER_PUBLIC_URLS']) {
      expect(() => parseKeyholderConfig({ [name]: 'spx-keyholder' })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', field: name }),
      );
    }
    for (const bad of ['https://kh1.example.org/?x=1', 'ftp://kh1.example.org', ' , ']) {
      expect(() => parseKeyholderConfig({ SPX_KEYHOLDER_PUBLIC_URLS: bad }), bad).toThrow(
        expect.objectContaining({ field: 'SPX_KEYHOLDER_PUBLIC_URLS' }),
      );
    }
  });

  it('takes the legacy-audience window as an RFC 3339 time only', () => {
    for (const bad of ['2026-09-30', 'tomorrow', '2026-09-30T00:00:00']) {
      expect(() => parseKeyholderConfig({ SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL: bad }), bad).toThrow(
        expect.objectContaining({ field: 'SPX_KEYHOLDER_LEGACY_AUDIENCE_UNTIL' }),
      );
    }
  });
});

describe('keyholderAudiences', () => {
  const config = (env: Record<string, string>) => parseKeyholderConfig(env);

  it('answers to the configured public URLs, whatever it listens on', () => {
    const c = config({
      SPX_KEYHOLDER_HOST: '0.0.0.0',
      SPX_KEYHOLDER_PUBLIC_URLS: 'https://kh1.example.org',
    });
    expect(keyholderAudiences(c, 7310)).toEqual(['https://kh1.example.org']);
  });

  it("else to its listen address, once the port is known: the node's default URL", () => {
    expect(keyholderAudiences(config({}), 7310)).toEqual(['http://127.0.0.1:7310']);
    expect(keyholderAudiences(config({}), undefined)).toEqual([]);
    expect(keyholderAudiences(config({ SPX_KEYHOLDER_HOST: '::1' }), 41000)).toEqual([
      'http://[::1]:41000',
    ]);
    expect(keyholderAudiences(config({ SPX_KEYHOLDER_HOST: 'KH1.local' }), 80)).toEqual([
      'http://kh1.local',
    ]);
  });

  it('refuses a wildcard listen address without public URLs: no node calls 0.0.0.0', () => {
    for (const host of ['0.0.0.0', '::']) {
      expect(() => keyholderAudiences(config({ SPX_KEYHOLDER_HOST: host }), undefined)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', field: 'SPX_KEYHOLDER_PUBLIC_URLS' }),
      );
    }
  });
});
