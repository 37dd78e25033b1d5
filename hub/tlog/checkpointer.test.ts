import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logging/json-lines.js';
import { manualTimers, settle } from '../../platform/lifecycle/test-support/manual-timers.js';
import { startCheckpointer } from './checkpointer.js';
import type { StoredCheckpoint } from './tlog.repository.js';
import type { TransparencyLog } from './tlog.service.js';

const at = new Date('2026-05-01T12:00:00Z');

/** A log whose checkpoint passes fail with `failures` in turn, then issue size 7. */
function flakyLog(failures: unknown[]): TransparencyLog {
  return {
    checkpointIfBehind: () => {
      const failure = failures.shift();
      if (failure !== undefined) return Promise.reject(failure);
      return Promise.resolve({ size: 7 } as StoredCheckpoint);
    },
  } as unknown as TransparencyLog;
}

describe('the checkpointer, when a pass fails', () => {
  it('warns while the database is unavailable, and reports other failures as errors', async () => {
    const restarting = Object.assign(new Error('Failed query: …'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const broken = Object.assign(new Error('Failed query: …'), {
      cause: Object.assign(new Error('relation missing'), { code: '42P01' }),
    });
    const lines: string[] = [];
    const { timers, fire } = manualTimers();
    const checkpointer = await startCheckpointer(flakyLog([restarting, broken]), {
      intervalMs: 1000,
      now: () => at,
      log: createLogger(
        (l) => void lines.push(l),
        () => at,
      ),
      timers,
    });
    fire();
    await settle();
    fire();
    await settle();
    await checkpointer.stop();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'warn', event: 'checkpoint_failed', code: 'ECONNREFUSED' }),
      expect.objectContaining({ level: 'error', event: 'checkpoint_failed', sqlState: '42P01' }),
      expect.objectContaining({ level: 'info', event: 'checkpoint_issued', size: 7 }),
    ]);
    expect(lines.join('\n')).not.toMatch(/Failed query|relation missing/);
  });
});
