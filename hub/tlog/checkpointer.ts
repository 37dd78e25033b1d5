/**
 * The checkpointer (docs/transparency.md, "Checkpoints"; docs/hub.md): intake checkpoints its
 * own appends in the same transaction, but registry changes made by `spx hub …` commands and
 * the keyholder keys logged at start-up append without one. So the hub process issues a
 * checkpoint whenever the head is ahead of the latest checkpoint — at start-up, then every
 * interval (platform/lifecycle/periodic.ts). Several replicas may all run it: the head lock and
 * the checkpoint's primary key make a second issuer at the same size a no-op.
 *
 * A pass never throws: a failure is one log line (`checkpoint_failed`) and the next pass tries
 * again. The clock and the timers are injected.
 */
import { connectionErrorCode, failureLevel } from '../../platform/db/connection-loss.js';
import { sqlErrorOf } from '../../platform/db/sql-error.js';
import { startPeriodic } from '../../platform/lifecycle/periodic.js';
import type { Timers } from '../../platform/lifecycle/timers.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import type { StoredCheckpoint } from './tlog.repository.js';
import type { TransparencyLog } from './tlog.service.js';

/** The timers the loop uses (platform/lifecycle; injected: tests fire them by hand). */
export type CheckpointerTimers = Timers;

export interface CheckpointerOptions {
  /** Time from the end of one pass to the start of the next. */
  readonly intervalMs: number;
  readonly now: () => Date;
  /** Events `checkpoint_issued`, `checkpoint_failed`. */
  readonly log: Logger;
  readonly timers?: CheckpointerTimers;
}

export interface Checkpointer {
  /** One pass now (or the one under way); never throws; the checkpoint it issued, if one was due. */
  runOnce(): Promise<StoredCheckpoint | undefined>;
  /** Stops the timer and waits for a pass in progress. Idempotent. */
  stop(): Promise<void>;
}

/** Runs a first pass (resolving when it is done, failed or not), then one every interval. */
export async function startCheckpointer(
  tlog: TransparencyLog,
  options: CheckpointerOptions,
): Promise<Checkpointer> {
  const { log } = options;
  const loop = startPeriodic(
    async () => {
      const issued = await tlog.checkpointIfBehind(options.now());
      if (issued !== undefined) log('info', 'checkpoint_issued', { size: issued.size });
      return issued;
    },
    {
      intervalMs: options.intervalMs,
      runFirst: true,
      ...(options.timers ? { timers: options.timers } : {}),
      onError: (e) =>
        // The class and codes only: a driver message may quote query text. A warning while the
        // database is unavailable (a restart): the next pass catches up.
        log(failureLevel(e), 'checkpoint_failed', {
          error: e instanceof Error ? e.constructor.name : typeof e,
          sqlState: sqlErrorOf(e)?.code ?? null,
          code: connectionErrorCode(e) ?? null,
        }),
    },
  );
  await loop.runOnce();
  return loop;
}
