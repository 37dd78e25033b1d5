/**
 * The checkpointer (docs/transparency.md, "Checkpoints"; docs/hub.md): intake checkpoints its
 * own appends in the same transaction, but registry changes made by `spx hub …` commands and
 * the keyholder keys logged at start-up append without one. So the hub process issues a
 * checkpoint whenever the head is ahead of the latest checkpoint — at start-up, then every
 * interval. Several replicas may all run it: the head lock and the checkpoint's primary key make
 * a second issuer at the same size a no-op.
 *
 * A pass never throws: a failure is one log line (`checkpoint_failed`) and the next pass tries
 * again. The clock and the timers are injected.
 */
import { sqlErrorOf } from '../../platform/db/sql-error.js';
import type { StoredCheckpoint } from './tlog.repository.js';
import type { TransparencyLog } from './tlog.service.js';
import { SYSTEM_TIMERS, type Timers } from '../../platform/lifecycle/timers.js';

/** The timers the loop uses (platform/lifecycle; injected: tests fire them by hand). */
export type CheckpointerTimers = Timers;

export interface CheckpointerOptions {
  /** Time from the end of one pass to the start of the next. */
  readonly intervalMs: number;
  readonly now: () => Date;
  /** One JSON object per line (events `checkpoint_issued`, `checkpoint_failed`). */
  readonly log: (line: string) => void;
  readonly timers?: CheckpointerTimers;
}

export interface Checkpointer {
  /** One pass now; never throws; the checkpoint it issued, if one was due. */
  runOnce(): Promise<StoredCheckpoint | undefined>;
  /** Stops the timer and waits for a pass in progress. Idempotent. */
  stop(): Promise<void>;
}

/** Runs a first pass (resolving when it is done, failed or not), then one every interval. */
export async function startCheckpointer(
  log: TransparencyLog,
  options: CheckpointerOptions,
): Promise<Checkpointer> {
  const timers = options.timers ?? SYSTEM_TIMERS;
  let stopped = false;
  let timer: unknown;
  let running: Promise<StoredCheckpoint | undefined> | undefined;

  const line = (level: string, event: string, fields: Record<string, unknown>) =>
    options.log(JSON.stringify({ time: options.now().toISOString(), level, event, ...fields }));

  async function pass(): Promise<StoredCheckpoint | undefined> {
    try {
      const issued = await log.checkpointIfBehind(options.now());
      if (issued !== undefined) line('info', 'checkpoint_issued', { size: issued.size });
      return issued;
    } catch (e) {
      // The class and SQLSTATE only: a driver message may quote query text.
      const error = e instanceof Error ? e.constructor.name : typeof e;
      line('error', 'checkpoint_failed', { error, sqlState: sqlErrorOf(e)?.code ?? null });
      return undefined;
    }
  }

  function runOnce(): Promise<StoredCheckpoint | undefined> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      void runOnce().finally(schedule);
    }, options.intervalMs);
  }

  await runOnce();
  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
