import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  envBoolean,
  envInteger,
  envList,
  envPort,
  envUrl,
  parseConfig,
  type Env,
} from './config.js';
import { databaseConfigFromEnv, databaseEnvShape, refineDatabaseEnv } from './database-env.js';

const ServiceEnv = z
  .object({
    ...databaseEnvShape,
    SPX_PORT: envPort().default(8080),
    SPX_WORKERS: envInteger({ min: 1, max: 64 }).default(4),
    SPX_TRUST_PROXY: envBoolean().default(false),
    SPX_HUB_URL: envUrl(['https', 'http']),
    SPX_ALLOWED_ORIGINS: envList().default([]),
  })
  .superRefine(refineDatabaseEnv)
  .transform((e) => ({
    port: e.SPX_PORT,
    workers: e.SPX_WORKERS,
    trustProxy: e.SPX_TRUST_PROXY,
    hubUrl: e.SPX_HUB_URL,
    allowedOrigins: e.SPX_ALLOWED_ORIGINS,
    database: databaseConfigFromEnv(e, './data/service'),
  }));

function configError(env: Env): ConfigError {
  try {
    parseConfig(ServiceEnv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected ConfigError');
}

describe('parseConfig', () => {
  it('parses a complete environment into the typed shape, with defaults for what is unset', () => {
    const config = parseConfig(ServiceEnv, {
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
    const config = parseConfig(ServiceEnv, { SPX_HUB_URL: 'http://hub', SPX_PORT: '' });
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
    const run = () => parseConfig(z.object({ P: envPort() }), { P: value });
    if (ok) expect(run().P).toBe(Number(value));
    else expect(run).toThrow(ConfigError);
  });
});

describe('database configuration from the environment', () => {
  const base = { SPX_HUB_URL: 'http://hub' };

  it('selects PostgreSQL, with its schema, when SPX_DATABASE_URL is set', () => {
    const { database } = parseConfig(ServiceEnv, {
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
    expect(parseConfig(ServiceEnv, { ...base, SPX_DATA_DIR: '/var/lib/spx' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/spx',
    });
    expect(parseConfig(ServiceEnv, { ...base, SPX_DATA_DIR: ':memory:' }).database).toEqual({
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
