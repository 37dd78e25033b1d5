/**
 * startHub's wiring of the ANALYZE maintenance (platform/db/analyze-maintenance.ts): every hub
 * table analyzed at start-up, a periodic check scheduled, and the timer stopped on close. The
 * hub runs on an in-memory PGlite, the database without autovacuum this exists for.
 * (SPX_HUB_ANALYZE_INTERVAL_SECONDS=0 turning it off is config.test.ts's and one `if` in server.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timers } from '../platform/lifecycle/timers.js';
import { parseHubConfig } from './config.js';
import { pauseAfterIntakeCommit, startHub } from './server.js';
import { seededRng, START } from './test-support.js';
import { writeNewSigningKeyFile } from './signing-key/signing-key.js';

let dir: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'spx-hub-server-'));
  keyFile = path.join(dir, 'hub-key.json');
  await writeNewSigningKeyFile(keyFile, seededRng('hub server key'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function recordingTimers() {
  const pending = new Map<number, number>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (_callback, ms) => {
      pending.set(++next, ms);
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return { timers, pending };
}

async function run(env: Record<string, string>) {
  const config = parseHubConfig({
    SPX_DATA_DIR: ':memory:',
    SPX_HUB_PORT: '0',
    SPX_HUB_KEY_FILE: keyFile,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const { timers, pending } = recordingTimers();
  const hub = await startHub(config, {
    now: () => new Date(START),
    log: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>),
    signals: false,
    timers,
  });
  return { hub, logs, pending };
}

// A fresh PGlite runs initdb (seconds); the wiring is the same on both drivers, so this runs
// once, in the PGlite project.
describe.skipIf(Boolean(process.env['SPX_TEST_DATABASE_URL']))('startHub', () => {
  it(
    'analyzes every hub table after migrating, then checks on a timer it stops on close',
    {
      timeout: 90_000,
    },
    async () => {
      const { hub, logs, pending } = await run({ SPX_HUB_ANALYZE_INTERVAL_SECONDS: '30' });
      try {
        const analyzed = logs.find((l) => l['event'] === 'tables_analyzed');
        expect(analyzed).toMatchObject({ level: 'info', reason: 'startup' });
        expect(analyzed?.['tables']).toEqual(
          expect.arrayContaining(['attestation_keys', 'attestations', 'check_audit']),
        );
        // Before the service says it started: the first checks already have statistics.
        const order = logs.map((l) => l['event']);
        expect(order.indexOf('tables_analyzed')).toBeLessThan(order.indexOf('started'));
        expect([...pending.values()]).toContain(30_000); // other periodic tasks share the timers
      } finally {
        await hub.close();
      }
      expect(pending.size).toBe(0);
    },
  );
});

describe('SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS (the crash test’s fault injection)', () => {
  it('is off unless set, and takes whole milliseconds from 1 to 10000 only', async () => {
    expect(pauseAfterIntakeCommit({})).toBeUndefined();
    expect(pauseAfterIntakeCommit({ SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS: '' })).toBeUndefined();
    const pause = pauseAfterIntakeCommit({ SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS: '5' });
    expect(pause?.ms).toBe(5);
    await expect(pause!.pause()).resolves.toBeUndefined();
    for (const bad of ['0', '-1', '1.5', '10001', 'soon', ' 5']) {
      expect(() => pauseAfterIntakeCommit({ SPX_TEST_HUB_PAUSE_AFTER_COMMIT_MS: bad })).toThrow(
        /whole milliseconds/,
      );
    }
  });
});
