/**
 * The transparency log's part of starting the hub process (hub/server.ts): catch up data stored
 * before the log existed, log the configured keyholder key set if it is new, then start the
 * checkpointer, whose first pass checkpoints whatever `spx hub …` commands appended while the
 * hub was down.
 */
import type { SigningKey } from '../../crypto/signing/keys.js';
import type { Logger } from '../../platform/logging/json-lines.js';
import type { Rng } from '../../protocol/statement-id.js';
import type { HubDatabase } from '../database.js';
import { backfillLog } from './backfill.js';
import { startCheckpointer, type Checkpointer, type CheckpointerTimers } from './checkpointer.js';
import { logKeyholderKeySet, readKeyholderKeySet } from './keyholder-keys.js';
import { transparencyLog } from './tlog.service.js';

export interface LogProcessOptions {
  readonly origin: string;
  readonly signingKey: SigningKey;
  readonly checkpointIntervalMs: number;
  /** SPX_HUB_KEYHOLDER_KEYSET, if set. */
  readonly keyholderKeySet: string | undefined;
  readonly now: () => Date;
  /** Salts of statements logged by the catch-up. */
  readonly rng: Rng;
  readonly log: Logger;
  readonly timers?: CheckpointerTimers | undefined;
}

/** Throws KEYHOLDER_KEYSET_INVALID for a bad key set; the checkpointer itself never throws. */
export async function startLogProcess(
  db: HubDatabase,
  options: LogProcessOptions,
): Promise<Checkpointer> {
  const { log } = options;
  const caughtUp = await backfillLog(db, options.rng, options.now());
  if (caughtUp.agencies + caughtUp.statements > 0) log('info', 'log_backfilled', { ...caughtUp });
  if (options.keyholderKeySet !== undefined) {
    const set = await readKeyholderKeySet(options.keyholderKeySet);
    if (await logKeyholderKeySet(db, set, options.now())) {
      log('info', 'keyholder_key_logged', { epoch: set.epoch });
    }
  }
  return startCheckpointer(
    transparencyLog(db, { origin: options.origin, signingKey: options.signingKey }),
    {
      intervalMs: options.checkpointIntervalMs,
      now: options.now,
      log,
      ...(options.timers ? { timers: options.timers } : {}),
    },
  );
}
