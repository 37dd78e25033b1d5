import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  envBoolean,
  envInteger,
  envList,
  envPort,
  envUrl,
  type Env,
} from './config.js';
import { databaseConfigFromEnv, databaseSettings, refineDatabaseEnv } from './database-env.js';
import { defineSettings, parseSettings } from './settings.js';

const SERVICE_SETTINGS = defineSettings({
  ...databaseSettings('./data/service'),
  SPX_PORT: { schema: envPort(), default: '8080', doc: 'port' },
  SPX_WORKERS: { schema: envInteger({ min: 1, max: 64 }), default: '4', doc: 'workers' },
  SPX_TRUST_PROXY: { schema: envBoolean(), default: 'false', doc: 'trust the proxy' },
  SPX_HUB_URL: { schema: envUrl(['https', 'http']), required: true, doc: 'the hub' },
  SPX_ALLOWED_ORIGINS: { schema: envList(), default: '', doc: 'origins' },
});

function parseConfig(env: Env) {
  const e = parseSettings(SERVICE_SETTINGS, env, refineDatabaseEnv);
  return {
    port: e.SPX_PORT,
    workers: e.SPX_WORKERS,
    trustProxy: e.SPX_TRUST_PROXY,
    hubUrl: e.SPX_HUB_URL,
    allowedOrigins: e.SPX_ALLOWED_ORIGINS,
    database: databaseConfigFromEnv(e, './data/service'),
  };
}

function configError(env: Env): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected ConfigError');
}

describe('parseSettings', () => {
  it('parses a complete environment into the typed shape, with defaults for what is unset', () => {
    const config = parseConfig({
      SPX_HUB_URL: 'https://hub.example/v1',
      SPX_TRUST_PROXY: 'yes',
      SPX_ALLOWED_ORIGINS: ' https://a.example, ,https://b.example ',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      port: 8080,
      workers: 4,
      trustProxy: true,
      hubUrl: 'https://hub.example/v1',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      database: { kind: 'pglite', dataDir: './data/service' },
    });
  });

  it('treats a variable set to the empty string as unset', () => {
    const config = parseConfig({ SPX_HUB_URL: 'http://hub', SPX_PORT: '' });
    expect(config.port).toBe(8080);
  });

  it('reports every bad variable at once, by name, as CONFIG_INVALID', () => {
    const err = configError({
      SPX_PORT: '70000',
      SPX_WORKERS: '0x10',
      SPX_TRUST_PROXY: 'maybe',
      SPX_DATABASE_URL: 'mysql://db/hub',
    });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues.map((i) => i.variable).sort()).toEqual([
      'SPX_DATABASE_URL',
      'SPX_HUB_URL',
      'SPX_PORT',
      'SPX_TRUST_PROXY',
      'SPX_WORKERS',
    ]);
    expect(err.issues.find((i) => i.variable === 'SPX_HUB_URL')?.code).toBe('required');
    expect(err.field).toBe(err.issues[0]?.variable);
  });

  it('never repeats a value in its messages, since values may be secrets', () => {
    const secret = 'postgres-but-not-really://admin:hunter2@db/hub';
    const err = configError({ SPX_HUB_URL: 'http://hub', SPX_DATABASE_URL: secret });
    expect(err.issues.map((i) => i.variable)).toEqual(['SPX_DATABASE_URL']);
    expect(err.message).not.toContain('hunter2');
    expect(JSON.stringify(err.issues)).not.toContain('hunter2');
  });

  it.each([
    ['1e3', false],
    [' 80', false],
    ['80', true],
    ['65535', true],
    ['0', false],
  ])('accepts the port %j: %s', (value, ok) => {
    const PORT = defineSettings({ P: { schema: envPort(), required: true, doc: 'port' } });
    const run = () => parseSettings(PORT, { P: value });
    if (ok) expect(run().P).toBe(Number(value));
    else expect(run).toThrow(ConfigError);
  });
});

describe('database configuration from the environment', () => {
  const base = { SPX_HUB_URL: 'http://hub' };

  it('selects PostgreSQL, with its schema, when SPX_DATABASE_URL is set', () => {
    const { database } = parseConfig({
      ...base,
      SPX_DATABASE_URL: 'postgres://spx@db:5432/spx',
      SPX_DATABASE_SCHEMA: 'hub',
    });
    expect(database).toEqual({
      kind: 'postgres',
      url: 'postgres://spx@db:5432/spx',
      schema: 'hub',
    });
  });

  it('selects PGlite in SPX_DATA_DIR, or in memory for :memory:', () => {
    expect(parseConfig({ ...base, SPX_DATA_DIR: '/var/lib/spx' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/spx',
    });
    expect(parseConfig({ ...base, SPX_DATA_DIR: ':memory:' }).database).toEqual({
      kind: 'pglite',
    });
  });

  it('refuses both a URL and a data directory, and a schema without a URL, naming the variable', () => {
    const both = configError({ ...base, SPX_DATABASE_URL: 'postgres://db/x', SPX_DATA_DIR: '/d' });
    expect(both.issues.map((i) => [i.variable, i.code])).toEqual([['SPX_DATA_DIR', 'custom']]);
    const schemaOnly = configError({ ...base, SPX_DATABASE_SCHEMA: 'hub' });
    expect(schemaOnly.issues.map((i) => i.variable)).toEqual(['SPX_DATABASE_SCHEMA']);
  });

  it('refuses a schema name that is not a plain lower-case identifier', () => {
    const err = configError({
      ...base,
      SPX_DATABASE_URL: 'postgres://db/x',
      SPX_DATABASE_SCHEMA: 'Hub;drop',
    });
    expect(err.issues.map((i) => i.variable)).toEqual(['SPX_DATABASE_SCHEMA']);
  });
});
