import { describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/config/config.js';
import { parseHubConfig } from './config.js';

describe('hub configuration', () => {
  it('has defaults for a local run: loopback, port 7300, epoch 1, PGlite in ./data/hub', () => {
    expect(parseHubConfig({})).toEqual({
      host: '127.0.0.1',
      port: 7300,
      limits: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 512,
      },
      keyFile: './data/hub-signing-key.json',
      database: { kind: 'pglite', dataDir: './data/hub' },
      analyzeIntervalSeconds: 60,
      log: { checkpointIntervalMs: 10_000, keyholderKeySet: undefined },
      app: {
        epochs: [1],
        statsMinCell: 10,
        statsPeriod: 'month',
        certificationPeriod: 'quarter',
        maxIntakeBytes: 9 * 1024 * 1024,
        monitoring: { maxEnrollments: 200_000, termDays: 90 },
        maxCheckBytes: 64 * 1024,
        maxBatch: 500,
        logOrigin: 'spx.invalid/hub-log',
        pendingRule: { pending: 'show', withholdPendingStates: [] },
        mailboxRetention: { unacknowledgedDays: 400, acknowledgedDays: 30 },
        readCacheMs: 1000,
        checkRateLimit: { perMinute: 120, burst: 60 },
      },
    });
  });

  it('reads the check rate limit and the read cache, `0` turning either off', () => {
    const config = parseHubConfig({
      SPX_HUB_CHECK_RATE_PER_MINUTE: '30',
      SPX_HUB_CHECK_BURST: '5',
      SPX_HUB_READ_CACHE_MS: '0',
    });
    expect(config.app.checkRateLimit).toEqual({ perMinute: 30, burst: 5 });
    expect(config.app.readCacheMs).toBe(0);
    expect(parseHubConfig({ SPX_HUB_CHECK_RATE_PER_MINUTE: '0' }).app.checkRateLimit).toBe(
      undefined,
    );
    for (const [name, value] of [
      ['SPX_HUB_CHECK_RATE_PER_MINUTE', '-1'],
      ['SPX_HUB_CHECK_RATE_PER_MINUTE', 'fast'],
      ['SPX_HUB_CHECK_BURST', '0'],
      ['SPX_HUB_READ_CACHE_MS', '60001'],
    ] as const) {
      expect(() => parseHubConfig({ [name]: value }), `${name}=${value}`).toThrow(new RegExp(name));
    }
  });

  it('reads the disclosure rule and the mailbox retention, refusing a bad state code', () => {
    const config = parseHubConfig({
      SPX_HUB_PENDING_DISCLOSURE: 'withhold',
      SPX_HUB_WITHHOLD_PENDING_STATES: 'CA, NY',
      SPX_HUB_MAILBOX_RETENTION_DAYS: '90',
      SPX_HUB_MAILBOX_ACKNOWLEDGED_RETENTION_DAYS: '0',
    });
    expect(config.app).toMatchObject({
      pendingRule: { pending: 'withhold', withholdPendingStates: ['CA', 'NY'] },
      mailboxRetention: { unacknowledgedDays: 90, acknowledgedDays: 0 },
    });
    expect(() => parseHubConfig({ SPX_HUB_WITHHOLD_PENDING_STATES: 'CA,ny' })).toThrow(
      /SPX_HUB_WITHHOLD_PENDING_STATES/,
    );
    expect(() => parseHubConfig({ SPX_HUB_PENDING_DISCLOSURE: 'hide' })).toThrow(
      /SPX_HUB_PENDING_DISCLOSURE/,
    );
  });

  it('reads every variable', () => {
    const config = parseHubConfig({
      SPX_HUB_HOST: '0.0.0.0',
      SPX_HUB_PORT: '8300',
      SPX_HUB_KEY_FILE: '/etc/spx/hub.json',
      SPX_HUB_EPOCHS: '2, 1,2',
      SPX_HUB_STATS_MIN_CELL: '5',
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

  it('reads the transparency log variables and refuses an origin that is not a bare host/path', () => {
    const config = parseHubConfig({
      SPX_HUB_LOG_ORIGIN: 'hub.spx.example.gov:8443/log',
      SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS: '2500',
      SPX_HUB_KEYHOLDER_KEYSET: '/etc/spx/keyholders.json',
    });
    expect(config.app.logOrigin).toBe('hub.spx.example.gov:8443/log');
    expect(config.log).toEqual({
      checkpointIntervalMs: 2500,
      keyholderKeySet: '/etc/spx/keyholders.json',
    });
    for (const origin of ['https://hub.example.gov/log', 'Hub.example.gov', 'hub log', 'a+b']) {
      expect(() => parseHubConfig({ SPX_HUB_LOG_ORIGIN: origin }), origin).toThrow(
        /SPX_HUB_LOG_ORIGIN/,
      );
    }
    expect(() => parseHubConfig({ SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS: '10' })).toThrow(
      /SPX_HUB_LOG_CHECKPOINT_INTERVAL_MS/,
    );
  });

  it('reads the end of an epoch changeover, and only with two epochs or more', () => {
    const config = parseHubConfig({
      SPX_HUB_EPOCHS: '1,2',
      SPX_HUB_EPOCH_WINDOW_END: '2026-09-01T00:00:00Z',
    });
    expect(config.app.epochWindowEnd).toEqual(new Date('2026-09-01T00:00:00Z'));
    expect(parseHubConfig({}).app.epochWindowEnd).toBeUndefined();
    expect(() => parseHubConfig({ SPX_HUB_EPOCH_WINDOW_END: '2026-09-01T00:00:00Z' })).toThrow(
      /SPX_HUB_EPOCH_WINDOW_END: a changeover needs two epochs/,
    );
    for (const bad of ['2026-09-01', '2026-09-01T00:00:00.5Z', '2026-09-01T02:00:00+02:00']) {
      expect(() =>
        parseHubConfig({ SPX_HUB_EPOCHS: '1,2', SPX_HUB_EPOCH_WINDOW_END: bad }),
      ).toThrow(/SPX_HUB_EPOCH_WINDOW_END/);
    }
    expect(() =>
      parseHubConfig({ SPX_HUB_EPOCHS: '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17' }),
    ).toThrow(/SPX_HUB_EPOCHS/);
  });

  it('reads the statistics period: a calendar unit or a number of seconds', () => {
    for (const period of ['month', 'week', 'day', 'hour'] as const) {
      expect(parseHubConfig({ SPX_HUB_STATS_PERIOD: period }).app.statsPeriod).toBe(period);
    }
    expect(parseHubConfig({ SPX_HUB_STATS_PERIOD: '5' }).app.statsPeriod).toBe(5);
    for (const bad of ['0', 'monthly', 'Month', '1.5', '-3', '1e3', '31622401']) {
      let error: unknown;
      try {
        parseHubConfig({ SPX_HUB_STATS_PERIOD: bad });
      } catch (e) {
        error = e;
      }
      expect((error as ConfigError).issues, bad).toEqual([
        {
          variable: 'SPX_HUB_STATS_PERIOD',
          code: 'custom',
          message: 'month, week, day, hour, or a whole number of seconds from 1 to 31622400',
        },
      ]);
    }
  });

  it('reads the ANALYZE interval, where 0 turns the maintenance off', () => {
    expect(parseHubConfig({ SPX_HUB_ANALYZE_INTERVAL_SECONDS: '0' }).analyzeIntervalSeconds).toBe(
      0,
    );
    expect(parseHubConfig({ SPX_HUB_ANALYZE_INTERVAL_SECONDS: '600' }).analyzeIntervalSeconds).toBe(
      600,
    );
    expect(() => parseHubConfig({ SPX_HUB_ANALYZE_INTERVAL_SECONDS: '86401' })).toThrow(
      /SPX_HUB_ANALYZE_INTERVAL_SECONDS/,
    );
  });

  it('still reads the names before the renaming, and refuses one that disagrees with its new name', () => {
    const old = parseHubConfig({
      SPX_STATS_MIN_CELL: '5',
      SPX_STATS_PERIOD: 'week',
      SPX_HUB_ANALYZE_INTERVAL: '120',
    });
    expect([old.app.statsMinCell, old.app.statsPeriod, old.analyzeIntervalSeconds]).toEqual([
      5,
      'week',
      120,
    ]);
    expect(() =>
      parseHubConfig({ SPX_HUB_ANALYZE_INTERVAL_SECONDS: '60', SPX_HUB_ANALYZE_INTERVAL: '120' }),
    ).toThrow(/SPX_HUB_ANALYZE_INTERVAL_SECONDS and as SPX_HUB_ANALYZE_INTERVAL \(deprecated\)/);
  });

  it('names every bad variable without echoing its value', () => {
    let error: unknown;
    try {
      parseHubConfig({
        SPX_HUB_PORT: '70000',
        SPX_HUB_EPOCHS: '1,zero',
        SPX_HUB_STATS_MIN_CELL: '1',
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
      'SPX_HUB_STATS_MIN_CELL',
    ]);
    expect((error as Error).message).not.toContain('zero');
  });

  it('takes the certification period, and refuses a length it does not know', () => {
    expect(parseHubConfig({ SPX_HUB_CERTIFICATION_PERIOD: 'month' }).app.certificationPeriod).toBe(
      'month',
    );
    expect(() => parseHubConfig({ SPX_HUB_CERTIFICATION_PERIOD: 'week' })).toThrow(
      /SPX_HUB_CERTIFICATION_PERIOD/,
    );
  });
});
