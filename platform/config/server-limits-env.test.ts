import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_LIMITS } from '../http/listen.js';
import { ConfigError, type Env } from './config.js';
import {
  refineServerLimits,
  serverLimitSettings,
  serverLimitsFromEnv,
} from './server-limits-env.js';
import { defineSettings, parseSettings } from './settings.js';

const SETTINGS = defineSettings({ ...serverLimitSettings('SPX_X') });

function parse(env: Env) {
  return serverLimitsFromEnv(parseSettings(SETTINGS, env, refineServerLimits('SPX_X')), 'SPX_X');
}

function issues(env: Env): string[] {
  try {
    parse(env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues.map((i) => `${i.variable}: ${i.message}`);
  }
}

describe('server limit settings', () => {
  it('default to the shared limits, or to the ones a service passes', () => {
    expect(parse({})).toEqual(DEFAULT_SERVER_LIMITS);
    const node = defineSettings({
      ...serverLimitSettings('SPX_N', { requestTimeoutMs: 300_000 }),
    });
    expect(serverLimitsFromEnv(parseSettings(node, {}), 'SPX_N')).toEqual({
      ...DEFAULT_SERVER_LIMITS,
      requestTimeoutMs: 300_000,
    });
  });

  it('reads the four variables under the service prefix', () => {
    expect(
      parse({
        SPX_X_HEADERS_TIMEOUT_MS: '2000',
        SPX_X_REQUEST_TIMEOUT_MS: '3000',
        SPX_X_KEEP_ALIVE_TIMEOUT_MS: '250',
        SPX_X_MAX_CONNECTIONS: '7',
      }),
    ).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      keepAliveTimeoutMs: 250,
      maxConnections: 7,
    });
  });

  it('refuses a headers timeout above the request timeout, and values out of range', () => {
    expect(issues({ SPX_X_HEADERS_TIMEOUT_MS: '5000', SPX_X_REQUEST_TIMEOUT_MS: '4000' })).toEqual([
      'SPX_X_HEADERS_TIMEOUT_MS: must not exceed SPX_X_REQUEST_TIMEOUT_MS',
    ]);
    expect(issues({ SPX_X_MAX_CONNECTIONS: '0' }).map((i) => i.split(':')[0])).toEqual([
      'SPX_X_MAX_CONNECTIONS',
    ]);
    expect(issues({ SPX_X_KEEP_ALIVE_TIMEOUT_MS: '0' }).map((i) => i.split(':')[0])).toEqual([
      'SPX_X_KEEP_ALIVE_TIMEOUT_MS',
    ]);
  });
});
